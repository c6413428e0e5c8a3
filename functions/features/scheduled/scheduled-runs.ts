import type { Context } from 'aws-lambda';
import { z } from 'zod';
import type { Dependencies } from '#config/dependencies';
import type { Continuation, Continuations, ScheduledJobName } from '#ports/continuations';

/** Says when a part of a run must stop and hand over the rest (checked after each item, so every part makes progress). */
export interface RunBudget {
  exhausted(): boolean;
}

export interface PartOptions<Position> {
  /** The run's instant: every part of one run works as of it. Absent: now. */
  now?: Date;
  budget?: RunBudget;
  /** Where the previous part stopped. */
  after?: Position;
}

/** A job's counters (summed over parts) and lists (joined). */
export type RunSummary = Record<string, number | string[]>;

export type PartResult<Summary extends RunSummary, Position> = Summary & { continueAfter?: Position };

export interface ScheduledJob<Summary extends RunSummary, Position> {
  name: ScheduledJobName;
  /** Time kept back from the function's timeout: the item in hand, then the hand-over. */
  marginMs: number;
  position: z.ZodType<Position>;
  run(deps: Dependencies, options: PartOptions<Position>): Promise<PartResult<Summary, Position>>;
}

/** A bound on the chain, should a run ever stop advancing. */
export const maxParts = 10_000;

/**
 * One part of a scheduled run: from the start, or from where `continuation` says the previous part stopped, as of
 * the run's instant. When the budget runs out first, the rest goes to `continuations` (sent last, so a part that
 * fails before it is simply retried). Each item is handled idempotently by the jobs, so a part run twice is harmless.
 */
export const runPart = async <Summary extends RunSummary, Position>(
  job: ScheduledJob<Summary, Position>,
  deps: Dependencies,
  input: { continuation?: Continuation<Position>; budget: RunBudget; continuations: Continuations },
): Promise<PartResult<Summary, Position> & { part: number }> => {
  const { continuation } = input;
  const now = continuation ? new Date(continuation.now) : deps.clock.now();
  const part = continuation?.part ?? 1;
  const result = await job.run(deps, { now, budget: input.budget, ...(continuation ? { after: continuation.after } : {}) });
  if (result.continueAfter !== undefined) {
    if (part >= maxParts) deps.logger.error('Scheduled run stopped: too many parts', { job: job.name, part });
    else await input.continuations.send({ job: job.name, now: now.toISOString(), part: part + 1, after: result.continueAfter });
  }
  deps.logger.info('Scheduled run part', { job: job.name, part, continued: result.continueAfter !== undefined });
  return { ...result, part };
};

const continuationSchema = <Position>(job: ScheduledJob<RunSummary, Position>) =>
  z
    .object({
      job: z.literal(job.name),
      now: z.iso.datetime({ offset: true }),
      part: z.number().int().min(2).max(maxParts),
      after: job.position,
    })
    .strict();

const sqsRecords = (event: unknown): Array<{ messageId: string; body: string }> | undefined => {
  const records = (event as { Records?: unknown } | null)?.Records;
  return Array.isArray(records) ? (records as Array<{ messageId: string; body: string }>) : undefined;
};

/**
 * The Lambda handler of a scheduled job: the schedule's event starts a run; a message of the job's continuation queue
 * carries one on. A part stops when less than the job's margin of the invocation's time is left.
 */
export const scheduledJobHandler =
  <Summary extends RunSummary, Position>(job: ScheduledJob<Summary, Position>, deps: Dependencies, continuations: Continuations) =>
  async (event: unknown, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<void> => {
    const budget: RunBudget = { exhausted: () => context.getRemainingTimeInMillis() < job.marginMs };
    const records = sqsRecords(event);
    if (!records) {
      await runPart(job, deps, { budget, continuations });
      return;
    }
    for (const record of records) {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        body = undefined;
      }
      const continuation = continuationSchema(job).safeParse(body);
      if (!continuation.success) {
        // Not ours to carry on (only this job's function sends here): dropped rather than retried forever.
        deps.logger.error('Not a continuation of this job; dropped', { job: job.name, messageId: record.messageId });
        continue;
      }
      await runPart(job, deps, { continuation: continuation.data as Continuation<Position>, budget, continuations });
    }
  };

/**
 * A whole run in this process, part after part (the local stack: no queue, the same parts as in AWS). `budget` gives
 * each part its own.
 */
export const runToEnd = async <Summary extends RunSummary, Position>(
  job: ScheduledJob<Summary, Position>,
  deps: Dependencies,
  budget: () => RunBudget,
): Promise<Summary & { parts: number }> => {
  let next: Continuation<Position> | undefined;
  const handOver: Continuations = {
    send: async (continuation) => {
      next = continuation as Continuation<Position>;
    },
  };
  let total: RunSummary = {};
  let parts = 0;
  do {
    const continuation = next;
    next = undefined;
    const {
      continueAfter: _position,
      part: _part,
      ...summary
    } = await runPart(job, deps, { ...(continuation ? { continuation } : {}), budget: budget(), continuations: handOver });
    total = addSummaries(total, summary as RunSummary);
    parts++;
  } while (next);
  return { ...(total as Summary), parts };
};

const addSummaries = (a: RunSummary, b: RunSummary): RunSummary =>
  Object.fromEntries(
    Object.entries(b).map(([name, value]) => {
      const before = a[name];
      return [
        name,
        Array.isArray(value) ? [...(Array.isArray(before) ? before : []), ...value] : (typeof before === 'number' ? before : 0) + value,
      ];
    }),
  );

/** A budget of wall-clock time (the local stack's parts). */
export const deadlineBudget = (ms: number): RunBudget => {
  const end = Date.now() + ms;
  return { exhausted: () => Date.now() >= end };
};
