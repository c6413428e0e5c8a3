/**
 * The one way the verifier reaches the network (DESIGN §2 "Outbound fetches"): did:web documents, HTTPS controller
 * documents, other issuers' status lists and 1EdTech revocation lists all come through here.
 *
 *  - `https:` only, on every hop;
 *  - the host is resolved once per hop (all its addresses), every address must pass the address policy (public
 *    unicast in production), and the socket is opened to that very address — the request names the checked IP as
 *    its host, so nothing resolves the name again and DNS rebinding has nothing to swap (TLS still checks the
 *    certificate against the name);
 *  - at most 3 redirects, each hop checked like the first;
 *  - the body is read as a stream and the socket destroyed once it passes the byte cap (nothing past it is read);
 *  - one deadline for the whole fetch — DNS, hops and body — and, through a {@link FetchBudget}, for all the
 *    fetches of one verification, which may make only a few.
 *
 * Every failure is a {@link FetchFailure} whose `kind` is for tests and logs; callers show one message for all.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { type RequestOptions, request } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { verifyBounds } from '#domain/verify/bounds';
import type { FetchBudget } from '#ports/key-resolver';
import { type AddressPolicy, type ConnectTarget, publicAddressesOnly } from './address-policy';

export type FetchFailureKind =
  | 'scheme'
  | 'address'
  | 'redirects'
  | 'status'
  | 'not-found'
  | 'too-large'
  | 'deadline'
  | 'budget'
  | 'network';

export class FetchFailure extends Error {
  override readonly name = 'FetchFailure';
  constructor(
    readonly kind: FetchFailureKind,
    readonly url: string,
  ) {
    super(`${url} could not be fetched (${kind})`);
  }
}

export type ResolveHost = (host: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

export interface GuardedFetchOptions {
  /** Which resolved addresses may be connected to; public unicast only unless a test admits its own server. */
  allow?: AddressPolicy;
  /** Name → addresses; `dns.lookup(host, {all: true})` (what the system resolver answers) unless injected. */
  resolve?: ResolveHost;
  /** Extra trust roots (PEM): tests trust their own self-signed server; production uses the system's. */
  ca?: string | Buffer;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** Instrumentation: called with every address a socket is about to be opened to (after the policy passed it). */
  onConnect?: (target: ConnectTarget & { host: string }) => void;
}

export interface FetchRequest {
  accept: string;
  /** The verification's budget (fetch count and shared deadline); a fetch outside a verification has its own. */
  budget?: FetchBudget;
}

export type GuardedFetch = (url: string, request: FetchRequest) => Promise<Uint8Array>;

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

const systemResolve: ResolveHost = (host) => dnsLookup(host, { all: true, verbatim: true });

/** A lookup for the socket that refuses: the request names an IP, so one call here would mean a second resolution. */
const noSecondLookup: LookupFunction = (hostname, _options, callback) =>
  callback(Object.assign(new Error(`refused to resolve ${hostname} again`), { code: 'ENOTFOUND' }), '', 0);

export const createGuardedFetch = (options: GuardedFetchOptions = {}): GuardedFetch => {
  const allow = options.allow ?? publicAddressesOnly;
  const resolve = options.resolve ?? systemResolve;
  const timeoutMs = options.timeoutMs ?? verifyBounds.fetchDeadlineMs;
  const maxBytes = options.maxBytes ?? verifyBounds.maxFetchedBytes;
  const maxRedirects = options.maxRedirects ?? verifyBounds.maxRedirects;

  /** The one address this hop will connect to, every address of the name having passed the policy. */
  const checkedAddress = async (url: URL, signal: AbortSignal): Promise<ConnectTarget & { host: string }> => {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = url.port === '' ? 443 : Number(url.port);
    let addresses: ReadonlyArray<{ address: string }>;
    if (isIP(host)) addresses = [{ address: host }];
    else {
      const answer = resolve(host);
      const aborted = new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () => reject(new FetchFailure('deadline', url.href)), { once: true }),
      );
      try {
        addresses = await Promise.race([answer, aborted]);
      } catch (error) {
        throw error instanceof FetchFailure ? error : new FetchFailure('network', url.href);
      }
    }
    if (addresses.length === 0 || !addresses.every(({ address }) => allow({ address, port }))) throw new FetchFailure('address', url.href);
    return { host, address: addresses[0]!.address, port };
  };

  type Hop = { redirect: string } | { body: Uint8Array };

  const hop = async (url: URL, accept: string, signal: AbortSignal): Promise<Hop> => {
    if (url.protocol !== 'https:') throw new FetchFailure('scheme', url.href);
    if (signal.aborted) throw new FetchFailure('deadline', url.href);
    const target = await checkedAddress(url, signal);
    options.onConnect?.(target);
    const requestOptions: RequestOptions = {
      host: target.address,
      port: target.port,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: { accept, host: url.host, 'user-agent': 'Merit-verifier' },
      // TLS checks the certificate against the name, not the address connected to.
      ...(isIP(target.host) ? {} : { servername: target.host }),
      lookup: noSecondLookup,
      agent: false,
      ...(options.ca ? { ca: options.ca } : {}),
    };
    return new Promise<Hop>((resolvePromise, reject) => {
      const fail = (kind: FetchFailureKind) => {
        req.destroy();
        reject(new FetchFailure(kind, url.href));
      };
      const onAbort = () => fail('deadline');
      signal.addEventListener('abort', onAbort, { once: true });
      const req = request(requestOptions, (response) => {
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (redirectStatuses.has(status) && location) {
          signal.removeEventListener('abort', onAbort);
          req.destroy();
          try {
            resolvePromise({ redirect: new URL(location, url).href });
          } catch {
            reject(new FetchFailure('redirects', url.href));
          }
          return;
        }
        if (status === 404 || status === 410) return fail('not-found');
        if (status < 200 || status > 299) return fail('status');
        if (Number(response.headers['content-length'] ?? 0) > maxBytes) return fail('too-large');
        const chunks: Buffer[] = [];
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > maxBytes) return fail('too-large');
          chunks.push(chunk);
        });
        response.on('end', () => {
          signal.removeEventListener('abort', onAbort);
          if (received <= maxBytes) resolvePromise({ body: new Uint8Array(Buffer.concat(chunks)) });
        });
        response.on('error', () => fail('network'));
      });
      req.on('error', () => {
        signal.removeEventListener('abort', onAbort);
        reject(new FetchFailure(signal.aborted ? 'deadline' : 'network', url.href));
      });
      req.end();
    });
  };

  return async (href, { accept, budget }) => {
    let url: URL;
    try {
      url = new URL(href);
    } catch {
      throw new FetchFailure('scheme', href);
    }
    if (url.protocol !== 'https:') throw new FetchFailure('scheme', href);
    if (budget) {
      if (budget.fetchesLeft <= 0) throw new FetchFailure('budget', href);
      budget.fetchesLeft--;
    }
    const remaining = Math.min(timeoutMs, budget ? budget.deadline - Date.now() : timeoutMs);
    if (remaining <= 0) throw new FetchFailure('deadline', href);
    const signal = AbortSignal.timeout(remaining);
    for (let redirects = 0; ; redirects++) {
      const answer = await hop(url, accept, signal);
      if ('body' in answer) return answer.body;
      if (redirects >= maxRedirects) throw new FetchFailure('redirects', href);
      url = new URL(answer.redirect);
    }
  };
};
