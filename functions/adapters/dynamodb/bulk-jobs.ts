import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type BulkJob, counterFor } from '#domain/bulk-jobs';
import type { ReportRow } from '#domain/csv/index';
import type { BulkJobStore } from '#ports/store';
import { isConditionFailure, type Table, withoutKeys } from './table';

const jobKey = (id: string) => ({ pk: `JOB#${id}`, sk: 'JOB' });
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
    const { Item } = await table.client.send(new GetCommand({ TableName: table.name, Key: jobKey(id), ConsistentRead: true }));
    if (!Item) return undefined;
    const { claimedAt: _claim, ...job } = withoutKeys<BulkJob & { claimedAt?: string }>(Item);
    return job;
  },

  listRecent: (page) =>
    table.page<BulkJob>(
      { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :jobs', ExpressionAttributeValues: { ':jobs': 'JOBS' }, ScanIndexForward: false },
      page,
    ),

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
          Key: jobKey(jobId),
          UpdateExpression: 'ADD done :one, #counter :one',
          // A completed job holds its exact counts; a late redelivery must not move them.
          ConditionExpression: '#status <> :completed',
          ExpressionAttributeNames: { '#counter': counterFor[row.status], '#status': 'status' },
          ExpressionAttributeValues: { ':one': 1, ':completed': 'completed' },
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
          ConditionExpression: 'attribute_exists(#total) AND done >= #total AND (#status = :running OR (#status = :writing AND claimedAt < :stale))',
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
