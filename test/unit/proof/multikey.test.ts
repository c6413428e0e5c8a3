import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  didDocumentForIssuer,
  didWebForIssuer,
  publicKeyMultibaseFromRaw,
  rawFromPublicKeyMultibase,
  rawFromSpki,
  spkiFromRaw,
} from '#domain/proof/multikey';
import vector from '../../fixtures/ob3/official/test-vectors/ob-eddsa-rdfc-2022-test-vector.json' with { type: 'json' };

const vectorPublicKey = new Uint8Array(Buffer.from(vector.keys_hex.Public, 'hex'));

describe('Multikey encoding', () => {
  it('encodes the test vector public key as its official publicKeyMultibase, and back', () => {
    // Prepare / Act
    const multibase = publicKeyMultibaseFromRaw(vectorPublicKey);
    const raw = rawFromPublicKeyMultibase(multibase);

    // Assess
    expect(multibase).toBe(vector.multikey.publicKeyMultibase);
    expect(Buffer.from(raw).toString('hex')).toBe(vector.keys_hex.Public);
  });

  it('refuses keys of the wrong size or type', () => {
    // Prepare
    const x25519Multibase = 'z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc';

    // Act / Assess
    expect(() => publicKeyMultibaseFromRaw(new Uint8Array(31))).toThrow('32 bytes');
    expect(() => rawFromPublicKeyMultibase(x25519Multibase)).toThrow('not an Ed25519');
    expect(() => rawFromPublicKeyMultibase('uAAAA')).toThrow('base58btc');
  });

  it('extracts the raw key from SPKI DER (the form KMS GetPublicKey returns), as node:crypto sees it', () => {
    // Prepare
    const { publicKey } = generateKeyPairSync('ed25519');
    const der = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
    const jwkX = publicKey.export({ format: 'jwk' }).x;

    // Act
    const raw = rawFromSpki(der);

    // Assess
    expect(Buffer.from(raw).toString('base64url')).toBe(jwkX);
    expect(spkiFromRaw(raw)).toEqual(der);
  });

  it('refuses SPKI of another algorithm', () => {
    // Prepare
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const der = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));

    // Act / Assess
    expect(() => rawFromSpki(der)).toThrow('Ed25519');
  });
});

describe('did:web for issuers', () => {
  it('names the issuer under the deployment host, percent-encoding a port, keeping a base path', () => {
    // Prepare / Act / Assess
    expect(didWebForIssuer('https://credentials.district.org', 'lincoln-high')).toBe(
      'did:web:credentials.district.org:issuers:lincoln-high',
    );
    expect(didWebForIssuer('http://localhost:3000', 'demo')).toBe('did:web:localhost%3A3000:issuers:demo');
    expect(didWebForIssuer('https://abc.execute-api.us-east-1.amazonaws.com/prod/', 'd1')).toBe(
      'did:web:abc.execute-api.us-east-1.amazonaws.com:prod:issuers:d1',
    );
  });

  it('builds a DID document listing every key as a Multikey assertion method, current key first', () => {
    // Prepare
    const did = 'did:web:credentials.district.org:issuers:lincoln-high';
    const retired = new Uint8Array(32).fill(7);

    // Act
    const document = didDocumentForIssuer({
      did,
      keys: [
        { keyId: 'kms-new', publicKey: vectorPublicKey },
        { keyId: 'kms-old', publicKey: retired },
        { keyId: 'kms-new', publicKey: vectorPublicKey },
      ],
    });

    // Assess
    expect(document).toEqual({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: did,
      verificationMethod: [
        { id: `${did}#kms-new`, type: 'Multikey', controller: did, publicKeyMultibase: vector.multikey.publicKeyMultibase },
        { id: `${did}#kms-old`, type: 'Multikey', controller: did, publicKeyMultibase: publicKeyMultibaseFromRaw(retired) },
      ],
      assertionMethod: [`${did}#kms-new`, `${did}#kms-old`],
    });
  });
});
