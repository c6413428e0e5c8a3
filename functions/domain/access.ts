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
  /**
   * What the principal acts through when it is not the caller in person: `sis-drop:<jobId>` for a drop they
   * uploaded, `pathway:<id>` for a capstone of a pathway they wrote. Recorded in the audit trail beside them.
   */
  via?: string;
}

/** Who a drop or a pathway acts for, as recorded with it (the uploader's or author's membership at the time). */
export type RecordedPrincipal = Pick<Principal, 'subject' | 'role' | 'schoolIds'>;

export const recordedPrincipal = (principal: Principal): RecordedPrincipal => ({
  subject: principal.subject,
  role: principal.role,
  schoolIds: [...principal.schoolIds],
});

/** The recorded principal acting again, through a drop or a pathway. */
export const actingThrough = (recorded: RecordedPrincipal, via: string): Principal => ({ ...recorded, learnerIds: [], via });

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

/**
 * The one scope rule of issuing (DESIGN §5.8), for the API, a drop's rows and a pathway's capstone alike: admins
 * issue anything to anyone; issuers issue their schools' achievements to their schools' learners (a district
 * achievement, or a learner in no school, is an admin's); nobody else issues.
 */
export const canIssue = (
  principal: Principal,
  achievementIssuer: { schoolId?: string | undefined },
  learner: { schoolId?: string | undefined },
): boolean => {
  if (principal.role === 'admin') return true;
  if (principal.role !== 'issuer') return false;
  return canActForSchool(principal, achievementIssuer.schoolId) && canActForSchool(principal, learner.schoolId);
};

export const assertCanIssue = (
  principal: Principal,
  achievementIssuer: { schoolId?: string | undefined },
  learner: { schoolId?: string | undefined },
): void => {
  if (canIssue(principal, achievementIssuer, learner)) return;
  if (principal.role !== 'issuer') throw forbidden('Your role does not issue credentials.');
  throw forbidden(
    canActForSchool(principal, achievementIssuer.schoolId)
      ? 'Your membership does not cover the school of this learner.'
      : 'Your membership does not cover the school of this achievement.',
  );
};

/** Parental consent is recorded by an admin (on the guardian's word) or by a linked guardian — never by school staff. */
export const canRecordConsent = (principal: Principal, learner: { id: string }): boolean =>
  principal.role === 'admin' || (principal.role === 'guardian' && principal.learnerIds.includes(learner.id));

/** A bulk job as its visibility needs it: who uploaded it (none: a drop of the district's own). */
export const canSeeBulkJob = (principal: Principal, job: { uploadedBy?: RecordedPrincipal }): boolean => {
  if (principal.role === 'admin') return true;
  if (!isStaff(principal) || !job.uploadedBy) return false;
  return job.uploadedBy.subject === principal.subject || job.uploadedBy.schoolIds.some((schoolId) => canActForSchool(principal, schoolId));
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
