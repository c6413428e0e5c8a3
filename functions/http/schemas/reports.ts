import { z } from 'zod';
import { isRealIsoDate } from '#domain/dates';
import type { PdReport, PdReportQuery, SchoolPdReportQuery } from '#features/pd-report/pd-report';
import { type Assert, csvBody, csvFormatQuerySchema, type Equals, itemsOf, type OperationSchemaMap } from './common';

const windowFields = {
  from: z.string().refine(isRealIsoDate, 'a date as YYYY-MM-DD'),
  to: z.string().refine(isRealIsoDate, 'a date as YYYY-MM-DD'),
};
const fromBeforeTo = (query: { from: string; to: string }) => query.from <= query.to;
const fromBeforeToIssue = { message: '`from` must not be after `to`', path: ['from'] };

/** `?learnerId=&from=&to=`: one staff member's credits (admins, or themself). */
export const pdReportQuerySchema = z
  .object({ learnerId: z.string().min(1).max(128), ...windowFields })
  .refine(fromBeforeTo, fromBeforeToIssue);
/** `?schoolId=&from=&to=`: every staff member of a school (admins). */
export const schoolPdReportQuerySchema = z
  .object({ schoolId: z.string().min(1).max(64), ...windowFields })
  .refine(fromBeforeTo, fromBeforeToIssue);

export const pdReportSchema = z
  .object({
    learnerId: z.string(),
    sourcedId: z.string(),
    from: z.string(),
    to: z.string(),
    totalCredits: z.number(),
    byAchievement: z.array(
      z.object({ achievementId: z.string(), achievementName: z.string(), credits: z.number(), count: z.number().int() }),
    ),
    lines: z.array(
      z.object({
        credentialId: z.string(),
        achievementId: z.string(),
        achievementName: z.string(),
        issuedOn: z.string(),
        validUntil: z.string().optional(),
        credits: z.number(),
      }),
    ),
  })
  .meta({ id: 'PdReport' });

export const reportSchemas = {
  getPdReport: {
    query: [[pdReportQuerySchema, schoolPdReportQuerySchema], csvFormatQuerySchema],
    responses: {
      200: {
        description:
          "One staff member's report (?learnerId=), every staff member's of a school (?schoolId=, as items), or the CSV (Accept: text/csv or ?format=csv)",
        content: { 'application/json': z.union([pdReportSchema, itemsOf(pdReportSchema)]), 'text/csv': csvBody },
      },
    },
  },
} as const satisfies OperationSchemaMap;

export type ReportSchemaChecks = [
  Assert<Equals<z.output<typeof pdReportQuerySchema>, PdReportQuery>>,
  Assert<Equals<z.output<typeof schoolPdReportQuerySchema>, SchoolPdReportQuery>>,
  Assert<Equals<z.output<typeof pdReportSchema>, PdReport>>,
];
