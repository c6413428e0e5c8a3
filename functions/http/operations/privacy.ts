import { z } from 'zod';
import { auditTrail, auditTrailCsv } from '#features/audit/trail';
import { deleteLearner } from '#features/deletion/delete-learner';
import { parseWith } from '../errors';
import { pageRequest, pathId, principalOf, wantsCsv } from '../inputs';
import { ok } from '../response';
import type { Operations } from '../types';

const auditQuerySchema = z.object({ learnerId: z.string().min(1).max(128) });

/** Deletion and the FERPA record of disclosures. */
export const privacyOperations: Operations = {
  deleteLearner: async (context) => ok(await deleteLearner(context.deps, principalOf(context), pathId(context))),
  getAuditTrail: async (context) => {
    const { learnerId } = parseWith(auditQuerySchema, { learnerId: context.query['learnerId'] });
    if (wantsCsv(context)) {
      return { statusCode: 200, body: await auditTrailCsv(context.deps, learnerId), headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="audit.csv"' } };
    }
    return ok(await auditTrail(context.deps, learnerId, pageRequest(context)));
  },
};
