import { z } from 'zod';
import { idPattern } from '#domain/ids';
import { type CreatePathway, pathwayLimits, type Requirement, type UpdatePathway } from '#domain/pathways';
import type { PathwayView } from '#features/pathways/manage';
import type { PathwayProgress } from '#features/pathways/progress';
import type { PublicPathway, PublicRequirement } from '#features/pathways/public';
import {
  type Assert,
  type Equals,
  htmlBody,
  itemsOf,
  type OperationSchemaMap,
  patchOf,
  profileSchema,
  type Same,
  verifiableCredentialSchema,
} from './common';

const achievementIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'an achievement id');

export const requirementSchema: z.ZodType<Requirement> = z
  .lazy(() =>
    z.union([
      z.object({ achievementId: achievementIdSchema }).strict(),
      z.object({ allOf: z.array(requirementSchema).min(1).max(pathwayLimits.maxChildren) }).strict(),
      z
        .object({
          nOf: z
            .object({
              n: z.number().int(),
              of: z.array(requirementSchema).min(1).max(pathwayLimits.maxChildren),
            })
            .strict()
            .refine((node) => node.n >= 1 && node.n <= node.of.length, {
              message: 'n must be between 1 and the number of requirements in "of"',
              path: ['n'],
            }),
        })
        .strict(),
    ]),
  )
  .meta({ id: 'PathwayRequirement', description: '{"achievementId"} | {"allOf": [requirement…]} | {"nOf": {"n", "of": [requirement…]}}' });

const pathwayFields = {
  issuerId: z.string().trim().min(1).max(128),
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(4000).optional(),
  capstoneAchievementId: achievementIdSchema,
  requirement: requirementSchema,
};

export const createPathwaySchema = z.object(pathwayFields).strict().meta({ id: 'CreatePathway' });

/** Everything but the issuer can change; the new tree is validated (and cycle-checked) like a new one. */
export const updatePathwaySchema = patchOf(z.object(pathwayFields).omit({ issuerId: true })).meta({ id: 'UpdatePathway' });

/** `?credentialIds=a,b` → the ids (absent or empty: all the learner's issued credentials). */
export const clrQuerySchema = z.object({
  credentialIds: z
    .string()
    .max(13_000)
    .optional()
    .describe('Comma-separated credential ids (at most 100); absent: every issued credential')
    .transform((value) =>
      value
        ?.split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(idPattern, 'a credential id')).max(100, 'at most 100 credentials in one CLR').optional()),
});

/** A pathway as staff routes answer it (its author is not sent). */
export const pathwaySchema = z
  .object({
    id: z.string(),
    issuerId: z.string(),
    name: z.string(),
    description: z.string().optional(),
    capstoneAchievementId: z.string(),
    requirement: requirementSchema,
    achievementIds: z.array(z.string()).describe('The distinct achievements of the tree, in tree order'),
    createdAt: z.string(),
    updatedAt: z.string(),
    url: z.string().describe('The public page of the pathway'),
  })
  .meta({ id: 'Pathway' });

const publicRequirementSchema: z.ZodType<PublicRequirement> = z
  .lazy(() =>
    z.union([
      z.object({ achievementId: z.string(), name: z.string(), url: z.string() }),
      z.object({ allOf: z.array(publicRequirementSchema) }),
      z.object({ nOf: z.object({ n: z.number().int(), of: z.array(publicRequirementSchema) }) }),
    ]),
  )
  .meta({ id: 'PublicPathwayRequirement' });

export const publicPathwaySchema = z
  .object({
    id: z.string(),
    url: z.string(),
    name: z.string(),
    description: z.string().optional(),
    issuer: profileSchema,
    capstone: z.object({ achievementId: z.string(), id: z.string(), name: z.string(), description: z.string() }),
    requirement: publicRequirementSchema,
  })
  .meta({ id: 'PublicPathway' });

export const pathwayProgressSchema = z
  .object({
    pathwayId: z.string(),
    name: z.string(),
    capstoneAchievementId: z.string(),
    capstoneCredentialId: z.string().optional().describe('The capstone credential, once awarded'),
    complete: z.boolean(),
    percent: z.number().int().min(0).max(100),
    earned: z.array(z.object({ achievementId: z.string(), credentialId: z.string() })),
    missing: z.array(z.string()),
    next: z.array(z.string()),
  })
  .meta({ id: 'PathwayProgress' });

export const pathwaySchemas = {
  createPathway: {
    body: { required: true, content: { 'application/json': createPathwaySchema } },
    responses: { 201: { description: 'The new pathway', content: { 'application/json': pathwaySchema } } },
  },
  updatePathway: {
    body: { required: true, content: { 'application/json': updatePathwaySchema } },
    responses: { 200: { description: 'The changed pathway', content: { 'application/json': pathwaySchema } } },
  },
  getPathwayPage: {
    responses: {
      200: {
        description: 'The pathway page (HTML), or its JSON for Accept: application/json',
        content: { 'text/html': htmlBody, 'application/json': publicPathwaySchema },
      },
    },
  },
  getLearnerPathways: {
    responses: {
      200: {
        description: "The learner's progress through every pathway naming one of their achievements",
        content: { 'application/json': itemsOf(pathwayProgressSchema) },
      },
    },
  },
  getLearnerClr: {
    query: [clrQuerySchema],
    responses: {
      200: { description: 'A signed CLR 2.0 ClrCredential', content: { 'application/vc+ld+json': verifiableCredentialSchema } },
    },
  },
} as const satisfies OperationSchemaMap;

export type PathwaySchemaChecks = [
  Assert<Equals<z.output<typeof createPathwaySchema>, CreatePathway>>,
  Assert<Equals<z.output<typeof updatePathwaySchema>, UpdatePathway>>,
  Assert<Equals<z.output<typeof pathwaySchema>, Omit<PathwayView, 'author'>>>,
  // Each assignable to the other: `Equals` tells the unified Profile type (credential/types) apart in form only.
  Assert<Same<z.output<typeof publicPathwaySchema>, PublicPathway>>,
  Assert<Same<z.output<typeof pathwayProgressSchema>, PathwayProgress>>,
];
