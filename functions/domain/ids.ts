import { createHash, randomUUID } from 'node:crypto';

/** Opaque ids for our own records. UUIDs: unguessable, no ordering leaks, safe in URLs. */
export const newId = (): string => randomUUID();

/**
 * A UUID (version 8: application-defined) derived from `key` — the same key always names the same record, so storing
 * it with "only if absent" is the idempotency check itself, with no separate guard item. Keys are hashes over random
 * ids, so derived ids are as unguessable as random ones.
 */
export const idFromKey = (namespace: string, key: string): string => {
  const bytes = createHash('sha256').update(`${namespace}\n${key}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/**
 * Ids that arrive in paths: reject anything that is not a plain token before it reaches a key expression.
 * Share tokens are base64url, so `-` and `_` may come first.
 */
export const idPattern = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
