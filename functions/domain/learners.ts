import { addYears, toIsoDate } from './dates';
import { idFromKey } from './ids';

/** COPPA: verifiable parental consent is needed until the 13th birthday. */
export const consentAge = 13;

/**
 * Whose parents must consent before credentials are signed or shared (DESIGN §5.1), a deploy-time choice:
 * `under13` (COPPA; a student whose age is unknown counts as under 13) or `allStudents` (every student, as many
 * districts' own policy asks). Staff never need parental consent.
 */
export const consentPolicies = ['under13', 'allStudents'] as const;
export type ConsentPolicy = (typeof consentPolicies)[number];
export const defaultConsentPolicy: ConsentPolicy = 'under13';

/** A configured policy (environment variable or context value); absent or empty: the default. */
export const parseConsentPolicy = (value: string | undefined): ConsentPolicy => {
  const trimmed = value?.trim();
  if (!trimmed) return defaultConsentPolicy;
  const policy = consentPolicies.find((candidate) => candidate.toLowerCase() === trimmed.toLowerCase());
  if (!policy) throw new Error(`The consent policy must be one of ${consentPolicies.join(', ')}, got "${trimmed}".`);
  return policy;
};

/** A learner to register, as `POST /learners` validates it (`createLearnerSchema` in `#http/schemas/learners`). */
export interface CreateLearner {
  sourcedId: string;
  schoolId?: string;
  givenName: string;
  familyName: string;
  email?: string;
  /** Used only to work out "consent needed until"; never stored (DESIGN §5.2). */
  birthDate?: string;
  role: 'student' | 'staff';
  guardianEmail?: string;
}

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
  /** A student registered without a birth date: counts as under 13 until consent is on file (DESIGN §5.1). */
  birthDateUnknown?: true;
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

/** A parent's consent decision (COPPA), as `POST /learners/{id}/consent` validates it (`consentSchema` in `#http/schemas/learners`). */
export interface ConsentDecision {
  granted: boolean;
  /** Who gave or withdrew consent: the parent or guardian, as a person would write it. */
  by: string;
  /** How it was obtained: signed form, e-mail plus confirmation, in person… */
  method: string;
}

export interface ConsentRecord extends ConsentDecision {
  at: string;
  recordedBy: string;
}

/** The retention policy's due date: `years` after the last activity. */
export const retentionDueOn = (lastActivity: Date, years: number): string => addYears(toIsoDate(lastActivity), years);
