import type { Dependencies } from '#config/dependencies';
import type { Profile } from '#domain/credential/types';
import type { Requirement } from '#domain/pathways';
import { achievementUrl } from '#domain/profiles';
import { getIssuerProfile } from '#features/issuers/issuers';
import { achievementsById, requirePathway } from '#features/pathways/manage';

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
    if ('achievementId' in node)
      return { achievementId: node.achievementId, name: nameOf(node.achievementId), url: achievementUrl(baseUrl, node.achievementId) };
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
