import { describe, expect, it } from 'vitest';
import { LocalSigner } from '#adapters/signing/local-signer';
import { buildClr, clrContexts } from '#domain/clr';
import { hashedIdentityObject } from '#domain/credential/identity';
import type { JsonObject } from '#domain/proof/document-loader';
import { signDocument } from '#domain/proof/sign';
import { recordingVectorSigner } from '#test/vector-signer';
import vector from '../../fixtures/ob3/official/test-vectors/clr-eddsa-rdfc-2022-test-vector.json' with { type: 'json' };
import { verifyWithDigitalBazaar } from '../../fixtures/ob3/verifiers';

/**
 * The official 1EdTech CLR 2.0 eddsa-rdfc-2022 test vector (ob_v3p0/impl/linked-data-proof-clr.html), reproduced
 * through our own signing path, as test/unit/proof/test-vector.test.ts does for the OB vector; then verified.
 */
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const vectorSigner = () => recordingVectorSigner(vector.keys_hex.Private);

/** The vector's issuer as a controller document listing its Multikey. */
const vectorController = (): JsonObject => ({
  '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
  id: vector.multikey.controller,
  verificationMethod: [
    {
      id: vector.multikey.id,
      type: 'Multikey',
      controller: vector.multikey.controller,
      publicKeyMultibase: vector.multikey.publicKeyMultibase,
    },
  ],
  assertionMethod: [vector.multikey.id],
});

describe('official CLR 2.0 eddsa-rdfc-2022 test vector', () => {
  it('reproduces the canonical hashes, the signature and the proofValue byte for byte', async () => {
    // Prepare
    const { signer, calls } = vectorSigner();

    // Act
    const signed = await signDocument(vector.Credential, signer, { issuerDid: vector.Credential.issuer.id, created: vector.Proof.created });

    // Assess
    expect(calls).toHaveLength(1);
    expect(hex(calls[0]!.message.subarray(0, 32))).toBe(vector['Proof hash (hex)']);
    expect(hex(calls[0]!.message.subarray(32))).toBe(vector['Document hash (hex)']);
    expect(hex(calls[0]!.signature)).toBe(vector['Signature (hex)']);
    expect(signed.proof).toEqual([vector.Proof]);
    expect(signed).toEqual(vector['Signed credential']);
  });

  it('verifies the official signed CLR with @digitalbazaar/vc and our static loader, and refuses it tampered', async () => {
    // Prepare
    const official = vector['Signed credential'] as JsonObject;
    const tampered = structuredClone(official);
    tampered['name'] = 'Forged Transcript';

    // Act
    const good = await verifyWithDigitalBazaar(official, [vectorController()]);
    const bad = await verifyWithDigitalBazaar(tampered, [vectorController()]);

    // Assess
    expect(good.verified).toBe(true);
    expect(bad.verified).toBe(false);
  });
});

describe('buildClr', () => {
  const input = {
    id: 'urn:uuid:00000000-0000-4000-8000-000000000001',
    issuer: { id: 'did:web:credentials.example.org:issuers:district', type: ['Profile'] as ['Profile'], name: 'Example District' },
    name: 'Example District Comprehensive Learner Record',
    validFrom: '2026-09-01T00:00:00Z',
    identifier: [hashedIdentityObject('identifier', 'S-1', 'salt')],
    verifiableCredential: [{ id: 'urn:uuid:1' }],
  };

  it('leaves out empty lists and names the CLR contexts and schema', () => {
    // Act
    const clr = buildClr({ ...input, achievement: [], association: [] });

    // Assess
    expect(clr['@context']).toEqual([...clrContexts]);
    expect(clr.type).toEqual(['VerifiableCredential', 'ClrCredential']);
    expect(clr.credentialSubject).toEqual({
      type: ['ClrSubject'],
      identifier: input.identifier,
      verifiableCredential: [{ id: 'urn:uuid:1' }],
    });
    expect(clr.credentialSchema[0]?.id).toMatch(/clr_v2p0_clrcredential_schema\.json$/);
  });

  it('refuses a CLR without credentials', () => {
    expect(() => buildClr({ ...input, verifiableCredential: [], achievement: [], association: [] })).toThrow(/at least one credential/);
  });

  it('signs into a CLR that verifies against our DID document', async () => {
    // Prepare
    const signer = LocalSigner.generate();
    const clr = buildClr({
      ...input,
      achievement: [],
      association: [
        { type: 'Association', associationType: 'isPartOf', sourceId: 'https://x.example/a/1', targetId: 'https://x.example/a/2' },
      ],
    });
    const { didDocumentForIssuer } = await import('#domain/proof/multikey');
    const did = didDocumentForIssuer({
      did: input.issuer.id,
      keys: [{ keyId: signer.keyId, publicKey: await signer.publicKey() }],
    }) as JsonObject;

    // Act
    const signed = await signDocument(clr, signer, { issuerDid: input.issuer.id });
    const result = await verifyWithDigitalBazaar(signed as unknown as JsonObject, [did]);

    // Assess
    expect(result.verified).toBe(true);
  });
});
