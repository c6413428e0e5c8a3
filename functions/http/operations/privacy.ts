import { auditTrail, auditTrailCsv } from '#features/audit/trail';
import { deleteLearner } from '#features/deletion/delete-learner';
import { parseWith } from '../errors';
import { pageRequest, pathId, principalOf, wantsCsv } from '../inputs';
import { ok } from '../response';
import { auditTrailQuerySchema } from '../schemas/privacy';
import type { Operations } from '../types';

/** Deletion and the FERPA record of disclosures. */
export const privacyOperations: Operations = {
  deleteLearner: async (context) => ok(await deleteLearner(context.deps, principalOf(context), pathId(context))),
  getAuditTrail: async (context) => {
    const { learnerId } = parseWith(auditTrailQuerySchema, { learnerId: context.query['learnerId'] });
    if (wantsCsv(context)) {
      return {
        statusCode: 200,
        body: await auditTrailCsv(context.deps, learnerId),
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="audit.csv"' },
      };
    }
    return ok(await auditTrail(context.deps, learnerId, pageRequest(context)));
  },
};
