/**
 * The verifier's bounds (DESIGN §2 "Rules of the verifier", bounded work). `/verify` is public and unauthenticated,
 * and schema validation, JSON-LD expansion and canonicalisation cost time in proportion to a document's size, so
 * every credential is measured here — walking plain JSON, with an early stop — before any of that work begins. A
 * credential past a cap is answered `verified: false` with the reason, in milliseconds.
 *
 * Counting: a JSON value is every object, array, string, number, boolean or null (so `{"a": [1, 2]}` holds 4). A
 * real Open Badge holds 100–400; the official OB 3.0 "full" example about 300. JSON-LD nodes and the quads that
 * canonicalisation sorts are bounded by the number of JSON values, since every context is bundled and static.
 * Why 2,000 (DESIGN suggests "e.g. 5,000"): every proof canonicalises the whole document again, and a signed
 * credential of 4,700 values took 200–400 ms per proof here (2 cores), so ten of them would hold the function for
 * seconds; at 2,000 values one proof costs tens of milliseconds. The proof work — values × proofs — is capped too.
 *
 * A CLR (`ClrCredential`) may be up to 2 MiB and 10,000 values as a whole; each credential embedded in
 * `credentialSubject.verifiableCredential` is measured on its own, as is the CLR without them.
 */
import { asArray, isObject, type JsonObject } from './types';

export const verifyBounds = {
  /** JSON text of one credential (an embedded credential of a CLR counts on its own). */
  maxCredentialBytes: 256 * 1024,
  /** JSON text of a whole CLR, embedded credentials included; also the JSON body cap of the public routes. */
  maxClrBytes: 2 * 1024 * 1024,
  /** Nesting levels (a real OB/CLR credential is well under 20). */
  maxDepth: 64,
  /** JSON values (objects, arrays and scalars) of one credential. */
  maxNodes: 2_000,
  /** JSON values of a whole CLR: canonicalising it costs in proportion to all of them, embedded credentials included. */
  maxClrNodes: 10_000,
  /** JSON values × proofs: each proof canonicalises the whole document (a CLR at 10,000 values may carry 2). */
  maxProofWork: 20_000,
  /** Proofs of one credential (a proof set or chain of co-signers is a handful). */
  maxProofs: 10,
  /** `credentialStatus` entries of one credential. */
  maxStatusEntries: 3,
  /** Outbound fetches (documents, not counting redirect hops) one verification may make; cache hits are free. */
  maxFetches: 4,
  /** Wall-clock time all of one verification's outbound fetches share, redirects and bodies included. */
  fetchDeadlineMs: 3_000,
  /** Largest fetched document (DID document, status list), read as a stream and cut here. */
  maxFetchedBytes: 256 * 1024,
  /** Redirect hops one fetch may follow, each checked like the first. */
  maxRedirects: 3,
} as const;

const kib = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString('en-US')} KiB`;

/**
 * Counts JSON values and nesting depth, stopping as soon as either cap is passed (so the walk itself is bounded):
 * the problem, or the number of values.
 */
const shapeProblem = (value: unknown, what: string, maxNodes: number = verifyBounds.maxNodes): string | number => {
  const pending: Array<[unknown, number]> = [[value, 1]];
  let nodes = 0;
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (++nodes > maxNodes) {
      return `${what} is too large to check: it holds more than ${maxNodes.toLocaleString('en-US')} JSON values (a real badge holds a few hundred).`;
    }
    if (typeof node !== 'object' || node === null) continue;
    if (depth > verifyBounds.maxDepth) return `${what} is nested more than ${verifyBounds.maxDepth} levels deep.`;
    for (const child of Array.isArray(node) ? node : Object.values(node)) pending.push([child, depth + 1]);
  }
  return nodes;
};

const proofWorkProblem = (what: string, proofs: number, nodes: number): string | undefined =>
  proofs * nodes > verifyBounds.maxProofWork
    ? `${what} carries ${proofs} proofs over ${nodes.toLocaleString('en-US')} JSON values; checking them all would take too long (at most ${verifyBounds.maxProofWork.toLocaleString('en-US')} values × proofs).`
    : undefined;

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

/** One credential (or a CLR without its embedded credentials) against the per-credential caps. */
const credentialProblem = (credential: JsonObject, what: string): string | undefined => {
  // Counts first (constant time, and the most precise message), then the walk, then the text size.
  const proofs = asArray(credential['proof']).length;
  if (proofs > verifyBounds.maxProofs)
    return `${what} carries ${proofs.toLocaleString('en-US')} proofs; at most ${verifyBounds.maxProofs} are checked.`;
  const entries = asArray(credential['credentialStatus']).length;
  if (entries > verifyBounds.maxStatusEntries)
    return `${what} has ${entries.toLocaleString('en-US')} status entries; at most ${verifyBounds.maxStatusEntries} are checked.`;
  const nodes = shapeProblem(credential, what);
  if (typeof nodes === 'string') return nodes;
  // Measured only once the value count is known to be small, so serialising is cheap.
  const bytes = jsonBytes(credential);
  if (bytes > verifyBounds.maxCredentialBytes)
    return `${what} is ${kib(bytes)} of JSON; a credential may be at most ${kib(verifyBounds.maxCredentialBytes)}.`;
  return proofWorkProblem(what, proofs, nodes);
};

const isClr = (credential: JsonObject): boolean => asArray(credential['type']).includes('ClrCredential');

/**
 * Why `credential` is past the verifier's bounds, or `undefined` when it is within them. Pure, and bounded itself:
 * it stops at the first cap passed.
 */
export const boundsProblem = (credential: JsonObject): string | undefined => {
  const subject = credential['credentialSubject'];
  const embedded =
    isClr(credential) && isObject(subject) && Array.isArray(subject['verifiableCredential']) ? subject['verifiableCredential'] : undefined;
  if (!embedded || !isObject(subject)) return credentialProblem(credential, 'The credential');
  // A CLR: the whole (its own ceiling), its own part, then each embedded credential.
  const whole = shapeProblem(credential, 'The CLR', verifyBounds.maxClrNodes);
  if (typeof whole === 'string') return whole;
  const own = credentialProblem({ ...credential, credentialSubject: { ...subject, verifiableCredential: [] } }, 'The CLR');
  if (own) return own;
  for (const [index, inner] of embedded.entries()) {
    // Not an object: the walk of the whole already bounded it, and the schema check says what is wrong with it.
    const problem = isObject(inner) ? credentialProblem(inner, `Credential ${index + 1} of the CLR`) : undefined;
    if (problem) return problem;
  }
  const bytes = jsonBytes(credential);
  if (bytes > verifyBounds.maxClrBytes) return `The CLR is ${kib(bytes)} of JSON; a CLR may be at most ${kib(verifyBounds.maxClrBytes)}.`;
  return proofWorkProblem('The CLR', asArray(credential['proof']).length, whole);
};
