/**
 * Data Integrity signing (`DataIntegrityProof`, cryptosuite `eddsa-rdfc-2022`) through @digitalbazaar/vc, with the
 * key behind our `Signer` port (KMS in AWS, a key file locally). The cryptosuite canonicalises (RDFC-1.0) and hands
 * the signer the 64 bytes sha256(c14n proof config) ‖ sha256(c14n document); the port signs them as plain Ed25519
 * (KMS: ED25519_SHA_512, MessageType RAW), which is exactly what eddsa-rdfc-2022 specifies.
 */
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { CredentialIssuancePurpose, issue } from '@digitalbazaar/vc';
import type { Signer } from '#ports/signer';
import { type DocumentLoader, type JsonObject, staticDocumentLoader } from './document-loader';
import { verificationMethodId } from './multikey';

export type DataIntegrityProofObject = {
  type: 'DataIntegrityProof';
  created?: string;
  verificationMethod: string;
  cryptosuite: string;
  proofPurpose: string;
  proofValue: string;
};

export type Signed<T> = Omit<T, 'proof'> & { proof: DataIntegrityProofObject[] };

export type SignOptions = {
  /** The issuer's DID; the verification method is `<issuerDid>#<signer.keyId>`. Defaults to the document's issuer. */
  issuerDid?: string;
  /** Overrides the verification method entirely (e.g. a test vector's). */
  verificationMethod?: string;
  /** The proof's `created`; now by default. */
  created?: Date | string;
  /** Defaults to the static loader (bundled contexts only): signing never needs a DID document. */
  documentLoader?: DocumentLoader;
};

/** Adapts the port to the signer shape Data Integrity suites call: `sign({data})` → signature bytes. */
export const dataIntegritySigner = (signer: Signer, verificationMethod: string): DigitalBazaarSigner => ({
  id: verificationMethod,
  algorithm: 'Ed25519',
  sign: async ({ data }) => {
    const signature = await signer.sign(data);
    if (signature.length !== 64) throw new Error(`The signer returned ${signature.length} bytes; an Ed25519 signature has 64.`);
    return signature;
  },
});

const issuerIdOf = (document: JsonObject): string | undefined => {
  const { issuer } = document;
  if (typeof issuer === 'string') return issuer;
  if (typeof issuer === 'object' && issuer !== null && typeof (issuer as JsonObject)['id'] === 'string') {
    return (issuer as JsonObject)['id'] as string;
  }
  return undefined;
};

const isProof = (value: unknown): value is DataIntegrityProofObject =>
  typeof value === 'object' && value !== null && typeof (value as JsonObject)['proofValue'] === 'string';

/** The library gives a single proof as an object; the OB schema (and Merit) always want an array. */
const proofsOf = (proof: unknown): DataIntegrityProofObject[] => {
  const proofs = Array.isArray(proof) ? proof : [proof];
  if (!proofs.every(isProof)) throw new Error('Signing produced no usable proof.');
  return proofs;
};

/**
 * Signs any verifiable credential (the OB credential, the BitstringStatusListCredential, a CLR) with one
 * `eddsa-rdfc-2022` DataIntegrityProof, `proofPurpose: assertionMethod`. The input is not modified; the result's
 * `proof` is always an array (an existing proof set is kept and the new proof appended).
 */
export const signDocument = async <T extends JsonObject>(document: T, signer: Signer, options: SignOptions = {}): Promise<Signed<T>> => {
  const issuerDid = options.issuerDid ?? issuerIdOf(document);
  const verificationMethod = options.verificationMethod ?? (issuerDid ? verificationMethodId(issuerDid, signer.keyId) : undefined);
  if (!verificationMethod) throw new TypeError('Cannot sign: no issuer DID (options.issuerDid or document.issuer) to name the key.');
  const suite = new DataIntegrityProof({
    signer: dataIntegritySigner(signer, verificationMethod),
    date: options.created ?? new Date(),
    cryptosuite: eddsaRdfc2022,
  });
  const credential = structuredClone(document) as JsonObject;
  if (credential['proof'] !== undefined) credential['proof'] = proofsOf(credential['proof']);
  const signed = await issue({
    credential,
    suite,
    purpose: new CredentialIssuancePurpose(),
    documentLoader: options.documentLoader ?? staticDocumentLoader,
  });
  return { ...signed, proof: proofsOf(signed['proof']) } as Signed<T>;
};

/** Signs an OpenBadgeCredential (or AchievementCredential); see {@link signDocument}. */
export const signCredential = async <T extends JsonObject>(
  credential: T,
  signer: Signer,
  options: SignOptions = {},
): Promise<Signed<T>> => {
  const types = Array.isArray(credential['type']) ? credential['type'] : [credential['type']];
  if (!types.includes('OpenBadgeCredential') && !types.includes('AchievementCredential')) {
    throw new TypeError('signCredential signs OpenBadgeCredentials; use signDocument for other credentials.');
  }
  return signDocument(credential, signer, options);
};
