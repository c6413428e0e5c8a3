import { z } from 'zod';
import { isRealIsoDate } from './dates';

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
    /**
     * What this issuance comes from (a class, an event, a drop); with learner and achievement it makes the
     * idempotency key: the same three again return the first credential.
     */
    source: z.string().trim().min(1).max(200).default('api'),
  })
  .strict()
  .meta({ id: 'IssueCredential' });
export type IssueCredential = z.output<typeof issueCredentialSchema>;

export const revokeCredentialSchema = z
  .object({ reason: z.string().trim().min(1).max(500) })
  .strict()
  .meta({ id: 'RevokeCredential' });
