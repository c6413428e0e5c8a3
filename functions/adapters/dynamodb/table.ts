import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { invalid } from '#domain/errors';
import type { Page, PageRequest } from '#ports/store';

type Item = Record<string, unknown>;

const keyAttributes = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'entity', 'expiresAtEpoch']);

/** An item without its key attributes: the entity as the domain knows it. */
export const withoutKeys = <T>(item: Item): T =>
  Object.fromEntries(Object.entries(item).filter(([name]) => !keyAttributes.has(name))) as T;

const encodeCursor = (key: Item): string => Buffer.from(JSON.stringify(key)).toString('base64url');

const decodeCursor = (cursor: string): Item => {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (key && typeof key === 'object' && !Array.isArray(key)) return key as Item;
  } catch {
    // fall through to the clear error below
  }
  throw invalid('The cursor is not one this API gave out.', [{ field: 'cursor', message: 'invalid cursor' }]);
};

/** The table and the few operations every repository shares. */
export class Table {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  async get<T>(pk: string, sk: string): Promise<T | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.name, Key: { pk, sk } }));
    return Item ? withoutKeys<T>(Item) : undefined;
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

  /** How many items a query matches, read consistently, page after page (only counts cross the wire). */
  async count(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Select' | 'ConsistentRead'>): Promise<number> {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new QueryCommand({ ...input, TableName: this.name, Select: 'COUNT', ConsistentRead: true, ExclusiveStartKey: startKey }));
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
  }

  async page<T>(input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>, page: PageRequest): Promise<Page<T>> {
    const result = await this.client.send(
      new QueryCommand({
        ...input,
        TableName: this.name,
        Limit: page.limit,
        ...(page.cursor ? { ExclusiveStartKey: decodeCursor(page.cursor) } : {}),
      }),
    );
    const items = (result.Items ?? []).map((item) => withoutKeys<T>(item));
    return result.LastEvaluatedKey ? { items, nextCursor: encodeCursor(result.LastEvaluatedKey) } : { items };
  }
}

export const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;

/** True when a transaction failed because one of its conditions did not hold (not throttling or conflicts). */
export const isTransactionConditionFailure = (error: unknown): boolean =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed');
