import { z } from 'zod';
import { emailPattern } from '#domain/csv/row';
import { isRealIsoDate } from '#domain/dates';
import type { ConsentDecision, CreateLearner, Learner } from '#domain/learners';
import type { ConsentOutcome } from '#features/consent/record-consent';
import { type Assert, type Equals, itemsOf, type OperationSchemaMap } from './common';

/** E-mail addresses as SIS and HR exports hold them, internationalised ones included (one rule for API and CSV). */
export const emailSchema = z.string().trim().regex(emailPattern, 'a valid e-mail address');

export const sourcedIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[^\s#]+$/, 'no spaces or #');

export const createLearnerSchema = z
  .object({
    sourcedId: sourcedIdSchema,
    schoolId: z.string().trim().min(1).max(64).optional(),
    givenName: z.string().trim().min(1).max(100),
    familyName: z.string().trim().min(1).max(100),
    email: emailSchema.optional(),
    /** Used only to work out "consent needed until"; never stored (DESIGN §5.2). */
    birthDate: z.string().refine(isRealIsoDate, 'a date as YYYY-MM-DD').optional(),
    role: z.enum(['student', 'staff']).default('student'),
    guardianEmail: emailSchema.optional(),
  })
  .strict()
  .meta({ id: 'CreateLearner' });

export const findLearnersQuerySchema = z.object({ sourcedId: sourcedIdSchema });

export const consentSchema = z
  .object({
    granted: z.boolean(),
    /** Who gave or withdrew consent: the parent or guardian, as a person would write it. */
    by: z.string().trim().min(1).max(200),
    /** How it was obtained: signed form, e-mail plus confirmation, in person… */
    method: z.string().trim().min(1).max(200),
  })
  .strict()
  .meta({ id: 'Consent' });

const consentRecordSchema = z
  .object({ granted: z.boolean(), by: z.string(), method: z.string(), at: z.string(), recordedBy: z.string() })
  .meta({ id: 'ConsentRecord' });

export const learnerSchema = z
  .object({
    id: z.string(),
    sourcedId: z.string(),
    schoolId: z.string().optional(),
    givenName: z.string(),
    familyName: z.string(),
    email: z.string().optional(),
    role: z.enum(['student', 'staff']),
    guardianEmail: z.string().optional(),
    consentNeededUntil: z.string().optional().describe('The 13th birthday, kept only while it lies in the future'),
    birthDateUnknown: z.literal(true).optional(),
    consent: consentRecordSchema.optional(),
    lastActivityAt: z.string(),
    retentionDueOn: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Learner' });

export const consentOutcomeSchema = z
  .object({
    learnerId: z.string(),
    consent: consentRecordSchema,
    issued: z.number().int().describe('Credentials that waited for consent and are now signed'),
    sharesWithdrawn: z.number().int().describe('Share links withdrawn because consent was withdrawn'),
  })
  .meta({ id: 'ConsentOutcome' });

export const learnerSchemas = {
  createLearner: {
    body: { required: true, content: { 'application/json': createLearnerSchema } },
    responses: { 201: { description: 'The new learner', content: { 'application/json': learnerSchema } } },
  },
  findLearners: {
    query: [findLearnersQuerySchema],
    responses: {
      200: { description: 'The learner with this SIS id, if any and visible', content: { 'application/json': itemsOf(learnerSchema) } },
    },
  },
  getLearner: { responses: { 200: { description: "The learner's record", content: { 'application/json': learnerSchema } } } },
  recordConsent: {
    body: { required: true, content: { 'application/json': consentSchema } },
    responses: { 200: { description: 'The recorded decision and what it changed', content: { 'application/json': consentOutcomeSchema } } },
  },
} as const satisfies OperationSchemaMap;

export type LearnerSchemaChecks = [
  Assert<Equals<z.output<typeof createLearnerSchema>, CreateLearner>>,
  Assert<Equals<z.output<typeof consentSchema>, ConsentDecision>>,
  Assert<Equals<z.output<typeof learnerSchema>, Learner>>,
  Assert<Equals<z.output<typeof consentOutcomeSchema>, ConsentOutcome>>,
];
