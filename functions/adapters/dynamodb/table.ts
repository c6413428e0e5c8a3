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
import type { ItemKey } from './keys';

type Item = Record<string, unknown>;

const keyAttributes = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'entity', 'expiresAtEpoch']);

/** An item without its key attributes: the entity as the domain knows it. */
export const withoutKeys = <T>(item: Item): T => Object.fromEntries(Object.entries(item).filter(([name]) => !keyAttributes.has(name))) as T;

type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>;

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

  async get<T>(key: ItemKey): Promise<T | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.name, Key: { pk: key.pk, sk: key.sk } }));
    return Item ? withoutKeys<T>(Item) : undefined;
  }

  /**
   * The items at these keys, in their order (undefined where absent), read in BatchGetItem calls of 100 keys; keys
   * DynamoDB leaves unprocessed (throttling) are asked again with backoff.
   */
  async getMany<T>(keys: ReadonlyArray<ItemKey>, options: { consistent?: boolean } = {}): Promise<Array<T | undefined>> {
    const found = new Map<string, T>();
    const keyOf = (key: { pk: unknown; sk: unknown }) => `${String(key.pk)}\u0000${String(key.sk)}`;
    const unique = [...new Map(keys.map((key) => [keyOf(key), { pk: key.pk, sk: key.sk }])).values()];
    for (let start = 0; start < unique.length; start += 100) {
      await sendUntilProcessed<Item>(unique.slice(start, start + 100), async (pending) => {
        const answer = await this.client.send(
          new BatchGetCommand({
            RequestItems: { [this.name]: { Keys: pending, ...(options.consistent ? { ConsistentRead: true } : {}) } },
          }),
        );
        for (const item of answer.Responses?.[this.name] ?? [])
          found.set(keyOf(item as { pk: unknown; sk: unknown }), withoutKeys<T>(item));
        return answer.UnprocessedKeys?.[this.name]?.Keys ?? [];
      });
    }
    return keys.map((key) => found.get(keyOf(key)));
  }

  /** Puts and deletes in BatchWriteItem calls of 25 (no conditions); unprocessed ones are sent again with backoff. */
  async writeAll(requests: ReadonlyArray<{ put: Item } | { delete: ItemKey }>): Promise<void> {
    for (let start = 0; start < requests.length; start += 25) {
      const batch = requests
        .slice(start, start + 25)
        .map((request) => ('put' in request ? { PutRequest: { Item: request.put } } : { DeleteRequest: { Key: { ...request.delete } } }));
      await sendUntilProcessed<Item>(batch, async (pending) => {
        const answer = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.name]: pending } }));
        return (answer.UnprocessedItems?.[this.name] ?? []) as Item[];
      });
    }
  }

  /** Every item a query matches, page after page (callers bound the query; a partition or an index range). */
  async *queryAll<T>(input: QueryInput): AsyncGenerator<T> {
    for await (const item of this.queryItems(input)) yield withoutKeys<T>(item);
  }

  /** The primary key of every item a query matches (deletions: only the keys are read). */
  async *queryKeys(input: Omit<QueryInput, 'ProjectionExpression'>): AsyncGenerator<ItemKey> {
    for await (const item of this.queryItems({ ...input, ProjectionExpression: 'pk, sk' }))
      yield { pk: String(item['pk']), sk: String(item['sk']) };
  }

  private async *queryItems(input: QueryInput): AsyncGenerator<Item> {
    let startKey: Item | undefined;
    do {
      const page = await this.client.send(new QueryCommand({ ...input, TableName: this.name, ExclusiveStartKey: startKey }));
      yield* page.Items ?? [];
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

const maxRetries = 8;

/**
 * Sends a batch request until DynamoDB has processed all of it: what it leaves unprocessed (throttling, size limits)
 * is sent again after an exponential backoff; gives up (throws) after 8 retries. `send` sends the pending requests and
 * answers those left unprocessed. The one retry loop of every BatchGetItem and BatchWriteItem.
 */
export const sendUntilProcessed = async <Request>(requests: Request[], send: (pending: Request[]) => Promise<Request[]>): Promise<void> => {
  let pending = requests;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > maxRetries) {
      throw Object.assign(new Error('DynamoDB kept leaving batch requests unprocessed.'), {
        name: 'ProvisionedThroughputExceededException',
      });
    }
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
    pending = await send(pending);
  }
};

const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;

/** True when a transaction failed because one of its conditions did not hold (not throttling or conflicts). */
export const isTransactionConditionFailure = (error: unknown): boolean =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed');
