import { z } from 'zod';
import { createAchievementSchema, updateAchievementSchema } from '#domain/achievements';
import { createAchievement, listAchievements, updateAchievement } from '#features/achievements/manage';
import { parseWith } from '../errors';
import { jsonBody, pageRequest, pathId, principalOf } from '../inputs';
import { created, ok } from '../response';
import type { Operations } from '../types';

const listFilterSchema = z.object({ issuerId: z.string().min(1).max(128).optional() });

export const achievementOperations: Operations = {
  createAchievement: async (context) =>
    created(await createAchievement(context.deps, principalOf(context), jsonBody(context, createAchievementSchema))),
  updateAchievement: async (context) =>
    ok(await updateAchievement(context.deps, principalOf(context), pathId(context), jsonBody(context, updateAchievementSchema))),
  listAchievements: async (context) =>
    ok(await listAchievements(context.deps, parseWith(listFilterSchema, { issuerId: context.query['issuerId'] }), pageRequest(context))),
};
