import type { Dependencies } from '#config/dependencies';
import { assertCanReadLearner, assertSchoolScope, canReadLearner, isStaff, type Principal } from '#domain/access';
import { AppError, conflict, notFound } from '#domain/errors';
import { type CreateLearner, consentNeededUntil, type Learner, learnerIdFor, retentionDueOn } from '#domain/learners';
import { actorOf, recordAudit } from '#features/audit/record';
import { learnerHash } from '#features/learners/learner-hash';

/**
 * A staff member outside the district office asks for an SIS id that is taken by a learner of another school, or
 * that was deleted. Learner ids derive from the SIS id, so "it cannot be registered" cannot be hidden; everything
 * else can: one status and one message for both cases, naming neither the other school nor the deletion date
 * (a 409 is true of both — the id is taken by a record they may not see — where a 403 or 404 would be true of one).
 */
const sisIdUnavailable = () =>
  conflict('A learner with this SIS id cannot be registered from your schools. A district admin can find out why and register them.');

/** Registers a learner, keeping from the birth date only "consent needed until" (DESIGN §5.2). */
export const createLearner = async (
  deps: Dependencies,
  principal: Principal,
  input: CreateLearner,
  /** The SIS id's tombstone as the caller just read it (a drop reads a chunk's at once); undefined: none. */
  known?: { tombstone: { deletedAt: string } | undefined },
): Promise<Learner> => {
  const { birthDate, ...fields } = input;
  assertSchoolScope(principal, fields.schoolId, 'learner');
  // A deleted learner comes back only when an admin deliberately re-creates them (DESIGN §5.4).
  const hash = await learnerHash(deps, fields.sourcedId);
  const tombstone = known ? known.tombstone : await deps.store.erasure.getTombstone(hash);
  if (tombstone && principal.role !== 'admin') throw sisIdUnavailable();
  const now = deps.clock.now();
  const until = consentNeededUntil(birthDate, now);
  const learner: Learner = {
    ...fields,
    id: learnerIdFor(hash),
    ...(until ? { consentNeededUntil: until } : {}),
    ...(birthDate === undefined && fields.role === 'student' ? { birthDateUnknown: true as const } : {}),
    lastActivityAt: now.toISOString(),
    retentionDueOn: retentionDueOn(now, deps.district.retentionYears),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  try {
    await deps.store.learners.create(learner);
  } catch (error) {
    // Taken: said plainly to whoever may see the learner it is taken by; to anyone else, the same as a deletion.
    if (error instanceof AppError && error.kind === 'conflict' && principal.role !== 'admin') {
      const existing = await deps.store.learners.get(learner.id);
      if (!existing || !canReadLearner(principal, existing)) throw sisIdUnavailable();
    }
    throw error;
  }
  if (tombstone) await deps.store.erasure.clearTombstone(hash);
  await recordAudit(deps, learner.id, actorOf(principal), 'learner.create', { learnerId: learner.id });
  return learner;
};

export const requireLearner = async (deps: Dependencies, id: string): Promise<Learner> => {
  const learner = await deps.store.learners.get(id);
  if (!learner) throw notFound('The learner');
  return learner;
};

export const getLearner = async (deps: Dependencies, principal: Principal, id: string): Promise<Learner> => {
  const learner = await requireLearner(deps, id);
  assertCanReadLearner(principal, learner);
  if (isStaff(principal)) await recordAudit(deps, learner.id, actorOf(principal), 'learner.read', { learnerId: learner.id });
  return learner;
};

/** The learner registered with this SIS id, if any. */
export const learnerBySourcedId = async (deps: Dependencies, sourcedId: string): Promise<Learner | undefined> =>
  deps.store.learners.get(learnerIdFor(await learnerHash(deps, sourcedId)));

/** Finds by SIS id; a learner outside the caller's schools is reported as not found (no existence leak). */
export const findLearnerBySourcedId = async (deps: Dependencies, principal: Principal, sourcedId: string): Promise<Learner[]> => {
  const learner = await learnerBySourcedId(deps, sourcedId);
  if (!learner) return [];
  try {
    assertCanReadLearner(principal, learner);
  } catch {
    return [];
  }
  if (isStaff(principal))
    await recordAudit(deps, learner.id, actorOf(principal), 'learner.read', { learnerId: learner.id, by: 'sourcedId' });
  return [learner];
};
