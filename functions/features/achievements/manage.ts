import type { Dependencies } from '#config/dependencies';
import { assertSchoolScope, type Principal } from '#domain/access';
import type { Achievement, CreateAchievement, UpdateAchievement } from '#domain/achievements';
import { notFound } from '#domain/errors';
import { newId } from '#domain/ids';
import type { Issuer } from '#domain/issuers';
import { requireIssuer } from '#features/issuers/issuers';
import type { Page, PageRequest } from '#ports/store';

export interface AchievementView extends Achievement {
  /** The public criteria page: the achievement's id in every credential. */
  url: string;
}

const view = async (deps: Dependencies, achievement: Achievement): Promise<AchievementView> => ({
  ...achievement,
  url: `${await deps.publicBaseUrl()}/achievements/${achievement.id}`,
});

export const requireAchievement = async (deps: Dependencies, id: string): Promise<Achievement> => {
  const achievement = await deps.store.achievements.get(id);
  if (!achievement) throw notFound('The achievement');
  return achievement;
};

/** Staff may manage achievements of the issuers of their own schools; admins, all. */
const assertCanManage = (principal: Principal, issuer: Issuer) => assertSchoolScope(principal, issuer.schoolId, 'issuer');

export const createAchievement = async (deps: Dependencies, principal: Principal, input: CreateAchievement): Promise<AchievementView> => {
  const issuer = await requireIssuer(deps, input.issuerId);
  assertCanManage(principal, issuer);
  const now = deps.clock.now().toISOString();
  const achievement: Achievement = { ...input, id: newId(), createdAt: now, updatedAt: now };
  await deps.store.achievements.create(achievement);
  return view(deps, achievement);
};

export const updateAchievement = async (
  deps: Dependencies,
  principal: Principal,
  id: string,
  patch: UpdateAchievement,
): Promise<AchievementView> => {
  const previous = await requireAchievement(deps, id);
  assertCanManage(principal, await requireIssuer(deps, previous.issuerId));
  const next: Achievement = { ...previous, ...patch, updatedAt: deps.clock.now().toISOString() };
  await deps.store.achievements.update(previous, next);
  return view(deps, next);
};

export const listAchievements = async (
  deps: Dependencies,
  filter: { issuerId?: string },
  page: PageRequest,
): Promise<Page<AchievementView>> => {
  const result = filter.issuerId
    ? await deps.store.achievements.listByIssuer(filter.issuerId, page)
    : await deps.store.achievements.list(page);
  return { ...result, items: await Promise.all(result.items.map((achievement) => view(deps, achievement))) };
};
