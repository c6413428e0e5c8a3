import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants } from 'node:zlib';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CredentialRecord as Row, CredentialStore } from '#ports/store';
import { isConditionFailure, type Table } from './table';

/** The `yyyy-mm` partitions of the expiry index that [from, to) touches. */
const monthsBetween = (fromIso: string, toIso: string): string[] => {
  const months: string[] = [];
  const cursor = new Date(`${fromIso.slice(0, 7)}-01T00:00:00Z`);
  while (cursor.toISOString().slice(0, 7) <= toIso.slice(0, 7)) {
    months.push(cursor.toISOString().slice(0, 7));
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return months;
};

/**
 * The credential JSON is stored Brotli-compressed: writes are billed per KiB (and the learner index copies the item),
 * and a signed Open Badge — contexts, achievement, issuer profile, proof — shrinks to about 40 % of its size.
 */
const compressed = (document: Record<string, unknown>): Uint8Array =>
  brotliCompressSync(JSON.stringify(document), { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 6 } });
const decompressed = (bytes: Uint8Array): Record<string, unknown> => JSON.parse(brotliDecompressSync(bytes).toString('utf8')) as Record<string, unknown>;

const credentialKey = (id: string) => ({ pk: `CRED#${id}`, sk: 'CRED' });

/** The credential item with its keys: by id; by learner in issue order (gsi1); by expiry month (gsi2). */
export const credentialItem = (record: Row) => {
  const { credential, unsigned, ...fields } = record;
  return {
    ...credentialKey(record.id),
    entity: 'credential',
    gsi1pk: `LEARNER#${record.learnerId}#CREDS`,
    gsi1sk: `${record.issuedAt}#${record.id}`,
    ...(record.validUntil ? { gsi2pk: `EXPIRES#${record.validUntil.slice(0, 7)}`, gsi2sk: `${record.validUntil}#${record.id}` } : {}),
    ...fields,
    ...(credential ? { credentialZ: compressed(credential) } : {}),
    ...(unsigned ? { unsignedZ: compressed(unsigned) } : {}),
  };
};

type StoredCredential = Omit<Row, 'credential' | 'unsigned'> & { credentialZ?: Uint8Array; unsignedZ?: Uint8Array };

const recordOf = ({ credentialZ, unsignedZ, ...fields }: StoredCredential): Row => ({
  ...fields,
  ...(credentialZ ? { credential: decompressed(credentialZ) } : {}),
  ...(unsignedZ ? { unsigned: decompressed(unsignedZ) } : {}),
});

const records = async function* (stored: AsyncIterable<StoredCredential>): AsyncGenerator<Row> {
  for await (const item of stored) yield recordOf(item);
};

export const dynamoCredentials = (table: Table): CredentialStore => ({
  async createOnce(record) {
    try {
      await table.client.send(new PutCommand({ TableName: table.name, Item: credentialItem(record), ConditionExpression: 'attribute_not_exists(pk)' }));
      return { created: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { created: false, existingId: record.id };
    }
  },

  async get(id) {
    const { pk, sk } = credentialKey(id);
    const stored = await table.get<StoredCredential>(pk, sk);
    return stored ? recordOf(stored) : undefined;
  },

  listByLearner: async (learnerId, page) => {
    const result = await table.page<StoredCredential>(
      {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `LEARNER#${learnerId}#CREDS` },
        ScanIndexForward: true,
      },
      page,
    );
    return { ...result, items: result.items.map(recordOf) };
  },

  async *listExpiring(fromIso, toIso) {
    for (const month of monthsBetween(fromIso, toIso)) {
      const rows = records(table.queryAll<StoredCredential>({
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :month AND gsi2sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':month': `EXPIRES#${month}`, ':from': fromIso, ':to': toIso },
      }));
      for await (const row of rows) if (row.validUntil && row.validUntil >= fromIso && row.validUntil < toIso) yield row;
    }
  },

  allByLearner: (learnerId) =>
    records(
      table.queryAll<StoredCredential>({
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `LEARNER#${learnerId}#CREDS` },
      }),
    ),

  async markSuperseded(id, byId) {
    await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: credentialKey(id),
        UpdateExpression: 'SET supersededBy = :by',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':by': byId },
      }),
    );
  },

  async completePending(id, credential) {
    try {
      await table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: credentialKey(id),
          UpdateExpression: 'SET #state = :issued, credentialZ = :credential REMOVE unsignedZ',
          ConditionExpression: '#state = :pending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':issued': 'issued', ':pending': 'pending_consent', ':credential': compressed(credential) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  async markRevoked(id, revocation) {
    await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: credentialKey(id),
        UpdateExpression: 'SET #state = :revoked, revocation = :revocation',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':revoked': 'revoked', ':revocation': revocation },
      }),
    );
  },
});
