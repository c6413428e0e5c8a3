import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalSigner } from '#adapters/signing/local-signer';
import { buildCredential } from '#domain/credential/build';
import { validateAchievementCredential } from '#domain/credential/schema';
import type { JsonObject } from '#domain/proof/document-loader';
import { didDocumentForIssuer } from '#domain/proof/multikey';
import { signCredential } from '#domain/proof/sign';
import { baseUrl, fullCredentialInput, minimalCredentialInput } from '../../fixtures/ob3/credential-input';
import {
  didWebUrl,
  inMemoryWeb,
  officialSchema,
  officialSchemaUrl,
  signedStatusList,
  type VerifierCoreResult,
  verifierCoreAccepts,
  verifyWithDigitalBazaar,
} from '../../fixtures/ob3/verifiers';

/**
 * Credentials built and signed by Merit must validate with the official schema and verify with other people's code:
 * @digitalbazaar/vc and @digitalcredentials/verifier-core (offline: see fixtures/ob3/verifiers.ts).
 */
type VerifyCredential = (options: { credential: unknown; knownDIDRegistries: unknown[] }) => Promise<VerifierCoreResult>;

const signer = LocalSigner.generate();
const issuerId = 'interop-high';
const revokedIssuerId = 'interop-revoked';
const web = inMemoryWeb(new Map());
let verifierCore: VerifyCredential;
let signed: JsonObject & { proof: unknown[] };
let didDocument: JsonObject;

beforeAll(async () => {
  // Prepare (shared): one signed credential, the issuer's DID document, its status list and the official schema,
  // all served by the in-memory web verifier-core fetches from.
  const unsigned = buildCredential(fullCredentialInput(issuerId));
  signed = await signCredential(unsigned, signer, { issuerDid: unsigned.issuer.id });
  didDocument = didDocumentForIssuer({ did: unsigned.issuer.id, keys: [{ keyId: signer.keyId, publicKey: await signer.publicKey() }] });
  web.documents.set(didWebUrl(unsigned.issuer.id), didDocument);
  web.documents.set(officialSchemaUrl, officialSchema());
  const listUrl = unsigned.credentialStatus.statusListCredential;
  web.documents.set(listUrl, await signedStatusList({ url: listUrl, issuerDid: unsigned.issuer.id, signer }));
  vi.stubGlobal('fetch', web.fetch);
  ({ verifyCredential: verifierCore } = (await import('@digitalcredentials/verifier-core')) as unknown as {
    verifyCredential: VerifyCredential;
  });
}, 60_000);

afterAll(() => {
  vi.unstubAllGlobals();
});

/** Flips one character of the string at `path` (a JSON pointer-ish list of keys). */
const tamper = (credential: JsonObject, path: Array<string | number>): JsonObject => {
  const copy = structuredClone(credential);
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  const value = node[last];
  if (typeof value !== 'string') throw new Error(`nothing to tamper at ${path.join('/')}`);
  const index = Math.floor(value.length / 2);
  node[last] = value.slice(0, index) + (value[index] === 'x' ? 'y' : 'x') + value.slice(index + 1);
  return copy;
};

describe('interop: Merit credentials verified by other people’s code', { timeout: 60_000 }, () => {
  it('signs with one eddsa-rdfc-2022 DataIntegrityProof in an array, naming the issuer DID key', () => {
    // Prepare / Act: done in beforeAll.

    // Assess
    expect(signed.proof).toEqual([
      {
        type: 'DataIntegrityProof',
        created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        verificationMethod: `did:web:credentials.district.example:issuers:${issuerId}#${signer.keyId}`,
        cryptosuite: 'eddsa-rdfc-2022',
        proofPurpose: 'assertionMethod',
        proofValue: expect.stringMatching(/^z[1-9A-HJ-NP-Za-km-z]{80,90}$/),
      },
    ]);
  });

  it('validates against the official JSON schema', () => {
    // Prepare / Act
    const errors = validateAchievementCredential(signed);

    // Assess
    expect(errors).toEqual([]);
  });

  it('verifies with @digitalbazaar/vc, resolving the issuer DID document we publish', async () => {
    // Prepare / Act
    const result = await verifyWithDigitalBazaar(signed, [didDocument]);

    // Assess
    expect(result.error).toBeUndefined();
    expect(result.verified).toBe(true);
  });

  it('verifies with @digitalcredentials/verifier-core (signature, expiry, status list, schema), offline', async () => {
    // Prepare
    web.requested.length = 0;

    // Act
    const result = await verifierCore({ credential: signed, knownDIDRegistries: [] });

    // Assess
    expect(result.errors).toBeUndefined();
    expect(verifierCoreAccepts(result)).toBe(true);
    const schemaCheck = result.additionalInformation?.find((entry) => entry.id === 'schema_check');
    expect(schemaCheck?.results).toEqual([expect.objectContaining({ schema: officialSchemaUrl, result: { valid: true } })]);
    expect(web.misses).toEqual([]);
    expect(new Set(web.requested)).toEqual(new Set(web.documents.keys()));
  });

  it('is refused by both verifiers when any byte of the subject, achievement or issuer changes', async () => {
    // Prepare
    const paths: Array<Array<string | number>> = [
      ['credentialSubject', 'identifier', 0, 'identityHash'],
      ['credentialSubject', 'identifier', 2, 'identityHash'],
      ['credentialSubject', 'achievement', 'name'],
      ['credentialSubject', 'achievement', 'criteria', 'narrative'],
      ['credentialSubject', 'achievement', 'id'],
      ['issuer', 'name'],
      ['issuer', 'url'],
    ];

    for (const path of paths) {
      // Act
      const tampered = tamper(signed, path);
      const digitalBazaar = await verifyWithDigitalBazaar(tampered, [didDocument]);
      const core = await verifierCore({ credential: tampered, knownDIDRegistries: [] });

      // Assess
      expect(digitalBazaar.verified, path.join('/')).toBe(false);
      expect(verifierCoreAccepts(core), path.join('/')).toBe(false);
      expect(core.errors?.[0]?.name, path.join('/')).toBe('invalid_signature');
    }
  });

  it('is refused when signed by a key the issuer DID document does not list', async () => {
    // Prepare
    const stranger = LocalSigner.generate();
    const unsigned = buildCredential(fullCredentialInput(issuerId));
    const forged = await signCredential(unsigned, stranger, { issuerDid: unsigned.issuer.id });

    // Act
    const digitalBazaar = await verifyWithDigitalBazaar(forged, [didDocument]);
    const core = await verifierCore({ credential: forged, knownDIDRegistries: [] });

    // Assess
    expect(digitalBazaar.verified).toBe(false);
    expect(verifierCoreAccepts(core)).toBe(false);
  });

  it('verifier-core sees a revocation published in our signed status list', async () => {
    // Prepare: another issuer whose list has this credential's bit set.
    const unsigned = buildCredential({
      ...minimalCredentialInput(revokedIssuerId),
      credentialStatus: { listUrl: `${baseUrl}/status/revoked-list`, index: 70_001 },
    });
    const credential = await signCredential(unsigned, signer, { issuerDid: unsigned.issuer.id });
    web.documents.set(
      didWebUrl(unsigned.issuer.id),
      didDocumentForIssuer({ did: unsigned.issuer.id, keys: [{ keyId: signer.keyId, publicKey: await signer.publicKey() }] }),
    );
    web.documents.set(
      unsigned.credentialStatus.statusListCredential,
      await signedStatusList({
        url: unsigned.credentialStatus.statusListCredential,
        issuerDid: unsigned.issuer.id,
        signer,
        revoked: [70_001],
      }),
    );

    // Act
    const result = await verifierCore({ credential, knownDIDRegistries: [] });

    // Assess
    expect(result.log?.find((entry) => entry.id === 'valid_signature')?.valid).toBe(true);
    expect(result.log?.find((entry) => entry.id === 'revocation_status')?.valid).toBe(false);
    expect(verifierCoreAccepts(result)).toBe(false);
  });
});
