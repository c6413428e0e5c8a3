import type { Dependencies } from '#config/dependencies';
import { assertCanReadLearner, isStaff, type Principal } from '#domain/access';
import { type Progress, progressOf } from '#domain/pathways';
import { actorOf, recordAudit } from '#features/audit/record';
import { requireLearner } from '#features/learners/learners';
import { credentialIds, holdingsOf } from '#features/pathways/holdings';

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
export const learnerPathways = async (
  deps: Dependencies,
  principal: Principal,
  learnerId: string,
): Promise<{ items: PathwayProgress[] }> => {
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
