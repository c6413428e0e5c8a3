import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { newId } from '#domain/ids';
import { emptyBitstring, randomStatusIndex, statusListSize } from '#domain/status-list';
import type { StatusList, StatusListStore, StatusSlot } from '#ports/store';
import { isConditionFailure, type Table } from './table';

const currentPointer = (issuerId: string) => ({ pk: `STATUSLIST#CURRENT#${issuerId}`, sk: 'CURRENT' });
const listKey = (listId: string) => ({ pk: `STATUSLIST#${listId}`, sk: 'LIST' });
/** The allocation counter lives apart from the 16 KiB bits: writes are billed by item size. */
const counterKey = (listId: string) => ({ pk: `STATUSLIST#${listId}`, sk: 'COUNTER' });
const slotKey = (slot: StatusSlot) => ({ pk: `STATUSLIST#${slot.listId}`, sk: `SLOT#${slot.index}` });

/** Collisions are retried with a new random index; a list is rotated at half full, long before this many misses. */
const maxAttempts = 64;
const pointerMemoryMs = 5_000;

interface ListItem {
  listId: string;
  issuerId: string;
  version: number;
  bits: Uint8Array;
  credential?: Record<string, unknown>;
  credentialVersion?: number;
}

export const dynamoStatusLists = (
  table: Table,
  size: number = statusListSize,
  /**
   * The allocation counter only decides when a list rotates, so it moves by `counterStep` with probability
   * 1/`counterStep`: an unbiased count for a fraction of the writes (16 for a standard list: rotation lands within
   * about ±1,000 of 65,536). Lists too small for that count every allocation.
   */
  counterStep: number = Math.max(1, Math.floor(size / 8_192)),
): StatusListStore => {
  /** Half the list: 65,536 credentials share a list (herd privacy) while a random slot is free at least half the time. */
  const fillTarget = Math.floor(size / 2);
  // Not for secrecy: which allocations move the counter only needs to be unpredictable enough to average out.
  const movesCounter = () => counterStep === 1 || Math.random() * counterStep < 1;
  const readPointer = async (issuerId: string): Promise<string | undefined> => {
    const { Item } = await table.client.send(new GetCommand({ TableName: table.name, Key: currentPointer(issuerId), ConsistentRead: true }));
    return Item?.['listId'] as string | undefined;
  };
  /**
   * Each issuer's current list as this process last saw it, for a few seconds: every issue needs it. A list another
   * process has just rotated away from still takes a few more credentials, harmlessly (it rotates at half full).
   */
  const seenPointers = new Map<string, { listId: string; until: number }>();
  /** One lookup per issuer at a time: concurrent first issues would otherwise each open a list (16 KiB each). */
  const lookups = new Map<string, Promise<string>>();
  const currentList = async (issuerId: string): Promise<string> => {
    const seen = seenPointers.get(issuerId);
    if (seen && seen.until > Date.now()) return seen.listId;
    let lookup = lookups.get(issuerId);
    if (!lookup) {
      lookup = (async () => (await readPointer(issuerId)) ?? (await openNewList(issuerId, undefined)))().finally(() => lookups.delete(issuerId));
      lookups.set(issuerId, lookup);
    }
    const listId = await lookup;
    seenPointers.set(issuerId, { listId, until: Date.now() + pointerMemoryMs });
    return listId;
  };

  /** Creates a list and points the issuer's CURRENT at it, unless another writer already moved CURRENT on. */
  const openNewList = async (issuerId: string, full: string | undefined): Promise<string> => {
    if (full) {
      const current = await readPointer(issuerId);
      if (current && current !== full) return current; // rotated already
    }
    const listId = newId();
    await table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table.name, Item: { ...listKey(listId), entity: 'statusList', listId, issuerId, version: 0, bits: emptyBitstring(size) } } },
          { Put: { TableName: table.name, Item: { ...counterKey(listId), size, allocated: 0 } } },
        ],
      }),
    );
    try {
      await table.client.send(
        new PutCommand({
          TableName: table.name,
          Item: { ...currentPointer(issuerId), listId },
          ConditionExpression: full ? 'listId = :full' : 'attribute_not_exists(pk)',
          ...(full ? { ExpressionAttributeValues: { ':full': full } } : {}),
        }),
      );
      return listId;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Someone else opened one first: use theirs (the empty list made here stays unused and harmless).
      return (await readPointer(issuerId)) ?? listId;
    }
  };

  return {
    async allocate(issuerId, credentialId) {
      const listId = await currentList(issuerId);
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const slot = { listId, index: randomStatusIndex(size) };
        try {
          await table.client.send(
            new PutCommand({ TableName: table.name, Item: { ...slotKey(slot), credentialId }, ConditionExpression: 'attribute_not_exists(pk)' }),
          );
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
          continue; // that random slot was taken; draw again
        }
        if (!movesCounter()) return slot;
        const { Attributes } = await table.client.send(
          new UpdateCommand({
            TableName: table.name,
            Key: counterKey(listId),
            UpdateExpression: 'ADD allocated :step',
            ExpressionAttributeValues: { ':step': counterStep },
            ReturnValues: 'UPDATED_NEW',
          }),
        );
        // Past the fill target, new credentials go to a fresh list: random draws stay cheap (≤ 2 tries on average).
        // The count that crosses the target rotates (and, should it die first, each that crosses another 1,024).
        const allocated = Number(Attributes?.['allocated'] ?? 0);
        const band = (count: number) => Math.floor((count - fillTarget) / 1_024);
        if (allocated >= fillTarget && band(allocated - counterStep) < band(allocated)) {
          seenPointers.set(issuerId, { listId: await openNewList(issuerId, listId), until: Date.now() + pointerMemoryMs });
        }
        return slot;
      }
      throw new Error('Could not allocate a status list slot.');
    },

    async release(slot) {
      await table.client.send(new DeleteCommand({ TableName: table.name, Key: slotKey(slot) }));
      if (!movesCounter()) return;
      await table.client.send(
        new UpdateCommand({ TableName: table.name, Key: counterKey(slot.listId), UpdateExpression: 'ADD allocated :minus', ExpressionAttributeValues: { ':minus': -counterStep } }),
      );
    },

    async get(listId) {
      const { Item } = await table.client.send(new GetCommand({ TableName: table.name, Key: listKey(listId), ConsistentRead: true }));
      if (!Item) return undefined;
      const item = Item as unknown as ListItem;
      const list: StatusList = { listId: item.listId, issuerId: item.issuerId, bits: new Uint8Array(item.bits), version: item.version };
      if (item.credential && item.credentialVersion !== undefined) {
        list.credential = item.credential;
        list.credentialVersion = item.credentialVersion;
      }
      return list;
    },

    async saveBits(listId, bits, expectedVersion, credential) {
      try {
        await table.client.send(
          new UpdateCommand({
            TableName: table.name,
            Key: listKey(listId),
            UpdateExpression: credential
              ? 'SET bits = :bits, version = :next, credential = :credential, credentialVersion = :next'
              : 'SET bits = :bits, version = :next REMOVE credential, credentialVersion',
            ConditionExpression: 'version = :seen',
            ExpressionAttributeValues: { ':bits': bits, ':next': expectedVersion + 1, ':seen': expectedVersion, ...(credential ? { ':credential': credential } : {}) },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async saveCredential(listId, credential, forVersion) {
      try {
        await table.client.send(
          new UpdateCommand({
            TableName: table.name,
            Key: listKey(listId),
            UpdateExpression: 'SET credential = :credential, credentialVersion = :version',
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':credential': credential, ':version': forVersion },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error; // the bits moved on; the next reader signs the newer version
      }
    },
  };
};
