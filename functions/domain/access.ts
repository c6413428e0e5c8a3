import { forbidden } from './errors';

export type Role = 'admin' | 'issuer' | 'viewer' | 'learner' | 'guardian';
export const roles: readonly Role[] = ['admin', 'issuer', 'viewer', 'learner', 'guardian'];

/**
 * Who is calling, as Merit's own membership records say — never as the IdP token alone says (DESIGN §3).
 * `schoolIds` scope issuers and viewers; `learnerIds` are the learner's own id, or a guardian's linked learners.
 */
export interface Membership {
  role: Role;
  schoolIds: string[];
  learnerIds: string[];
}

export interface Principal extends Membership {
  subject: string;
}

/** Staff whose work is scoped to schools. Admins are district-wide. */
export const canActForSchool = (principal: Principal, schoolId: string | undefined): boolean => {
  if (principal.role === 'admin') return true;
  if (principal.role !== 'issuer' && principal.role !== 'viewer') return false;
  return schoolId !== undefined && principal.schoolIds.includes(schoolId);
};

/** May this caller read this learner's records? Staff of the learner's school, the learner, linked guardians. */
export const canReadLearner = (principal: Principal, learner: { id: string; schoolId?: string }): boolean => {
  if (principal.role === 'learner' || principal.role === 'guardian') return principal.learnerIds.includes(learner.id);
  return canActForSchool(principal, learner.schoolId);
};

export const assertSchoolScope = (principal: Principal, schoolId: string | undefined, what: string): void => {
  if (!canActForSchool(principal, schoolId)) throw forbidden(`Your membership does not cover the school of this ${what}.`);
};

export const assertCanReadLearner = (principal: Principal, learner: { id: string; schoolId?: string }): void => {
  if (!canReadLearner(principal, learner)) throw forbidden("You may not see this learner's records.");
};

/** District staff (whose reads of a learner's records are disclosures to record), as opposed to the family. */
export const isStaff = (principal: Principal): boolean =>
  principal.role === 'admin' || principal.role === 'issuer' || principal.role === 'viewer';
