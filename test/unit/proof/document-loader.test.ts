import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { contextUrls } from '#domain/proof/context-urls';
import {
  bundledContextUrls,
  createDocumentLoader,
  DocumentNotFoundError,
  resolverFor,
  staticDocumentLoader,
} from '#domain/proof/document-loader';

const shared = (file: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/ob3/official/context/${file}`, import.meta.url), 'utf8'));

const didDocument = {
  '@context': [contextUrls.didV1, contextUrls.multikeyV1],
  id: 'did:web:credentials.district.example:issuers:lincoln-high',
  verificationMethod: [
    {
      id: 'did:web:credentials.district.example:issuers:lincoln-high#key-1',
      type: 'Multikey',
      controller: 'did:web:credentials.district.example:issuers:lincoln-high',
      publicKeyMultibase: 'z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi',
    },
  ],
  assertionMethod: ['did:web:credentials.district.example:issuers:lincoln-high#key-1'],
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('static document loader', () => {
  it('serves every context Merit needs, from bundled data', async () => {
    // Prepare
    const wanted = Object.values(contextUrls);

    // Act
    const loaded = await Promise.all(wanted.map((url) => staticDocumentLoader(url)));

    // Assess
    for (const [index, remote] of loaded.entries()) {
      expect(remote.documentUrl).toBe(wanted[index]);
      expect(remote.contextUrl).toBeNull();
      expect(remote.document).toHaveProperty('@context');
    }
    expect(bundledContextUrls()).toEqual(expect.arrayContaining(wanted));
  });

  it('bundles the official OB 3.0 and CLR 2.0.1 contexts unchanged', async () => {
    // Prepare
    const pairs: Array<[string, string]> = [
      [contextUrls.openBadges, 'context.json'],
      [contextUrls.openBadges301, 'context-3.0.1.json'],
      [contextUrls.openBadges302, 'context-3.0.2.json'],
      [contextUrls.openBadges303, 'context-3.0.3.json'],
      [contextUrls.clr201, 'clr-context-2.0.1.json'],
    ];

    // Act / Assess
    for (const [url, file] of pairs) expect((await staticDocumentLoader(url)).document).toEqual(shared(file));
  });

  it('serves the credentials v2 context that defines BitstringStatusListEntry, and the DID v1 context', async () => {
    // Prepare / Act
    const v2 = JSON.stringify((await staticDocumentLoader(contextUrls.credentialsV2)).document);
    const did = (await staticDocumentLoader(contextUrls.didV1)).document as { '@context': Record<string, unknown> };

    // Assess
    expect(v2).toContain('BitstringStatusListEntry');
    expect(did['@context']).toHaveProperty('assertionMethod');
  });

  it('refuses an unknown URL with an error naming it, and never calls the network', async () => {
    // Prepare
    const fetchSpy = vi.fn(async () => new Response('{}'));
    vi.stubGlobal('fetch', fetchSpy);
    const url = 'https://example.org/contexts/unknown.jsonld';

    // Act
    const attempt = staticDocumentLoader(url);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(DocumentNotFoundError);
    await expect(staticDocumentLoader(url)).rejects.toThrow(url);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('asks the resolver for other documents and dereferences fragments to the verification method', async () => {
    // Prepare
    const asked: string[] = [];
    const loader = createDocumentLoader({
      resolve: async (url) => {
        asked.push(url);
        return resolverFor([didDocument])(url);
      },
    });

    // Act
    const whole = await loader(didDocument.id);
    const method = await loader(`${didDocument.id}#key-1`);

    // Assess
    expect(whole.document).toEqual(didDocument);
    expect(method.document).toEqual({ '@context': didDocument['@context'], ...didDocument.verificationMethod[0] });
    expect(asked).toEqual([didDocument.id, didDocument.id]);
  });

  it('fails clearly for a DID the resolver does not know, or a key the DID document lacks', async () => {
    // Prepare
    const loader = createDocumentLoader({ resolve: resolverFor([didDocument]) });

    // Act / Assess
    await expect(loader('did:web:other.example:issuers:x')).rejects.toThrow('did:web:other.example:issuers:x');
    await expect(loader(`${didDocument.id}#key-2`)).rejects.toThrow(`${didDocument.id}#key-2`);
  });

  it('resolves bundled contexts without consulting the resolver', async () => {
    // Prepare
    const resolve = vi.fn(async () => undefined);
    const loader = createDocumentLoader({ resolve });

    // Act
    await loader(contextUrls.openBadges303);

    // Assess
    expect(resolve).not.toHaveBeenCalled();
  });
});
