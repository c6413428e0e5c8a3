import { pdReport, pdReportCsv, schoolPdReport } from '#features/pd-report/pd-report';
import { parseWith } from '../errors';
import { principalOf, wantsCsv } from '../inputs';
import { ok } from '../response';
import { pdReportQuerySchema, schoolPdReportQuerySchema } from '../schemas/reports';
import type { Operations } from '../types';

export const reportOperations: Operations = {
  /** `?learnerId=` for one staff member (admins, or themself); `?schoolId=` for all staff of a school (admins). */
  getPdReport: async (context) => {
    const window = { from: context.query['from'], to: context.query['to'] };
    const reports = context.query['schoolId']
      ? await schoolPdReport(
          context.deps,
          principalOf(context),
          parseWith(schoolPdReportQuerySchema, { schoolId: context.query['schoolId'], ...window }),
        )
      : [
          await pdReport(
            context.deps,
            principalOf(context),
            parseWith(pdReportQuerySchema, { learnerId: context.query['learnerId'], ...window }),
          ),
        ];
    if (wantsCsv(context)) {
      return {
        statusCode: 200,
        body: pdReportCsv(reports),
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="pd-report.csv"' },
      };
    }
    return ok(context.query['schoolId'] ? { items: reports } : reports[0]);
  },
};
