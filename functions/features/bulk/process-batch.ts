import type { Dependencies } from '#config/dependencies';
import type { BulkChunkMessage } from '#domain/bulk-jobs';
import { issueBulkChunk } from '#features/bulk/issue-chunk';
import { finishIfDone } from '#features/bulk/report';

export interface QueuedRecord {
  messageId: string;
  body: string;
}

/**
 * One batch of queued chunks of rows, with SQS partial-batch semantics: the ids of the chunks that failed
 * (throttling, a timeout) come back to be redelivered; the rest are done. The Lambda and the local queue both call this.
 */
export const processBulkBatch = async (deps: Dependencies, records: readonly QueuedRecord[]): Promise<{ failedMessageIds: string[] }> => {
  const failed = new Set<string>();
  const jobs = new Map<string, string[]>();
  const results = await Promise.allSettled(
    records.map(async (record) => {
      const message = JSON.parse(record.body) as BulkChunkMessage;
      jobs.set(message.jobId, [...(jobs.get(message.jobId) ?? []), record.messageId]);
      await issueBulkChunk(deps, message);
    }),
  );
  for (const [i, result] of results.entries()) {
    if (result.status === 'fulfilled') continue;
    failed.add(records[i]!.messageId);
    deps.logger.warn('Bulk chunk will be retried', { messageId: records[i]?.messageId, errorName: (result.reason as Error)?.name });
  }
  // Once per job and batch, not per row: whoever records a job's last row writes its report. If that fails, the
  // job's rows come back (their outcomes are already recorded) and the next delivery tries again.
  for (const [jobId, messageIds] of jobs) {
    try {
      await finishIfDone(deps, jobId);
    } catch (error) {
      deps.logger.warn('Bulk job report will be retried', { jobId, errorName: (error as Error)?.name });
      for (const messageId of messageIds) failed.add(messageId);
    }
  }
  return { failedMessageIds: records.filter((record) => failed.has(record.messageId)).map((record) => record.messageId) };
};
