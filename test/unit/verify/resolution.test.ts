import { describe, expect, it } from 'vitest';
import { createHttpsKeyResolver } from '#adapters/key-resolution/https';
import { controllerView, didKeyDocument, didWebUrl } from '#domain/verify/controller';
import { ResolutionError } from '#ports/key-resolver';

describe('did:web and did:key', () => {
  it.each([
    ['did:web:example.com', 'https://example.com/.well-known/did.json'],
    ['did:web:credentials.district.org:issuers:abc', 'https://credentials.district.org/issuers/abc/did.json'],
    ['did:web:localhost%3A8443:issuers:abc', 'https://localhost:8443/issuers/abc/did.json'],
  ])('maps %s to %s', (did, url) => {
    // Act
    const mapped = didWebUrl(did);

    // Assess
    expect(mapped).toBe(url);
  });

  it.each(['did:web:', 'did:web:evil.com%2Fx', 'did:web:a.com:..:x', 'did:key:z6Mk'])('refuses the malformed %s', (did) => {
    // Act
    const mapped = didWebUrl(did);

    // Assess
    expect(mapped).toBeUndefined();
  });

  it('builds an Ed25519 did:key document locally and refuses other keys', () => {
    // Prepare
    const did = 'did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi';

    // Act
    const document = didKeyDocument(did);

    // Assess
    expect(document?.['assertionMethod']).toEqual([`${did}#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi`]);
    expect(didKeyDocument('did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169')).toBeUndefined();
  });
});

describe('the trusted view of a controller document', () => {
  const id = 'https://issuer.example/org';

  it("keeps only keys that the document's own id controls, and their assertionMethod references", () => {
    // Prepare
    const document = {
      '@context': ['https://www.w3.org/ns/cid/v1', 'https://evil.example/context.json'],
      id,
      verificationMethod: [
        { id: `${id}#own`, type: 'Multikey', controller: id, publicKeyMultibase: 'z6MkOwn' },
        { id: `${id}#foreign`, type: 'Multikey', controller: 'https://attacker.example', publicKeyMultibase: 'z6MkBad' },
        { id: 'https://attacker.example#k', type: 'Multikey', controller: id, publicKeyMultibase: 'z6MkBad2' },
      ],
      assertionMethod: [`${id}#own`, `${id}#foreign`, 'https://attacker.example#k', { id: '#embedded', type: 'Multikey', controller: id, publicKeyMultibase: 'z6MkEmb' }],
    };

    // Act
    const view = controllerView(document, id);

    // Assess
    expect(view?.['@context']).toEqual(['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1']);
    expect(view?.['assertionMethod']).toEqual([`${id}#own`, `${id}#embedded`]);
    expect((view?.['verificationMethod'] as unknown[]).length).toBe(2);
  });

  it('refuses a document whose id is not the one asked for', () => {
    // Act
    const view = controllerView({ id: 'https://other.example' }, id);

    // Assess
    expect(view).toBeUndefined();
  });
});

describe('the HTTPS key resolver (fetch injected: no network)', () => {
  const jsonResponse = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('fetches a did:web document from its did.json URL once, then from the cache', async () => {
    // Prepare
    const urls: string[] = [];
    const resolver = createHttpsKeyResolver({
      fetch: async (input) => {
        urls.push(String(input));
        return jsonResponse({ id: 'did:web:example.com' });
      },
    });

    // Act
    const first = await resolver.resolveController('did:web:example.com');
    const second = await resolver.resolveController('did:web:example.com');

    // Assess
    expect(first).toEqual({ id: 'did:web:example.com' });
    expect(second).toEqual(first);
    expect(urls).toEqual(['https://example.com/.well-known/did.json']);
  });

  it('answers undefined for 404 and a ResolutionError for 500, non-JSON, oversize and non-HTTPS', async () => {
    // Prepare
    const answers: Record<string, () => Response> = {
      'https://a.example/404': () => jsonResponse({}, 404),
      'https://a.example/500': () => jsonResponse({}, 500),
      'https://a.example/text': () => new Response('<html>', { status: 200 }),
      'https://a.example/big': () => new Response('x'.repeat(1000), { status: 200 }),
    };
    const resolver = createHttpsKeyResolver({ maxBytes: 500, fetch: async (input) => answers[String(input)]!() });

    // Act
    const missing = await resolver.resolveStatus('https://a.example/404');
    const failures = await Promise.allSettled(['https://a.example/500', 'https://a.example/text', 'https://a.example/big', 'http://a.example/plain'].map((url) => resolver.resolveStatus(url)));

    // Assess
    expect(missing).toBeUndefined();
    expect(failures.every((result) => result.status === 'rejected' && result.reason instanceof ResolutionError)).toBe(true);
  });

  it('gives up after its timeout with a ResolutionError', async () => {
    // Prepare
    const resolver = createHttpsKeyResolver({
      timeoutMs: 20,
      fetch: (_input, init) =>
        new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error))),
    });

    // Act
    const outcome = resolver.resolveController('https://slow.example/issuer');

    // Assess
    await expect(outcome).rejects.toThrow(/no answer within 0.02 s/);
  });
});
