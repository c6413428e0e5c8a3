import type { Dependencies } from '#config/dependencies';
import { assertCanReadLearner, assertSchoolScope, type Principal } from '#domain/access';
import { notFound } from '#domain/errors';
import { newId } from '#domain/ids';
import { consentNeededUntil, type CreateLearner, type Learner } from '#domain/learners';

/** Registers a learner, keeping from the birth date only "consent needed until" (DESIGN §5.2). */
export const createLearner = async (deps: Dependencies, principal: Principal, input: CreateLearner): Promise<Learner> => {
  const { birthDate, ...fields } = input;
  assertSchoolScope(principal, fields.schoolId, 'learner');
  const now = deps.clock.now();
  const until = consentNeededUntil(birthDate, now);
  const learner: Learner = {
    ...fields,
    id: newId(),
    ...(until ? { consentNeededUntil: until } : {}),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await deps.store.learners.create(learner);
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
  return learner;
};

/** Finds by SIS id; a learner outside the caller's schools is reported as not found (no existence leak). */
export const findLearnerBySourcedId = async (deps: Dependencies, principal: Principal, sourcedId: string): Promise<Learner[]> => {
  const learner = await deps.store.learners.getBySourcedId(sourcedId);
  if (!learner) return [];
  try {
    assertCanReadLearner(principal, learner);
  } catch {
    return [];
  }
  return [learner];
};
