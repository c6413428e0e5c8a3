import { readdirSync, readFileSync } from 'node:fs';
import untouchedJsonld from '@digitalcredentials/jsonld';
import fc from 'fast-check';
import jsonld from 'jsonld';
import { describe, expect, it } from 'vitest';
import { buildCredential } from '#domain/credential/build';
import { type JsonObject, staticDocumentLoader } from '#domain/proof/document-loader';
import { sharesTermDefinitions } from '#domain/proof/jsonld-context-cloning';
import { statusListCredential } from '#domain/status-list-credential';
import { baseUrl, fullCredentialInput, minimalCredentialInput } from '../../fixtures/ob3/credential-input';
import vector from '../../fixtures/ob3/official/test-vectors/ob-eddsa-rdfc-2022-test-vector.json' with { type: 'json' };

/**
 * Merit's jsonld.js copies active contexts without copying their term definitions (functions/domain/proof/
 * jsonld-context-cloning.ts). What is signed must not change because of it: the canonical N-Quads of every document
 * are compared with those of an untouched jsonld.js (the @digitalcredentials fork of the same release, its own module
 * instance) — on the official examples and on random credentials.
 */
const examplesDirectory = new URL('../../fixtures/ob3/official/examples/', import.meta.url);
const officialExamples = readdirSync(examplesDirectory)
  .filter((file) => file.endsWith('.json'))
  .map((file) => [file, JSON.parse(readFileSync(new URL(file, examplesDirectory), 'utf8')) as JsonObject] as const);

const withoutProof = ({ proof: _proof, ...document }: JsonObject): JsonObject => document;

const ours = (document: JsonObject) =>
  jsonld.canonize(structuredClone(document), {
    algorithm: 'RDFC-1.0',
    format: 'application/n-quads',
    safe: true,
    base: null,
    documentLoader: staticDocumentLoader,
  });

const untouched = (document: JsonObject) =>
  untouchedJsonld.canonize(structuredClone(document), {
    algorithm: 'URDNA2015',
    format: 'application/n-quads',
    safe: true,
    base: null,
    documentLoader: staticDocumentLoader,
  });

describe('jsonld.js with shared term definitions', () => {
  it('is in effect once the document loader is loaded', () => {
    // Assess
    expect(sharesTermDefinitions()).toBe(true);
  });

  it.each<[string, JsonObject]>([
    ...officialExamples.map(([file, document]): [string, JsonObject] => [file, withoutProof(document)]),
    ['the eddsa-rdfc-2022 test vector', vector.Credential as JsonObject],
    ['a credential with every field', buildCredential(fullCredentialInput()) as unknown as JsonObject],
    ['a minimal credential', buildCredential(minimalCredentialInput()) as unknown as JsonObject],
    [
      'a status list credential',
      statusListCredential({
        url: `${baseUrl}/status/list-1`,
        issuerDid: 'did:web:credentials.district.example:issuers:lincoln-high',
        bits: new Uint8Array(16_384),
        validFrom: '2026-01-01T00:00:00Z',
      }) as unknown as JsonObject,
    ],
  ])('canonicalises %s exactly as an untouched jsonld.js does', async (_name, document) => {
    // Act
    const [mine, reference] = await Promise.all([ours(document), untouched(document)]);

    // Assess
    expect(mine.split('\n').length).toBeGreaterThan(5);
    expect(mine).toBe(reference);
  });

  it('canonicalises random credentials exactly as an untouched jsonld.js does', async () => {
    const text = fc.string({ minLength: 1, maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          name: text,
          narrative: fc.option(text, { nil: undefined }),
          credits: fc.option(fc.integer({ min: 0, max: 1_000 }), { nil: undefined }),
          tags: fc.array(text, { maxLength: 3 }),
          alignments: fc.array(fc.record({ targetName: text, targetUrl: fc.webUrl() }), { maxLength: 3 }),
          full: fc.boolean(),
        }),
        async ({ name, narrative, credits, tags, alignments, full }) => {
          // Prepare
          const input = full ? fullCredentialInput() : minimalCredentialInput();
          const credential = buildCredential({
            ...input,
            achievement: {
              ...input.achievement,
              name,
              tags,
              alignment: alignments,
              ...(credits === undefined ? {} : { creditsAvailable: credits }),
            },
            ...(narrative === undefined ? {} : { narrative }),
          }) as unknown as JsonObject;

          // Act
          const [mine, reference] = await Promise.all([ours(credential), untouched(credential)]);

          // Assess
          expect(mine).toBe(reference);
        },
      ),
      { numRuns: 60 },
    );
  });
});
