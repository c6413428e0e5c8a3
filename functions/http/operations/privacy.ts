import { z } from 'zod';
import { auditTrail } from '#services/audit';
import { deleteLearner } from '#services/deletion';
import { parseWith } from '../errors';
import { pageRequest, pathId, principalOf } from '../inputs';
import { ok } from '../response';
import type { Operations } from '../types';

const auditQuerySchema = z.object({ learnerId: z.string().min(1).max(128) });

/** Deletion and the FERPA record of disclosures. */
export const privacyOperations: Operations = {
  deleteLearner: async (context) => ok(await deleteLearner(context.deps, principalOf(context), pathId(context))),
  getAuditTrail: async (context) => {
    const { learnerId } = parseWith(auditQuerySchema, { learnerId: context.query['learnerId'] });
    return ok(await auditTrail(context.deps, learnerId, pageRequest(context)));
  },
};
