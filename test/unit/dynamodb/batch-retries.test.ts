import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bulkJobCountsKey, bulkJobKey, bulkJobsIndexKey, learnerKey } from '#adapters/dynamodb/keys';
import { createDynamoStore } from '#adapters/dynamodb/store';
import type { AuditEntry } from '#domain/audit';

// Fault injection: DynamoDB Local never leaves batch requests unprocessed, so the mock plays a throttled table.
const tableName = 'merit';
const documentClient = () =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }));

const runningJob = (id: string, createdAt: string) => ({
  ...bulkJobKey(id),
  ...bulkJobsIndexKey(id, createdAt),
  entity: 'bulkJob',
  id,
  status: 'running',
  createdAt,
  done: 0,
  issued: 0,
  duplicates: 0,
  pendingConsent: 0,
  errors: 0,
});
const counters = (id: string, done: number) => ({
  ...bulkJobCountsKey(id),
  done,
  issued: done,
  duplicates: 0,
  pendingConsent: 0,
  errors: 0,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('batch reads and writes DynamoDB leaves unprocessed', () => {
  it('listRecent asks again for the counters DynamoDB left unprocessed, and shows them', async () => {
    // Prepare: two running jobs; the first BatchGet answers one job's counters and leaves the other's unprocessed
    const client = documentClient();
    const dynamo = mockClient(client);
    dynamo
      .on(QueryCommand)
      .resolves({ Items: [runningJob('job-2', '2026-05-04T10:00:00.000Z'), runningJob('job-1', '2026-05-04T09:00:00.000Z')] });
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [tableName]: [counters('job-1', 7)] },
        UnprocessedKeys: { [tableName]: { Keys: [bulkJobCountsKey('job-2')] } },
      })
      .resolvesOnce({ Responses: { [tableName]: [counters('job-2', 5)] } });
    const store = createDynamoStore(client, tableName);

    // Act
    const page = await store.bulkJobs.listRecent({ limit: 10 });

    // Assess
    expect(page.items.map((job) => [job.id, job.done, job.issued])).toEqual([
      ['job-2', 5, 5],
      ['job-1', 7, 7],
    ]);
    const batches = dynamo.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems?.[tableName]?.Keys);
    expect(batches).toEqual([[bulkJobCountsKey('job-2'), bulkJobCountsKey('job-1')], [bulkJobCountsKey('job-2')]]);
  });

  it('a batch write sends again, and only, what DynamoDB left unprocessed', async () => {
    // Prepare: two audit entries; the first BatchWrite leaves the second unprocessed
    const client = documentClient();
    const dynamo = mockClient(client);
    dynamo
      .on(BatchWriteCommand)
      .callsFakeOnce((input: { RequestItems: Record<string, unknown[]> }) => ({
        UnprocessedItems: { [tableName]: input.RequestItems[tableName]!.slice(1) },
      }))
      .resolvesOnce({});
    const store = createDynamoStore(client, tableName);
    const entry = (n: number) => ({
      learnerId: 'learner-1',
      entryId: `entry-${n}`,
      entry: {
        at: `2026-05-04T10:00:0${n}.000Z`,
        actor: 'staff-1',
        role: 'admin',
        action: 'credential.read',
        what: { credentialId: `cred-${n}` },
      } satisfies AuditEntry,
    });

    // Act
    await store.audit.appendMany([entry(1), entry(2)]);

    // Assess
    const batches = dynamo
      .commandCalls(BatchWriteCommand)
      .map((call) => (call.args[0].input.RequestItems?.[tableName] ?? []).map((request) => request.PutRequest?.Item?.['sk']));
    expect(batches).toEqual([
      ['AUDIT#2026-05-04T10:00:01.000Z#entry-1', 'AUDIT#2026-05-04T10:00:02.000Z#entry-2'],
      ['AUDIT#2026-05-04T10:00:02.000Z#entry-2'],
    ]);
  });

  it('gives up, loudly, when DynamoDB keeps leaving keys unprocessed', async () => {
    // Prepare: every BatchGet answers nothing and leaves every key unprocessed
    vi.useFakeTimers();
    const client = documentClient();
    const dynamo = mockClient(client);
    dynamo.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: unknown[] }> }) => ({
      Responses: {},
      UnprocessedKeys: input.RequestItems,
    }));
    const store = createDynamoStore(client, tableName);

    // Act
    const reading = store.learners.getMany(['learner-1', 'learner-2']);
    const refused = expect(reading).rejects.toThrow('DynamoDB kept leaving batch requests unprocessed.');
    await vi.runAllTimersAsync();

    // Assess
    await refused;
    const calls = dynamo.commandCalls(BatchGetCommand);
    expect(calls).toHaveLength(9); // the first request and 8 retries
    expect(calls.at(-1)?.args[0].input.RequestItems?.[tableName]?.Keys).toEqual([learnerKey('learner-1'), learnerKey('learner-2')]);
  });
});
