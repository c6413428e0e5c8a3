import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  type PutCommand,
  QueryCommand,
  type QueryCommandInput,
  type UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { invalid } from '#domain/errors';
import type { Page, PageRequest } from '#ports/store';

type Item = Record<string, unknown>;

const keyAttributes = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'entity', 'expiresAtEpoch']);

/** An item without its key attributes: the entity as the domain knows it. */
export const withoutKeys = <T>(item: Item): T =>
  Object.fromEntries(Object.entries(item).filter(([name]) => !keyAttributes.has(name))) as T;

type QueryShape = Pick<QueryCommandInput, 'IndexName' | 'KeyConditionExpression' | 'ExpressionAttributeValues'>;

/** Which query a cursor belongs to: a cursor of one list (or one learner's list) is refused by another. */
const queryFingerprint = (input: QueryShape): string =>
  createHash('sha256')
    .update(JSON.stringify([input.IndexName ?? '', input.KeyConditionExpression ?? '', input.ExpressionAttributeValues ?? {}]))
    .digest('base64url')
    .slice(0, 16);

const cursorKeyNames = /^(pk|sk|gsi[1-3](pk|sk))$/;

const encodeCursor = (key: Item, input: QueryShape): string =>
  Buffer.from(JSON.stringify({ k: key, q: queryFingerprint(input) })).toString('base64url');

const invalidCursor = () => invalid('The cursor is not one this API gave out.', [{ field: 'cursor', message: 'invalid cursor' }]);

/** The start key of a cursor this query gave out; anything else (forged, of another list, garbled) is a 400. */
const decodeCursor = (cursor: string, input: QueryShape): Item => {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const { k: key, q: fingerprint } = (decoded && typeof decoded === 'object' ? decoded : {}) as { k?: unknown; q?: unknown };
  const isKey =
    key !== null &&
    typeof key === 'object' &&
    !Array.isArray(key) &&
    Object.keys(key).length > 0 &&
    Object.entries(key).every(([name, value]) => cursorKeyNames.test(name) && typeof value === 'string' && value.length > 0);
  if (!isKey || fingerprint !== queryFingerprint(input)) throw invalidCursor();
  return key as Item;
};

/** The table and the few operations every repository shares. */
export class Table {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  /** Sends a conditional write: false when its condition did not hold (nothing was written), true when it was written. */
  async sendIf(command: PutCommand | UpdateCommand | DeleteCommand): Promise<boolean> {
    try {
      await this.client.send(command as PutCommand); // any of the three: the cast only picks an overload of send
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async get<T>(pk: string, sk: string): Promise<T | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.name, Key: { pk, sk } }));
    return Item ? withoutKeys<T>(Item) : undefined;
  }

  /**
   * The items at these keys, in their order (undefined where absent), read in BatchGetItem calls of 100 keys; keys
   * DynamoDB leaves unprocessed (throttling) are asked again with backoff.
   */
  async getMany<T>(keys: ReadonlyArray<{ pk: string; sk: string }>, options: { consistent?: boolean } = {}): Promise<Array<T | undefined>> {
    const found = new Map<string, T>();
    const keyOf = (key: { pk: unknown; sk: unknown }) => `${String(key.pk)}\u0000${String(key.sk)}`;
    const unique = [...new Map(keys.map((key) => [keyOf(key), { pk: key.pk, sk: key.sk }])).values()];
    for (let start = 0; start < unique.length; start += 100) {
      let pending: Array<Record<string, unknown>> = unique.slice(start, start + 100);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await backoff(attempt);
        const answer = await this.client.send(new BatchGetCommand({ RequestItems: { [this.name]: { Keys: pending, ...(options.consistent ? { ConsistentRead: true } : {}) } } }));
        for (const item of answer.Responses?.[this.name] ?? []) found.set(keyOf(item as { pk: unknown; sk: unknown }), withoutKeys<T>(item));
        pending = answer.UnprocessedKeys?.[this.name]?.Keys ?? [];
      }
    }
    return keys.map((key) => found.get(keyOf(key)));
  }

  /** Puts and deletes in BatchWriteItem calls of 25 (no conditions); unprocessed ones are sent again with backoff. */
  async writeAll(requests: ReadonlyArray<{ put: Record<string, unknown> } | { delete: { pk: string; sk: string } }>): Promise<void> {
    for (let start = 0; start < requests.length; start += 25) {
      let pending: Array<Record<string, unknown>> = requests
        .slice(start, start + 25)
        .map((request) => ('put' in request ? { PutRequest: { Item: request.put } } : { DeleteRequest: { Key: request.delete } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await backoff(attempt);
        const answer = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.name]: pending } }));
        pending = (answer.UnprocessedItems?.[this.name] ?? []) as Array<Record<string, unknown>>;
      }
    }
  }

  /** Every item a query matches, page after page (callers bound the query; a partition or an index range). */
  async *queryAll<T>(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): AsyncGenerator<T> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new QueryCommand({ ...input, TableName: this.name, ExclusiveStartKey: startKey }));
      for (const item of page.Items ?? []) yield withoutKeys<T>(item);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  async page<T>(input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>, page: PageRequest): Promise<Page<T>> {
    const command = new QueryCommand({
      ...input,
      TableName: this.name,
      Limit: page.limit,
      ...(page.cursor ? { ExclusiveStartKey: decodeCursor(page.cursor, input) } : {}),
    });
    const result = await this.client.send(command).catch((error: unknown) => {
      // A start key of the right shape that still does not fit the query (a hand-made cursor): the caller's mistake.
      if (page.cursor && (error as Error).name === 'ValidationException') throw invalidCursor();
      throw error;
    });
    const items = (result.Items ?? []).map((item) => withoutKeys<T>(item));
    return result.LastEvaluatedKey ? { items, nextCursor: encodeCursor(result.LastEvaluatedKey, input) } : { items };
  }
}

/** Waits before asking again for what DynamoDB left unprocessed; gives up (throws) after 8 tries. */
const backoff = async (attempt: number): Promise<void> => {
  if (attempt > 8) throw Object.assign(new Error('DynamoDB kept leaving batch requests unprocessed.'), { name: 'ProvisionedThroughputExceededException' });
  await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
};

const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;

/** True when a transaction failed because one of its conditions did not hold (not throttling or conflicts). */
export const isTransactionConditionFailure = (error: unknown): boolean =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed');
