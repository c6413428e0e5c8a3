/**
 * Embedded proofs: `DataIntegrityProof` with `eddsa-rdfc-2022` or `eddsa-2022`, and `Ed25519Signature2020`,
 * verified by the Digital Bazaar suites through @digitalbazaar/vc with the static document loader. The only
 * non-context document the loader can answer is the issuer's own controller document (its trusted view, passed in):
 * a key is trusted only when that document lists it under `assertionMethod`, and its controller must be the issuer.
 */

import { createPublicKey, type KeyObject, verify as verifyEd25519 } from 'node:crypto';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import { cryptosuite as eddsa2022 } from '@digitalbazaar/eddsa-2022-cryptosuite';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { verifyCredential } from '@digitalbazaar/vc';
import { LRUCache } from 'lru-cache';
import { createDocumentLoader, resolverFor } from '#domain/proof/document-loader';
import { spkiFromRaw } from '#domain/proof/multikey';
import { withoutFragment } from './controller';
import { asArray, isObject, type JsonObject, quote } from './types';

type SupportedProof = { type: 'DataIntegrityProof'; cryptosuite: 'eddsa-rdfc-2022' | 'eddsa-2022' } | { type: 'Ed25519Signature2020' };

const describeProof = (proof: JsonObject): string =>
  proof['type'] === 'DataIntegrityProof'
    ? `DataIntegrityProof (${quote(proof['cryptosuite'] ?? 'no cryptosuite', 40)})`
    : quote(proof['type'] ?? 'untyped', 60);

const supported = (proof: JsonObject): SupportedProof | undefined => {
  if (proof['type'] === 'Ed25519Signature2020') return { type: 'Ed25519Signature2020' };
  if (proof['type'] === 'DataIntegrityProof' && (proof['cryptosuite'] === 'eddsa-rdfc-2022' || proof['cryptosuite'] === 'eddsa-2022')) {
    return { type: 'DataIntegrityProof', cryptosuite: proof['cryptosuite'] };
  }
  return undefined;
};

/** The proofs of a credential, or a message saying why there is nothing to check. */
export const embeddedProofs = (credential: JsonObject): JsonObject[] | { problem: string } => {
  const proofs = asArray(credential['proof']);
  if (proofs.length === 0)
    return { problem: 'The credential is not signed: it has no proof, so nothing shows who issued it or that it is unchanged.' };
  if (!proofs.every(isObject)) return { problem: 'The credential\'s "proof" is not an object or a list of objects.' };
  return proofs;
};

/**
 * Checks that can be made before any cryptography, with precise messages: a supported suite, the assertion purpose,
 * and a key that the issuer's own document lists under `assertionMethod`.
 */
export const proofShapeProblem = (proofs: readonly JsonObject[], issuerId: string, controller: JsonObject): string | undefined => {
  const assertion = new Set(asArray(controller['assertionMethod']));
  for (const proof of proofs) {
    if (!supported(proof)) {
      return `The credential is signed with ${describeProof(proof)}, which Merit cannot check (it checks DataIntegrityProof eddsa-rdfc-2022 and eddsa-2022, and Ed25519Signature2020).`;
    }
    if (proof['proofPurpose'] !== 'assertionMethod')
      return `The proof's purpose is ${quote(proof['proofPurpose'] ?? 'missing', 40)}, not "assertionMethod": it does not assert the credential.`;
    const method = isObject(proof['verificationMethod']) ? proof['verificationMethod']['id'] : proof['verificationMethod'];
    if (typeof method !== 'string' || method === '') return 'The proof does not name the key that made it (no verificationMethod).';
    if (withoutFragment(method) !== issuerId) {
      return `The credential was signed with the key ${quote(method)}, which is not in its issuer's own document (${quote(issuerId)}): it was not signed by the issuer.`;
    }
    if (!assertion.has(method)) {
      return `The credential was signed with the key ${quote(method)}, which its issuer (${quote(issuerId)}) does not list as one of its signing keys: it was not signed by the issuer.`;
    }
  }
  return undefined;
};

const messagesOf = (error: unknown): string[] => {
  const errors = Array.isArray(error) ? error : [error];
  return errors.flatMap((entry) => {
    if (!entry) return [];
    const nested = (entry as { errors?: unknown[] }).errors;
    const own = typeof (entry as Error).message === 'string' ? [(entry as Error).message] : [String(entry)];
    return Array.isArray(nested) && nested.length > 0 ? [...own, ...messagesOf(nested)] : own;
  });
};

/** Library errors, in words for a person. */
export const explainProofFailure = (error: unknown): string => {
  const messages = messagesOf(error);
  const has = (pattern: RegExp) => messages.find((message) => pattern.test(message));
  if (has(/Invalid signature/i)) return "The signature does not match the credential's content: it was changed after signing.";
  if (has(/not authorized by controller/i))
    return 'The key that signed the credential is not one its issuer lists for signing credentials.';
  if (has(/issuer must match the verification method controller/i))
    return 'The key that signed the credential belongs to someone other than its issuer.';
  if (has(/safe mode|undefined term|relative (type|property)|invalid (type|term)/i)) {
    return 'The credential holds properties that its JSON-LD contexts do not define, so what was signed cannot be established (a common sign of tampering).';
  }
  const context = has(/never fetches documents|not one of the bundled JSON-LD contexts|Unable to load|loading document failed/i);
  if (context) return `The credential refers to a document Merit does not have and will not download (${quote(context, 200)}).`;
  if (has(/No matching proofs|Did not verify any proofs/i)) return "None of the proofs could be checked with the issuer's keys.";
  const first = messages[0];
  if (first && /required|must|property|date|"issuer"|credentialSubject|type/i.test(first))
    return `The credential is malformed: ${quote(first, 200)}`;
  return `The proof could not be verified${first ? `: ${quote(first, 200)}` : '.'}`;
};

type Ed25519Verifier = {
  id: string | undefined;
  algorithm: 'Ed25519';
  verify(options: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>;
};

const publicKeys = new LRUCache<string, KeyObject>({ max: 1_000 });

/**
 * The cryptosuites' own verifier (ed25519-multikey) imports the public key again at every check; this one reads the
 * verification method the same way (Ed25519Multikey.from) and keeps the imported key, per method id and key.
 */
const ed25519Verifier = async ({ verificationMethod }: { verificationMethod: unknown }): Promise<Ed25519Verifier> => {
  const method = isObject(verificationMethod) ? verificationMethod : {};
  const cacheKey = `${String(method['id'])} ${String(method['publicKeyMultibase'])}`;
  let publicKey = publicKeys.get(cacheKey);
  if (!publicKey) {
    const keyPair = await Ed25519Multikey.from(method);
    const { publicKey: raw } = (await keyPair.export({ raw: true })) as { publicKey?: Uint8Array };
    if (!raw) throw new Error('The verification method holds no Ed25519 public key.');
    publicKey = createPublicKey({ key: Buffer.from(spkiFromRaw(raw)), format: 'der', type: 'spki' });
    publicKeys.set(cacheKey, publicKey);
  }
  const key = publicKey;
  return {
    id: typeof method['id'] === 'string' ? method['id'] : undefined,
    algorithm: 'Ed25519',
    verify: async ({ data, signature }) => verifyEd25519(null, data, key, signature),
  };
};

const suites = () => [
  new DataIntegrityProof({ cryptosuite: { ...eddsaRdfc2022, createVerifier: ed25519Verifier } }),
  new DataIntegrityProof({ cryptosuite: { ...eddsa2022, createVerifier: ed25519Verifier }, legacyContext: true }),
  new Ed25519Signature2020(),
];

type VerifyOptions = Omit<Parameters<typeof verifyCredential>[0], 'suite'> & { suite: unknown[]; maxClockSkew: number };
const verify = verifyCredential as unknown as (options: VerifyOptions) => ReturnType<typeof verifyCredential>;

/**
 * Verifies every embedded proof of `credential` against the issuer's trusted controller document. Validity dates and
 * status are separate checks of the verifier, so the library's own date checks are neutralised (huge clock skew) and
 * its status hook always passes. Resolves to `undefined` when every proof verifies, or the reason it does not.
 */
export const dataIntegrityProblem = async (
  credential: JsonObject,
  issuerId: string,
  controller: JsonObject,
): Promise<string | undefined> => {
  const proofs = embeddedProofs(credential);
  if ('problem' in proofs) return proofs.problem;
  const shape = proofShapeProblem(proofs, issuerId, controller);
  if (shape) return shape;
  try {
    const result = await verify({
      credential: structuredClone(credential),
      suite: suites(),
      documentLoader: createDocumentLoader({ resolve: resolverFor([controller]) }),
      checkStatus: async () => ({ verified: true }),
      maxClockSkew: Number.MAX_SAFE_INTEGER / 1000,
    });
    const results = result.results ?? [];
    if (result.verified && results.length === proofs.length && results.every((entry) => entry.verified)) return undefined;
    const failure = results.find((entry) => !entry.verified)?.error ?? result.error;
    if (result.verified && !failure) return 'One of the proofs could not be checked.';
    return explainProofFailure(failure);
  } catch (error) {
    return explainProofFailure(error);
  }
};
