/**
 * The single table's key schema, shared by the CDK Data construct and the local stack's CreateTable so the two
 * can never drift. What the keys hold, family by family (every access pattern a GetItem or a Query, never a Scan), is
 * `keyMap` in keys.ts: the key functions every adapter uses, and their documentation as data, tested against them.
 */
export const tableKeys = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Attribute holding the epoch-seconds TTL; a backstop only, never the deletion mechanism (DESIGN §5.4). */
  ttlAttribute: 'expiresAtEpoch',
} as const;

export interface GlobalIndex {
  indexName: string;
  partitionKey: string;
  sortKey: string;
}

export const globalIndexes: readonly GlobalIndex[] = [
  { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
];
