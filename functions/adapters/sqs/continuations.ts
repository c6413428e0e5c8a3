import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Continuations } from '#ports/continuations';

/** The job's own continuation queue; its function consumes it (one message per invocation). */
export const sqsContinuations = (client: SQSClient, queueUrl: string): Continuations => ({
  async send(continuation) {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(continuation) }));
  },
});
