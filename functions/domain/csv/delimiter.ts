/**
 * Which of comma, semicolon or tab separates the cells, sniffed from the header line.
 *
 * Each candidate splits the header (csv-parse, so quotes are respected); the one under which the most headers are
 * columns Merit knows wins, then the one giving the most cells, then comma › semicolon › tab. A header with none of
 * them is one column wide and fails later for its missing columns.
 */
import { parse } from 'csv-parse/sync';
import { recognisedCount } from './columns';

export type Delimiter = ',' | ';' | '\t';
export const delimiters: readonly Delimiter[] = [',', ';', '\t'];

/**
 * The first non-blank line of `text` (LF line endings), ending at the first newline outside double quotes.
 * `complete` is false when no such newline occurs and `text` is only a prefix of the file.
 */
export const firstLine = (text: string, isWholeFile: boolean): { line: string; complete: boolean } => {
  const start = text.search(/[^\s]/);
  if (start < 0) return { line: '', complete: isWholeFile };
  // Back up to the start of that line, so leading spaces in the first cell stay part of it.
  const lineStart = text.lastIndexOf('\n', start) + 1;
  let quoted = false;
  for (let i = lineStart; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (char === '\n' && !quoted) return { line: text.slice(lineStart, i), complete: true };
  }
  return { line: text.slice(lineStart), complete: isWholeFile };
};

export const splitHeader = (line: string, delimiter: Delimiter): string[] => {
  try {
    const records = parse(line, {
      delimiter,
      relax_quotes: true,
      relax_column_count: true,
      record_delimiter: '\n',
    }) as string[][];
    return (records[0] ?? []).map((cell) => cell.trim());
  } catch {
    return [line];
  }
};

export const sniffDelimiter = (headerLine: string): Delimiter => {
  let best: { delimiter: Delimiter; recognised: number; cells: number } = { delimiter: ',', recognised: -1, cells: 0 };
  for (const delimiter of delimiters) {
    const cells = splitHeader(headerLine, delimiter);
    const recognised = recognisedCount(cells);
    if (recognised > best.recognised || (recognised === best.recognised && cells.length > best.cells)) {
      best = { delimiter, recognised, cells: cells.length };
    }
  }
  return best.delimiter;
};
