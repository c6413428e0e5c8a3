import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { BulkQueue } from '#ports/bulk-queue';

/** SendMessageBatch takes 10 messages and 256 KiB in all. */
const maxMessages = 10;
const maxBatchBytes = 256 * 1024;

export const sqsBulkQueue = (client: SQSClient, queueUrl: string): BulkQueue => ({
  async send(messages) {
    const bodies = messages.map((message) => JSON.stringify(message));
    for (let start = 0; start < bodies.length; ) {
      let end = start + 1;
      let bytes = Buffer.byteLength(bodies[start]!);
      while (end < bodies.length && end - start < maxMessages && bytes + Buffer.byteLength(bodies[end]!) <= maxBatchBytes) bytes += Buffer.byteLength(bodies[end++]!);
      const answer = await client.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: bodies.slice(start, end).map((body, i) => ({ Id: String(i), MessageBody: body })) }),
      );
      if (answer.Failed?.length) throw new Error(`SQS refused ${answer.Failed.length} message(s) (${answer.Failed[0]?.Code}).`);
      start = end;
    }
  },
});
