import { BatchGetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type BulkJob, counterFor } from '#domain/bulk-jobs';
import type { ReportRow } from '#domain/csv/index';
import type { BulkJobStore } from '#ports/store';
import { isConditionFailure, type Table, withoutKeys } from './table';

const jobKey = (id: string) => ({ pk: `JOB#${id}`, sk: 'JOB' });
/**
 * The live counters, in an item beside the job's: the job item is in the jobs index (gsi1, all jobs in one
 * partition), and every row moves a counter — kept apart, a row's count is one small write with no index copy.
 */
const countsKey = (id: string) => ({ pk: `JOB#${id}`, sk: 'COUNTS' });
const counterNames = ['done', 'issued', 'duplicates', 'pendingConsent', 'errors'] as const;
type Counts = Pick<BulkJob, (typeof counterNames)[number]>;

/** A job as callers know it: a completed job holds its exact counts; a running one shows the live counters. */
const withCounts = (job: BulkJob & { claimedAt?: string }, counts: Partial<Counts> | undefined): BulkJob => {
  const { claimedAt: _claim, ...rest } = job;
  if (rest.status === 'completed' || rest.status === 'failed' || !counts) return rest;
  return { ...rest, ...Object.fromEntries(counterNames.map((name) => [name, Number(counts[name] ?? 0)])) };
};

/** Zero-padded so rows sort in file order. */
const rowKey = (id: string, line: number) => ({ pk: `JOB#${id}`, sk: `ROW#${String(line).padStart(9, '0')}` });

export const dynamoBulkJobs = (table: Table): BulkJobStore => ({
  async create(job) {
    try {
      await table.client.send(
        new PutCommand({
          TableName: table.name,
          Item: { ...jobKey(job.id), entity: 'bulkJob', gsi1pk: 'JOBS', gsi1sk: `${job.createdAt}#${job.id}`, ...job },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  async get(id) {
    // 'COUNTS' < 'JOB' < 'ROW#…': one consistent query reads the job and its counters, never its rows.
    const { Items = [] } = await table.client.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :counts AND :job',
        ExpressionAttributeValues: { ':pk': `JOB#${id}`, ':counts': 'COUNTS', ':job': 'JOB' },
        ConsistentRead: true,
      }),
    );
    const job = Items.find((item) => item['sk'] === 'JOB');
    return job ? withCounts(withoutKeys(job), Items.find((item) => item['sk'] === 'COUNTS') as Partial<Counts> | undefined) : undefined;
  },

  async listRecent(page) {
    const result = await table.page<BulkJob>(
      { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :jobs', ExpressionAttributeValues: { ':jobs': 'JOBS' }, ScanIndexForward: false },
      page,
    );
    const running = result.items.filter((job) => job.status !== 'completed' && job.status !== 'failed');
    const counts = new Map<string, Partial<Counts>>();
    if (running.length > 0) {
      const { Responses } = await table.client.send(new BatchGetCommand({ RequestItems: { [table.name]: { Keys: running.map((job) => countsKey(job.id)) } } }));
      for (const item of Responses?.[table.name] ?? []) counts.set(String(item['pk']).slice('JOB#'.length), item as Partial<Counts>);
    }
    return { ...result, items: result.items.map((job) => withCounts(job, counts.get(job.id))) };
  },

  async recordRow(jobId, row) {
    let recorded = true;
    try {
      await table.client.send(
        new PutCommand({ TableName: table.name, Item: { ...rowKey(jobId, row.line), entity: 'bulkRow', ...row }, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      recorded = false; // recorded by an earlier delivery, which may have died before counting it: count again
    }
    try {
      await table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: countsKey(jobId),
          UpdateExpression: 'ADD done :one, #counter :one',
          // A completed job holds its exact counts; a late redelivery must not move them.
          ConditionExpression: 'attribute_not_exists(completed)',
          ExpressionAttributeNames: { '#counter': counterFor[row.status] },
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    return recorded;
  },

  countRows: (jobId) =>
    table.count({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :row)', ExpressionAttributeValues: { ':pk': `JOB#${jobId}`, ':row': 'ROW#' } }),

  async setTotal(jobId, total) {
    await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: jobKey(jobId),
        UpdateExpression: 'SET #total = :total',
        ExpressionAttributeNames: { '#total': 'total' },
        ExpressionAttributeValues: { ':total': total },
      }),
    );
  },

  async claimCompletion(jobId, at, staleBefore) {
    try {
      await table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: jobKey(jobId),
          UpdateExpression: 'SET #status = :writing, claimedAt = :at',
          ConditionExpression: 'attribute_exists(#total) AND (#status = :running OR (#status = :writing AND claimedAt < :stale))',
          ExpressionAttributeNames: { '#status': 'status', '#total': 'total' },
          ExpressionAttributeValues: { ':writing': 'writing_report', ':running': 'running', ':at': at, ':stale': staleBefore },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  async complete(jobId, reportKey, at, counts) {
    await table.client.send(
      new UpdateCommand({ TableName: table.name, Key: countsKey(jobId), UpdateExpression: 'SET completed = :yes', ExpressionAttributeValues: { ':yes': true } }),
    );
    await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: jobKey(jobId),
        UpdateExpression:
          'SET #status = :completed, reportKey = :report, completedAt = :at, done = :done, issued = :issued, duplicates = :duplicates, pendingConsent = :pending, #errors = :errors REMOVE claimedAt',
        ExpressionAttributeNames: { '#status': 'status', '#errors': 'errors' },
        ExpressionAttributeValues: {
          ':completed': 'completed',
          ':report': reportKey,
          ':at': at,
          ':done': counts.done,
          ':issued': counts.issued,
          ':duplicates': counts.duplicates,
          ':pending': counts.pendingConsent,
          ':errors': counts.errors,
        },
      }),
    );
  },

  async fail(jobId, error, reportKey, at) {
    await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: jobKey(jobId),
        UpdateExpression: 'SET #status = :failed, #error = :error, reportKey = :report, completedAt = :at',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: { ':failed': 'failed', ':error': error, ':report': reportKey, ':at': at },
      }),
    );
  },

  rows: (jobId) =>
    table.queryAll<ReportRow>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :row)',
      ExpressionAttributeValues: { ':pk': `JOB#${jobId}`, ':row': 'ROW#' },
    }),
});
