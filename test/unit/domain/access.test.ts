import { describe, expect, it } from 'vitest';
import { assertCanIssue, canActForSchool, canIssue, canReadLearner, canRecordConsent, canSeeBulkJob, type Principal } from '#domain/access';

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

describe('the one scope rule of issuing: may this principal issue achievement A to learner L', () => {
  const lincolnAchievement = { schoolId: 'lincoln' };
  const districtAchievement = {};
  const lincolnLearner = { schoolId: 'lincoln' };
  const rooseveltLearner = { schoolId: 'roosevelt' };
  const learnerInNoSchool = {};

  it.each([
    ['an admin: a school achievement to a learner of another school', member('admin'), lincolnAchievement, rooseveltLearner, true],
    ['an admin: a district achievement to a learner in no school', member('admin'), districtAchievement, learnerInNoSchool, true],
    [
      'an issuer of the school: its achievement to its learner',
      member('issuer', { schoolIds: ['lincoln'] }),
      lincolnAchievement,
      lincolnLearner,
      true,
    ],
    [
      'an issuer of two schools: one school’s achievement to the other’s learner',
      member('issuer', { schoolIds: ['lincoln', 'roosevelt'] }),
      lincolnAchievement,
      rooseveltLearner,
      true,
    ],
    [
      'an issuer of the school: its achievement to another school’s learner',
      member('issuer', { schoolIds: ['lincoln'] }),
      lincolnAchievement,
      rooseveltLearner,
      false,
    ],
    [
      'an issuer of another school: the school’s achievement to the school’s learner',
      member('issuer', { schoolIds: ['roosevelt'] }),
      lincolnAchievement,
      lincolnLearner,
      false,
    ],
    [
      'an issuer of the school: a district achievement to its learner',
      member('issuer', { schoolIds: ['lincoln'] }),
      districtAchievement,
      lincolnLearner,
      false,
    ],
    [
      'an issuer of the school: its achievement to a learner in no school',
      member('issuer', { schoolIds: ['lincoln'] }),
      lincolnAchievement,
      learnerInNoSchool,
      false,
    ],
    [
      'a viewer of the school (reads, never issues)',
      member('viewer', { schoolIds: ['lincoln'] }),
      lincolnAchievement,
      lincolnLearner,
      false,
    ],
    ['the learner themself', member('learner', { learnerIds: ['L1'], schoolIds: ['lincoln'] }), lincolnAchievement, lincolnLearner, false],
    ['a guardian', member('guardian', { learnerIds: ['L1'], schoolIds: ['lincoln'] }), lincolnAchievement, lincolnLearner, false],
  ])('%s → %s', (_case, principal, achievementIssuer, learner, allowed) => {
    expect(canIssue(principal, achievementIssuer, learner)).toBe(allowed);
    if (allowed) expect(() => assertCanIssue(principal, achievementIssuer, learner)).not.toThrow();
    else expect(() => assertCanIssue(principal, achievementIssuer, learner)).toThrow(expect.objectContaining({ kind: 'forbidden' }));
  });
});

describe('who records consent and who sees a bulk job', () => {
  it.each([
    ['an admin', member('admin'), true],
    ['a linked guardian', member('guardian', { learnerIds: ['L1'] }), true],
    ['a guardian of someone else', member('guardian', { learnerIds: ['L9'] }), false],
    ['an issuer of the learner’s school', member('issuer', { schoolIds: ['lincoln'] }), false],
    ['the learner', member('learner', { learnerIds: ['L1'] }), false],
  ])('consent for L1 by %s → %s', (_who, principal, allowed) => {
    expect(canRecordConsent(principal, { id: 'L1' })).toBe(allowed);
  });

  const uploadedByLincolnIssuer = { uploadedBy: { subject: 'ana', role: 'issuer' as const, schoolIds: ['lincoln'] } };
  const districtDrop = {};
  it.each([
    ['an admin, a district drop', member('admin'), districtDrop, true],
    ['an admin, an issuer’s upload', member('admin'), uploadedByLincolnIssuer, true],
    ['the uploader', { ...member('issuer', { schoolIds: ['roosevelt'] }), subject: 'ana' }, uploadedByLincolnIssuer, true],
    ['another issuer of the uploader’s school', member('issuer', { schoolIds: ['lincoln'] }), uploadedByLincolnIssuer, true],
    ['an issuer of another school', member('issuer', { schoolIds: ['roosevelt'] }), uploadedByLincolnIssuer, false],
    ['an issuer, a district drop', member('issuer', { schoolIds: ['lincoln'] }), districtDrop, false],
    ['a learner who shares the uploader’s subject name', { ...member('learner'), subject: 'ana' }, uploadedByLincolnIssuer, false],
  ])('%s → %s', (_who, principal, job, visible) => {
    expect(canSeeBulkJob(principal, job)).toBe(visible);
  });
});
