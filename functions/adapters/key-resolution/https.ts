/**
 * The KeyResolver that looks documents up on the web: did:web and `https://` controller documents, and `https://`
 * status lists. Short timeout (3 s), size limit (256 KiB), HTTPS only, no redirects to other schemes, and an
 * in-memory cache per Lambda execution environment (successes for 5 minutes — status lists for 1 minute, so a
 * revocation reaches us quickly — and "not found" for 1 minute). Module scope in the handler, so the cache lives as
 * long as the environment does.
 */
import { didWebUrl } from '#domain/verify/controller';
import { ResolutionError, type JsonDocument, type KeyResolver } from '#ports/key-resolver';

export interface HttpsKeyResolverOptions {
  /** Injected in tests; the global fetch otherwise. */
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  maxBytes?: number;
  controllerTtlMs?: number;
  statusTtlMs?: number;
  notFoundTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

type Entry = { expires: number; document: JsonDocument | undefined };

const isObject = (value: unknown): value is JsonDocument => typeof value === 'object' && value !== null && !Array.isArray(value);

export const createHttpsKeyResolver = (options: HttpsKeyResolverOptions = {}): KeyResolver => {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 3000;
  const maxBytes = options.maxBytes ?? 256 * 1024;
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 500;
  const cache = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<JsonDocument | undefined>>();

  const get = async (url: string, accept: string): Promise<JsonDocument | undefined> => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ResolutionError(url, 'not a URL');
    }
    if (parsed.protocol !== 'https:') throw new ResolutionError(url, 'only HTTPS addresses are fetched');
    let response: Response;
    try {
      response = await fetchImpl(parsed.href, { headers: { accept }, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
      throw new ResolutionError(url, timedOut ? `no answer within ${timeoutMs / 1000} s` : 'the server could not be reached');
    }
    if (response.url && !response.url.startsWith('https://')) throw new ResolutionError(url, 'redirected away from HTTPS');
    if (response.status === 404 || response.status === 410) return undefined;
    if (!response.ok) throw new ResolutionError(url, `the server answered ${response.status}`);
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxBytes) throw new ResolutionError(url, 'the document is too large');
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > maxBytes) throw new ResolutionError(url, 'the document is too large');
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new ResolutionError(url, 'the answer is not JSON');
    }
    if (!isObject(json)) throw new ResolutionError(url, 'the answer is not a JSON object');
    return json;
  };

  const cached = async (key: string, ttlMs: number, load: () => Promise<JsonDocument | undefined>) => {
    const hit = cache.get(key);
    if (hit && hit.expires > now()) return hit.document;
    const pending = inFlight.get(key);
    if (pending) return pending;
    const promise = load()
      .then((document) => {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
        cache.set(key, { expires: now() + (document ? ttlMs : (options.notFoundTtlMs ?? 60_000)), document });
        return document;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, promise);
    return promise;
  };

  return {
    resolveController: (id) => {
      const url = id.startsWith('did:web:') ? didWebUrl(id) : id.startsWith('https://') ? id : undefined;
      if (!url) return Promise.reject(new ResolutionError(id, 'Merit resolves did:web and https controllers only'));
      return cached(`controller ${id}`, options.controllerTtlMs ?? 300_000, () => get(url, 'application/did+json, application/did+ld+json, application/json'));
    },
    resolveStatus: (url) => cached(`status ${url}`, options.statusTtlMs ?? 60_000, () => get(url, 'application/vc+ld+json, application/ld+json, application/json')),
  };
};
