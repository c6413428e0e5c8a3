/**
 * Ed25519 public keys as W3C Multikey (`publicKeyMultibase`), as the SPKI DER that KMS GetPublicKey returns, and the
 * did:web DID document that lists them for an issuer.
 */
import { decode as base58Decode, encode as base58Encode } from 'base58-universal';
import { contextUrls } from './context-urls';

/** Multicodec `ed25519-pub` (0xed) as an unsigned varint: 0xed 0x01. */
const ed25519PublicKeyHeader = Uint8Array.of(0xed, 0x01);

/** DER prefix of every Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING }. */
const ed25519SpkiPrefix = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00);

export const ed25519PublicKeyLength = 32;

const startsWith = (bytes: Uint8Array, prefix: Uint8Array): boolean => prefix.every((byte, index) => bytes[index] === byte);

const assertRawKey = (publicKey: Uint8Array): void => {
  if (publicKey.length !== ed25519PublicKeyLength) {
    throw new TypeError(`An Ed25519 public key has ${ed25519PublicKeyLength} bytes, not ${publicKey.length}.`);
  }
};

/** `z` + base58btc(0xed 0x01 ‖ 32-byte key), e.g. `z6Mk…`. */
export const publicKeyMultibaseFromRaw = (publicKey: Uint8Array): string => {
  assertRawKey(publicKey);
  const bytes = new Uint8Array(ed25519PublicKeyHeader.length + publicKey.length);
  bytes.set(ed25519PublicKeyHeader, 0);
  bytes.set(publicKey, ed25519PublicKeyHeader.length);
  return `z${base58Encode(bytes)}`;
};

/** The raw 32-byte key of an Ed25519 `publicKeyMultibase`; throws on any other encoding or key type. */
export const rawFromPublicKeyMultibase = (publicKeyMultibase: string): Uint8Array => {
  if (!publicKeyMultibase.startsWith('z')) throw new TypeError('publicKeyMultibase must be base58btc (start with "z").');
  const bytes = base58Decode(publicKeyMultibase.slice(1));
  if (!startsWith(bytes, ed25519PublicKeyHeader) || bytes.length !== ed25519PublicKeyHeader.length + ed25519PublicKeyLength) {
    throw new TypeError('publicKeyMultibase is not an Ed25519 public key (multicodec 0xed01 + 32 bytes).');
  }
  return bytes.slice(ed25519PublicKeyHeader.length);
};

/** The raw key inside an Ed25519 SPKI DER (what KMS GetPublicKey returns for ECC_NIST_EDWARDS25519). */
export const rawFromSpki = (der: Uint8Array): Uint8Array => {
  if (der.length !== ed25519SpkiPrefix.length + ed25519PublicKeyLength || !startsWith(der, ed25519SpkiPrefix)) {
    throw new TypeError('Not an Ed25519 SubjectPublicKeyInfo (expected 44 DER bytes, OID 1.3.101.112).');
  }
  return der.slice(ed25519SpkiPrefix.length);
};

/** The Ed25519 SPKI DER of a raw key (the inverse of {@link rawFromSpki}). */
export const spkiFromRaw = (publicKey: Uint8Array): Uint8Array => {
  assertRawKey(publicKey);
  const der = new Uint8Array(ed25519SpkiPrefix.length + publicKey.length);
  der.set(ed25519SpkiPrefix, 0);
  der.set(publicKey, ed25519SpkiPrefix.length);
  return der;
};

/**
 * `did:web:<host>[%3A<port>][:<path segments>]:issuers:<issuerId>` for the deployment at `baseUrl`; by did:web rules
 * it resolves to `<baseUrl>/issuers/<issuerId>/did.json`, which is the route that serves the DID document.
 */
export const didWebForIssuer = (baseUrl: string, issuerId: string): string => {
  const url = new URL(baseUrl);
  const host = url.port ? `${url.hostname}%3A${url.port}` : url.hostname;
  const path = url.pathname.split('/').filter(Boolean).map(encodeURIComponent);
  return ['did:web', host, ...path, 'issuers', encodeURIComponent(issuerId)].join(':');
};

/** `<did>#<keyId>`: the `verificationMethod` of a proof made with that key. */
export const verificationMethodId = (did: string, keyId: string): string => `${did}#${keyId}`;

export type MultikeyVerificationMethod = {
  id: string;
  type: 'Multikey';
  controller: string;
  publicKeyMultibase: string;
};

export type DidDocument = {
  '@context': [typeof contextUrls.didV1, typeof contextUrls.multikeyV1];
  id: string;
  verificationMethod: MultikeyVerificationMethod[];
  assertionMethod: string[];
};

export type IssuerKey = {
  /** The verification method's fragment (the Signer's `keyId`). */
  keyId: string;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
};

/**
 * The issuer's DID document: every key (current first, retired ones after, so old credentials keep verifying) as a
 * `Multikey` verification method, all of them listed under `assertionMethod`. A repeated keyId is listed once.
 */
export const didDocumentForIssuer = (options: { did: string; keys: readonly IssuerKey[] }): DidDocument => {
  const { did } = options;
  if (options.keys.length === 0) throw new TypeError('A DID document needs at least one key.');
  const seen = new Set<string>();
  const verificationMethod: MultikeyVerificationMethod[] = [];
  for (const key of options.keys) {
    if (seen.has(key.keyId)) continue;
    seen.add(key.keyId);
    verificationMethod.push({
      id: verificationMethodId(did, key.keyId),
      type: 'Multikey',
      controller: did,
      publicKeyMultibase: publicKeyMultibaseFromRaw(key.publicKey),
    });
  }
  return {
    '@context': [contextUrls.didV1, contextUrls.multikeyV1],
    id: did,
    verificationMethod,
    assertionMethod: verificationMethod.map((method) => method.id),
  };
};
