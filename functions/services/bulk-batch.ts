import type { Dependencies } from '#config/dependencies';
import type { BulkRowMessage } from '#domain/bulk-jobs';
import { issueBulkRow } from './bulk-issuance';

export interface QueuedRecord {
  messageId: string;
  body: string;
}

/**
 * One batch of queued rows, with SQS partial-batch semantics: the ids of the rows that failed (throttling, a
 * timeout) come back to be redelivered; the rest are done. The Lambda and the local queue both call this.
 */
export const processBulkBatch = async (deps: Dependencies, records: readonly QueuedRecord[]): Promise<{ failedMessageIds: string[] }> => {
  const results = await Promise.allSettled(records.map((record) => issueBulkRow(deps, JSON.parse(record.body) as BulkRowMessage)));
  const failedMessageIds = records.filter((_record, i) => results[i]?.status === 'rejected').map((record) => record.messageId);
  for (const [i, result] of results.entries()) {
    if (result.status === 'rejected') deps.logger.warn('Bulk row will be retried', { messageId: records[i]?.messageId, errorName: (result.reason as Error)?.name });
  }
  return { failedMessageIds };
};
