import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSRecord } from 'aws-lambda';
import type { Dependencies } from '#config/dependencies';
import type { BulkChunkMessage } from '#domain/bulk-jobs';
import { issueBulkChunk } from '#features/bulk/issue-chunk';
import { finishIfDone } from '#features/bulk/report';

/** What the batch reads of an SQS record; the local queue delivers these two fields. */
export type QueuedRecord = Pick<SQSRecord, 'messageId' | 'body'>;

/**
 * One batch of queued chunks of rows, with SQS partial-batch semantics (Powertools batch): the ids of the chunks
 * that failed (throttling, a timeout) come back to be redelivered; the rest are done. The Lambda and the local queue
 * both call this.
 */
export const processBulkBatch = async (deps: Dependencies, records: readonly QueuedRecord[]): Promise<{ failedMessageIds: string[] }> => {
  const jobs = new Map<string, string[]>();
  const issueChunk = async (record: QueuedRecord): Promise<void> => {
    const message = JSON.parse(record.body) as BulkChunkMessage;
    jobs.set(message.jobId, [...(jobs.get(message.jobId) ?? []), record.messageId]);
    try {
      await issueBulkChunk(deps, message);
    } catch (error) {
      deps.logger.warn('Bulk chunk will be retried', { messageId: record.messageId, errorName: (error as Error)?.name });
      throw error;
    }
  };
  // A processor per batch: it keeps the batch's state, and the local queue runs batches concurrently.
  // A wholly failed batch is answered like any other (every id back), not thrown, so the local queue sees the same.
  const { batchItemFailures } = await processPartialResponse(
    { Records: [...records] as SQSRecord[] },
    issueChunk,
    new BatchProcessor(EventType.SQS),
    {
      throwOnFullBatchFailure: false,
    },
  );
  const failed = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
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
