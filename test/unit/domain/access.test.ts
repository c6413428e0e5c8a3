import { describe, expect, it } from 'vitest';
import { canActForSchool, canReadLearner, type Principal } from '#domain/access';

const member = (role: Principal['role'], scope: Partial<Principal> = {}): Principal => ({
  subject: `sub-${role}`,
  role,
  schoolIds: [],
  learnerIds: [],
  ...scope,
});

describe('who may act for a school and read a learner', () => {
  const learner = { id: 'L1', schoolId: 'lincoln' };

  it.each([
    ['an admin, district-wide', member('admin'), true],
    ['an issuer of the same school', member('issuer', { schoolIds: ['lincoln'] }), true],
    ['an issuer of another school', member('issuer', { schoolIds: ['roosevelt'] }), false],
    ['a viewer of the same school', member('viewer', { schoolIds: ['lincoln'] }), true],
    ['the learner themself', member('learner', { learnerIds: ['L1'] }), true],
    ['another learner', member('learner', { learnerIds: ['L2'] }), false],
    ['a linked guardian', member('guardian', { learnerIds: ['L1', 'L9'] }), true],
    ['a guardian of someone else', member('guardian', { learnerIds: ['L9'] }), false],
  ])('%s → %s', (_who, principal, allowed) => {
    expect(canReadLearner(principal, learner)).toBe(allowed);
  });

  it('gives school staff nothing over a learner or issuer with no school', () => {
    expect(canActForSchool(member('issuer', { schoolIds: ['lincoln'] }), undefined)).toBe(false);
    expect(canActForSchool(member('admin'), undefined)).toBe(true);
  });

  it('never lets a learner or guardian act for a school', () => {
    expect(canActForSchool(member('learner', { schoolIds: ['lincoln'] }), 'lincoln')).toBe(false);
    expect(canActForSchool(member('guardian', { schoolIds: ['lincoln'] }), 'lincoln')).toBe(false);
  });
});
