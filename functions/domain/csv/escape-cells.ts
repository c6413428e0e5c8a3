import { type Options, stringify } from 'csv-stringify/sync';

/**
 * Writing CSV that is safe to open in Excel, LibreOffice or Google Sheets: RFC 4180 quoting plus the OWASP defence
 * against CSV (formula) injection, both by csv-stringify (`escape_formulas`). Used by the bulk results report, PD
 * reports and audit exports.
 */

export type CsvCell = string | number | boolean | null | undefined;

/**
 * CRLF records; a cell is quoted when it holds a comma, a double quote, CR or LF (inner quotes doubled), or spaces at
 * either end. A cell a spreadsheet would evaluate (starting with `=`, `+`, `-`, `@`, tab or CR, or their full-width
 * forms) gets a leading single quote, `'=HYPERLINK(…)`, which makes it text. Numbers are written as numbers (a
 * negative number is data, not a formula), a non-finite one as nothing; booleans as `true`/`false`.
 */
const csvOptions: Options = {
  escape_formulas: true,
  record_delimiter: '\r\n',
  quoted_match: [/[\r\n]/, /^\s/, /\s$/],
  cast: { boolean: (value) => (value ? 'true' : 'false'), number: (value) => (Number.isFinite(value) ? String(value) : '') },
};

/** One record, CRLF-terminated (RFC 4180). */
export const csvLine = (cells: readonly CsvCell[]): string => stringify([[...cells]], csvOptions);

/** One cell, ready to join with commas. */
export const csvField = (value: CsvCell): string => csvLine([value]).slice(0, -'\r\n'.length);

/** The formula escape alone, without CSV quoting (a value shown in a spreadsheet by other means). */
const formulaOnly: Options = { escape_formulas: true, quote: '', escape: '', record_delimiter: '' };

/** Neutralises a cell a spreadsheet would evaluate (`'=HYPERLINK(…)`); other values are unchanged. */
export const escapeCsvCell = (value: string): string => stringify([[value]], formulaOnly);

/** Same function under the name the OWASP guidance uses. */
export const excelSafe = escapeCsvCell;
