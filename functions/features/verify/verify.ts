/**
 * The verifier (DESIGN §2 "Verification"): parse → schema → proof → status → validity → recipient, each a named
 * check with a message for a person. Keys are trusted only from their controller's own document: Merit's own issuers
 * from the store (the same DID document `GET /issuers/{id}/did.json` serves), did:key locally, did:web and HTTPS
 * controllers through the KeyResolver port. Bad input never throws: it yields `verified: false` with the reason.
 */

import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Dependencies, DistrictSettings } from '#config/dependencies';
import { issuerDid } from '#domain/profiles';
import { getBit } from '#domain/status-list';
import { boundsProblem, verifyBounds } from '#domain/verify/bounds';
import { recipientCheck, schemaCheck, validityCheck } from '#domain/verify/checks';
import { controllerView, didKeyDocument, didWebUrl } from '#domain/verify/controller';
import { jwtSignatureProblem } from '#domain/verify/jwt';
import type { Presented } from '#domain/verify/parse';
import { dataIntegrityProblem } from '#domain/verify/proof';
import { bitInListCredential, revokedInRevocationList, type StatusEntry, setBitMessage, statusEntriesOf } from '#domain/verify/status';
import {
  type Check,
  type CredentialSummary,
  failed,
  isObject,
  issuerIdOf,
  type JsonObject,
  passed,
  quote,
  type RecipientQuery,
  type VerificationReport,
} from '#domain/verify/types';
import { issuerDidDocument } from '#features/issuers/issuers';
import { learnerPseudonym } from '#features/learners/pseudonym';
import type { FetchBudget, KeyResolver } from '#ports/key-resolver';
import type { IssuerStore, StatusListStore } from '#ports/store';

/** What the verifier needs; the full Dependencies satisfy it. `keyResolver` is how others' documents are found. */
export type VerifyDependencies = Pick<Dependencies, 'clock' | 'publicBaseUrl' | 'verificationKeys'> & {
  /** The deployment's pepper, for the recipient check's district pseudonym; without it only the bare id is compared. */
  district?: Pick<DistrictSettings, 'identifierPepper'>;
  store: { issuers: Pick<IssuerStore, 'get'>; statusLists: Pick<StatusListStore, 'get'> };
  keyResolver?: KeyResolver;
};

type Controller = { document: JsonObject } | { problem: string };

const ownIssuerId = /^[A-Za-z0-9_-]{1,128}$/;

const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
};

/** A verification's allowance of outbound fetches (DESIGN §2): a few documents, one shared deadline. */
export const newFetchBudget = (): FetchBudget => ({
  fetchesLeft: verifyBounds.maxFetches,
  deadline: Date.now() + verifyBounds.fetchDeadlineMs,
});

/**
 * The trusted view of the controller document of `issuerId`. Ours: from the store and the deployment's keys (never
 * over the network, even for our own host). did:key: built locally. did:web / https: through the resolver.
 */
export const trustedController = async (
  deps: VerifyDependencies,
  issuerId: string,
  budget: FetchBudget = newFetchBudget(),
): Promise<Controller> => {
  const baseUrl = await deps.publicBaseUrl();
  const ownPrefix = issuerDid(baseUrl, '');
  if (issuerId.startsWith(ownPrefix)) {
    const id = issuerId.slice(ownPrefix.length);
    const issuer = ownIssuerId.test(id) ? await deps.store.issuers.get(id) : undefined;
    if (!issuer) return { problem: `The issuer ${quote(issuerId)} is not one of this district's issuers.` };
    const view = controllerView(await issuerDidDocument(deps, issuer), issuerId);
    return view ? { document: view } : { problem: "The issuer's DID document could not be built." };
  }
  if (issuerId.startsWith('did:key:')) {
    const document = didKeyDocument(issuerId);
    return document
      ? { document: controllerView(document, issuerId)! }
      : { problem: `The issuer ${quote(issuerId)} is not an Ed25519 did:key, the only kind Merit can check.` };
  }
  let location: string | undefined;
  if (issuerId.startsWith('did:web:')) location = didWebUrl(issuerId);
  else if (issuerId.startsWith('https://') && !issuerId.includes('#')) location = issuerId;
  else if (issuerId.startsWith('did:'))
    return { problem: `The issuer ${quote(issuerId)} uses a DID method Merit cannot resolve (it resolves did:web and did:key).` };
  else return { problem: `The issuer's id ${quote(issuerId)} is neither a DID nor an HTTPS address, so its keys cannot be found.` };
  if (!location) return { problem: `The issuer's id ${quote(issuerId)} is not a valid did:web identifier.` };
  if (hostOf(location) === hostOf(baseUrl)) return { problem: `The issuer ${quote(issuerId)} is not one of this district's issuers.` };
  if (!deps.keyResolver) return { problem: `Merit is not set up to look up other issuers' keys, so ${quote(issuerId)} cannot be checked.` };
  // One message for every way a fetch fails (refused address, redirect, size, status, timeout, not JSON, not found):
  // telling them apart would turn the verifier into a probe of other people's networks.
  const unfetched = { problem: `The issuer's document (${quote(location)}) could not be fetched, so its keys cannot be checked.` };
  let document: JsonObject | undefined;
  try {
    document = await deps.keyResolver.resolveController(issuerId, budget);
  } catch {
    return unfetched;
  }
  if (!document) return unfetched;
  const view = controllerView(document, issuerId);
  return view
    ? { document: view }
    : { problem: `The document at ${quote(location)} is not the issuer's own document (its id is not ${quote(issuerId)}).` };
};

const proofCheck = async (
  presented: Extract<Presented, { ok: true }>,
  issuerId: string | undefined,
  controller: Controller | undefined,
): Promise<Check> => {
  if (!issuerId) return failed('proof', 'The credential names no issuer, so nobody vouches for it.');
  if (!controller || 'problem' in controller) return failed('proof', controller?.problem ?? 'The issuer could not be looked up.');
  const problem = presented.jwt
    ? await jwtSignatureProblem(presented.jwt, issuerId, controller.document)
    : await dataIntegrityProblem(presented.credential, issuerId, controller.document);
  if (problem) return failed('proof', problem);
  return passed(
    'proof',
    presented.jwt
      ? `Signed by its issuer (${quote(issuerId)}) and unchanged since (JWT ${quote(presented.jwt.header['alg'], 10)}).`
      : `Signed by its issuer (${quote(issuerId)}) and unchanged since.`,
  );
};

const ownListId = (baseUrl: string, listUrl: string): string | undefined => {
  const prefix = `${baseUrl}/status/`;
  if (!listUrl.startsWith(prefix)) return undefined;
  const id = listUrl.slice(prefix.length);
  return ownIssuerId.test(id) ? id : '';
};

const listIsCurrent = (list: JsonObject, now: Date): boolean => {
  const until = list['validUntil'] ?? list['expirationDate'];
  return typeof until !== 'string' || !(Date.parse(until) < now.getTime());
};

const verifiedLists = new LRUCache<string, true>({ max: 500 });

/**
 * A status list is shared by many credentials, so once its proof has verified against its issuer's document, the same
 * list under the same document is not checked again (the answer could not change). Failures are always re-checked.
 */
const statusListProofProblem = async (list: JsonObject, issuerId: string, controller: JsonObject): Promise<string | undefined> => {
  const key = createHash('sha256')
    .update(JSON.stringify([list, issuerId, controller]))
    .digest('base64');
  if (verifiedLists.has(key)) return undefined;
  const problem = await dataIntegrityProblem(list, issuerId, controller);
  if (problem) return problem;
  verifiedLists.set(key, true);
  return undefined;
};

/** One status entry: `undefined` when clear, else the reason the credential is not in good standing (or unknown). */
const entryProblem = async (
  deps: VerifyDependencies,
  entry: StatusEntry,
  context: {
    credential: JsonObject;
    issuerId: string;
    controller: Controller | undefined;
    proofOk: boolean;
    baseUrl: string;
    budget: FetchBudget;
  },
): Promise<string | undefined> => {
  if (entry.kind === 'unsupported') return entry.message;
  const url = entry.kind === 'bitstring' ? entry.listUrl : entry.url;
  const own = entry.kind === 'bitstring' ? ownListId(context.baseUrl, url) : undefined;
  if (own !== undefined) {
    // Our own list: the stored bits are the source of truth, so a revocation shows in the very next request.
    const list = own ? await deps.store.statusLists.get(own) : undefined;
    if (!list || entry.kind !== 'bitstring') return `The credential's status list (${quote(url)}) does not exist.`;
    if (issuerDid(context.baseUrl, list.issuerId) !== context.issuerId) return "The credential's status list belongs to another issuer.";
    if (entry.purpose !== 'revocation') return `This district's status lists are for revocation, not ${quote(entry.purpose, 40)}.`;
    if (entry.index >= list.bits.length * 8) return `The credential's status index ${entry.index} is outside its status list.`;
    return getBit(list.bits, entry.index) ? setBitMessage('revocation') : undefined;
  }
  if (!context.proofOk) return "Not checked, because the credential's proof failed.";
  if (!url.startsWith('https://')) return `The credential's status list address (${quote(url)}) is not HTTPS, so it cannot be trusted.`;
  if (!deps.keyResolver)
    return "Merit is not set up to fetch other issuers' status lists, so whether the credential was revoked is unknown.";
  // One message for every failure of the fetch, as for controller documents.
  const unfetched = `The issuer's status list (${quote(url)}) could not be fetched, so whether the credential was revoked is unknown.`;
  let document: JsonObject | undefined;
  try {
    document = await deps.keyResolver.resolveStatus(url, context.budget);
  } catch {
    return unfetched;
  }
  if (!document) return unfetched;
  const tooBig = boundsProblem(document);
  if (tooBig)
    return `The issuer's status list is past the verifier's bounds (${tooBig}), so whether the credential was revoked is unknown.`;
  if (entry.kind === 'revocationList') {
    const revoked = revokedInRevocationList(document, typeof context.credential['id'] === 'string' ? context.credential['id'] : undefined);
    if (typeof revoked === 'object') return `${revoked.problem} Whether the credential was revoked is unknown.`;
    return revoked ? 'The issuer has revoked this credential.' : undefined;
  }
  // Someone else's BitstringStatusListCredential: it must come from the same issuer and carry a valid proof.
  if (issuerIdOf(document) !== context.issuerId)
    return "The status list was not issued by the credential's issuer, so it cannot be trusted.";
  if (!context.controller || 'problem' in context.controller) return "The status list's issuer could not be looked up.";
  const signature = await statusListProofProblem(document, context.issuerId, context.controller.document);
  if (signature) return `The status list's proof does not verify (${signature}), so whether the credential was revoked is unknown.`;
  if (!listIsCurrent(document, deps.clock.now())) return 'The status list has expired, so whether the credential was revoked is unknown.';
  const bit = bitInListCredential(document, entry);
  if ('problem' in bit) return `${bit.problem} Whether the credential was revoked is unknown.`;
  return bit.set ? setBitMessage(entry.purpose) : undefined;
};

const statusCheck = async (
  deps: VerifyDependencies,
  context: {
    credential: JsonObject;
    issuerId: string | undefined;
    controller: Controller | undefined;
    proofOk: boolean;
    budget: FetchBudget;
  },
): Promise<Check> => {
  const entries = statusEntriesOf(context.credential);
  if (entries.length === 0) return passed('status', 'The credential has no status entry: its issuer cannot revoke it.');
  if (!context.issuerId) return failed('status', 'The credential names no issuer, so its status cannot be checked.');
  const baseUrl = await deps.publicBaseUrl();
  for (const entry of entries) {
    try {
      const problem = await entryProblem(deps, entry, { ...context, issuerId: context.issuerId, baseUrl });
      if (problem) return failed('status', problem);
    } catch {
      return failed(
        'status',
        "The credential's status could not be checked just now, so whether it was revoked is unknown; try again later.",
      );
    }
  }
  return passed('status', 'The issuer has not revoked or suspended the credential (checked just now).');
};

const stringOr = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export const summaryOf = (credential: JsonObject): CredentialSummary => {
  const issuer = credential['issuer'];
  const validFrom = stringOr(credential['validFrom']) ?? stringOr(credential['issuanceDate']);
  const validUntil = stringOr(credential['validUntil']) ?? stringOr(credential['expirationDate']);
  const name =
    stringOr(credential['name']) ??
    (isObject(credential['credentialSubject']) && isObject(credential['credentialSubject']['achievement'])
      ? stringOr(credential['credentialSubject']['achievement']['name'])
      : undefined);
  return {
    ...(stringOr(credential['id']) ? { id: stringOr(credential['id']) } : {}),
    ...(name ? { name } : {}),
    issuer: {
      ...(issuerIdOf(credential) ? { id: issuerIdOf(credential) } : {}),
      ...(isObject(issuer) && typeof issuer['name'] === 'string' ? { name: issuer['name'] } : {}),
    },
    ...(validFrom ? { validFrom } : {}),
    ...(validUntil ? { validUntil } : {}),
  };
};

/** The recipient check, with the given student id's district pseudonym when this deployment can derive it. */
const recipientCheckWithPseudonym = async (deps: VerifyDependencies, credential: JsonObject, query: RecipientQuery): Promise<Check> => {
  if (!deps.district || typeof query.identifier !== 'string' || query.identifier.trim() === '') return recipientCheck(credential, query);
  try {
    return recipientCheck(credential, query, await learnerPseudonym({ district: deps.district }, query.identifier));
  } catch {
    return failed('recipient', 'The recipient could not be checked just now; try again later.');
  }
};

const parseMessages = {
  json: 'Read the credential (JSON).',
  jwt: 'Read the credential from a JSON Web Token.',
  png: 'Read the credential baked into the PNG image.',
  svg: 'Read the credential baked into the SVG image.',
} as const;

/** Verifies what was presented (see domain/verify/parse). Never throws for bad input. */
export const verifyPresented = async (deps: VerifyDependencies, presented: Presented): Promise<VerificationReport> => {
  if (!presented.ok) return { verified: false, checks: [failed('parse', presented.message)] };
  const { credential } = presented;
  // Bounds before any schema, JSON-LD or network work: past one, nothing else is looked at.
  const tooBig = boundsProblem(credential);
  if (tooBig) return { verified: false, checks: [failed('parse', tooBig)] };
  const budget = newFetchBudget();
  const checks: Check[] = [passed('parse', parseMessages[presented.format])];
  checks.push(schemaCheck(credential));
  const issuerId = issuerIdOf(credential);
  let controller: Controller | undefined;
  let proof: Check;
  try {
    controller = issuerId ? await trustedController(deps, issuerId, budget) : undefined;
    proof = await proofCheck(presented, issuerId, controller);
  } catch {
    proof = failed('proof', 'The proof could not be checked just now; try again later.');
  }
  checks.push(proof);
  checks.push(await statusCheck(deps, { credential, issuerId, controller, proofOk: proof.ok, budget }));
  const now = deps.clock.now();
  let validity = validityCheck(credential, now);
  const exp = presented.jwt?.payload['exp'];
  if (validity.ok && typeof exp === 'number' && now.getTime() > exp * 1000)
    validity = failed('validity', `The token has expired: it was valid until ${new Date(exp * 1000).toISOString()}.`);
  checks.push(validity);
  if (presented.recipient) checks.push(await recipientCheckWithPseudonym(deps, credential, presented.recipient));
  return { verified: checks.every((check) => check.ok || check.warning), checks, credential: summaryOf(credential) };
};
