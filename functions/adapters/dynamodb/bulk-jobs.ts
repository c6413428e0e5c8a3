import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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
    return Item ? withoutKeys<BulkJob>(Item) : undefined;
  },

  listRecent: (page) =>
    table.page<BulkJob>(
      { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :jobs', ExpressionAttributeValues: { ':jobs': 'JOBS' }, ScanIndexForward: false },
      page,
    ),

  async recordRow(jobId, row) {
    const counter = counterFor[row.status];
    try {
      await table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table.name, Item: { ...rowKey(jobId, row.line), entity: 'bulkRow', ...row }, ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Update: {
                TableName: table.name,
                Key: jobKey(jobId),
                UpdateExpression: 'ADD done :one, #counter :one',
                ExpressionAttributeNames: { '#counter': counter },
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  },

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

  async claimCompletion(jobId) {
    try {
      await table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: jobKey(jobId),
          UpdateExpression: 'SET #status = :writing',
          ConditionExpression: '#status = :running AND attribute_exists(#total) AND done >= #total',
          ExpressionAttributeNames: { '#status': 'status', '#total': 'total' },
          ExpressionAttributeValues: { ':writing': 'writing_report', ':running': 'running' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  async complete(jobId, reportKey, at) {
    await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: jobKey(jobId),
        UpdateExpression: 'SET #status = :completed, reportKey = :report, completedAt = :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':completed': 'completed', ':report': reportKey, ':at': at },
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
