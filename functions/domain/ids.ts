import { randomUUID } from 'node:crypto';

/** Opaque ids for our own records. UUIDs: unguessable, no ordering leaks, safe in URLs. */
export const newId = (): string => randomUUID();

/**
 * Ids that arrive in paths: reject anything that is not a plain token before it reaches a key expression.
 * Share tokens are base64url, so `-` and `_` may come first.
 */
export const idPattern = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
