import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DeletionReceipt } from '#domain/records';
import type { LearnerErasure } from '#ports/store';
import { auditPartition } from './audit';
import { withoutKeys, type Table } from './table';

const tombstoneKey = (learnerHash: string) => ({ pk: `DELETED#${learnerHash}`, sk: 'TOMBSTONE' });
const receiptKey = (id: string) => ({ pk: `RECEIPT#${id}`, sk: 'RECEIPT' });

export const dynamoErasure = (table: Table): LearnerErasure => ({
  async deleteLearnerPartition(learnerId) {
    const keys: Array<{ pk: string; sk: string }> = [];
    // The learner's own partition and their audit trail's.
    for (const pk of [`LEARNER#${learnerId}`, auditPartition(learnerId)]) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await table.client.send(
          new QueryCommand({
            TableName: table.name,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            ProjectionExpression: 'pk, sk',
            ExclusiveStartKey: startKey,
          }),
        );
        keys.push(...((page.Items ?? []) as Array<{ pk: string; sk: string }>));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    await table.writeAll(keys.map((key) => ({ delete: key })));
    return { auditEntries: keys.filter((key) => key.sk.startsWith('AUDIT#')).length };
  },

  async deleteCredentialItems(credentials) {
    const keys: Array<{ pk: string; sk: string }> = [];
    for (const { id } of credentials) {
      const page = await table.client.send(
        new QueryCommand({ TableName: table.name, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `CRED#${id}` }, ProjectionExpression: 'pk, sk' }),
      );
      keys.push(...((page.Items ?? []) as Array<{ pk: string; sk: string }>));
    }
    await table.writeAll(keys.map((key) => ({ delete: key })));
  },

  async putTombstone(learnerHash, deletedAt, receiptId) {
    await table.client.send(new PutCommand({ TableName: table.name, Item: { ...tombstoneKey(learnerHash), entity: 'tombstone', deletedAt, receiptId } }));
  },

  async getTombstones(learnerHashes) {
    const found = await table.getMany<{ deletedAt: string; receiptId: string }>(learnerHashes.map(tombstoneKey));
    return new Map(learnerHashes.flatMap((hash, i) => (found[i] ? [[hash, { deletedAt: found[i].deletedAt, receiptId: found[i].receiptId }] as const] : [])));
  },

  async getTombstone(learnerHash) {
    const { Item } = await table.client.send(new GetCommand({ TableName: table.name, Key: tombstoneKey(learnerHash) }));
    return Item ? { deletedAt: Item['deletedAt'] as string, receiptId: Item['receiptId'] as string } : undefined;
  },

  async clearTombstone(learnerHash) {
    await table.client.send(new DeleteCommand({ TableName: table.name, Key: tombstoneKey(learnerHash) }));
  },

  async putReceipt(receipt) {
    await table.client.send(new PutCommand({ TableName: table.name, Item: { ...receiptKey(receipt.id), entity: 'deletionReceipt', ...receipt } }));
  },

  async getReceipt(id) {
    const { Item } = await table.client.send(new GetCommand({ TableName: table.name, Key: receiptKey(id) }));
    return Item ? withoutKeys<DeletionReceipt>(Item) : undefined;
  },
});
