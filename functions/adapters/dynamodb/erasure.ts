import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DeletionReceipt } from '#domain/records';
import type { LearnerErasure } from '#ports/store';
import { auditEntryPrefix, auditPartition, credentialKey, deletionReceiptKey, type ItemKey, learnerPartition, tombstoneKey } from './keys';
import { type Table, withoutKeys } from './table';

/** The key of every item in these partitions. */
const keysIn = async (table: Table, partitions: string[]): Promise<ItemKey[]> => {
  const keys: ItemKey[] = [];
  for (const pk of partitions) {
    for await (const key of table.queryKeys({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }))
      keys.push(key);
  }
  return keys;
};

export const dynamoErasure = (table: Table): LearnerErasure => ({
  async deleteLearnerPartition(learnerId) {
    // The learner's own partition and their audit trail's.
    const keys = await keysIn(table, [learnerPartition(learnerId), auditPartition(learnerId)]);
    await table.writeAll(keys.map((key) => ({ delete: key })));
    return { auditEntries: keys.filter((key) => key.sk.startsWith(auditEntryPrefix)).length };
  },

  async deleteCredentialItems(credentials) {
    const keys = await keysIn(
      table,
      credentials.map(({ id }) => credentialKey(id).pk),
    );
    await table.writeAll(keys.map((key) => ({ delete: key })));
  },

  async putTombstone(learnerHash, deletedAt, receiptId) {
    await table.client.send(
      new PutCommand({ TableName: table.name, Item: { ...tombstoneKey(learnerHash), entity: 'tombstone', deletedAt, receiptId } }),
    );
  },

  async getTombstones(learnerHashes) {
    const found = await table.getMany<{ deletedAt: string; receiptId: string }>(learnerHashes.map(tombstoneKey));
    return new Map(
      learnerHashes.flatMap((hash, i) =>
        found[i] ? [[hash, { deletedAt: found[i].deletedAt, receiptId: found[i].receiptId }] as const] : [],
      ),
    );
  },

  async getTombstone(learnerHash) {
    const { Item } = await table.client.send(new GetCommand({ TableName: table.name, Key: tombstoneKey(learnerHash) }));
    return Item ? { deletedAt: Item['deletedAt'] as string, receiptId: Item['receiptId'] as string } : undefined;
  },

  async clearTombstone(learnerHash) {
    await table.client.send(new DeleteCommand({ TableName: table.name, Key: tombstoneKey(learnerHash) }));
  },

  async putReceipt(receipt) {
    await table.client.send(
      new PutCommand({ TableName: table.name, Item: { ...deletionReceiptKey(receipt.id), entity: 'deletionReceipt', ...receipt } }),
    );
  },

  async getReceipt(id) {
    const { Item } = await table.client.send(new GetCommand({ TableName: table.name, Key: deletionReceiptKey(id) }));
    return Item ? withoutKeys<DeletionReceipt>(Item) : undefined;
  },
});
