/**
 * The public function's real HTTP handler (route → body limits → operation) in process, with the verifier's real
 * dependencies: an in-memory deployment (test/fixtures/verify) and the real HTTPS key resolver over the real guarded
 * fetcher, under the production address policy. Names resolve through a spy that answers every name with a
 * non-public address (loopback, private, link-local, metadata, CGNAT, ULA — what an attacker would aim at), and the
 * fetcher's instrumentation records every socket it would open: a test requires that list to stay empty.
 */
import type { Context } from 'aws-lambda';
import type { AddressPolicy, ConnectTarget } from '#adapters/key-resolution/address-policy';
import { createGuardedFetch, type ResolveHost } from '#adapters/key-resolution/guarded-fetch';
import { createHttpsKeyResolver } from '#adapters/key-resolution/https';
import { recordedMetrics } from '#adapters/local/recorded-metrics';
import type { Dependencies } from '#config/dependencies';
import { createLogger } from '#config/logger';
import { createHttpHandler } from '#http/create-handler';
import { publicOperations } from '#http/operations/public';
import type { HttpEvent } from '#http/types';
import { memoryDeployment } from '../fixtures/verify/documents';

/** Where the spy resolver sends names: each one an address the verifier must never connect to. */
export const internalAddresses = [
  '127.0.0.1',
  '10.0.0.7',
  '169.254.169.254',
  '192.168.1.20',
  '100.64.0.9',
  'fd00::7',
  '::1',
  '::ffff:172.16.0.5',
] as const;

const pick = (host: string) => internalAddresses[[...host].reduce((sum, c) => sum + c.charCodeAt(0), 0) % internalAddresses.length]!;

export interface PublicVerifier {
  post(
    path: '/verify' | '/credentials/verify',
    body: string | Uint8Array,
    contentType?: string,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Every name the fetcher asked the resolver for. */
  readonly lookups: string[];
  /** Every address a socket was (about to be) opened to. */
  readonly connections: Array<ConnectTarget & { host: string }>;
  deployment: ReturnType<typeof memoryDeployment>;
  /** The metrics the verifications emitted. */
  metrics: ReturnType<typeof recordedMetrics>;
}

/** `resolve`, `allow` and `ca` let a test put its own HTTPS server on loopback within reach (production admits none). */
export const startPublicVerifier = (options: { resolve?: ResolveHost; allow?: AddressPolicy; ca?: Buffer } = {}): PublicVerifier => {
  const lookups: string[] = [];
  const connections: PublicVerifier['connections'] = [];
  const resolve: ResolveHost = async (host) => {
    lookups.push(host);
    if (options.resolve) return options.resolve(host);
    const address = pick(host);
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };
  const keyResolver = createHttpsKeyResolver({
    fetch: createGuardedFetch({
      resolve,
      onConnect: (target) => connections.push(target),
      ...(options.allow ? { allow: options.allow } : {}),
      ...(options.ca ? { ca: options.ca } : {}),
    }),
  });
  const deployment = memoryDeployment({ keyResolver });
  // The verify routes reach only the verifier's dependencies and the logger; nothing else of the store is touched.
  const metrics = recordedMetrics();
  const deps = { ...deployment.deps, logger: createLogger('public-verifier-test'), metrics } as unknown as Dependencies;
  const handler = createHttpHandler({ lambda: 'public', operations: publicOperations, dependencies: deps, maxBodyBytes: 10 * 1024 * 1024 });
  const post: PublicVerifier['post'] = async (path, body, contentType = 'application/json') => {
    const binary = typeof body !== 'string';
    const event = {
      version: '2.0',
      routeKey: `POST ${path}`,
      rawPath: path,
      rawQueryString: '',
      headers: { 'content-type': contentType },
      isBase64Encoded: binary,
      body: binary ? Buffer.from(body).toString('base64') : body,
      requestContext: {
        http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.5', userAgent: 'test' },
        routeKey: `POST ${path}`,
        requestId: 'r1',
      },
    } as unknown as HttpEvent;
    const result = await handler(event, {} as Context);
    return { status: result.statusCode ?? 0, json: JSON.parse(result.body ?? '{}') as Record<string, unknown> };
  };
  return { post, lookups, connections, deployment, metrics };
};
