/** The daily jobs that run in parts when they cannot finish in one invocation. */
export type ScheduledJobName = 'expiry-alerts' | 'retention';

/**
 * The rest of a scheduled run: the run's instant (every part works as of the same `now`), which part comes next, and
 * the last item the previous part handled. Ids only, no learner data: it travels through a queue.
 */
export interface Continuation<Position = unknown> {
  job: ScheduledJobName;
  now: string;
  part: number;
  after: Position;
}

/** Hands a run's rest to a next invocation: an SQS queue the job's function consumes, in AWS. */
export interface Continuations {
  send(continuation: Continuation): Promise<void>;
}
