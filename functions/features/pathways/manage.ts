import type { Dependencies } from '#config/dependencies';
import { assertSchoolScope, type Principal, recordedPrincipal } from '#domain/access';
import type { Achievement } from '#domain/achievements';
import { type ErrorDetail, invalid, notFound } from '#domain/errors';
import { newId } from '#domain/ids';
import {
  type CreatePathway,
  findCycle,
  leavesOf,
  type Pathway,
  type Requirement,
  structuralProblems,
  type UpdatePathway,
} from '#domain/pathways';
import { requireIssuer } from '#features/issuers/issuers';

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

export const achievementsById = async (deps: Dependencies, ids: readonly string[]): Promise<Map<string, Achievement>> => {
  const found = await Promise.all([...new Set(ids)].map((id) => deps.store.achievements.get(id)));
  return new Map(
    found
      .filter((achievement): achievement is Achievement => achievement !== undefined)
      .map((achievement) => [achievement.id, achievement]),
  );
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
    ...(known.has(candidate.capstoneAchievementId)
      ? []
      : [{ field: 'capstoneAchievementId', message: `unknown achievement ${candidate.capstoneAchievementId}` }]),
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
  const pathway: Pathway = {
    ...input,
    id: newId(),
    achievementIds: steps,
    author: recordedPrincipal(principal),
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.pathways.create(pathway);
  return view(deps, pathway);
};

export const updatePathway = async (deps: Dependencies, principal: Principal, id: string, patch: UpdatePathway): Promise<PathwayView> => {
  const previous = await requirePathway(deps, id);
  assertSchoolScope(principal, (await requireIssuer(deps, previous.issuerId)).schoolId, 'issuer');
  const merged = { ...previous, ...patch };
  const steps = await validate(deps, principal, merged);
  const next: Pathway = {
    ...merged,
    achievementIds: steps,
    author: recordedPrincipal(principal),
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.store.pathways.update(previous, next);
  return view(deps, next);
};
