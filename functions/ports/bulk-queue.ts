import type { BulkChunkMessage } from '#domain/bulk-jobs';

/** Where bulk-start puts rows for bulk-issue: SQS in AWS, an in-process queue with the same semantics locally. */
export interface BulkQueue {
  send(messages: readonly BulkChunkMessage[]): Promise<void>;
}
