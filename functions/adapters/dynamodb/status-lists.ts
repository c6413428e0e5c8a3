import { GetCommand, PutCommand, TransactWriteCommand, DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { newId } from '#domain/ids';
import { randomStatusIndex, statusListSize } from '#domain/status-list';
import type { StatusListStore, StatusSlot } from '#ports/store';
import { isConditionFailure, type Table } from './table';

const currentPointer = { pk: 'STATUSLIST', sk: 'CURRENT' };
const listKey = (listId: string) => ({ pk: `STATUSLIST#${listId}`, sk: 'LIST' });
const slotKey = (slot: StatusSlot) => ({ pk: `STATUSLIST#${slot.listId}`, sk: `SLOT#${slot.index}` });

/** Collisions are retried with a new random index; a list this full is rotated long before this many misses. */
const maxAttempts = 64;

export const dynamoStatusLists = (table: Table, size: number = statusListSize): StatusListStore => {
  const currentListId = async (): Promise<string> => {
    const { Item } = await table.client.send(new GetCommand({ TableName: table.name, Key: currentPointer, ConsistentRead: true }));
    if (Item) return Item['listId'] as string;
    return openNewList(undefined);
  };

  /** Creates a list and points CURRENT at it, unless another writer already moved CURRENT on. */
  const openNewList = async (full: string | undefined): Promise<string> => {
    const listId = newId();
    await table.client.send(
      new PutCommand({ TableName: table.name, Item: { ...listKey(listId), entity: 'statusList', listId, size, allocated: 0, version: 0 } }),
    );
    try {
      await table.client.send(
        new PutCommand({
          TableName: table.name,
          Item: { ...currentPointer, listId },
          ConditionExpression: full ? 'listId = :full' : 'attribute_not_exists(pk)',
          ...(full ? { ExpressionAttributeValues: { ':full': full } } : {}),
        }),
      );
      return listId;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Someone else rotated first: use theirs (the empty list we made stays unused and harmless).
      const { Item } = await table.client.send(new GetCommand({ TableName: table.name, Key: currentPointer, ConsistentRead: true }));
      return Item?.['listId'] as string;
    }
  };

  return {
    async allocate(credentialId) {
      let listId = await currentListId();
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const slot = { listId, index: randomStatusIndex(size) };
        try {
          await table.client.send(
            new TransactWriteCommand({
              TransactItems: [
                { Put: { TableName: table.name, Item: { ...slotKey(slot), credentialId }, ConditionExpression: 'attribute_not_exists(pk)' } },
                {
                  Update: {
                    TableName: table.name,
                    Key: listKey(listId),
                    UpdateExpression: 'ADD allocated :one',
                    ConditionExpression: 'allocated < #size',
                    ExpressionAttributeNames: { '#size': 'size' },
                    ExpressionAttributeValues: { ':one': 1 },
                  },
                },
              ],
            }),
          );
          return slot;
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) throw error;
          const [slotReason, listReason] = error.CancellationReasons ?? [];
          if (listReason?.Code === 'ConditionalCheckFailed') listId = await openNewList(listId);
          else if (slotReason?.Code !== 'ConditionalCheckFailed') throw error;
          // else: the random slot was taken; draw again.
        }
      }
      throw new Error('Could not allocate a status list slot.');
    },

    async release(slot) {
      await table.client.send(new DeleteCommand({ TableName: table.name, Key: slotKey(slot) }));
      await table.client.send(
        new UpdateCommand({ TableName: table.name, Key: listKey(slot.listId), UpdateExpression: 'ADD allocated :minus', ExpressionAttributeValues: { ':minus': -1 } }),
      );
    },
  };
};
