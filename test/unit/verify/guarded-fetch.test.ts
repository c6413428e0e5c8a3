import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectTarget } from '#adapters/key-resolution/address-policy';
import { createGuardedFetch, FetchFailure, type GuardedFetchOptions, type ResolveHost } from '#adapters/key-resolution/guarded-fetch';
import { startHttpServer, startHttpsServer, type TestServer, testCa } from '#test/https-server';

/**
 * The guarded fetcher against real HTTPS servers on loopback. Production admits no loopback address; here the
 * policy admits exactly one test server (127.0.0.1 on its port), so every other server — a second HTTPS one, a
 * plain-HTTP one — stands in for an internal listener that must never see a connection.
 */
describe('the guarded fetcher', () => {
  let admitted: TestServer;
  let internal: TestServer;
  let plain: TestServer;
  const document = { id: 'https://issuer.test/org', ok: true };
  let redirectTo = '';

  beforeAll(async () => {
    admitted = await startHttpsServer((request, response) => {
      if (request.url === '/doc') return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document));
      if (request.url === '/redirect') return void response.writeHead(302, { location: redirectTo }).end();
      if (request.url === '/loop') return void response.writeHead(301, { location: '/loop' }).end();
      if (request.url === '/missing') return void response.writeHead(404).end();
      if (request.url === '/forbidden') return void response.writeHead(403).end();
      if (request.url === '/declared-huge') return void response.writeHead(200, { 'content-length': String(400 * 1024 * 1024) }).end();
      if (request.url === '/silent') return; // never answers
      if (request.url === '/drip') {
        // One byte at a time, forever: the connection is never idle, yet the fetch must end at its deadline.
        response.writeHead(200);
        const timer = setInterval(() => response.write(' '), 20);
        response.on('close', () => clearInterval(timer));
        return;
      }
      if (request.url === '/huge') {
        // 400 MiB, chunked (no content-length), written as fast as the client reads.
        response.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let left = (400 * 1024 * 1024) / chunk.length;
        const pump = () => {
          while (left > 0 && !response.destroyed) {
            left--;
            if (!response.write(chunk)) return void response.once('drain', pump);
          }
          if (left === 0) response.end();
        };
        return pump();
      }
      response.writeHead(500).end();
    });
    internal = await startHttpsServer((_request, response) => response.writeHead(200).end(JSON.stringify({ secret: 'internal' })));
    plain = await startHttpServer((_request, response) => response.writeHead(200).end(JSON.stringify({ secret: 'plain' })));
  });
  afterAll(async () => {
    await Promise.all([admitted, internal, plain].map((server) => server?.close()));
  });

  const names: Record<string, string[]> = {
    'issuer.test': ['127.0.0.1'],
    'other.test': ['127.0.0.1'],
    'internal.test': ['10.0.0.7'],
    'metadata.test': ['169.254.169.254'],
    'mixed.test': ['127.0.0.1', '192.168.0.10'],
    'mapped.test': ['::ffff:127.0.0.1'],
  };
  const resolveFrom =
    (table: Record<string, string[]>): ResolveHost =>
    async (host) => {
      const addresses = table[host];
      if (!addresses) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
      return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    };

  /** A fetcher admitting only the admitted server, recording every address it opened a socket to. */
  const fetcher = (options: GuardedFetchOptions = {}) => {
    const connected: ConnectTarget[] = [];
    const fetch = createGuardedFetch({
      allow: ({ address, port }) => address === '127.0.0.1' && port === admitted.port,
      resolve: resolveFrom(names),
      ca: testCa,
      onConnect: (target) => connected.push({ address: target.address, port: target.port }),
      ...options,
    });
    return { fetch, connected };
  };
  const failureOf = async (outcome: Promise<unknown>): Promise<string> => {
    try {
      await outcome;
    } catch (error) {
      if (error instanceof FetchFailure) return error.kind;
      throw error;
    }
    throw new Error('the fetch succeeded');
  };
  const accept = 'application/json';

  it('fetches a document from the admitted server by name, over TLS checked against that name', async () => {
    // Prepare
    const { fetch, connected } = fetcher();

    // Act
    const body = await fetch(`https://issuer.test:${admitted.port}/doc`, { accept });

    // Assess
    expect(JSON.parse(Buffer.from(body).toString('utf8'))).toEqual(document);
    expect(connected).toEqual([{ address: '127.0.0.1', port: admitted.port }]);
  });

  it.each([
    ['the loopback address of another port', () => `https://127.0.0.1:${internal.port}/`],
    ['the decimal form of 127.0.0.1', () => `https://2130706433:${internal.port}/`],
    ['the hex form of 127.0.0.1', () => `https://0x7f.0.0.1:${internal.port}/`],
    ['IPv4-mapped IPv6 loopback', () => `https://[::ffff:127.0.0.1]:${internal.port}/`],
    ['a name that resolves to a private address', () => 'https://internal.test/'],
    ['the cloud metadata address', () => 'https://169.254.169.254/latest/meta-data/iam/security-credentials/'],
    ['a name that resolves to the metadata address', () => 'https://metadata.test/latest/meta-data/'],
    ['10.x', () => 'https://10.1.2.3/'],
    ['a name with one public and one private address', () => `https://mixed.test:${admitted.port}/doc`],
  ])('refuses a redirect to %s without connecting to it', async (_name, location) => {
    // Prepare
    const { fetch, connected } = fetcher();
    redirectTo = location();
    const internalBefore = internal.connections;

    // Act
    const kind = await failureOf(fetch(`https://issuer.test:${admitted.port}/redirect`, { accept }));

    // Assess
    expect(kind).toBe('address');
    expect(connected).toEqual([{ address: '127.0.0.1', port: admitted.port }]);
    expect(internal.connections).toBe(internalBefore);
  });

  it('refuses plain http, first or after a redirect, and a plain listener sees no connection', async () => {
    // Prepare
    const { fetch, connected } = fetcher();
    redirectTo = `http://127.0.0.1:${plain.port}/`;

    // Act
    const direct = await failureOf(fetch(`http://issuer.test:${plain.port}/`, { accept }));
    const redirected = await failureOf(fetch(`https://issuer.test:${admitted.port}/redirect`, { accept }));

    // Assess
    expect([direct, redirected]).toEqual(['scheme', 'scheme']);
    expect(plain.connections).toBe(0);
    expect(connected).toEqual([{ address: '127.0.0.1', port: admitted.port }]);
  });

  it('follows at most 3 redirects, each checked again', async () => {
    // Prepare
    const { fetch, connected } = fetcher();
    redirectTo = `https://other.test:${admitted.port}/doc`;

    // Act
    const followed = await fetch(`https://issuer.test:${admitted.port}/redirect`, { accept });
    const looping = await failureOf(fetch(`https://issuer.test:${admitted.port}/loop`, { accept }));

    // Assess
    expect(JSON.parse(Buffer.from(followed).toString('utf8'))).toEqual(document);
    expect(looping).toBe('redirects');
    expect(connected).toHaveLength(2 + 4);
  });

  it('cuts a 400 MiB chunked body at 256 KiB: the server stops writing, memory does not grow', async () => {
    // Prepare
    const { fetch } = fetcher();
    const writtenBefore = admitted.bytesWritten();
    const rssBefore = process.memoryUsage().rss;

    // Act
    const kind = await failureOf(fetch(`https://issuer.test:${admitted.port}/huge`, { accept }));
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the server notice the closed socket
    const written = admitted.bytesWritten() - writtenBefore;
    const grown = process.memoryUsage().rss - rssBefore;

    // Assess
    expect(kind).toBe('too-large');
    expect(written).toBeLessThan(16 * 1024 * 1024);
    expect(grown).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses a declared content-length over the cap without reading it', async () => {
    // Prepare
    const { fetch } = fetcher();

    // Act
    const kind = await failureOf(fetch(`https://issuer.test:${admitted.port}/declared-huge`, { accept }));

    // Assess
    expect(kind).toBe('too-large');
  });

  it.each(['/silent', '/drip'])('gives up at its deadline on %s (a server that never finishes)', async (path) => {
    // Prepare
    const { fetch } = fetcher({ timeoutMs: 300 });

    // Act
    const kind = await failureOf(fetch(`https://issuer.test:${admitted.port}${path}`, { accept }));

    // Assess
    expect(kind).toBe('deadline');
  });

  it('cannot be rebound: the name is resolved once per hop and the socket goes to the address checked', async () => {
    // Prepare: a resolver that answers the admitted address once, then a private one.
    const answers = [['127.0.0.1'], ['10.0.0.7'], ['10.0.0.7']];
    let lookups = 0;
    const { fetch, connected } = fetcher({
      resolve: async () => (answers[lookups++] ?? ['10.0.0.7']).map((address) => ({ address, family: 4 })),
    });
    redirectTo = `https://issuer.test:${admitted.port}/doc`;

    // Act: the first hop passes; its redirect to the same name resolves again, now privately.
    const kind = await failureOf(fetch(`https://issuer.test:${admitted.port}/redirect`, { accept }));

    // Assess
    expect(kind).toBe('address');
    expect(lookups).toBe(2);
    expect(connected).toEqual([{ address: '127.0.0.1', port: admitted.port }]);
  });

  it('judges an IPv4-mapped answer as the IPv4 address it maps (production policy: refused)', async () => {
    // Prepare: the production policy.
    const connected: string[] = [];
    const fetch = createGuardedFetch({ resolve: resolveFrom(names), ca: testCa, onConnect: (target) => connected.push(target.address) });

    // Act
    const kinds = await Promise.all(
      ['https://mapped.test/', `https://issuer.test:${admitted.port}/doc`, 'https://127.0.0.1/', 'https://[::1]/'].map((url) =>
        failureOf(fetch(url, { accept })),
      ),
    );

    // Assess
    expect(kinds).toEqual(['address', 'address', 'address', 'address']);
    expect(connected).toEqual([]);
  });

  it('spends the budget: 4 fetches per verification, the 5th refused without a connection', async () => {
    // Prepare
    const { fetch, connected } = fetcher();
    const budget = { fetchesLeft: 4, deadline: Date.now() + 3000 };
    const url = `https://issuer.test:${admitted.port}/doc`;

    // Act
    for (let i = 0; i < 4; i++) await fetch(url, { accept, budget });
    const fifth = await failureOf(fetch(url, { accept, budget }));

    // Assess
    expect(fifth).toBe('budget');
    expect(connected).toHaveLength(4);
  });

  it('stops at the deadline the verification shares, even with fetches left', async () => {
    // Prepare
    const { fetch, connected } = fetcher();
    const budget = { fetchesLeft: 4, deadline: Date.now() - 1 };

    // Act
    const kind = await failureOf(fetch(`https://issuer.test:${admitted.port}/doc`, { accept, budget }));

    // Assess
    expect(kind).toBe('deadline');
    expect(connected).toEqual([]);
  });

  it.each([
    ['/missing', 'not-found'],
    ['/forbidden', 'status'],
    ['/other', 'status'],
  ])('reports %s as %s (the verifier shows one message for all)', async (path, expected) => {
    // Prepare
    const { fetch } = fetcher();

    // Act
    const kind = await failureOf(fetch(`https://issuer.test:${admitted.port}${path}`, { accept }));

    // Assess
    expect(kind).toBe(expected);
  });
});
