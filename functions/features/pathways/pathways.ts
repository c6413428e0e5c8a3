import { AsyncLocalStorage } from 'node:async_hooks';
import type { Dependencies } from '#config/dependencies';
import { actingThrough, assertCanReadLearner, assertSchoolScope, canIssue, isStaff, recordedPrincipal, type Principal } from '#domain/access';
import type { Achievement } from '#domain/achievements';
import type { IssueCredential } from '#domain/credential-requests';
import { invalid, notFound, type ErrorDetail } from '#domain/errors';
import { newId } from '#domain/ids';
import {
  findCycle,
  isSatisfied,
  leavesOf,
  progressOf,
  structuralProblems,
  type CreatePathway,
  type Pathway,
  type PathwayLink,
  type Progress,
  type Requirement,
  type UpdatePathway,
} from '#domain/pathways';
import { achievementUrl, type Profile } from '#domain/profiles';
import type { CredentialRecord } from '#ports/store';
import { actorOf, recordAudit } from '#features/audit/audit';
import { getIssuerProfile, requireIssuer } from '#features/issuers/issuers';
import { requireLearner } from '#features/learners/learners';

// ---------------------------------------------------------------------------------------------------------------
// Definition: create, change, read.

export interface PathwayView extends Pathway {
  /** The public page of the pathway (HTML for people, JSON for `Accept: application/json`). */
  url: string;
}

const view = async (deps: Dependencies, { author: _author, ...pathway }: Pathway): Promise<PathwayView> => ({
  ...pathway,
  url: `${await deps.publicBaseUrl()}/pathways/${pathway.id}`,
});

export const requirePathway = async (deps: Dependencies, id: string): Promise<Pathway> => {
  const pathway = await deps.store.pathways.get(id);
  if (!pathway) throw notFound('The pathway');
  return pathway;
};

const achievementsById = async (deps: Dependencies, ids: readonly string[]): Promise<Map<string, Achievement>> => {
  const found = await Promise.all([...new Set(ids)].map((id) => deps.store.achievements.get(id)));
  return new Map(found.filter((achievement): achievement is Achievement => achievement !== undefined).map((achievement) => [achievement.id, achievement]));
};

/**
 * Every check a new or changed tree must pass, each failing with a 400 that says what is wrong: size and depth,
 * the capstone outside its own tree, no unknown achievement, no cycle through other pathways. Also checks that the
 * caller may issue the capstone (it is issued in the capstone's issuer's name).
 */
const validate = async (
  deps: Dependencies,
  principal: Principal,
  candidate: { id?: string; capstoneAchievementId: string; requirement: Requirement },
): Promise<string[]> => {
  const structural = structuralProblems(candidate);
  if (structural.length > 0) throw invalid(structural.map((problem) => problem.message).join(' '), structural);

  const steps = leavesOf(candidate.requirement);
  const known = await achievementsById(deps, [candidate.capstoneAchievementId, ...steps]);
  const unknownDetails: ErrorDetail[] = [
    ...(known.has(candidate.capstoneAchievementId) ? [] : [{ field: 'capstoneAchievementId', message: `unknown achievement ${candidate.capstoneAchievementId}` }]),
    ...steps.filter((id) => !known.has(id)).map((id) => ({ field: 'requirement', message: `unknown achievement ${id}` })),
  ];
  if (unknownDetails.length > 0) {
    const ids = [...new Set(unknownDetails.map((detail) => detail.message.replace('unknown achievement ', '')))];
    throw invalid(`These achievements do not exist: ${ids.join(', ')}.`, unknownDetails);
  }

  const capstone = known.get(candidate.capstoneAchievementId)!;
  const capstoneIssuer = await requireIssuer(deps, capstone.issuerId);
  assertSchoolScope(principal, capstoneIssuer.schoolId, 'capstone achievement');

  const cycle = await findCycle(
    { capstoneAchievementId: candidate.capstoneAchievementId, steps, ...(candidate.id ? { ignorePathwayId: candidate.id } : {}) },
    (achievementId) => deps.store.pathways.listContaining(achievementId),
  );
  if (cycle) {
    const names = await achievementsById(deps, cycle);
    const label = (id: string) => `"${names.get(id)?.name ?? id}"`;
    const loop = [...cycle, candidate.capstoneAchievementId].map(label).join(' → ');
    throw invalid(
      `This pathway would create a cycle: ${loop}. Each achievement would (through other pathways) require itself, so no learner could complete it.`,
      [{ field: 'requirement', message: `pathway cycle through achievements ${[...cycle, candidate.capstoneAchievementId].join(' → ')}` }],
    );
  }
  return steps;
};

export const createPathway = async (deps: Dependencies, principal: Principal, input: CreatePathway): Promise<PathwayView> => {
  const issuer = await requireIssuer(deps, input.issuerId);
  assertSchoolScope(principal, issuer.schoolId, 'issuer');
  const steps = await validate(deps, principal, input);
  const now = deps.clock.now().toISOString();
  const pathway: Pathway = { ...input, id: newId(), achievementIds: steps, author: recordedPrincipal(principal), createdAt: now, updatedAt: now };
  await deps.store.pathways.create(pathway);
  return view(deps, pathway);
};

export const updatePathway = async (deps: Dependencies, principal: Principal, id: string, patch: UpdatePathway): Promise<PathwayView> => {
  const previous = await requirePathway(deps, id);
  assertSchoolScope(principal, (await requireIssuer(deps, previous.issuerId)).schoolId, 'issuer');
  const merged = { ...previous, ...patch };
  const steps = await validate(deps, principal, merged);
  const next: Pathway = { ...merged, achievementIds: steps, author: recordedPrincipal(principal), updatedAt: deps.clock.now().toISOString() };
  await deps.store.pathways.update(previous, next);
  return view(deps, next);
};

/** A requirement tree as the public sees it: each step named and linked to its criteria page. */
export type PublicRequirement =
  | { achievementId: string; name: string; url: string }
  | { allOf: PublicRequirement[] }
  | { nOf: { n: number; of: PublicRequirement[] } };

export interface PublicPathway {
  id: string;
  url: string;
  name: string;
  description?: string;
  issuer: Profile;
  capstone: { achievementId: string; id: string; name: string; description: string };
  requirement: PublicRequirement;
}

/** The public description of a pathway (no learner data): for its page and its JSON form. */
export const publicPathway = async (deps: Dependencies, id: string): Promise<PublicPathway> => {
  const pathway = await requirePathway(deps, id);
  const baseUrl = await deps.publicBaseUrl();
  const achievements = await achievementsById(deps, [pathway.capstoneAchievementId, ...pathway.achievementIds]);
  const nameOf = (achievementId: string) => achievements.get(achievementId)?.name ?? 'An achievement no longer offered';
  const annotate = (node: Requirement): PublicRequirement => {
    if ('achievementId' in node) return { achievementId: node.achievementId, name: nameOf(node.achievementId), url: achievementUrl(baseUrl, node.achievementId) };
    if ('allOf' in node) return { allOf: node.allOf.map(annotate) };
    return { nOf: { n: node.nOf.n, of: node.nOf.of.map(annotate) } };
  };
  const capstone = achievements.get(pathway.capstoneAchievementId);
  return {
    id: pathway.id,
    url: `${baseUrl}/pathways/${pathway.id}`,
    name: pathway.name,
    ...(pathway.description ? { description: pathway.description } : {}),
    issuer: await getIssuerProfile(deps, pathway.issuerId),
    capstone: {
      achievementId: pathway.capstoneAchievementId,
      id: achievementUrl(baseUrl, pathway.capstoneAchievementId),
      name: nameOf(pathway.capstoneAchievementId),
      description: capstone?.description ?? '',
    },
    requirement: annotate(pathway.requirement),
  };
};

// ---------------------------------------------------------------------------------------------------------------
// What a learner holds: valid, issued, non-revoked credentials, by achievement.

export interface Holding {
  /** Our record id (what `/credentials/{id}` takes). */
  credentialId: string;
  /** The signed credential's own `id` (`urn:uuid:…`). */
  credentialUri: string;
  achievementName?: string;
}

const isValidAt = (record: Pick<CredentialRecord, 'state' | 'validFrom' | 'validUntil'>, now: string): boolean =>
  record.state === 'issued' && record.validFrom <= now && (!record.validUntil || record.validUntil > now);

const holdingOf = (record: CredentialRecord): Holding => {
  const achievement = (record.credential?.['credentialSubject'] as { achievement?: { name?: unknown } } | undefined)?.achievement;
  return {
    credentialId: record.id,
    credentialUri: typeof record.credential?.['id'] === 'string' ? record.credential['id'] : `urn:uuid:${record.id}`,
    ...(typeof achievement?.name === 'string' ? { achievementName: achievement.name } : {}),
  };
};

/**
 * The learner's valid credentials by achievement (the latest one when there are several). Reads the by-learner
 * index and, to see a concurrent issuance the (eventually consistent) index may not show yet, the learner's
 * recorded pathway steps, which are read strongly consistent.
 */
export const holdingsOf = async (deps: Dependencies, learnerId: string): Promise<Map<string, Holding>> => {
  const now = deps.clock.now().toISOString();
  const records = new Map<string, CredentialRecord>();
  let cursor: string | undefined;
  do {
    const page = await deps.store.credentials.listByLearner(learnerId, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const record of page.items) records.set(record.id, record);
    cursor = page.nextCursor;
  } while (cursor);
  for (const step of await deps.store.pathways.listSteps(learnerId)) {
    if (records.has(step.credentialId)) continue;
    const record = await deps.store.credentials.get(step.credentialId);
    // A step is recorded only once its credential was stored as issued; a read that lags still counts it.
    if (record) records.set(record.id, record);
    else records.set(step.credentialId, { id: step.credentialId, achievementId: step.achievementId, state: 'issued', validFrom: step.at, issuedAt: step.at } as CredentialRecord);
  }
  const holdings = new Map<string, Holding>();
  const inIssueOrder = [...records.values()].sort((a, b) => a.issuedAt.localeCompare(b.issuedAt));
  for (const record of inIssueOrder) if (isValidAt(record, now)) holdings.set(record.achievementId, holdingOf(record));
  return holdings;
};

const credentialIds = (holdings: ReadonlyMap<string, Holding>): Map<string, string> =>
  new Map([...holdings].map(([achievementId, holding]) => [achievementId, holding.credentialId]));

// ---------------------------------------------------------------------------------------------------------------
// Auto-award.

/**
 * Who issues a pathway's capstones: its author, through the pathway — not whoever issued the last step. A pathway
 * written before authors were recorded acts for its issuer's school (only an admin could write one for a district
 * issuer).
 */
const pathwayPrincipal = async (deps: Dependencies, pathway: Pathway): Promise<Principal> => {
  const via = `pathway:${pathway.id}`;
  if (pathway.author) return actingThrough(pathway.author, via);
  const schoolId = (await deps.store.issuers.get(pathway.issuerId))?.schoolId;
  return schoolId ? { subject: via, role: 'issuer', schoolIds: [schoolId], learnerIds: [], via } : { subject: via, role: 'admin', schoolIds: [], learnerIds: [], via };
};

/** May the pathway's principal issue its capstone to this learner? (The one scope rule; the issue checks it again.) */
const mayAward = async (deps: Dependencies, principal: Principal, capstoneAchievementId: string, learner: { schoolId?: string | undefined }): Promise<boolean> => {
  const capstone = await deps.store.achievements.get(capstoneAchievementId);
  const issuer = capstone ? await deps.store.issuers.get(capstone.issuerId) : undefined;
  return issuer !== undefined && canIssue(principal, issuer, learner);
};

type Issue = (deps: Dependencies, principal: Principal, input: IssueCredential) => Promise<{ id: string }>;

/** How deep capstones cascade (a capstone that is a step of another pathway…). Cycles are refused at creation. */
const maxCascade = 8;
const cascade = new AsyncLocalStorage<number>();

/**
 * Called by `issueCredential` once a credential is stored as issued: every pathway whose tree names its achievement
 * is evaluated for the learner, and a satisfied one issues its capstone through `issue` (that is, `issueCredential`
 * itself) with source `pathway:<id>` — the idempotency key makes that exactly once, also when the last two steps
 * complete at the same time — listing the step credentials as evidence. Capstones cascade into pathways they are
 * steps of. A failure here never undoes the credential that was issued; it is logged.
 */
export const awardPathways = async (
  deps: Dependencies,
  record: CredentialRecord,
  issue: Issue,
  /** The pathways holding the achievement, when the caller has just read them (a drop names the same few). */
  knownLinks?: readonly PathwayLink[],
): Promise<void> => {
  if (record.state !== 'issued') return;
  const depth = cascade.getStore() ?? 0;
  try {
    const links = knownLinks ?? (await deps.store.pathways.listContaining(record.achievementId));
    if (links.length === 0) return;
    await deps.store.pathways.recordStep(record.learnerId, { achievementId: record.achievementId, credentialId: record.id, at: record.issuedAt });
    if (depth >= maxCascade) {
      deps.logger.warn('Pathway cascade stopped: too deep', { credentialId: record.id, depth });
      return;
    }
    const holdings = await holdingsOf(deps, record.learnerId);
    const held = credentialIds(holdings);
    for (const pathwayId of new Set(links.map((link) => link.pathwayId))) {
      const pathway = await deps.store.pathways.get(pathwayId);
      if (!pathway || holdings.has(pathway.capstoneAchievementId) || !isSatisfied(pathway.requirement, held)) continue;
      const evidence = pathway.achievementIds.flatMap((achievementId) => {
        const holding = holdings.get(achievementId);
        return holding
          ? [{ id: holding.credentialUri, narrative: `Earned ${holding.achievementName ? `"${holding.achievementName}"` : 'a step'} of the pathway "${pathway.name}".` }]
          : [];
      });
      const principal = await pathwayPrincipal(deps, pathway);
      if (!(await mayAward(deps, principal, pathway.capstoneAchievementId, { schoolId: record.schoolId }))) {
        deps.logger.info('Pathway capstone not issued: the learner is outside its author’s schools', { pathwayId: pathway.id, credentialId: record.id });
        continue;
      }
      await cascade.run(depth + 1, () =>
        issue(deps, principal, {
          learnerId: record.learnerId,
          achievementId: pathway.capstoneAchievementId,
          source: `pathway:${pathway.id}`,
          evidence,
        }),
      );
    }
  } catch (error) {
    deps.logger.error('Pathway auto-award failed', { credentialId: record.id, achievementId: record.achievementId, error: error instanceof Error ? error.message : String(error) });
  }
};

// ---------------------------------------------------------------------------------------------------------------
// Progress.

export interface PathwayProgress extends Progress {
  pathwayId: string;
  name: string;
  capstoneAchievementId: string;
  /** The capstone credential, once awarded. */
  capstoneCredentialId?: string;
}

/** Progress through every pathway that names one of the learner's achievements. */
export const learnerPathways = async (deps: Dependencies, principal: Principal, learnerId: string): Promise<{ items: PathwayProgress[] }> => {
  const learner = await requireLearner(deps, learnerId);
  assertCanReadLearner(principal, learner);
  const holdings = await holdingsOf(deps, learner.id);
  const held = credentialIds(holdings);
  const pathwayIds = new Set<string>();
  for (const achievementId of holdings.keys()) {
    for (const link of await deps.store.pathways.listContaining(achievementId)) pathwayIds.add(link.pathwayId);
  }
  const items: PathwayProgress[] = [];
  for (const pathwayId of pathwayIds) {
    const pathway = await deps.store.pathways.get(pathwayId);
    if (!pathway) continue;
    const capstone = holdings.get(pathway.capstoneAchievementId);
    items.push({
      pathwayId: pathway.id,
      name: pathway.name,
      capstoneAchievementId: pathway.capstoneAchievementId,
      ...(capstone ? { capstoneCredentialId: capstone.credentialId } : {}),
      ...progressOf(pathway.requirement, held),
    });
  }
  items.sort((a, b) => a.name.localeCompare(b.name) || a.pathwayId.localeCompare(b.pathwayId));
  if (isStaff(principal)) await recordAudit(deps, learner.id, actorOf(principal), 'credential.read', { pathways: items.length });
  return { items };
};
