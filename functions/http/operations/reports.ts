import { pdReport, pdReportQuerySchema } from '#services/pd-report';
import { parseWith } from '../errors';
import { principalOf } from '../inputs';
import { ok } from '../response';
import type { Operations } from '../types';

export const reportOperations: Operations = {
  getPdReport: async (context) => {
    const query = parseWith(pdReportQuerySchema, { learnerId: context.query['learnerId'], from: context.query['from'], to: context.query['to'] });
    return ok(await pdReport(context.deps, principalOf(context), query));
  },
};
