import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { BulkQueue } from '#ports/bulk-queue';

export const sqsBulkQueue = (client: SQSClient, queueUrl: string): BulkQueue => ({
  async send(messages) {
    for (let start = 0; start < messages.length; start += 10) {
      const batch = messages.slice(start, start + 10);
      const answer = await client.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch.map((message, i) => ({ Id: String(i), MessageBody: JSON.stringify(message) })) }),
      );
      if (answer.Failed?.length) throw new Error(`SQS refused ${answer.Failed.length} message(s) (${answer.Failed[0]?.Code}).`);
    }
  },
});
