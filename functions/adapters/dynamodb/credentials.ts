import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CredentialRecord, CredentialStore } from '#ports/store';
import { isConditionFailure, isTransactionConditionFailure, type Table } from './table';

const idempotencyGuard = (key: string) => ({ pk: `IDEMPOTENCY#${key}`, sk: 'IDEMPOTENCY' });

export const dynamoCredentials = (table: Table): CredentialStore => {
  const getIdByIdempotencyKey = async (key: string) =>
    (await table.get<{ credentialId: string }>(idempotencyGuard(key).pk, 'IDEMPOTENCY'))?.credentialId;

  return {
    getIdByIdempotencyKey,

    async createOnce(record) {
      try {
        await table.client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: table.name,
                  Item: { ...idempotencyGuard(record.idempotencyKey), credentialId: record.id, learnerId: record.learnerId },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: table.name,
                  Item: {
                    pk: `CRED#${record.id}`,
                    sk: 'CRED',
                    entity: 'credential',
                    gsi1pk: `LEARNER#${record.learnerId}#CREDS`,
                    gsi1sk: `${record.issuedAt}#${record.id}`,
                    ...(record.validUntil ? { gsi2pk: `EXPIRES#${record.validUntil.slice(0, 7)}`, gsi2sk: `${record.validUntil}#${record.id}` } : {}),
                    ...record,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        return { created: true };
      } catch (error) {
        if (!isTransactionConditionFailure(error)) throw error;
        const existingId = await getIdByIdempotencyKey(record.idempotencyKey);
        if (!existingId) throw error;
        return { created: false, existingId };
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

    async completePending(id, credential) {
      try {
        await table.client.send(
          new UpdateCommand({
            TableName: table.name,
            Key: { pk: `CRED#${id}`, sk: 'CRED' },
            UpdateExpression: 'SET #state = :issued, credential = :credential REMOVE unsigned',
            ConditionExpression: '#state = :pending',
            ExpressionAttributeNames: { '#state': 'state' },
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
  };
};
