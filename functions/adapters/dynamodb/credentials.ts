import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CredentialRecord as Row } from '#ports/store';
import type { CredentialRecord, CredentialStore } from '#ports/store';
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

/** The credential item with its keys: by id; by learner in issue order (gsi1); by expiry month (gsi2). */
export const credentialItem = (record: Row) => ({
  pk: `CRED#${record.id}`,
  sk: 'CRED',
  entity: 'credential',
  gsi1pk: `LEARNER#${record.learnerId}#CREDS`,
  gsi1sk: `${record.issuedAt}#${record.id}`,
  ...(record.validUntil ? { gsi2pk: `EXPIRES#${record.validUntil.slice(0, 7)}`, gsi2sk: `${record.validUntil}#${record.id}` } : {}),
  ...record,
});

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

  get: (id) => table.get<CredentialRecord>(`CRED#${id}`, 'CRED'),

  listByLearner: (learnerId, page) =>
    table.page<CredentialRecord>(
      {
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `LEARNER#${learnerId}#CREDS` },
        ScanIndexForward: true,
      },
      page,
    ),

  async *listExpiring(fromIso, toIso) {
    for (const month of monthsBetween(fromIso, toIso)) {
      const rows = table.queryAll<Row>({
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :month AND gsi2sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':month': `EXPIRES#${month}`, ':from': fromIso, ':to': toIso },
      });
      for await (const row of rows) if (row.validUntil && row.validUntil >= fromIso && row.validUntil < toIso) yield row;
    }
  },

  allByLearner: (learnerId) =>
    table.queryAll<Row>({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `LEARNER#${learnerId}#CREDS` },
    }),

  async markSuperseded(id, byId) {
    await table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: { pk: `CRED#${id}`, sk: 'CRED' },
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
          Key: { pk: `CRED#${id}`, sk: 'CRED' },
          UpdateExpression: 'SET #state = :issued, credential = :credential REMOVE #unsigned',
          ConditionExpression: '#state = :pending',
          ExpressionAttributeNames: { '#state': 'state', '#unsigned': 'unsigned' },
          ExpressionAttributeValues: { ':issued': 'issued', ':pending': 'pending_consent', ':credential': credential },
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
        Key: { pk: `CRED#${id}`, sk: 'CRED' },
        UpdateExpression: 'SET #state = :revoked, revocation = :revocation',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':revoked': 'revoked', ':revocation': revocation },
      }),
    );
  },
});
