import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LRUCache } from 'lru-cache';
import { newId } from '#domain/ids';
import type { StatusList } from '#domain/records';
import { emptyBitstring, randomStatusBlock, statusBlockSize, statusIndexAt, statusListSize } from '#domain/status-list';
import type { StatusListStore } from '#ports/store';
import { currentStatusListKey, statusBlockKey, statusListCounterKey, statusListKey } from './keys';
import type { Table } from './table';

/** Taken blocks are retried with another random one; a list is rotated at half full, long before this many misses. */
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

/** A block this process claimed: the positions it has not handed out yet. */
interface OpenBlock {
  listId: string;
  key: Uint8Array;
  first: number;
  next: number;
}

/**
 * Status indices are allocated at random with conditional writes (DESIGN §2), a block of positions per write: this
 * process claims a random block of the issuer's current list (`BLOCK#<n>`, only if absent) and hands out its positions
 * one per credential, each mapped through the list's secret permutation (statusIndexAt) to an index anywhere in the
 * list. Two processes never share a block, so indices never collide; positions of a block a process did not use
 * (it stopped, or a credential lost an idempotency race) stay unused, like any other clear bit.
 */
export const dynamoStatusLists = (table: Table, size: number = statusListSize): StatusListStore => {
  const blockSize = statusBlockSize(size);
  const blocks = Math.floor(size / blockSize);
  /** Half the list: 65,536 credentials share a list (herd privacy) while a random block is free at least half the time. */
  const fillTarget = Math.floor(blocks / 2);
  const readPointer = async (issuerId: string): Promise<string | undefined> => {
    const { Item } = await table.client.send(
      new GetCommand({ TableName: table.name, Key: currentStatusListKey(issuerId), ConsistentRead: true }),
    );
    return Item?.['listId'] as string | undefined;
  };
  /**
   * Each issuer's current list as this process last saw it, for a few seconds: every issue needs it. A list another
   * process has just rotated away from still takes a few more credentials, harmlessly (it rotates at half full).
   */
  const seenPointers = new LRUCache<string, string>({ max: 1_000, ttl: pointerMemoryMs, ttlAutopurge: false });
  /** One lookup per issuer at a time: concurrent first issues would otherwise each open a list (16 KiB each). */
  const lookups = new Map<string, Promise<string>>();
  const currentList = async (issuerId: string): Promise<string> => {
    const seen = seenPointers.get(issuerId);
    if (seen) return seen;
    let lookup = lookups.get(issuerId);
    if (!lookup) {
      lookup = (async () => (await readPointer(issuerId)) ?? (await openNewList(issuerId, undefined)))().finally(() =>
        lookups.delete(issuerId),
      );
      lookups.set(issuerId, lookup);
    }
    const listId = await lookup;
    seenPointers.set(issuerId, listId);
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
          {
            Put: {
              TableName: table.name,
              Item: { ...statusListKey(listId), entity: 'statusList', listId, issuerId, version: 0, bits: emptyBitstring(size) },
            },
          },
          {
            Put: {
              TableName: table.name,
              Item: { ...statusListCounterKey(listId), size, claimedBlocks: 0, permutationKey: randomBytes(32) },
            },
          },
        ],
      }),
    );
    const pointed = await table.sendIf(
      new PutCommand({
        TableName: table.name,
        Item: { ...currentStatusListKey(issuerId), listId },
        ConditionExpression: full ? 'listId = :full' : 'attribute_not_exists(pk)',
        ...(full ? { ExpressionAttributeValues: { ':full': full } } : {}),
      }),
    );
    // Someone else opened one first: use theirs (the empty list made here stays unused and harmless).
    return pointed ? listId : ((await readPointer(issuerId)) ?? listId);
  };

  /** Lists' permutation keys (they never change), read once per process. */
  const keys = new Map<string, Promise<Uint8Array | undefined>>();
  const permutationKey = (listId: string): Promise<Uint8Array | undefined> => {
    let key = keys.get(listId);
    if (!key) {
      key = table.client
        .send(new GetCommand({ TableName: table.name, Key: statusListCounterKey(listId), ConsistentRead: true }))
        .then(({ Item }) => (Item?.['permutationKey'] ? new Uint8Array(Item['permutationKey'] as Uint8Array) : undefined));
      keys.set(listId, key);
      key.catch(() => keys.delete(listId));
    }
    return key;
  };

  /** Claims a random free block of the issuer's current list; rotates the list when the claim crosses its fill target. */
  const claimBlock = async (issuerId: string): Promise<OpenBlock> => {
    const listId = await currentList(issuerId);
    const key = await permutationKey(listId);
    if (!key) {
      // A list from before block allocation (no permutation key): new credentials go to a new list.
      seenPointers.set(issuerId, await openNewList(issuerId, listId));
      return claimBlock(issuerId);
    }
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const block = randomStatusBlock(size);
      const ours = await table.sendIf(
        new PutCommand({
          TableName: table.name,
          Item: { ...statusBlockKey(listId, block) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      if (!ours) continue; // that random block was taken; draw again
      const { Attributes } = await table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: statusListCounterKey(listId),
          UpdateExpression: 'ADD claimedBlocks :one',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      // Past the fill target, new blocks come from a fresh list: random draws stay cheap (≤ 2 tries on average).
      // The claim that reaches the target rotates (and, should it die first, every 16th claim after it).
      const claimed = Number(Attributes?.['claimedBlocks'] ?? 0);
      if (claimed >= fillTarget && (claimed - fillTarget) % 16 === 0) {
        seenPointers.set(issuerId, await openNewList(issuerId, listId));
      }
      return { listId, key, first: block * blockSize, next: 0 };
    }
    throw new Error('Could not claim a status list block.');
  };

  /** The block each issuer's credentials take positions from in this process, and the claim under way. */
  const openBlocks = new Map<string, OpenBlock>();
  const claims = new Map<string, Promise<OpenBlock>>();

  return {
    async allocate(issuerId) {
      for (;;) {
        const open = openBlocks.get(issuerId);
        if (open && open.next < blockSize) {
          const position = open.first + open.next++;
          return { listId: open.listId, index: statusIndexAt(open.key, size, position) };
        }
        let claim = claims.get(issuerId);
        if (!claim) {
          claim = claimBlock(issuerId).finally(() => claims.delete(issuerId));
          claims.set(issuerId, claim);
          openBlocks.set(issuerId, await claim);
        } else {
          await claim;
        }
      }
    },

    async get(listId) {
      const { Item } = await table.client.send(new GetCommand({ TableName: table.name, Key: statusListKey(listId), ConsistentRead: true }));
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
      return table.sendIf(
        new UpdateCommand({
          TableName: table.name,
          Key: statusListKey(listId),
          UpdateExpression: credential
            ? 'SET bits = :bits, version = :next, credential = :credential, credentialVersion = :next'
            : 'SET bits = :bits, version = :next REMOVE credential, credentialVersion',
          ConditionExpression: 'version = :seen',
          ExpressionAttributeValues: {
            ':bits': bits,
            ':next': expectedVersion + 1,
            ':seen': expectedVersion,
            ...(credential ? { ':credential': credential } : {}),
          },
        }),
      );
    },

    async saveCredential(listId, credential, forVersion) {
      // Not saved when the bits moved on: the next reader signs the newer version.
      await table.sendIf(
        new UpdateCommand({
          TableName: table.name,
          Key: statusListKey(listId),
          UpdateExpression: 'SET credential = :credential, credentialVersion = :version',
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':credential': credential, ':version': forVersion },
        }),
      );
    },
  };
};
