import type { Dependencies } from '#config/dependencies';
import { bulkLeases } from '#config/topology';
import { counterFor, reportKeyFor } from '#domain/bulk-jobs';
import { type ReportRow, reportCsv } from '#domain/csv/index';

const { reportClaimMs } = bulkLeases;

/** Another worker holds the report claim of a finished job: retry later (the queue redelivers). */
export class ReportPendingError extends Error {
  override readonly name = 'ReportPendingError';
  constructor(readonly jobId: string) {
    super('Another worker is writing the report of this job.');
  }
}

/**
 * Whoever sees the last row done writes the report. The counters only say when to look (a redelivery can move them
 * ahead); the recorded rows decide, and give the job its exact counts.
 */
export const finishIfDone = async (deps: Dependencies, jobId: string): Promise<void> => {
  const job = await deps.store.bulkJobs.get(jobId);
  if (!job || job.total === undefined || job.done < job.total || job.status === 'completed' || job.status === 'failed') return;
  if ((await deps.store.bulkJobs.countRows(jobId)) < job.total) return;
  const now = deps.clock.now();
  if (!(await deps.store.bulkJobs.claimCompletion(jobId, now.toISOString(), new Date(now.getTime() - reportClaimMs).toISOString()))) {
    if ((await deps.store.bulkJobs.get(jobId))?.status === 'completed') return;
    // Another worker holds the claim: it is writing the report now, or it died doing so. This delivery comes back
    // after the queue's visibility timeout (longer than the claim) and takes over if the report is still missing.
    throw new ReportPendingError(jobId);
  }
  const reportKey = reportKeyFor(job.sourceKey, jobId);
  const counts = { done: 0, issued: 0, duplicates: 0, pendingConsent: 0, errors: 0 };
  const counted = async function* (rows: AsyncIterable<ReportRow>) {
    for await (const row of rows) {
      counts.done++;
      counts[counterFor[row.status]]++;
      yield row;
    }
  };
  let text = '';
  for await (const chunk of reportCsv(counted(deps.store.bulkJobs.rows(jobId)))) text += chunk;
  await deps.blobs.put('reports', reportKey, text, 'text/csv; charset=utf-8');
  // The drop (names, e-mails, SIS ids, birth dates) has served its purpose once its report is written; deleting it
  // before the job completes means a failure here is retried with the report. The bucket's lifecycle rule is only
  // a backstop. A re-delivery of the same key + ETag still finds the job by its id.
  await deps.blobs.delete('drops', job.sourceKey);
  await deps.store.bulkJobs.complete(jobId, reportKey, deps.clock.now().toISOString(), counts);
  deps.logger.info('Bulk job completed', { jobId, total: job.total });
};
