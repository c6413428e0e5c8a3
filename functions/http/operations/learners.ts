import { createLearner, findLearnerBySourcedId, getLearner } from '#features/learners/learners';
import { resolveLearnerSchool } from '#features/schools/schools';
import { parseWith } from '../errors';
import { jsonBody, pathId, principalOf } from '../inputs';
import { created, ok } from '../response';
import { createLearnerSchema, findLearnersQuerySchema } from '../schemas/learners';
import type { Operations } from '../types';

export const learnerOperations: Operations = {
  createLearner: async (context) => {
    const { schoolId, ...input } = jsonBody(context, createLearnerSchema);
    // A school's own id or one of its SIS codes or names, as drops accept them; an unknown one is refused (400).
    const school = await resolveLearnerSchool(context.deps, schoolId);
    return created(await createLearner(context.deps, principalOf(context), { ...input, ...(school ? { schoolId: school } : {}) }));
  },
  getLearner: async (context) => ok(await getLearner(context.deps, principalOf(context), pathId(context))),
  findLearners: async (context) => {
    const { sourcedId } = parseWith(findLearnersQuerySchema, { sourcedId: context.query['sourcedId'] });
    return ok({ items: await findLearnerBySourcedId(context.deps, principalOf(context), sourcedId) });
  },
};
