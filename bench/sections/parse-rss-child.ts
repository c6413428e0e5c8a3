/**
 * Child process of the bulk section: the 100,000-row RSS figure. Runs the real `startBulkJob` (openDrop streaming
 * parse + validation + queueing in batches of 10) over a generated file that is never held in memory as a whole,
 * with the queue replaced by a counting sink and the job store by an in-memory stub. Prints one JSON line.
 */
import { recordedMetrics } from '#adapters/local/recorded-metrics';
import type { Dependencies } from '#config/dependencies';
import { createLogger } from '#config/logger';
import type { BulkChunkMessage, BulkJob } from '#domain/bulk-jobs';
import { startBulkJob } from '#features/bulk/start';
import { RssSampler } from '../lib/stats';

const rows = Number(process.argv[2] ?? 100_000);
const header = 'student_id,first_name,last_name,achievement,issued_on,birth_date\r\n';

/** The file as 64 KiB chunks, generated as read (an S3 Body is an AsyncIterable<Uint8Array> too). */
async function* file(): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let text = header;
  for (let i = 0; i < rows; i++) {
    text += `S${String(i).padStart(7, '0')},Student${i % 977},Number${i},CS-PYTHON-1,2026-05-01,2009-04-04\r\n`;
    if (text.length >= 64 * 1024) {
      yield encoder.encode(text);
      text = '';
    }
  }
  if (text) yield encoder.encode(text);
}

let queued = 0;
const seen = new Set<string>();
let duplicates = 0;
let job: BulkJob | undefined;
const deps = {
  clock: { now: () => new Date('2026-06-01T12:00:00Z') },
  logger: createLogger('merit-bench'),
  metrics: recordedMetrics(),
  blobs: { stream: async () => file() },
  bulkQueue: {
    send: async (messages: readonly BulkChunkMessage[]) => {
      for (const row of messages.flatMap((message) => message.rows)) {
        queued++;
        if (seen.has(row.studentId)) duplicates++;
        seen.add(row.studentId);
      }
    },
  },
  store: {
    bulkJobs: {
      create: async (created: BulkJob) => {
        job = { ...created };
        return true;
      },
      get: async () => job,
      setTotal: async (_id: string, total: number) => {
        job = { ...job!, total };
      },
      recordLines: async () => undefined,
      fail: async (_id: string, error: string) => {
        job = { ...job!, status: 'failed', error };
      },
      claimCompletion: async () => false,
      countRows: async () => 0,
    },
  },
} as unknown as Dependencies;

global.gc?.();
const baseline = process.memoryUsage.rss();
const sampler = new RssSampler(100);
const started = performance.now();
const result = await startBulkJob(deps, { key: 'drops/bench-100k.csv', etag: '"bench"' });
const seconds = (performance.now() - started) / 1000;
const peak = sampler.stop();
process.stdout.write(
  `${JSON.stringify({ rows, queued, duplicates, total: result.total ?? job?.total, status: result.status, baseline, peak, seconds, heapUsed: process.memoryUsage().heapUsed })}\n`,
);
