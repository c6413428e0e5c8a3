/**
 * Writing CSV that is safe to open in Excel, LibreOffice or Google Sheets: RFC 4180 quoting plus the OWASP defence
 * against CSV (formula) injection. Used by the bulk results report; PD reports and audit exports should use it too.
 */

/** Cells whose first character makes a spreadsheet read them as a formula (OWASP "CSV Injection"). */
const formulaTriggers = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * Neutralises a cell a spreadsheet would evaluate: a value starting with `=`, `+`, `-`, `@`, tab or carriage return
 * gets a leading single quote (`'=HYPERLINK(…)`), which makes Excel show it as text. Other values are unchanged.
 */
export const escapeCsvCell = (value: string): string => (value !== '' && formulaTriggers.has(value[0]!) ? `'${value}` : value);

/** Same function under the name the OWASP guidance uses. */
export const excelSafe = escapeCsvCell;

export type CsvCell = string | number | boolean | null | undefined;

/**
 * One cell, ready to join with commas: `null`/`undefined` → empty; numbers and booleans as written (a negative
 * number is data, not a formula, and is left alone); strings escaped against formulas, then quoted per RFC 4180
 * when they hold a comma, a double quote, CR or LF (inner quotes doubled), or spaces at either end.
 */
export const csvField = (value: CsvCell): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const safe = escapeCsvCell(value);
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** One record, CRLF-terminated (RFC 4180). */
export const csvLine = (cells: readonly CsvCell[]): string => `${cells.map(csvField).join(',')}\r\n`;
