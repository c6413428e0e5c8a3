import { describe, expect, it } from 'vitest';
import { consentNeededUntil, parseConsentPolicy } from '#domain/learners';
import { awaitsParentalConsent, isUnderConsentAge, needsParentalConsent } from '#domain/parental-consent';

describe('consent needed until (COPPA: the 13th birthday)', () => {
  const today = new Date('2026-11-23T12:00:00Z');

  it('keeps the 13th birthday of a child under 13', () => {
    expect(consentNeededUntil('2017-06-19', today)).toBe('2030-06-19');
  });

  it('keeps nothing for a learner who is 13 or older', () => {
    expect(consentNeededUntil('2013-11-23', today)).toBeUndefined();
    expect(consentNeededUntil('2009-07-02', today)).toBeUndefined();
  });

  it('treats a birthday of 29 February as 1 March in a non-leap year', () => {
    expect(consentNeededUntil('2016-02-29', today)).toBe('2029-03-01');
  });

  it('keeps nothing without a birth date', () => {
    expect(consentNeededUntil(undefined, today)).toBeUndefined();
  });

  it('stops needing consent on the 13th birthday', () => {
    // Prepare
    const learner = { consentNeededUntil: '2027-01-10', role: 'student' as const };

    // Act / Assess
    expect(awaitsParentalConsent(learner, 'under13', new Date('2027-01-09T23:00:00Z'))).toBe(true);
    expect(awaitsParentalConsent(learner, 'under13', new Date('2027-01-10T00:00:00Z'))).toBe(false);
    expect(awaitsParentalConsent({ role: 'student' }, 'under13', today)).toBe(false);
  });
});

describe('whose parents must consent (DESIGN §5.1)', () => {
  const today = new Date('2026-11-23T12:00:00Z');
  const sixteen = { role: 'student' as const }; // a birth date 13+ years back leaves nothing on the record
  const unknownAge = { role: 'student' as const, birthDateUnknown: true as const };
  const teacher = { role: 'staff' as const };
  const granted = { granted: true, by: 'Parent', method: 'form', at: '2026-01-01T00:00:00Z', recordedBy: 'admin' };

  it('under13: a student without a birth date counts as under 13 until consent is on file', () => {
    // Act / Assess
    expect(isUnderConsentAge(unknownAge, today)).toBe(true);
    expect(needsParentalConsent(unknownAge, 'under13', today)).toBe(true);
    expect(awaitsParentalConsent(unknownAge, 'under13', today)).toBe(true);
    expect(awaitsParentalConsent({ ...unknownAge, consent: granted }, 'under13', today)).toBe(false);
    expect(needsParentalConsent(sixteen, 'under13', today)).toBe(false);
  });

  it('allStudents: every student needs consent whatever the age; staff never', () => {
    // Act / Assess
    expect(needsParentalConsent(sixteen, 'allStudents', today)).toBe(true);
    expect(awaitsParentalConsent({ ...sixteen, consent: granted }, 'allStudents', today)).toBe(false);
    expect(isUnderConsentAge(sixteen, today)).toBe(false); // a consented 16-year-old still shares on their own
    expect(needsParentalConsent(teacher, 'allStudents', today)).toBe(false);
    expect(needsParentalConsent({ ...teacher, birthDateUnknown: true }, 'under13', today)).toBe(false);
  });

  it('reads the configured policy, refusing anything else', () => {
    // Act / Assess
    expect(parseConsentPolicy(undefined)).toBe('under13');
    expect(parseConsentPolicy(' allstudents ')).toBe('allStudents');
    expect(() => parseConsentPolicy('everyone')).toThrow(/under13, allStudents/);
  });
});
