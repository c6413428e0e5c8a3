import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RecordedPrincipal } from '#domain/access';
import { type BulkJob, counterFor, type LineOutcome } from '#domain/bulk-jobs';
import { invalid } from '#domain/errors';
import type { BulkJobStore, Page } from '#ports/store';
import {
  allBulkJobsPk,
  bulkJobAudienceKey,
  bulkJobCountsKey,
  bulkJobKey,
  bulkJobLinesKey,
  bulkJobLinesPrefix,
  bulkJobsIndexKey,
  bulkJobsOfSchoolPk,
  bulkJobsOfSubjectPk,
  uploadKey,
} from './keys';
import { isTransactionConditionFailure, type Table, withoutKeys } from './table';

/*
 * The live counters are in an item beside the job's (bulkJobCountsKey): the job item is in the jobs index (gsi1, all
 * jobs in one partition), and every row moves a counter — kept apart, a row's count is one small write, no index copy.
 */
const counterNames = ['done', 'issued', 'duplicates', 'pendingConsent', 'errors'] as const;
type Counts = Pick<BulkJob, (typeof counterNames)[number]>;

/** A job as callers know it: a completed job holds its exact counts; a running one shows the live counters. */
const withCounts = (job: BulkJob & { claimedAt?: string; readingSince?: string }, counts: Partial<Counts> | undefined): BulkJob => {
  const { claimedAt: _claim, readingSince: _reading, ...rest } = job;
  if (rest.status === 'completed' || rest.status === 'failed' || !counts) return rest;
  return { ...rest, ...Object.fromEntries(counterNames.map((name) => [name, Number(counts[name] ?? 0)])) };
};

/**
 * Who may see a job besides admins (DESIGN §4): its uploader and staff of the uploader's schools. One small item per
 * audience, written with the job: "jobs this person may see, by recency" is a Query per audience, never a Scan or a
 * filtered page.
 */
const audienceKeys = (uploader: Pick<RecordedPrincipal, 'subject' | 'schoolIds'>): string[] => [
  bulkJobsOfSubjectPk(uploader.subject),
  ...[...new Set(uploader.schoolIds)].map(bulkJobsOfSchoolPk),
];

/** The cursor of a merged listing: the recency key of the last job given out (every audience resumes below it). */
const encodeBefore = (sk: string): string => Buffer.from(JSON.stringify({ before: sk })).toString('base64url');
const decodeBefore = (cursor: string): string => {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const before = (parsed as { before?: unknown } | null)?.before;
    if (typeof before === 'string' && before.length <= 200) return before;
  } catch {
    // the clear error below
  }
  throw invalid('The cursor is not one this API gave out.', [{ field: 'cursor', message: 'invalid cursor' }]);
};

/** Outcomes are stored compressed (writes are billed per KiB; student ids, codes and statuses repeat a lot). */
const packed = (outcomes: readonly LineOutcome[]): Uint8Array => brotliCompressSync(JSON.stringify(outcomes));
const unpacked = (bytes: Uint8Array): LineOutcome[] => JSON.parse(brotliDecompressSync(bytes).toString('utf8')) as LineOutcome[];

export const dynamoBulkJobs = (table: Table): BulkJobStore => ({
  async create(job) {
    const jobItem = {
      ...bulkJobKey(job.id),
      entity: 'bulkJob',
      ...bulkJobsIndexKey(job.id, job.createdAt),
      ...job,
      readingSince: job.createdAt,
    };
    try {
      // The job and the items that let its uploader and their schools list it, together or not at all.
      await table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table.name, Item: jobItem, ConditionExpression: 'attribute_not_exists(pk)' } },
            ...(job.uploadedBy ? audienceKeys(job.uploadedBy) : []).map((pk) => ({
              Put: {
                TableName: table.name,
                Item: { ...bulkJobAudienceKey(pk, job.id, job.createdAt), entity: 'bulkJobAudience', jobId: job.id },
              },
            })),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isTransactionConditionFailure(error)) return false;
      throw error;
    }
  },

  async resumeReading(jobId, at, staleBefore) {
    return table.sendIf(
      new UpdateCommand({
        TableName: table.name,
        Key: bulkJobKey(jobId),
        UpdateExpression: 'SET readingSince = :at',
        ConditionExpression: 'attribute_not_exists(#total) AND #status = :running AND readingSince < :stale',
        ExpressionAttributeNames: { '#total': 'total', '#status': 'status' },
        ExpressionAttributeValues: { ':at': at, ':running': 'running', ':stale': staleBefore },
      }),
    );
  },

  async releaseReading(jobId) {
    await table.sendIf(
      new UpdateCommand({
        TableName: table.name,
        Key: bulkJobKey(jobId),
        UpdateExpression: 'SET readingSince = :never',
        ConditionExpression: 'attribute_not_exists(#total)',
        ExpressionAttributeNames: { '#total': 'total' },
        ExpressionAttributeValues: { ':never': '' },
      }),
    );
  },

  async get(id) {
    // 'COUNTS' < 'JOB' < 'ROW#…': one consistent query reads the job and its counters, never its rows.
    const job = bulkJobKey(id);
    const counts = bulkJobCountsKey(id);
    const { Items = [] } = await table.client.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :counts AND :job',
        ExpressionAttributeValues: { ':pk': job.pk, ':counts': counts.sk, ':job': job.sk },
        ConsistentRead: true,
      }),
    );
    const jobItem = Items.find((item) => item['sk'] === job.sk);
    return jobItem
      ? withCounts(withoutKeys(jobItem), Items.find((item) => item['sk'] === counts.sk) as Partial<Counts> | undefined)
      : undefined;
  },

  async listRecent(page) {
    const result = await table.page<BulkJob>(
      {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :jobs',
        ExpressionAttributeValues: { ':jobs': allBulkJobsPk },
        ScanIndexForward: false,
      },
      page,
    );
    const running = result.items.filter((job) => job.status !== 'completed' && job.status !== 'failed');
    // getMany asks again for counters DynamoDB leaves unprocessed: a throttled read must not show zero counts.
    const found = running.length > 0 ? await table.getMany<Partial<Counts>>(running.map((job) => bulkJobCountsKey(job.id))) : [];
    const counts = new Map(running.flatMap((job, i) => (found[i] ? [[job.id, found[i]] as const] : [])));
    return { ...result, items: result.items.map((job) => withCounts(job, counts.get(job.id))) };
  },

  async listVisibleTo(audience, page) {
    const before = page.cursor ? decodeBefore(page.cursor) : undefined;
    const audiences = audienceKeys({ subject: audience.subject, schoolIds: [...audience.schoolIds] });
    // Each audience's newest `limit` below the cursor; merged, the newest `limit` distinct jobs are the page.
    const pages = await Promise.all(
      audiences.map((pk) =>
        table.client.send(
          new QueryCommand({
            TableName: table.name,
            KeyConditionExpression: before ? 'pk = :pk AND sk < :before' : 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk, ...(before ? { ':before': before } : {}) },
            ScanIndexForward: false,
            Limit: page.limit,
          }),
        ),
      ),
    );
    const candidates = new Map<string, string>();
    for (const answer of pages) for (const item of answer.Items ?? []) candidates.set(String(item['sk']), String(item['jobId']));
    const newestFirst = [...candidates].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0));
    const taken = newestFirst.slice(0, page.limit);
    const more = newestFirst.length > taken.length || pages.some((answer) => answer.LastEvaluatedKey !== undefined);
    const items =
      taken.length === 0
        ? []
        : await table.getMany<BulkJob>(
            taken.flatMap(([, id]) => [bulkJobKey(id), bulkJobCountsKey(id)]),
            { consistent: true },
          );
    const jobs = taken.flatMap((_, i) => {
      const job = items[2 * i];
      return job ? [withCounts(job, items[2 * i + 1] as Partial<Counts> | undefined)] : []; // a job erased meanwhile is left out
    });
    const result: Page<BulkJob> = { items: jobs };
    return more && taken.length > 0 ? { ...result, nextCursor: encodeBefore(taken[taken.length - 1]![0]) } : result;
  },

  async recordUpload(key, uploader, expiresAt) {
    return table.sendIf(
      new PutCommand({
        TableName: table.name,
        Item: {
          ...uploadKey(key),
          entity: 'bulkUpload',
          uploader,
          expiresAt: expiresAt.toISOString(),
          // A backstop only: the record is refused past `expiresAt` whether or not TTL has removed it yet.
          expiresAtEpoch: Math.ceil(expiresAt.getTime() / 1000),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },

  async uploadOf(key, now) {
    const { Item } = await table.client.send(new GetCommand({ TableName: table.name, Key: uploadKey(key), ConsistentRead: true }));
    if (!Item || String(Item['expiresAt']) <= now.toISOString()) return undefined;
    return Item['uploader'] as RecordedPrincipal;
  },

  async recordLines(jobId, outcomes) {
    if (outcomes.length === 0) return;
    const sorted = [...outcomes].sort((a, b) => a.line - b.line);
    await table.client.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...bulkJobLinesKey(jobId, sorted[0]!.line), entity: 'bulkLines', lineCount: sorted.length, outcomesZ: packed(sorted) },
      }),
    );
    const moves = new Map<string, number>([['done', sorted.length]]);
    for (const outcome of sorted) moves.set(counterFor[outcome.status], (moves.get(counterFor[outcome.status]) ?? 0) + 1);
    const names = [...moves.keys()];
    await table.sendIf(
      new UpdateCommand({
        TableName: table.name,
        Key: bulkJobCountsKey(jobId),
        UpdateExpression: `ADD ${names.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
        // A completed job holds its exact counts; a late redelivery must not move them.
        ConditionExpression: 'attribute_not_exists(completed)',
        ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#c${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:c${i}`, moves.get(name)!])),
      }),
    );
  },

  async countRows(jobId) {
    let lines = 0;
    for await (const chunk of table.queryAll<{ lineCount: number }>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :row)',
      ExpressionAttributeValues: { ':pk': bulkJobKey(jobId).pk, ':row': bulkJobLinesPrefix },
      ProjectionExpression: 'lineCount',
      ConsistentRead: true,
    })) {
      lines += Number(chunk.lineCount);
    }
    return lines;
  },

  async setTotal(jobId, total) {
    await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: bulkJobKey(jobId),
        UpdateExpression: 'SET #total = :total',
        ExpressionAttributeNames: { '#total': 'total' },
        ExpressionAttributeValues: { ':total': total },
      }),
    );
  },

  async claimCompletion(jobId, at, staleBefore) {
    return table.sendIf(
      new UpdateCommand({
        TableName: table.name,
        Key: bulkJobKey(jobId),
        UpdateExpression: 'SET #status = :writing, claimedAt = :at',
        ConditionExpression: 'attribute_exists(#total) AND (#status = :running OR (#status = :writing AND claimedAt < :stale))',
        ExpressionAttributeNames: { '#status': 'status', '#total': 'total' },
        ExpressionAttributeValues: { ':writing': 'writing_report', ':running': 'running', ':at': at, ':stale': staleBefore },
      }),
    );
  },

  async complete(jobId, reportKey, at, counts) {
    await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: bulkJobCountsKey(jobId),
        UpdateExpression: 'SET completed = :yes',
        ExpressionAttributeValues: { ':yes': true },
      }),
    );
    await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: bulkJobKey(jobId),
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
        Key: bulkJobKey(jobId),
        UpdateExpression: 'SET #status = :failed, #error = :error, reportKey = :report, completedAt = :at',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: { ':failed': 'failed', ':error': error, ':report': reportKey, ':at': at },
      }),
    );
  },

  async *rows(jobId) {
    const chunks = table.queryAll<{ outcomesZ: Uint8Array }>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :row)',
      ExpressionAttributeValues: { ':pk': bulkJobKey(jobId).pk, ':row': bulkJobLinesPrefix },
      ConsistentRead: true,
    });
    for await (const chunk of chunks) yield* unpacked(chunk.outcomesZ);
  },
});
