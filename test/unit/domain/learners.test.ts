import { describe, expect, it } from 'vitest';
import { consentNeededUntil, needsConsent } from '#domain/learners';

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
    const learner = { consentNeededUntil: '2027-01-10' };

    // Act / Assess
    expect(needsConsent(learner, new Date('2027-01-09T23:00:00Z'))).toBe(true);
    expect(needsConsent(learner, new Date('2027-01-10T00:00:00Z'))).toBe(false);
    expect(needsConsent({}, today)).toBe(false);
  });
});
