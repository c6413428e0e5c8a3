import { z } from 'zod';
import { createLearnerSchema, sourcedIdSchema } from '#domain/learners';
import { createLearner, findLearnerBySourcedId, getLearner } from '#services/learners';
import { parseWith } from '../errors';
import { jsonBody, pathId, principalOf } from '../inputs';
import { created, ok } from '../response';
import type { Operations } from '../types';

const findQuerySchema = z.object({ sourcedId: sourcedIdSchema });

export const learnerOperations: Operations = {
  createLearner: async (context) =>
    created(await createLearner(context.deps, principalOf(context), jsonBody(context, createLearnerSchema))),
  getLearner: async (context) => ok(await getLearner(context.deps, principalOf(context), pathId(context))),
  findLearners: async (context) => {
    const { sourcedId } = parseWith(findQuerySchema, { sourcedId: context.query['sourcedId'] });
    return ok({ items: await findLearnerBySourcedId(context.deps, principalOf(context), sourcedId) });
  },
};
