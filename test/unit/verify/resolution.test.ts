import { describe, expect, it } from 'vitest';
import { FetchFailure } from '#adapters/key-resolution/guarded-fetch';
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
      assertionMethod: [
        `${id}#own`,
        `${id}#foreign`,
        'https://attacker.example#k',
        { id: '#embedded', type: 'Multikey', controller: id, publicKeyMultibase: 'z6MkEmb' },
      ],
    };

    // Act
    const view = controllerView(document, id);

    // Assess
    expect(view?.['@context']).toEqual(['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1']);
    expect(view?.['assertionMethod']).toEqual([`${id}#own`, `${id}#embedded`]);
    expect((view!['verificationMethod'] as unknown[]).length).toBe(2);
  });

  it('refuses a document whose id is not the one asked for', () => {
    // Act
    const view = controllerView({ id: 'https://other.example' }, id);

    // Assess
    expect(view).toBeUndefined();
  });
});

describe('the HTTPS key resolver (guarded fetcher injected: no network)', () => {
  const bytesOf = (body: unknown) => new TextEncoder().encode(JSON.stringify(body));

  it('fetches a did:web document from its did.json URL once, then from the cache', async () => {
    // Prepare
    const urls: string[] = [];
    const resolver = createHttpsKeyResolver({
      fetch: async (url) => {
        urls.push(url);
        return bytesOf({ id: 'did:web:example.com' });
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

  it('answers undefined for "not found" (cached), and a ResolutionError for every other failure, non-JSON and non-objects', async () => {
    // Prepare
    const calls: string[] = [];
    const answers: Record<string, () => Uint8Array> = {
      'https://a.example/404': () => {
        throw new FetchFailure('not-found', 'https://a.example/404');
      },
      'https://a.example/500': () => {
        throw new FetchFailure('status', 'https://a.example/500');
      },
      'https://a.example/private': () => {
        throw new FetchFailure('address', 'https://a.example/private');
      },
      'https://a.example/text': () => new TextEncoder().encode('<html>'),
      'https://a.example/array': () => bytesOf([1, 2]),
    };
    const resolver = createHttpsKeyResolver({
      fetch: async (url) => {
        calls.push(url);
        return answers[url]!();
      },
    });

    // Act
    const missing = await resolver.resolveStatus('https://a.example/404');
    const missingAgain = await resolver.resolveStatus('https://a.example/404');
    const failures = await Promise.allSettled(
      ['https://a.example/500', 'https://a.example/private', 'https://a.example/text', 'https://a.example/array'].map((url) =>
        resolver.resolveStatus(url),
      ),
    );

    // Assess
    expect(missing).toBeUndefined();
    expect(missingAgain).toBeUndefined();
    expect(calls.filter((url) => url.endsWith('/404'))).toHaveLength(1);
    expect(failures.every((result) => result.status === 'rejected' && result.reason instanceof ResolutionError)).toBe(true);
  });

  it("passes the verification's budget on to the fetcher", async () => {
    // Prepare
    const budgets: unknown[] = [];
    const resolver = createHttpsKeyResolver({
      fetch: async (_url, request) => {
        budgets.push(request.budget);
        return bytesOf({ id: 'https://slow.example/issuer' });
      },
    });
    const budget = { fetchesLeft: 4, deadline: Date.now() + 3000 };

    // Act
    await resolver.resolveController('https://slow.example/issuer', budget);

    // Assess
    expect(budgets).toEqual([budget]);
  });
});
