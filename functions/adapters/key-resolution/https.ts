/**
 * The KeyResolver that looks documents up on the web: did:web and `https://` controller documents, and `https://`
 * status lists, every one through the guarded fetcher (guarded-fetch.ts: public addresses only, redirects re-checked,
 * body cut at 256 KiB, one deadline, the verification's fetch budget). An in-memory cache per Lambda execution
 * environment: successes for 5 minutes — status lists for 1 minute, so a revocation reaches us quickly — and "not
 * found" for 1 minute; failures are not cached. Module scope in the handler, so the cache lives as long as the
 * environment does.
 */
import { LRUCache } from 'lru-cache';
import { didWebUrl } from '#domain/verify/controller';
import { type FetchBudget, type JsonDocument, type KeyResolver, ResolutionError } from '#ports/key-resolver';
import { createGuardedFetch, FetchFailure, type GuardedFetch } from './guarded-fetch';

export interface HttpsKeyResolverOptions {
  /** The guarded fetcher (tests inject one with their own address policy and trust root). */
  fetch?: GuardedFetch;
  controllerTtlMs?: number;
  statusTtlMs?: number;
  notFoundTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/** A document, or that there is none (a 404 is kept too, for a shorter while). */
type Entry = { document: JsonDocument | undefined };

const isObject = (value: unknown): value is JsonDocument => typeof value === 'object' && value !== null && !Array.isArray(value);

export const createHttpsKeyResolver = (options: HttpsKeyResolverOptions = {}): KeyResolver => {
  const fetchDocument = options.fetch ?? createGuardedFetch();
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 500;
  const cache = new LRUCache<string, Entry>({
    max: maxEntries,
    ttl: options.controllerTtlMs ?? 300_000,
    ttlResolution: 0,
    ttlAutopurge: false,
    perf: { now },
  });
  const inFlight = new Map<string, Promise<JsonDocument | undefined>>();

  const get = async (url: string, accept: string, budget: FetchBudget | undefined): Promise<JsonDocument | undefined> => {
    let bytes: Uint8Array;
    try {
      bytes = await fetchDocument(url, { accept, ...(budget ? { budget } : {}) });
    } catch (error) {
      if (error instanceof FetchFailure && error.kind === 'not-found') return undefined;
      throw new ResolutionError(url, error instanceof FetchFailure ? error.kind : 'network');
    }
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new ResolutionError(url, 'not JSON');
    }
    if (!isObject(json)) throw new ResolutionError(url, 'not a JSON object');
    return json;
  };

  const cached = async (key: string, ttlMs: number, load: () => Promise<JsonDocument | undefined>) => {
    const hit = cache.get(key);
    if (hit) return hit.document;
    const pending = inFlight.get(key);
    if (pending) return pending;
    const promise = load()
      .then((document) => {
        cache.set(key, { document }, { ttl: document ? ttlMs : (options.notFoundTtlMs ?? 60_000) });
        return document;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, promise);
    return promise;
  };

  return {
    resolveController: (id, budget) => {
      const url = id.startsWith('did:web:') ? didWebUrl(id) : id.startsWith('https://') ? id : undefined;
      if (!url) return Promise.reject(new ResolutionError(id, 'Merit resolves did:web and https controllers only'));
      return cached(`controller ${id}`, options.controllerTtlMs ?? 300_000, () =>
        get(url, 'application/did+json, application/did+ld+json, application/json', budget),
      );
    },
    resolveStatus: (url, budget) =>
      cached(`status ${url}`, options.statusTtlMs ?? 60_000, () =>
        get(url, 'application/vc+ld+json, application/ld+json, application/json', budget),
      ),
  };
};
