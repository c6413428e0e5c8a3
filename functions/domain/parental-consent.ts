import { toIsoDate } from './dates';
import type { ConsentPolicy, Learner } from './learners';

type ConsentFacts = Pick<Learner, 'consentNeededUntil' | 'birthDateUnknown' | 'role'>;

/**
 * Under 13, whatever the consent decision: such a learner does not share or ask for deletion themselves (a guardian
 * does). A student whose birth date is unknown counts as under 13; staff never do.
 */
export const isUnderConsentAge = (learner: ConsentFacts, today: Date): boolean => {
  if (learner.role === 'staff') return false;
  if (learner.birthDateUnknown) return true;
  return learner.consentNeededUntil !== undefined && learner.consentNeededUntil > toIsoDate(today);
};

/** Does the district's policy ask for a parent's consent for this learner (given or not)? */
export const needsParentalConsent = (learner: ConsentFacts, policy: ConsentPolicy, today: Date): boolean => {
  if (learner.role === 'staff') return false;
  return policy === 'allStudents' || isUnderConsentAge(learner, today);
};

/** Consent needed and not on file: credentials wait unsigned, nothing is shareable. */
export const awaitsParentalConsent = (learner: ConsentFacts & Pick<Learner, 'consent'>, policy: ConsentPolicy, today: Date): boolean =>
  needsParentalConsent(learner, policy, today) && learner.consent?.granted !== true;
