import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { sqsBulkQueue } from '#adapters/sqs/bulk-queue';
import type { BulkChunkMessage } from '#domain/bulk-jobs';
import type { DropRow } from '#domain/csv/index';

const row = (line: number, narrativeLength: number): DropRow => ({
  line,
  studentId: `S${line}`,
  firstName: 'Zoë',
  lastName: 'Brontë',
  achievement: 'CS-PYTHON-1',
  role: 'student',
  narrative: 'é'.repeat(narrativeLength),
});

const chunk = (first: number, narrativeLength: number): BulkChunkMessage => ({
  jobId: 'job-1',
  rows: Array.from({ length: 5 }, (_, i) => row(first + i, narrativeLength)),
  settled: [],
});

describe('the SQS bulk queue', () => {
  it('sends chunks in batches of at most 10 messages and 256 KiB, every chunk once and in order', async () => {
    // Prepare: 30 small chunks, then 12 chunks of about 40 KB (two-byte characters) each
    const sqs = mockClient(new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }));
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queue = sqsBulkQueue(sqs as unknown as SQSClient, 'https://sqs.example/queue');
    const messages = [
      ...Array.from({ length: 30 }, (_, i) => chunk(i * 5, 10)),
      ...Array.from({ length: 12 }, (_, i) => chunk(1000 + i * 5, 4000)),
    ];

    // Act
    await queue.send(messages);

    // Assess
    const batches = sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.Entries ?? []);
    for (const entries of batches) {
      expect(entries.length).toBeLessThanOrEqual(10);
      expect(entries.reduce((bytes, entry) => bytes + Buffer.byteLength(entry.MessageBody ?? ''), 0)).toBeLessThanOrEqual(256 * 1024);
    }
    expect(batches.flat().map((entry) => JSON.parse(entry.MessageBody ?? '{}') as BulkChunkMessage)).toEqual(messages);
  });

  it("names each chunk's job as its message group, so the standard queue is fair between jobs", async () => {
    // Prepare: chunks of two jobs, interleaved
    const sqs = mockClient(new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }));
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const messages = Array.from({ length: 14 }, (_, i) => ({ ...chunk(i * 5, 10), jobId: i % 2 === 0 ? 'job-big' : 'job-small' }));

    // Act
    await sqsBulkQueue(sqs as unknown as SQSClient, 'https://sqs.example/queue').send(messages);

    // Assess
    const entries = sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => call.args[0].input.Entries ?? []);
    expect(entries.map((entry) => entry.MessageGroupId)).toEqual(messages.map((message) => message.jobId));
    expect(entries.map((entry) => (JSON.parse(entry.MessageBody ?? '{}') as BulkChunkMessage).jobId)).toEqual(
      messages.map((message) => message.jobId),
    );
  });

  it('fails the send when SQS refuses a message (the drop event is retried)', async () => {
    // Prepare
    const sqs = mockClient(new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }));
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });

    // Act / Assess
    await expect(sqsBulkQueue(sqs as unknown as SQSClient, 'https://sqs.example/queue').send([chunk(2, 1)])).rejects.toThrow(
      /SQS refused 1 message/,
    );
  });
});
