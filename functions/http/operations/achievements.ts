import { createAchievement, listAchievements, updateAchievement } from '#features/achievements/manage';
import { parseWith } from '../errors';
import { jsonBody, pageRequest, pathId, principalOf } from '../inputs';
import { created, ok } from '../response';
import { createAchievementSchema, listAchievementsQuerySchema, updateAchievementSchema } from '../schemas/achievements';
import type { Operations } from '../types';

export const achievementOperations: Operations = {
  createAchievement: async (context) =>
    created(await createAchievement(context.deps, principalOf(context), jsonBody(context, createAchievementSchema))),
  updateAchievement: async (context) =>
    ok(await updateAchievement(context.deps, principalOf(context), pathId(context), jsonBody(context, updateAchievementSchema))),
  listAchievements: async (context) =>
    ok(
      await listAchievements(
        context.deps,
        parseWith(listAchievementsQuerySchema, { issuerId: context.query['issuerId'] }),
        pageRequest(context),
      ),
    ),
};
