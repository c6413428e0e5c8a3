import type { Dependencies } from '#config/dependencies';
import { bulkLeases } from '#config/topology';
import { type BulkChunkMessage, type BulkJob, chunkBytes, chunkLines, isUploadKey, jobIdFor, reportKeyFor } from '#domain/bulk-jobs';
import { fileErrorReport, isDropFileError, openDrop, reportRowForInvalid } from '#domain/csv/index';
import { countRefusals } from '#features/bulk/count-refusals';
import { finishIfDone, ReportPendingError } from '#features/bulk/report';

/** An upload whose record is gone acts for nobody: never for the district, whose scope no uploader has. */
const uploadRecordMissing =
  'This file was uploaded through an upload link whose record is missing or expired, so it is not known whom it acts for. Nothing was issued: ask for a new upload link and upload the file again.';

const { readingLeaseMs } = bulkLeases;

/** Chunks handed to the queue at once (one SendMessageBatch, within its limits), and sends in flight. */
const sendBatch = 10;
const sendsInFlight = 8;

/**
 * bulk-start: reads a drop as a stream (never the whole file), creates the job (the same key + ETag is the same
 * job), cuts the lines into chunks and queues them; invalid rows travel in their chunk as settled outcomes (a chunk
 * of invalid rows only is recorded at once). A file that is not a usable CSV fails the whole job with its reason in
 * the report, and nothing is issued.
 */
export const startBulkJob = async (deps: Dependencies, drop: { key: string; etag: string }): Promise<BulkJob> => {
  const id = jobIdFor(drop.key, drop.etag);
  const now = deps.clock.now();
  const uploadedBy = isUploadKey(drop.key) ? await deps.store.bulkJobs.uploadOf(drop.key, now) : undefined;
  let job: BulkJob = {
    id,
    sourceKey: drop.key,
    etag: drop.etag,
    status: 'running',
    done: 0,
    issued: 0,
    duplicates: 0,
    pendingConsent: 0,
    errors: 0,
    ...(uploadedBy ? { uploadedBy } : {}),
    createdAt: now.toISOString(),
  };
  if (!(await deps.store.bulkJobs.create(job))) {
    // The same drop again: done or being read, unless its reading failed or died before the end of the file. Read
    // again, then: chunks are cut the same way, and what the first reading queued is issued once all the same.
    if (!(await deps.store.bulkJobs.resumeReading(id, now.toISOString(), new Date(now.getTime() - readingLeaseMs).toISOString()))) {
      deps.logger.info('Drop already has a job; not starting it again', { jobId: id });
      return (await deps.store.bulkJobs.get(id)) ?? job;
    }
    deps.logger.info('Reading a drop again: its first reading did not finish', { jobId: id });
    // It acts for whom the first reading recorded, whatever became of the upload's record since.
    job = (await deps.store.bulkJobs.get(id)) ?? job;
  }
  const reportKey = reportKeyFor(drop.key, id);
  if (isUploadKey(drop.key) && !job.uploadedBy) {
    await deps.blobs.put('reports', reportKey, fileErrorReport(uploadRecordMissing), 'text/csv; charset=utf-8');
    await deps.store.bulkJobs.fail(id, uploadRecordMissing, reportKey, deps.clock.now().toISOString());
    deps.logger.warn('Uploaded drop has no upload record; failed', { jobId: id });
    return (await deps.store.bulkJobs.get(id)) ?? job;
  }
  const chunkOf = (): BulkChunkMessage => ({ jobId: id, ...(job.uploadedBy ? { uploadedBy: job.uploadedBy } : {}), rows: [], settled: [] });
  let pending: BulkChunkMessage[] = [];
  const inFlight = new Set<Promise<void>>();
  // A send that fails fails the reading (the event is retried), however many sends are still under way.
  let sendFailure: { error: unknown } | undefined;
  const send = async (messages: BulkChunkMessage[]) => {
    if (sendFailure) throw sendFailure.error;
    const sending: Promise<void> = deps.bulkQueue
      .send(messages)
      .catch((error: unknown) => {
        sendFailure ??= { error };
      })
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
    if (inFlight.size >= sendsInFlight) await Promise.race(inFlight);
  };
  let chunk = chunkOf();
  let chunkSize = 0;
  const cut = async () => {
    if (chunk.rows.length > 0) pending.push(chunk);
    else if (chunk.settled.length > 0) {
      await deps.store.bulkJobs.recordLines(id, chunk.settled);
      countRefusals(
        deps,
        chunk.settled.filter((line) => line.status === 'error').map(() => 'invalid_row'),
      );
    }
    chunk = chunkOf();
    chunkSize = 0;
    if (pending.length === sendBatch) {
      await send(pending);
      pending = [];
    }
  };
  try {
    const opened = await openDrop(await deps.blobs.stream('drops', drop.key));
    for await (const outcome of opened.rows) {
      if (outcome.ok) {
        chunk.rows.push(outcome.row);
        chunkSize += Buffer.byteLength(JSON.stringify(outcome.row));
      } else {
        chunk.settled.push({ ...reportRowForInvalid(outcome), line: outcome.line });
      }
      if (chunk.rows.length + chunk.settled.length === chunkLines || chunkSize >= chunkBytes) await cut();
    }
    await cut();
    if (pending.length > 0) await send(pending);
    await Promise.all(inFlight);
    if (sendFailure) throw sendFailure.error;
    await deps.store.bulkJobs.setTotal(id, opened.stats.rows);
  } catch (error) {
    if (!isDropFileError(error)) {
      // S3 or queue trouble: the event is retried (the job id is the same), and the retry reads the file again.
      await deps.store.bulkJobs.releaseReading(id);
      throw error;
    }
    const at = deps.clock.now().toISOString();
    await deps.blobs.put('reports', reportKey, fileErrorReport(error.message, error.line), 'text/csv; charset=utf-8');
    await deps.blobs.delete('drops', drop.key);
    await deps.store.bulkJobs.fail(id, error.message, reportKey, at);
    deps.logger.info('Drop failed as a whole', { jobId: id, code: error.code });
    return (await deps.store.bulkJobs.get(id)) ?? job;
  }
  try {
    await finishIfDone(deps, id);
  } catch (error) {
    if (!(error instanceof ReportPendingError)) throw error; // a worker is writing the report; its queue retries it
  }
  return (await deps.store.bulkJobs.get(id)) ?? job;
};
