import type { Dependencies } from '#config/dependencies';
import { type AchievementDocument, achievementDocument } from '#domain/achievement-document';
import type { Achievement } from '#domain/achievements';
import type { Issuer } from '#domain/issuers';
import { requireAchievement } from '#features/achievements/manage';
import { getIssuerWithProfile } from '#features/issuers/issuers';

/** The achievement as a public document (criteria page, credentials), with its issuer as creator. */
export type PublicAchievement = { achievement: Achievement; issuer: Issuer; document: AchievementDocument };

export const publicAchievement = async (deps: Dependencies, id: string): Promise<PublicAchievement> => {
  const achievement = await requireAchievement(deps, id);
  const { issuer, profile } = await getIssuerWithProfile(deps, achievement.issuerId);
  return { achievement, issuer, document: achievementDocument(await deps.publicBaseUrl(), achievement, profile) };
};
