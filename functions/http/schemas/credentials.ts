import { z } from 'zod';
import type { Evidence, IssueCredential } from '#domain/credential-requests';
import { isRealIsoDate } from '#domain/dates';
import type { IssuedCredential } from '#features/credentials/answer';
import { type Assert, type Equals, type Fits, imageBody, type OperationSchemaMap, pageOf, pageQuerySchema } from './common';

const dateOrInstant = z
  .string()
  .refine((value) => isRealIsoDate(value) || !Number.isNaN(Date.parse(value)), 'a date (YYYY-MM-DD) or an ISO date-time');

export const evidenceSchema = z
  .object({
    id: z.url({ protocol: /^https?$/ }).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    narrative: z.string().trim().min(1).max(4000).optional(),
  })
  .strict()
  .refine((evidence) => evidence.id || evidence.narrative, 'evidence needs a URL (id) or a narrative');

export const issueCredentialSchema = z
  .object({
    learnerId: z.string().trim().min(1).max(128),
    achievementId: z.string().trim().min(1).max(128),
    validFrom: dateOrInstant.optional(),
    validUntil: dateOrInstant.optional(),
    evidence: z.array(evidenceSchema).min(1).max(20).optional(),
    narrative: z.string().trim().min(1).max(4000).optional(),
    creditsEarned: z.number().nonnegative().max(10_000).optional(),
    /** With learner and achievement it makes the idempotency key: the same three again return the first credential. */
    source: z.string().trim().min(1).max(200).default('api'),
  })
  .strict()
  .meta({ id: 'IssueCredential' });

export const revokeCredentialSchema = z
  .object({ reason: z.string().trim().min(1).max(500) })
  .strict()
  .meta({ id: 'RevokeCredential' });

/** `?format=png|svg`: the baked badge instead of the JSON. */
export const credentialImageQuerySchema = z.object({ format: z.enum(['png', 'svg']).optional() });

/** A credential as staff and learner routes answer it; `credential` is absent while consent is pending (nothing is signed before). */
export const issuedCredentialSchema = z
  .object({
    id: z.string(),
    state: z.enum(['issued', 'pending_consent', 'revoked']),
    credential: z.record(z.string(), z.unknown()).optional().describe('The signed OB 3.0 AchievementCredential'),
  })
  .meta({ id: 'IssuedCredential' });

export const credentialSchemas = {
  issueCredential: {
    body: { required: true, content: { 'application/json': issueCredentialSchema } },
    responses: {
      201: {
        description: 'The credential (the first one again for the same learner, achievement and source)',
        content: { 'application/json': issuedCredentialSchema },
      },
    },
  },
  getCredential: {
    query: [credentialImageQuerySchema],
    responses: {
      200: {
        description: 'The credential, or its baked badge for ?format=png|svg',
        content: { 'application/json': issuedCredentialSchema, 'image/png': imageBody, 'image/svg+xml': imageBody },
      },
    },
  },
  revokeCredential: {
    body: { required: true, content: { 'application/json': revokeCredentialSchema } },
    responses: { 200: { description: 'The revoked credential', content: { 'application/json': issuedCredentialSchema } } },
  },
  listLearnerCredentials: {
    query: [pageQuerySchema],
    responses: {
      200: {
        description: "A page of the learner's credentials in issue order",
        content: { 'application/json': pageOf(issuedCredentialSchema) },
      },
    },
  },
} as const satisfies OperationSchemaMap;

export type CredentialSchemaChecks = [
  Assert<Equals<z.output<typeof evidenceSchema>, Evidence>>,
  Assert<Equals<z.output<typeof issueCredentialSchema>, IssueCredential>>,
  Assert<Equals<z.output<typeof issuedCredentialSchema>, IssuedCredential>>,
  Assert<Fits<{ reason: string }, z.output<typeof revokeCredentialSchema>>>,
];
