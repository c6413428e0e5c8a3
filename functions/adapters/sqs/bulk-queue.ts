import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { BulkChunkMessage } from '#domain/bulk-jobs';
import type { BulkQueue } from '#ports/bulk-queue';

/** SendMessageBatch takes 10 messages and 256 KiB in all. */
const maxMessages = 10;
const maxBatchBytes = 256 * 1024;

/**
 * The SendMessageBatch requests that carry `messages`, in order. Every chunk carries its job as message group: the
 * bulk queue is a standard queue, which SQS makes a fair queue (no queue setting, no permission beyond SendMessage),
 * so a small job's chunks are delivered between a big job's backlog rather than after it. The local stack's call
 * recorder counts requests with it too.
 */
export const sendMessageBatches = (messages: readonly BulkChunkMessage[]): SendMessageBatchRequestEntry[][] => {
  const bodies = messages.map((message) => JSON.stringify(message));
  const batches: SendMessageBatchRequestEntry[][] = [];
  for (let start = 0; start < bodies.length; ) {
    let end = start + 1;
    let bytes = Buffer.byteLength(bodies[start]!);
    while (end < bodies.length && end - start < maxMessages && bytes + Buffer.byteLength(bodies[end]!) <= maxBatchBytes)
      bytes += Buffer.byteLength(bodies[end++]!);
    batches.push(
      bodies.slice(start, end).map((body, i) => ({ Id: String(i), MessageBody: body, MessageGroupId: messages[start + i]!.jobId })),
    );
    start = end;
  }
  return batches;
};

export const sqsBulkQueue = (client: SQSClient, queueUrl: string): BulkQueue => ({
  async send(messages) {
    for (const entries of sendMessageBatches(messages)) {
      const answer = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      if (answer.Failed?.length) throw new Error(`SQS refused ${answer.Failed.length} message(s) (${answer.Failed[0]?.Code}).`);
    }
  },
});
