/**
 * OB 3.0 IdentityObjects: the learner is named in a credential by a salted hash, never by a plain e-mail or student
 * number. IdentityHash (OB 3.0 §B, "IdentityHash"): `<algorithm>$<hex>` where the hash is computed over the UTF-8
 * identifier with the salt appended — the spec's own example is sha256('a@example.com' + 'Kosher') =
 * `sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399`. Algorithms: `sha256` and `md5`;
 * hex in either case.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The OB 3.0 IdentifierTypeEnum values Merit issues (the enum has more; `ext:` types are allowed too). */
export type HashedIdentityType = 'identifier' | 'emailAddress' | 'sisSourcedId' | 'sourcedId';

export type HashedIdentityObject = {
  type: 'IdentityObject';
  identityType: HashedIdentityType;
  hashed: true;
  salt: string;
  identityHash: string;
};

export type NameIdentityObject = {
  type: 'IdentityObject';
  identityType: 'name';
  hashed: false;
  identityHash: string;
};

export type IdentityObject = HashedIdentityObject | NameIdentityObject;

/** A fresh random salt: 16 bytes as hex. One per credential, so the same learner's credentials are not linkable. */
export const newSalt = (): string => randomBytes(16).toString('hex');

/**
 * The form an identifier is hashed in: trimmed; e-mail addresses also lower-cased (mail systems treat them
 * case-insensitively, and the learner or a verifier will type them in any case).
 */
export const normalizeIdentifier = (identityType: string, value: string): string => {
  const trimmed = value.trim();
  return identityType === 'emailAddress' ? trimmed.toLowerCase() : trimmed;
};

/** `sha256$` + lowercase hex of sha256(UTF-8(value + salt)), exactly as OB 3.0 IdentityHash defines it. */
export const identityHash = (value: string, salt: string): string =>
  `sha256$${createHash('sha256')
    .update(value + salt, 'utf8')
    .digest('hex')}`;

/** A hashed IdentityObject for `value` (normalised first), with a fresh salt unless one is given. */
export const hashedIdentityObject = (identityType: HashedIdentityType, value: string, salt: string = newSalt()): HashedIdentityObject => {
  const normalized = normalizeIdentifier(identityType, value);
  if (normalized === '') throw new TypeError(`The ${identityType} to hash is empty.`);
  return { type: 'IdentityObject', identityType, hashed: true, salt, identityHash: identityHash(normalized, salt) };
};

/** The learner's display name as a plain (unhashed) IdentityObject. */
export const nameIdentityObject = (name: string): NameIdentityObject => ({
  type: 'IdentityObject',
  identityType: 'name',
  hashed: false,
  identityHash: name.trim(),
});

/** What a verifier knows about the recipient: a plaintext value and (optionally) its type. */
export type KnownIdentifier = {
  value: string;
  /** When given, only IdentityObjects of this type are compared (OB 3.0 "Verify the Recipient Using an Identifier"). */
  identityType?: string;
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const sameText = (a: string, b: string): boolean => {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
};

const digest = (algorithm: 'sha256' | 'md5', text: string): string => createHash(algorithm).update(text, 'utf8').digest('hex');

/** Candidate plaintexts for a known value: as given (trimmed) and, for e-mail, lower-cased too. */
const candidates = (identityType: string, value: string): string[] => [
  ...new Set([value.trim(), normalizeIdentifier(identityType, value)]),
];

/**
 * Does the known identifier match this IdentityObject? Accepts any JSON (it comes from a credential being verified):
 * anything that is not a well-formed IdentityObject simply does not match.
 */
export const matchesIdentityObject = (identityObject: unknown, known: KnownIdentifier): boolean => {
  if (!isRecord(identityObject)) return false;
  const { identityType, hashed, salt, identityHash: stored } = identityObject;
  if (typeof identityType !== 'string' || typeof stored !== 'string') return false;
  if (known.identityType !== undefined && known.identityType !== identityType) return false;
  // A name is a label, not proof of who someone is: compared only when the verifier asks for a name explicitly.
  if (known.identityType === undefined && identityType === 'name') return false;
  if (known.value.trim() === '') return false;
  if (hashed === false) return candidates(identityType, known.value).some((value) => sameText(value, stored.trim()));
  if (hashed !== true) return false;
  const separator = stored.indexOf('$');
  const algorithm = stored.slice(0, separator).toLowerCase();
  const hex = stored.slice(separator + 1).toLowerCase();
  if (separator <= 0 || (algorithm !== 'sha256' && algorithm !== 'md5')) return false;
  const saltText = typeof salt === 'string' ? salt : '';
  return candidates(identityType, known.value).some((value) => sameText(digest(algorithm, value + saltText), hex));
};

/**
 * The optional `recipient` check of verification: does the known identifier match the credential's subject — one of
 * its `identifier` IdentityObjects, or its `id`?
 */
export const recipientMatches = (credential: unknown, known: KnownIdentifier): boolean => {
  if (!isRecord(credential)) return false;
  const subjects = Array.isArray(credential['credentialSubject']) ? credential['credentialSubject'] : [credential['credentialSubject']];
  return subjects.some((subject) => {
    if (!isRecord(subject)) return false;
    if (typeof subject['id'] === 'string' && known.identityType === undefined && sameText(subject['id'], known.value.trim())) return true;
    const identifiers = Array.isArray(subject['identifier']) ? subject['identifier'] : [subject['identifier']];
    return identifiers.some((identifier) => matchesIdentityObject(identifier, known));
  });
};
