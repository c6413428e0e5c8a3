import type { Dependencies } from '#config/dependencies';
import { assertCanReadLearner, isStaff, type Principal } from '#domain/access';
import type { AchievementDocument } from '#domain/achievement-document';
import { buildClr, type ClrAssociation, type ClrCredential } from '#domain/clr';
import { hashedIdentityObject } from '#domain/credential/identity';
import { AppError, notFound } from '#domain/errors';
import { newId } from '#domain/ids';
import type { Issuer } from '#domain/issuers';
import type { Learner } from '#domain/learners';
import { achievementUrl } from '#domain/profiles';
import { type Signed, signDocument } from '#domain/proof/sign';
import type { CredentialRecord } from '#domain/records';
import { publicAchievement } from '#features/achievements/public-achievement';
import { actorOf, recordAudit } from '#features/audit/record';
import { getIssuerProfile, requireIssuer } from '#features/issuers/issuers';
import { requireLearner } from '#features/learners/learners';
import { learnerPseudonym } from '#features/learners/pseudonym';

const unprocessable = (message: string) => new AppError('unprocessable', message);

const allRecords = async (deps: Dependencies, learnerId: string): Promise<CredentialRecord[]> => {
  const records: CredentialRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.credentials.listByLearner(learnerId, { limit: 100, ...(cursor ? { cursor } : {}) });
    records.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return records;
};

/** The chosen credentials (all issued ones when none are named); each named one must be the learner's and issued. */
const chosen = (records: CredentialRecord[], selection: readonly string[] | undefined): CredentialRecord[] => {
  if (!selection) return records.filter((record) => record.state === 'issued' && record.credential);
  const byId = new Map(records.map((record) => [record.id, record]));
  const unknown = selection.filter((id) => !byId.has(id));
  if (unknown.length > 0) throw new AppError('not_found', `This learner has no credential ${unknown.join(', ')}.`);
  const unusable = selection.filter((id) => byId.get(id)!.state !== 'issued');
  if (unusable.length > 0) {
    throw unprocessable(
      `Only issued credentials can go into a CLR; ${unusable.join(', ')} ${unusable.length === 1 ? 'is' : 'are'} revoked or waiting for consent.`,
    );
  }
  return [...new Set(selection)].map((id) => byId.get(id)!);
};

/**
 * The issuer of a learner's CLR is the **district**: the common root (following `parentIssuerId`) of the issuers of
 * the credentials it holds. A CLR speaks for the whole record, across the district's schools, so a school cannot
 * sign it; the district issuer is the profile every school names as `parentOrg`. When the credentials have no
 * common root (issuers of different districts), the CLR is refused (422) rather than signed in someone's name.
 */
const districtIssuer = async (deps: Dependencies, issuerIds: readonly string[]): Promise<Issuer> => {
  const cache = new Map<string, Issuer>();
  const load = async (id: string) => {
    const known = cache.get(id) ?? (await requireIssuer(deps, id));
    cache.set(id, known);
    return known;
  };
  const roots = new Set<string>();
  for (const id of new Set(issuerIds)) {
    let issuer = await load(id);
    for (let hops = 0; issuer.parentIssuerId && hops < 8; hops++) issuer = await load(issuer.parentIssuerId);
    roots.add(issuer.id);
  }
  if (roots.size !== 1)
    throw unprocessable('These credentials come from issuers without a common district issuer; one CLR cannot speak for all of them.');
  return cache.get([...roots][0]!)!;
};

/** Pathway capstones the credentials lead to, and which of the learner's achievements are part of which. */
const pathwaysOf = async (deps: Dependencies, achievementIds: ReadonlySet<string>) => {
  const baseUrl = await deps.publicBaseUrl();
  const capstones = new Map<string, AchievementDocument>();
  const associations = new Map<string, ClrAssociation>();
  const pathwayIds = new Set<string>();
  for (const achievementId of achievementIds) {
    for (const link of await deps.store.pathways.listContaining(achievementId)) pathwayIds.add(link.pathwayId);
  }
  for (const pathwayId of pathwayIds) {
    const pathway = await deps.store.pathways.get(pathwayId);
    if (!pathway) continue;
    if (!capstones.has(pathway.capstoneAchievementId)) {
      capstones.set(pathway.capstoneAchievementId, (await publicAchievement(deps, pathway.capstoneAchievementId)).document);
    }
    for (const step of pathway.achievementIds.filter((id) => achievementIds.has(id))) {
      const association: ClrAssociation = {
        type: 'Association',
        associationType: 'isPartOf',
        sourceId: achievementUrl(baseUrl, step),
        targetId: achievementUrl(baseUrl, pathway.capstoneAchievementId),
      };
      associations.set(`${association.sourceId} ${association.targetId}`, association);
    }
  }
  return { achievement: [...capstones.values()], association: [...associations.values()] };
};

/**
 * A signed CLR 2.0 `ClrCredential` of the learner's issued credentials (or those named in `selection`), issued and
 * signed (eddsa-rdfc-2022, through the Signer port) by the district issuer. Each embedded credential keeps its own
 * proof, so it verifies on its own too.
 */
export const learnerClr = async (
  deps: Dependencies,
  principal: Principal,
  learnerId: string,
  selection?: readonly string[],
): Promise<Signed<ClrCredential>> => {
  const learner = await requireLearner(deps, learnerId);
  assertCanReadLearner(principal, learner);
  const signed = await buildSignedClr(deps, learner, selection);
  if (isStaff(principal))
    await recordAudit(deps, learner.id, actorOf(principal), 'credential.read', {
      clr: signed.id,
      count: signed.credentialSubject.verifiableCredential.length,
    });
  return signed;
};

/** The CLR itself, for a learner already allowed (a reader above, or a share link the family created). */
export const buildSignedClr = async (
  deps: Dependencies,
  learner: Learner,
  selection?: readonly string[],
): Promise<Signed<ClrCredential>> => {
  const records = chosen(await allRecords(deps, learner.id), selection);
  if (records.length === 0) throw unprocessable('This learner has no issued credentials yet, so there is nothing to put in a CLR.');
  const issuer = await districtIssuer(
    deps,
    records.map((record) => record.issuerId),
  );
  const profile = await getIssuerProfile(deps, issuer.id);
  const { achievement, association } = await pathwaysOf(deps, new Set(records.map((record) => record.achievementId)));
  const unsigned = buildClr({
    id: `urn:uuid:${newId()}`,
    issuer: profile,
    name: `${deps.district.name} Comprehensive Learner Record`,
    validFrom: deps.clock
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z'),
    identifier: [
      hashedIdentityObject('identifier', await learnerPseudonym(deps, learner.sourcedId)),
      ...(learner.email ? [hashedIdentityObject('emailAddress', learner.email)] : []),
    ],
    verifiableCredential: records.map((record) => {
      if (!record.credential) throw notFound('A signed copy of a credential');
      return record.credential;
    }),
    achievement,
    association,
  });
  return signDocument(unsigned, deps.signer, { issuerDid: profile.id });
};
