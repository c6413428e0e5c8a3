import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessQueue } from '#adapters/local/in-process-queue';
import type { BulkChunkMessage } from '#domain/bulk-jobs';

/** `count` chunks of job `jobId`, numbered from 0 in the first row's line (one row each: the queue never reads them). */
const chunks = (jobId: string, count: number): BulkChunkMessage[] =>
  Array.from({ length: count }, (_, i) => ({
    jobId,
    rows: [{ line: i, studentId: `${jobId}-${i}`, firstName: 'Ada', lastName: 'Lovelace', achievement: 'CS-PYTHON-1', role: 'student' }],
    settled: [],
  }));

interface Delivery {
  jobId: string;
  chunk: number;
}

const deliveryOf = (body: string): Delivery => {
  const message = JSON.parse(body) as BulkChunkMessage;
  return { jobId: message.jobId, chunk: message.rows[0]!.line };
};

/** Deliveries of job `jobId` among the first `n`. */
const countOf = (deliveries: Delivery[], jobId: string, n = deliveries.length) =>
  deliveries.slice(0, n).filter((delivery) => delivery.jobId === jobId).length;

const directories: string[] = [];
const journalDirectory = () => {
  const directory = mkdtempSync(join(tmpdir(), 'merit-fair-queue-'));
  directories.push(directory);
  return directory;
};
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A turn of the event loop: the consumer's work takes time, so the queue has a backlog. */
const aTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A queue delivering one chunk at a time to `concurrency` consumers that record it in `deliveries`, then take a turn. */
const recordingQueue = (
  journal: string,
  concurrency: number,
  deliveries: Delivery[],
  afterDelivery: () => Promise<void> = async () => undefined,
) =>
  new InProcessQueue({
    batchSize: 1,
    concurrency,
    maxReceives: 5,
    retryDelayMs: 10,
    journalDirectory: journal,
    consume: async ([record]) => {
      deliveries.push(deliveryOf(record!.body));
      await afterDelivery();
      await aTurn();
      return { failedMessageIds: [] };
    },
  });

describe('the local bulk queue is fair between jobs, as SQS fair queues are with the job as message group', () => {
  it("delivers a small job dropped behind a big job's backlog before that backlog drains, every chunk once", async () => {
    // Prepare: 1,000 chunks of a big job queued first; the small job's 2 chunks are sent once the big one is under way
    const journal = journalDirectory();
    const deliveries: Delivery[] = [];
    let sentSmall = false;
    const queue: InProcessQueue = recordingQueue(journal, 4, deliveries, async () => {
      if (!sentSmall && deliveries.length === 10) {
        sentSmall = true;
        await queue.send(chunks('small', 2));
      }
    });

    // Act
    await queue.send(chunks('big', 1_000));
    await queue.drained();

    // Assess: the small job's chunks went out within the next few deliveries (4 in flight), not after 1,000
    const lastSmall = deliveries.findLastIndex((delivery) => delivery.jobId === 'small');
    expect(countOf(deliveries, 'small')).toBe(2);
    expect(lastSmall).toBeLessThan(10 + 4 + 2);
    expect(countOf(deliveries, 'big', lastSmall)).toBeLessThan(20);
    expect(new Set(deliveries.filter((d) => d.jobId === 'big').map((d) => d.chunk)).size).toBe(1_000);
    expect(deliveries).toHaveLength(1_002);
    expect(readdirSync(journal)).toEqual([]);
  });

  it('gives the next batch to the job with fewer chunks in flight, and a failed chunk of the small job is delivered again before the big job drains', async () => {
    // Prepare: batches of 5; the small job's first chunk fails on its first delivery
    const deliveries: Delivery[] = [];
    const batches: Delivery[][] = [];
    let failedOnce = false;
    const queue = new InProcessQueue({
      batchSize: 5,
      concurrency: 2,
      maxReceives: 5,
      retryDelayMs: 1,
      journalDirectory: journalDirectory(),
      consume: async (records) => {
        const batch = records.map((record) => deliveryOf(record.body));
        batches.push(batch);
        deliveries.push(...batch);
        await aTurn();
        const failing = records.find(
          (record) => !failedOnce && deliveryOf(record.body).jobId === 'small' && deliveryOf(record.body).chunk === 0,
        );
        if (failing) failedOnce = true;
        return { failedMessageIds: failing ? [failing.messageId] : [] };
      },
    });

    // Act: the big job's 2,000 chunks first, then the small job's 6
    await queue.send(chunks('big', 2_000));
    await queue.send(chunks('small', 6));
    await queue.drained();

    // Assess: the two batches in flight when the small job came are the big job's; the next one is the small job's
    // (it has fewer chunks in flight); its 6 chunks and its redelivery come before the big job drains
    expect(
      batches
        .slice(0, 2)
        .flat()
        .every((delivery) => delivery.jobId === 'big'),
    ).toBe(true);
    expect(batches[2]!.map((delivery) => delivery.jobId)).toEqual(Array(5).fill('small'));
    const smallDeliveries = deliveries.flatMap((delivery, i) => (delivery.jobId === 'small' ? [i] : []));
    expect(smallDeliveries).toHaveLength(7);
    expect(countOf(deliveries, 'big', smallDeliveries.at(-1))).toBeLessThan(2_000);
    expect(countOf(deliveries, 'big')).toBe(2_000);
    expect(queue.deadLetters).toHaveLength(0);
  });

  it('stays fair over the chunks a stopped process left in its journal', async () => {
    // Prepare: a process that queued a big and a small job, then stopped before delivering anything
    const journal = journalDirectory();
    const stopped = new InProcessQueue({
      batchSize: 1,
      concurrency: 1,
      maxReceives: 5,
      retryDelayMs: 10,
      journalDirectory: journal,
      consume: async () => ({ failedMessageIds: [] }),
    });
    stopped.stop();
    await stopped.send(chunks('big', 300));
    await stopped.send(chunks('small', 3));
    const deliveries: Delivery[] = [];
    const next = recordingQueue(journal, 1, deliveries);

    // Act
    const recovered = next.recover();
    await next.drained();

    // Assess: the small job's chunks alternate with the big job's from the start, whatever order the journal lists
    expect(recovered).toBe(303);
    expect(deliveries).toHaveLength(303);
    expect(deliveries.findLastIndex((delivery) => delivery.jobId === 'small')).toBeLessThan(6);
    expect(readdirSync(journal)).toEqual([]);
  });
});
