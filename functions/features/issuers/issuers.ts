import type { Dependencies } from '#config/dependencies';
import type { Principal } from '#domain/access';
import type { Profile } from '#domain/credential/types';
import { conflict, notFound } from '#domain/errors';
import { newId } from '#domain/ids';
import type { CreateIssuer, Issuer, UpdateIssuer } from '#domain/issuers';
import { issuerDid, issuerProfile } from '#domain/profiles';
import { type DidDocument, didDocumentForIssuer } from '#domain/proof/multikey';
import { schoolReferencesOf } from '#domain/schools';
import type { Page, PageRequest } from '#ports/store';

/**
 * One SIS code or name names one school (DESIGN §4): a code or name another school already carries is a conflict,
 * named in the answer. (The store's conditional writes settle a race between two admins.)
 */
const assertSchoolReferencesFree = async (
  deps: Dependencies,
  school: Pick<Issuer, 'id' | 'schoolId' | 'sisSchoolCodes' | 'sisSchoolNames'>,
): Promise<void> => {
  for (const reference of schoolReferencesOf(school)) {
    const holder = await deps.store.issuers.bySchoolReference(reference);
    if (holder && holder.id !== school.id) {
      throw conflict(
        `The school ${reference.kind} "${reference.written}" already names ${holder.name}; one code or name names one school.`,
      );
    }
  }
};

export const createIssuer = async (deps: Dependencies, input: CreateIssuer): Promise<Issuer & { did: string }> => {
  if (input.parentIssuerId && !(await deps.store.issuers.get(input.parentIssuerId))) throw notFound('The parent issuer');
  const issuer: Issuer = { ...input, id: newId(), createdAt: deps.clock.now().toISOString() };
  await assertSchoolReferencesFree(deps, issuer);
  await deps.store.issuers.create(issuer);
  return { ...issuer, did: issuerDid(await deps.publicBaseUrl(), issuer.id) };
};

/** An admin's change of a profile or of the SIS codes and names that map drop rows to the school. */
export const updateIssuer = async (deps: Dependencies, id: string, patch: UpdateIssuer): Promise<Issuer & { did: string }> => {
  const previous = await requireIssuer(deps, id);
  const next: Issuer = { ...previous, ...patch, updatedAt: deps.clock.now().toISOString() };
  await assertSchoolReferencesFree(deps, next);
  await deps.store.issuers.update(previous, next);
  return { ...next, did: issuerDid(await deps.publicBaseUrl(), next.id) };
};

export const listIssuers = (deps: Dependencies, _principal: Principal, page: PageRequest): Promise<Page<Issuer>> =>
  deps.store.issuers.list(page);

export const requireIssuer = async (deps: Dependencies, id: string): Promise<Issuer> => {
  const issuer = await deps.store.issuers.get(id);
  if (!issuer) throw notFound('The issuer');
  return issuer;
};

/** The public Profile: what a verifier sees of an issuer (and what credentials embed). */
export const getIssuerProfile = async (deps: Dependencies, id: string): Promise<Profile> => (await getIssuerWithProfile(deps, id)).profile;

/** The issuer record (for scope checks) and its public Profile, read once. */
export const getIssuerWithProfile = async (deps: Dependencies, id: string): Promise<{ issuer: Issuer; profile: Profile }> => {
  const issuer = await requireIssuer(deps, id);
  const baseUrl = await deps.publicBaseUrl();
  const parent = issuer.parentIssuerId ? await deps.store.issuers.get(issuer.parentIssuerId) : undefined;
  return { issuer, profile: issuerProfile(baseUrl, issuer, parent) };
};

/**
 * The issuer's did:web DID document, as `GET /issuers/{id}/did.json` serves it and as the verifier trusts it for
 * our own issuers: every verification key of the deployment (current first, retired after) under
 * `verificationMethod` and `assertionMethod`.
 */
export const issuerDidDocument = async (
  deps: Pick<Dependencies, 'publicBaseUrl' | 'verificationKeys'>,
  issuer: Pick<Issuer, 'id'>,
): Promise<DidDocument> => {
  const did = issuerDid(await deps.publicBaseUrl(), issuer.id);
  const keys = await Promise.all(deps.verificationKeys.map(async (key) => ({ keyId: key.keyId, publicKey: await key.publicKey() })));
  return didDocumentForIssuer({ did, keys });
};
