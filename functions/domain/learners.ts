import { z } from 'zod';
import { emailPattern } from './csv/row';
import { addYears, isRealIsoDate, toIsoDate } from './dates';
import { idFromKey } from './ids';

/** E-mail addresses as SIS and HR exports hold them, internationalised ones included (one rule for API and CSV). */
export const emailSchema = z.string().trim().regex(emailPattern, 'a valid e-mail address');

/** COPPA: verifiable parental consent is needed until the 13th birthday. */
export const consentAge = 13;

export const sourcedIdSchema = z.string().trim().min(1).max(64).regex(/^[^\s#]+$/, 'no spaces or #');

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
export type CreateLearner = z.output<typeof createLearnerSchema>;

export interface Learner {
  id: string;
  sourcedId: string;
  schoolId?: string;
  givenName: string;
  familyName: string;
  email?: string;
  role: 'student' | 'staff';
  guardianEmail?: string;
  /** The 13th birthday, kept only while it lies in the future; the birth date itself is never kept. */
  consentNeededUntil?: string;
  /** The latest parental consent decision (COPPA), with who gave it, how, and who recorded it. */
  consent?: ConsentRecord;
  /**
   * Last change of the record (or the latest credential, once the retention job has seen it): the retention clock
   * runs from the later of this and the learner's latest credential.
   */
  lastActivityAt: string;
  /** When the retention job looks at this learner (YYYY-MM-DD): deleted then, unless a newer credential moves it on. */
  retentionDueOn: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * A learner's id, from the keyed hash of their SIS id (never the SIS id itself: student numbers are guessable). One SIS
 * id, one id: finding a learner by SIS id is a GetItem, and registering one is a single "only if absent" write.
 */
export const learnerIdFor = (sourcedIdHash: string): string => idFromKey('learner', sourcedIdHash);

/**
 * Reduces a birth date to the only fact Merit needs from it: the day until which parental consent is required.
 * Returns undefined when the learner is already 13 (nothing to keep).
 */
export const consentNeededUntil = (birthDate: string | undefined, today: Date): string | undefined => {
  if (!birthDate) return undefined;
  const thirteenth = addYears(birthDate, consentAge);
  return thirteenth > toIsoDate(today) ? thirteenth : undefined;
};

/** Under 13 (consent still needed) whatever the consent decision. */
export const isUnderConsentAge = (learner: Pick<Learner, 'consentNeededUntil'>, today: Date): boolean =>
  learner.consentNeededUntil !== undefined && learner.consentNeededUntil > toIsoDate(today);

/** Under 13 and no parental consent on file: credentials wait unsigned, nothing is shareable. */
export const needsConsent = (learner: Pick<Learner, 'consentNeededUntil' | 'consent'>, today: Date): boolean =>
  isUnderConsentAge(learner, today) && learner.consent?.granted !== true;

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

export interface ConsentRecord extends z.output<typeof consentSchema> {
  at: string;
  recordedBy: string;
}

/** The retention policy's due date: `years` after the last activity. */
export const retentionDueOn = (lastActivity: Date, years: number): string => addYears(toIsoDate(lastActivity), years);
