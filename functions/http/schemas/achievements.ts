import { z } from 'zod';
import { type Alignment, achievementTypes, type CreateAchievement, type UpdateAchievement } from '#domain/achievements';
import type { AchievementView } from '#features/achievements/manage';
import { type Assert, type Equals, htmlBody, type OperationSchemaMap, pageOf, pageQuerySchema, patchOf, profileSchema } from './common';

export const alignmentSchema = z
  .object({
    targetName: z.string().trim().min(1).max(300),
    targetUrl: z.url({ protocol: /^https?$/ }),
    targetFramework: z.string().trim().min(1).max(200).optional(),
    targetCode: z.string().trim().min(1).max(100).optional(),
    targetDescription: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();

/** Codes are what SIS exports name (`OSHA-10-CONSTRUCTION`): upper-case letters, digits and dashes. */
export const achievementCodeSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, dot, dash and underscore only')
  .transform((code) => code.toUpperCase());

const achievementFields = {
  issuerId: z.string().trim().min(1).max(128),
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(4000),
  criteria: z.object({ narrative: z.string().trim().min(1).max(8000) }).strict(),
  code: achievementCodeSchema.optional(),
  image: z.url({ protocol: /^https$/ }).optional(),
  achievementType: z.enum(achievementTypes).optional(),
  alignment: z.array(alignmentSchema).min(1).max(50).optional(),
  tags: z.array(z.string().trim().min(1).max(60)).min(1).max(30).optional(),
  /** Professional-development hours (or PDUs) a teacher earns with it. */
  creditsAvailable: z.number().nonnegative().max(10_000).optional(),
  /** How long a credential stays valid (CPR, OSHA, licence cycles); absent = does not expire. */
  validForDays: z.number().int().positive().max(36_500).optional(),
  gradeBand: z.string().trim().min(1).max(40).optional(),
};

export const createAchievementSchema = z.object(achievementFields).strict().meta({ id: 'CreateAchievement' });

/** Everything but the issuer can change; the code may be set once (SIS exports depend on it). */
export const updateAchievementSchema = patchOf(z.object(achievementFields).omit({ issuerId: true })).meta({ id: 'UpdateAchievement' });

export const listAchievementsQuerySchema = z.object({ issuerId: z.string().min(1).max(128).optional() });

/** An achievement as staff routes answer it: the record and its public criteria page. */
export const achievementSchema = z
  .object({
    id: z.string(),
    issuerId: z.string(),
    name: z.string(),
    description: z.string(),
    criteria: z.object({ narrative: z.string() }),
    code: z.string().optional(),
    image: z.string().optional(),
    achievementType: z.enum(achievementTypes).optional(),
    alignment: z
      .array(
        z.object({
          targetName: z.string(),
          targetUrl: z.string(),
          targetFramework: z.string().optional(),
          targetCode: z.string().optional(),
          targetDescription: z.string().optional(),
        }),
      )
      .optional(),
    tags: z.array(z.string()).optional(),
    creditsAvailable: z.number().optional(),
    validForDays: z.number().int().optional(),
    gradeBand: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    url: z.string().describe('The public criteria page: the achievement id in every credential'),
  })
  .meta({ id: 'Achievement' });

/** The OB 3.0 Achievement as JSON-LD (`achievementJsonLd`): what the criteria page gives verifiers. */
export const achievementDocumentSchema = z
  .looseObject({
    '@context': z.array(z.string()),
    id: z.string(),
    type: z.tuple([z.literal('Achievement')]),
    name: z.string(),
    description: z.string(),
    criteria: z.object({ id: z.string(), narrative: z.string() }),
    creator: profileSchema.optional(),
  })
  .meta({ id: 'AchievementDocument' });

export const achievementSchemas = {
  createAchievement: {
    body: { required: true, content: { 'application/json': createAchievementSchema } },
    responses: { 201: { description: 'The new achievement', content: { 'application/json': achievementSchema } } },
  },
  updateAchievement: {
    body: { required: true, content: { 'application/json': updateAchievementSchema } },
    responses: { 200: { description: 'The changed achievement', content: { 'application/json': achievementSchema } } },
  },
  listAchievements: {
    query: [listAchievementsQuerySchema, pageQuerySchema],
    responses: { 200: { description: 'A page of achievements, oldest first', content: { 'application/json': pageOf(achievementSchema) } } },
  },
  getAchievementPage: {
    responses: {
      200: {
        description: 'The criteria page (HTML), or the Achievement JSON-LD for Accept: application/json',
        content: { 'text/html': htmlBody, 'application/ld+json': achievementDocumentSchema },
      },
    },
  },
} as const satisfies OperationSchemaMap;

export type AchievementSchemaChecks = [
  Assert<Equals<z.output<typeof alignmentSchema>, Alignment>>,
  Assert<Equals<z.output<typeof createAchievementSchema>, CreateAchievement>>,
  Assert<Equals<z.output<typeof updateAchievementSchema>, UpdateAchievement>>,
  Assert<Equals<z.output<typeof achievementSchema>, AchievementView>>,
];
