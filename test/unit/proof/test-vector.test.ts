import { describe, expect, it } from 'vitest';
import { signDocument } from '#domain/proof/sign';
import { recordingVectorSigner } from '#test/vector-signer';
import vector from '../../fixtures/ob3/official/test-vectors/ob-eddsa-rdfc-2022-test-vector.json' with { type: 'json' };

/**
 * The official 1EdTech eddsa-rdfc-2022 test vector (ob_v3p0/impl/linked-data-proof-ob.html), reproduced through our
 * own signing path: LocalSigner from the vector's key → signDocument → @digitalbazaar/vc + eddsa-rdfc-2022.
 */
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const vectorSigner = () => recordingVectorSigner(vector.keys_hex.Private);

describe('official OB 3.0 eddsa-rdfc-2022 test vector', () => {
  it('derives the vector key and its Multikey id from the seed', async () => {
    // Prepare
    const { inner } = vectorSigner();

    // Act
    const publicKey = hex(await inner.publicKey());

    // Assess
    expect(publicKey).toBe(vector.keys_hex.Public);
    expect(inner.keyId).toBe(vector.multikey.publicKeyMultibase);
  });

  it('reproduces the canonical hashes, the signature and the proofValue byte for byte', async () => {
    // Prepare
    const { signer, calls } = vectorSigner();
    const issuerId = vector.Credential.issuer.id;

    // Act
    const signed = await signDocument(vector.Credential, signer, { issuerDid: issuerId, created: vector.Proof.created });

    // Assess: the signer got hash(proof config) ‖ hash(document), exactly the vector's "data to sign".
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.message).toHaveLength(64);
    expect(hex(call!.message.subarray(0, 32))).toBe(vector['Proof hash (hex)']);
    expect(hex(call!.message.subarray(32))).toBe(vector['Document hash (hex)']);
    expect(hex(call!.message)).toBe(vector['Data to sign (hex)']);
    expect(hex(call!.signature)).toBe(vector['Signature (hex)']);
    expect(signed.proof).toEqual([vector.Proof]);
    expect(signed.proof[0]?.proofValue).toBe(vector['Proof value (hex)']);
    expect({ ...signed, proof: signed.proof[0] }).toEqual(vector['Signed credential']);
  });

  it('does not modify the document it signs', async () => {
    // Prepare
    const { signer } = vectorSigner();
    const before = structuredClone(vector.Credential);

    // Act
    await signDocument(vector.Credential, signer, { created: vector.Proof.created });

    // Assess
    expect(vector.Credential).toEqual(before);
    expect('proof' in vector.Credential).toBe(false);
  });

  it('gives a different proofValue for another created date (the date is signed)', async () => {
    // Prepare
    const { signer } = vectorSigner();

    // Act
    const signed = await signDocument(vector.Credential, signer, { created: '2010-01-01T19:23:25Z' });

    // Assess
    expect(signed.proof[0]?.created).toBe('2010-01-01T19:23:25Z');
    expect(signed.proof[0]?.proofValue).not.toBe(vector['Proof value (hex)']);
  });
});
