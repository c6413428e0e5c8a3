import { randomUUID } from 'node:crypto';
import type { BulkChunkMessage } from '#domain/bulk-jobs';
import type { BulkQueue } from '#ports/bulk-queue';

interface Envelope {
  messageId: string;
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
}

/**
 * The local stand-in for SQS + the bulk-issue event source: the same batches, the same partial-batch failures and
 * redelivery, bounded concurrency, and a dead-letter list. A consumer that throws fails its whole batch, as in AWS.
 */
export class InProcessQueue implements BulkQueue {
  readonly deadLetters: Envelope[] = [];
  #ready: Envelope[] = [];
  #running = 0;
  #waiting = 0;
  #idle: Array<() => void> = [];

  constructor(private readonly options: InProcessQueueOptions) {}

  async send(messages: readonly BulkChunkMessage[]): Promise<void> {
    for (const message of messages) this.#ready.push({ messageId: randomUUID(), body: JSON.stringify(message), receives: 0 });
    this.#pump();
  }

  /** Resolves when nothing is queued, waiting for a retry, or being processed. */
  drained(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #isIdle() {
    return this.#ready.length === 0 && this.#running === 0 && this.#waiting === 0;
  }

  #pump() {
    while (this.#running < this.options.concurrency && this.#ready.length > 0) {
      const batch = this.#ready.splice(0, this.options.batchSize);
      for (const envelope of batch) envelope.receives++;
      this.#running++;
      this.options
        .consume(batch.map(({ messageId, body }) => ({ messageId, body })))
        .then(({ failedMessageIds }) => new Set(failedMessageIds), () => new Set(batch.map((envelope) => envelope.messageId)))
        .then((failed) => {
          for (const envelope of batch) if (failed.has(envelope.messageId)) this.#retry(envelope);
        })
        .finally(() => {
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
      return;
    }
    this.#waiting++;
    setTimeout(() => {
      this.#waiting--;
      this.#ready.push(envelope);
      this.#pump();
    }, this.options.retryDelayMs).unref();
  }

  #settle() {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
