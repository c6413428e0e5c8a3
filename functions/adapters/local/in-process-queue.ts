import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BulkChunkMessage } from '#domain/bulk-jobs';
import type { BulkQueue } from '#ports/bulk-queue';

interface Envelope {
  messageId: string;
  /** The message group (SQS fair queues' tenant): the chunk's job. */
  groupId: string;
  body: string;
  receives: number;
}

export interface InProcessQueueOptions {
  /** Messages per invocation of the consumer (the SQS event source's batch size). */
  batchSize: number;
  /** Invocations at once (the event source's maximum concurrency). */
  concurrency: number;
  /** Deliveries before a message goes to the dead-letter list (the redrive policy's maxReceiveCount). */
  maxReceives: number;
  /** Wait before a failed message is delivered again (the visibility timeout). */
  retryDelayMs: number;
  consume: (records: Array<{ messageId: string; body: string }>) => Promise<{ failedMessageIds: string[] }>;
  /**
   * Where messages are kept until consumed (as SQS keeps them): one file each, written before `send` returns and
   * removed once the message is consumed or dead-lettered. `recover()` takes back what a stopped process left.
   */
  journalDirectory?: string;
}

/**
 * The local stand-in for SQS + the bulk-issue event source: the same batches, the same partial-batch failures and
 * redelivery, bounded concurrency, and a dead-letter list. A consumer that throws fails its whole batch, as in AWS.
 *
 * Fair as SQS fair queues are (the job is the message group): each delivery takes the next message of the group with
 * the fewest messages in flight, groups with as many taking turns, so a small job's chunks go out between a big
 * job's instead of after its backlog.
 */
export class InProcessQueue implements BulkQueue {
  readonly deadLetters: Envelope[] = [];
  /** Consumer invocations so far and the time they took in all (the bench prices them as Lambda invocations). */
  readonly invocations = { count: 0, ms: 0 };
  /** Messages ready for delivery, by group. */
  #ready = new Map<string, Envelope[]>();
  #readyCount = 0;
  /** Messages delivered and not yet settled, by group. */
  #inFlight = new Map<string, number>();
  /** The delivery turn at which each group was last served. */
  #lastServed = new Map<string, number>();
  #turn = 0;
  #running = 0;
  #waiting = 0;
  #idle: Array<() => void> = [];
  #stopped = false;

  constructor(private readonly options: InProcessQueueOptions) {
    if (options.journalDirectory) mkdirSync(options.journalDirectory, { recursive: true });
  }

  async send(messages: readonly BulkChunkMessage[]): Promise<void> {
    for (const message of messages) {
      const envelope = { messageId: randomUUID(), groupId: message.jobId, body: JSON.stringify(message), receives: 0 };
      this.#journal(envelope);
      this.#enqueue(envelope);
    }
    this.#pump();
  }

  /** Queues again the messages a stopped (or crashed) process had not consumed; returns how many. */
  recover(): number {
    const directory = this.options.journalDirectory;
    if (!directory) return 0;
    const names = readdirSync(directory).filter((name) => name.endsWith('.json'));
    for (const name of names) {
      const { messageId, body } = JSON.parse(readFileSync(join(directory, name), 'utf8')) as { messageId: string; body: string };
      this.#enqueue({ messageId, groupId: (JSON.parse(body) as BulkChunkMessage).jobId, body, receives: 0 });
    }
    this.#pump();
    return names.length;
  }

  /** Takes no more deliveries; what is unconsumed stays in the journal for the next process. */
  stop(): void {
    this.#stopped = true;
  }

  #journal(envelope: Envelope) {
    const directory = this.options.journalDirectory;
    if (directory)
      writeFileSync(join(directory, `${envelope.messageId}.json`), JSON.stringify({ messageId: envelope.messageId, body: envelope.body }));
  }

  #forget(envelope: Envelope) {
    const directory = this.options.journalDirectory;
    if (directory) rmSync(join(directory, `${envelope.messageId}.json`), { force: true });
  }

  /** Resolves when nothing is queued, waiting for a retry, or being processed. */
  drained(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #isIdle() {
    return (this.#stopped || this.#readyCount === 0) && this.#running === 0 && this.#waiting === 0;
  }

  #enqueue(envelope: Envelope) {
    const group = this.#ready.get(envelope.groupId);
    if (group) group.push(envelope);
    else this.#ready.set(envelope.groupId, [envelope]);
    this.#readyCount++;
  }

  /**
   * The next message of the group with the fewest in flight; among those, the group served longest ago (a new group
   * first), so groups take turns.
   */
  #takeFairly(): Envelope | undefined {
    let chosen: { groupId: string; inFlight: number; served: number } | undefined;
    for (const groupId of this.#ready.keys()) {
      const candidate = { groupId, inFlight: this.#inFlight.get(groupId) ?? 0, served: this.#lastServed.get(groupId) ?? 0 };
      if (!chosen || candidate.inFlight < chosen.inFlight || (candidate.inFlight === chosen.inFlight && candidate.served < chosen.served))
        chosen = candidate;
    }
    if (!chosen) return undefined;
    const group = this.#ready.get(chosen.groupId)!;
    const envelope = group.shift()!;
    if (group.length === 0) this.#ready.delete(chosen.groupId);
    this.#readyCount--;
    this.#inFlight.set(chosen.groupId, chosen.inFlight + 1);
    this.#lastServed.set(chosen.groupId, ++this.#turn);
    return envelope;
  }

  #settled(envelope: Envelope) {
    const inFlight = (this.#inFlight.get(envelope.groupId) ?? 1) - 1;
    if (inFlight > 0) this.#inFlight.set(envelope.groupId, inFlight);
    else this.#inFlight.delete(envelope.groupId);
    // A group with nothing left is forgotten (as SQS forgets a quiet tenant).
    if (inFlight <= 0 && !this.#ready.has(envelope.groupId)) this.#lastServed.delete(envelope.groupId);
  }

  #pump() {
    while (!this.#stopped && this.#running < this.options.concurrency && this.#readyCount > 0) {
      const batch: Envelope[] = [];
      while (batch.length < this.options.batchSize) {
        const envelope = this.#takeFairly();
        if (!envelope) break;
        batch.push(envelope);
      }
      for (const envelope of batch) envelope.receives++;
      this.#running++;
      const started = performance.now();
      this.options
        .consume(batch.map(({ messageId, body }) => ({ messageId, body })))
        .then(
          ({ failedMessageIds }) => new Set(failedMessageIds),
          () => new Set(batch.map((envelope) => envelope.messageId)),
        )
        .then((failed) => {
          for (const envelope of batch) this.#settled(envelope);
          if (this.#stopped) return; // the process is going away: the journal keeps the batch as it was
          for (const envelope of batch) {
            if (failed.has(envelope.messageId)) this.#retry(envelope);
            else this.#forget(envelope);
          }
        })
        .finally(() => {
          this.invocations.count++;
          this.invocations.ms += performance.now() - started;
          this.#running--;
          this.#pump();
          this.#settle();
        });
    }
    this.#settle();
  }

  #retry(envelope: Envelope) {
    if (envelope.receives >= this.options.maxReceives) {
      this.deadLetters.push(envelope);
      this.#forget(envelope);
      return;
    }
    this.#waiting++;
    setTimeout(() => {
      this.#waiting--;
      this.#enqueue(envelope);
      this.#pump();
      this.#settle();
    }, this.options.retryDelayMs).unref();
  }

  #settle() {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
