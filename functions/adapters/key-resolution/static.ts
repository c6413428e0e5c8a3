/**
 * A KeyResolver over fixed documents: tests inject other issuers' controller documents and status lists through it,
 * so no verification ever makes a network call in a test. Documents are served by the key they are registered under
 * (a controller's id, a status list's URL); anything else is "not found" and recorded in `misses`.
 */
import { type JsonDocument, type KeyResolver, ResolutionError } from '#ports/key-resolver';

export interface StaticKeyResolver extends KeyResolver {
  /** Every id/URL asked for, in order. */
  readonly requested: string[];
  readonly misses: string[];
}

export const staticKeyResolver = (
  documents: { controllers?: Record<string, JsonDocument>; status?: Record<string, JsonDocument>; unreachable?: readonly string[] } = {},
): StaticKeyResolver => {
  const requested: string[] = [];
  const misses: string[] = [];
  const lookup = async (table: Record<string, JsonDocument> | undefined, key: string) => {
    requested.push(key);
    if (documents.unreachable?.includes(key)) throw new ResolutionError(key, 'no answer within 3 s');
    const document = table?.[key];
    if (!document) misses.push(key);
    return document ? structuredClone(document) : undefined;
  };
  return {
    requested,
    misses,
    resolveController: (id) => lookup(documents.controllers, id),
    resolveStatus: (url) => lookup(documents.status, url),
  };
};
