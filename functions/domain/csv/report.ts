/**
 * The results report of a bulk job, `reports/<drop key>.<job id>.results.csv` (DESIGN §4): one line per data row of
 * the drop, each with exactly one status. It names lines, never learners: no SIS id, name, e-mail or birth date (the
 * report outlives the drop and the learners' deletion; staff match lines to their own file, the web app joins them
 * in the browser). Streamed: rows in, string chunks out, so 100,000 rows never sit in memory as text.
 */

import { csvLine } from './escape-cells';
import type { RowOutcome } from './row';

export { csvField, csvLine, escapeCsvCell, excelSafe } from './escape-cells';

export type ReportStatus = 'issued' | 'duplicate' | 'pending_consent' | 'error';

export interface ReportRow {
  /** Line of the drop the row comes from; absent for a file-level error. */
  line?: number;
  status: ReportStatus;
  reason?: string;
  credentialId?: string;
}

export const reportColumns = ['line', 'status', 'reason', 'credential_id'] as const;

export const reportHeader = (): string => csvLine(reportColumns);

export const reportLine = (row: ReportRow): string => csvLine([row.line, row.status, row.reason, row.credentialId]);

/**
 * The report as CSV text chunks: the header line first, then one line per row. Chunks are batched (`linesPerChunk`,
 * default 500) so an S3 multipart upload or a `Readable.from` consumer gets reasonably sized pieces.
 */
export async function* reportCsv(
  rows: Iterable<ReportRow> | AsyncIterable<ReportRow>,
  linesPerChunk = 500,
): AsyncGenerator<string, void, undefined> {
  let chunk = reportHeader();
  let lines = 0;
  for await (const row of rows) {
    chunk += reportLine(row);
    if (++lines >= linesPerChunk) {
      yield chunk;
      chunk = '';
      lines = 0;
    }
  }
  if (chunk !== '') yield chunk;
}

/** The whole report as one string (small jobs, tests). */
export const reportCsvText = (rows: Iterable<ReportRow>): string => {
  let text = reportHeader();
  for (const row of rows) text += reportLine(row);
  return text;
};

/** The report of a job whose file failed as a whole: the header and one `error` line with the reason. */
export const fileErrorReport = (reason: string, line?: number): string =>
  reportHeader() + reportLine({ ...(line !== undefined ? { line } : {}), status: 'error', reason });

/** The report line for a row that failed validation (the issuing step reports the others). */
export const reportRowForInvalid = (outcome: Extract<RowOutcome, { ok: false }>): ReportRow => ({
  line: outcome.line,
  status: 'error',
  reason: outcome.reason,
});
