import type { Achievement } from './achievements';
import type { Profile } from './credential/types';
import { achievementUrl, credentialsV2Context, openBadgesContext } from './profiles';

/** The OB 3.0 `Achievement` as credentials embed it and as its public criteria page serves it. */
export interface AchievementDocument {
  id: string;
  type: ['Achievement'];
  name: string;
  description: string;
  criteria: { id: string; narrative: string };
  image?: { id: string; type: 'Image' };
  achievementType?: string;
  alignment?: Array<{
    type: ['Alignment'];
    targetName: string;
    targetUrl: string;
    targetFramework?: string;
    targetCode?: string;
    targetDescription?: string;
  }>;
  creditsAvailable?: number;
  tag?: string[];
  humanCode?: string;
  creator?: Profile;
}

export const achievementDocument = (baseUrl: string, achievement: Achievement, creator?: Profile): AchievementDocument => {
  const id = achievementUrl(baseUrl, achievement.id);
  return {
    id,
    type: ['Achievement'],
    name: achievement.name,
    description: achievement.description,
    criteria: { id, narrative: achievement.criteria.narrative },
    ...(achievement.image ? { image: { id: achievement.image, type: 'Image' as const } } : {}),
    ...(achievement.achievementType ? { achievementType: achievement.achievementType } : {}),
    ...(achievement.alignment
      ? { alignment: achievement.alignment.map((alignment) => ({ type: ['Alignment'] as ['Alignment'], ...alignment })) }
      : {}),
    ...(achievement.creditsAvailable !== undefined ? { creditsAvailable: achievement.creditsAvailable } : {}),
    ...(achievement.tags ? { tag: achievement.tags } : {}),
    ...(achievement.code ? { humanCode: achievement.code } : {}),
    ...(creator ? { creator } : {}),
  };
};

/** The criteria page's JSON-LD form: the Achievement with its contexts. */
export const achievementJsonLd = (document: AchievementDocument) => ({
  '@context': [credentialsV2Context, openBadgesContext],
  ...document,
});
