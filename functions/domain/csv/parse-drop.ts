/**
 * An SIS drop (DESIGN §4), streamed: bytes → text (UTF-8 / Windows-1252) → records (csv-parse) → validated rows.
 *
 * `openDrop` reads just enough of the source to decide the encoding and the delimiter and to read the header, then
 * hands back the header facts and an async generator of row outcomes. Memory stays bounded by the sniffed prefix
 * (64 KiB), the stream buffers and one record, whatever the file's length.
 *
 * File-level problems throw `DropFileError` (with a `code` and a message for a person): from `openDrop` for what the
 * start of the file shows (empty, not a CSV, no header, missing or duplicated columns); from the row generator for
 * what only appears later (an opening quote never closed). Row-level problems never throw: they are
 * `{ ok: false, line, reason }` outcomes — also a row past the row limit (DESIGN §4: each such line ends
 * `error: over the 100,000-row limit`, the rest of the file is read), a field over 64 KiB (`BoundedRecords` cuts
 * it, so csv-parse never holds it) and a stray NUL byte. Errors of the source itself (an S3 read failing) are rethrown
 * unchanged so the caller can retry.
 *
 * Outcomes for edge cases:
 * - a file of 0 bytes, or only a BOM, blank lines and spaces → `DropFileError('empty')`;
 * - a header line and no data rows → a normal drop whose generator yields nothing (zero rows is a valid, empty job);
 * - lines that are blank or hold only delimiters/spaces (`,,,,` rows Excel leaves at the end) are not rows: they are
 *   skipped and counted in `stats.blankRows`, and get no line in the report.
 */
import { pipeline, Readable } from 'node:stream';
import { Parser } from 'csv-parse';
import { BoundedRecords } from './bounded-records';
import { type CanonicalColumn, canonicalColumnOf, mapHeader, recognisedCount, requiredColumns } from './columns';
import { DropDecoder, type DropEncoding, NewlineNormaliser, sniffBinary } from './decode';
import { type Delimiter, firstLine, sniffDelimiter } from './delimiter';
import { createRowValidator, type DropRole, type RowOutcome } from './row';

export type DropFileErrorCode = 'empty' | 'not_csv' | 'no_header' | 'missing_columns' | 'duplicate_columns' | 'malformed';

/** A problem with the file as a whole: the job fails with `message` in its report. */
export class DropFileError extends Error {
  constructor(
    readonly code: DropFileErrorCode,
    message: string,
    /** The line the problem was found at or after, when there is one. */
    readonly line?: number,
  ) {
    super(message);
    this.name = 'DropFileError';
  }
}

export const isDropFileError = (error: unknown): error is DropFileError => error instanceof DropFileError;

export interface DropHeader {
  /**
   * The text encoding. `utf-8` for a file with a BOM or whose first non-ASCII bytes are UTF-8; `windows-1252`
   * otherwise. For a file that is pure ASCII in its first 64 KiB this may change from `utf-8` to `windows-1252` when
   * the first non-ASCII byte arrives later (both read ASCII the same, so nothing read before is affected).
   */
  readonly encoding: DropEncoding;
  readonly bom: boolean;
  readonly delimiter: Delimiter;
  /** The line the header is on (1 unless blank lines precede it). */
  readonly headerLine: number;
  /** canonical column → header as spelled in the file, for the columns found. */
  readonly columns: Partial<Record<CanonicalColumn, string>>;
  /** Headers Merit does not use, as spelled in the file; their cells are never read into rows. */
  readonly ignoredColumns: readonly string[];
  /** Role of rows whose role cell is empty (or that have no role column): `staff` when the id column is `staff_id`… */
  readonly defaultRole: DropRole;
}

export interface DropStats {
  /** Data rows read so far (blank rows excluded). */
  rows: number;
  valid: number;
  invalid: number;
  /** Blank or delimiter-only lines skipped. */
  blankRows: number;
}

export interface OpenedDrop {
  header: DropHeader;
  /** Each data row once, in file order. Throws `DropFileError('malformed')` if the file breaks later. */
  rows: AsyncGenerator<RowOutcome, void, undefined>;
  /** Live counts, complete once `rows` is exhausted. */
  stats: DropStats;
  /** Releases the source when the rows are not read to the end (`break` out of `for await` does it too). */
  close(): void;
}

export interface DropOptions {
  /** Bytes read before deciding encoding and delimiter (default 64 KiB); the header line must fit in them. */
  sniffBytes?: number;
  /** Data rows past this many each fail (default 100,000, DESIGN §4); nothing about them is read. */
  maxRows?: number;
  /** A field longer than this, in UTF-8 bytes, fails its row (default 64 KiB, DESIGN §4). */
  maxFieldBytes?: number;
  /** A record longer than this, in UTF-8 bytes, fails its row (default 1 MiB): what csv-parse holds at most. */
  maxRecordBytes?: number;
}

export const defaultMaxRows = 100_000;
export const defaultMaxFieldBytes = 64 * 1024;
export const defaultMaxRecordBytes = 1024 * 1024;

const delimiterNames: Record<Delimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/** Blank for row purposes: spaces and control characters only (a DOS end-of-file Ctrl-Z on the last line, say). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what a blank cell may hold
const isBlankCell = (cell: string): boolean => /^[\s\x00-\x1f\x7f]*$/.test(cell);

const cells = (count: number): string => `${count} cell${count === 1 ? '' : 's'}`;

const concatChunks = (chunks: Uint8Array[], length: number): Uint8Array => {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
};

/**
 * The header cells a message may name: only those that are column names Merit knows. A first line Merit does not
 * recognise is often the first student's record (a file exported without its header), and a message of a drop
 * lands in the job and its report: it never echoes a cell's value, so the others are only counted.
 */
const listHeaders = (headers: readonly string[]): string => {
  const filled = headers.filter((header) => header !== '');
  const known = filled.filter((header) => canonicalColumnOf(header) !== undefined).slice(0, 25);
  const others = filled.length - known.length;
  const text =
    known.length === 0 ? 'none Merit knows' : known.map((header) => (header.length > 40 ? `${header.slice(0, 40)}…` : header)).join(', ');
  return others === 0 ? text : `${text} (and ${others} other${others === 1 ? '' : 's'} Merit does not use)`;
};

const columnHints: Record<(typeof requiredColumns)[number], string> = {
  student_id: 'student_id (or Student_Number, StudentID, staff_id, sourcedId…)',
  achievement: 'achievement (or badgeCode, AchievementCode, code…)',
};

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Opens an SIS drop for streaming. `source` is the object body (an S3 `Body` is an `AsyncIterable<Uint8Array>`).
 * Throws `DropFileError` for a file that cannot be a drop; see the module comment.
 */
/** How a drop's records are parsed (the unit tests parse with the very same options). */
export const dropParserOptions = (delimiter: string) =>
  ({
    delimiter,
    record_delimiter: '\n',
    quote: '"',
    escape: '"',
    // Cells are trimmed after parsing: csv-parse's own trim turns `"a"b` into an error that ends the whole parse.
    trim: false,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    bom: false,
    info: true,
    skip_records_with_error: true,
  }) as const;

export const openDrop = async (source: AsyncIterable<Uint8Array>, options: DropOptions = {}): Promise<OpenedDrop> => {
  const sniffBytes = options.sniffBytes ?? 64 * 1024;
  const maxRows = options.maxRows ?? defaultMaxRows;
  const iterator = source[Symbol.asyncIterator]();
  let sourceDone = false;
  const releaseSource = async () => {
    if (!sourceDone) {
      sourceDone = true;
      await iterator.return?.();
    }
  };

  // 1. The prefix: enough bytes to judge the file.
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length < sniffBytes) {
    const next = await iterator.next();
    if (next.done) {
      sourceDone = true;
      break;
    }
    if (next.value.length === 0) continue;
    chunks.push(next.value);
    length += next.value.length;
  }
  const prefix = concatChunks(chunks, length);
  const fail = async (error: DropFileError): Promise<never> => {
    await releaseSource();
    throw error;
  };
  if (prefix.length === 0) return fail(new DropFileError('empty', 'The file is empty.'));
  const binary = sniffBinary(prefix);
  if (binary.binary) {
    return fail(new DropFileError('not_csv', `This file is ${binary.kind}, not a CSV text file.${binary.hint ? ` ${binary.hint}` : ''}`));
  }

  // 2. Decode the prefix; the decoder carries on with the rest of the stream.
  const decoder = new DropDecoder();
  const newlines = new NewlineNormaliser();
  let prefixText = newlines.push(decoder.decode(prefix));
  if (sourceDone) prefixText += newlines.push(decoder.end()) + newlines.end();
  if (sourceDone && prefixText.replace(/^\uFEFF/, '').trim() === '') return fail(new DropFileError('empty', 'The file is empty.'));
  const first = firstLine(prefixText, sourceDone);
  if (!first.complete) {
    return fail(
      new DropFileError(
        'not_csv',
        `The first ${Math.round(sniffBytes / 1024)} KiB of the file hold no line break: this is not a CSV export.`,
      ),
    );
  }
  const delimiter = sniffDelimiter(first.line);

  // 3. The text stream, bounded record by record, into csv-parse.
  const bounded = new BoundedRecords(
    delimiter,
    options.maxFieldBytes ?? defaultMaxFieldBytes,
    options.maxRecordBytes ?? defaultMaxRecordBytes,
  );
  async function* text(): AsyncGenerator<string> {
    try {
      for await (const piece of decoded()) {
        const passed = bounded.push(piece);
        if (passed !== '') yield passed;
      }
      const rest = bounded.end();
      if (rest !== '') yield rest;
    } finally {
      await releaseSource();
    }
  }
  /** The decoded text, newlines normalised: the sniffed prefix, then the rest of the source. */
  async function* decoded(): AsyncGenerator<string> {
    if (prefixText !== '') yield prefixText;
    if (sourceDone) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        sourceDone = true;
        break;
      }
      const piece = newlines.push(decoder.decode(next.value));
      if (piece !== '') yield piece;
    }
    const tail = newlines.push(decoder.end()) + newlines.end();
    if (tail !== '') yield tail;
  }
  let fatal: { lines: number } | undefined;
  const parser = new Parser({
    ...dropParserOptions(delimiter),
    // Records are bounded before they get here (BoundedRecords). With every relax_* option on, the only error left is
    // a quote never closed. It must not destroy the stream (that would drop the good records still buffered), so it
    // is noted here and raised once the records before it have been read.
    on_skip: (error) => {
      fatal ??= { lines: typeof error?.lines === 'number' ? error.lines : Number.MAX_SAFE_INTEGER };
      return undefined;
    },
  });
  pipeline(Readable.from(text()), parser, () => {
    // Errors reach the reader through the parser's iterator; nothing else to do here.
  });
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<CsvRecord>;
  let headerRead = false;
  const malformed = () => {
    // The record the parser could not finish is the next one the scanner saw.
    const broken = bounded.next()?.line ?? 1;
    return new DropFileError(
      'malformed',
      !headerRead
        ? 'The header line opens a quote (") that is never closed, so the file cannot be read.'
        : `A quoted value starting after line ${broken - 1} is never closed (a closing " is missing), so the rest of the file cannot be read. Rows up to line ${broken - 1} were read.`,
      broken,
    );
  };
  /** The next record, with the line it starts on and whether BoundedRecords cut it. */
  const readRecord = async (): Promise<IteratorResult<{ record: string[]; line: number; tooLong: boolean }, undefined>> => {
    const next = await records.next();
    // Records the parser emitted before it met the broken quote end on earlier lines; anything at or after it is not
    // to be trusted.
    if (fatal && (next.done || next.value.info.lines >= fatal.lines)) throw malformed();
    if (next.done) return { done: true, value: undefined };
    const scanned = bounded.next();
    if (!scanned) throw new Error('csv-parse emitted a record the scanner did not see');
    return { done: false, value: { record: next.value.record, line: scanned.line, tooLong: scanned.tooLong } };
  };
  const close = () => {
    parser.destroy();
  };

  // 4. The header.
  let headerRecord: Awaited<ReturnType<typeof readRecord>>;
  try {
    headerRecord = await readRecord();
  } catch (error) {
    close();
    throw error;
  }
  if (headerRecord.done) {
    close();
    throw new DropFileError('empty', 'The file is empty.');
  }
  const headerCells = headerRecord.value.record.map((cell) => cell.trim());
  const headerLine = headerRecord.value.line;
  headerRead = true;
  const mapping = mapHeader(headerCells);
  const headerFailure = (): DropFileError | undefined => {
    if (recognisedCount(headerCells) === 0) {
      return new DropFileError(
        'no_header',
        // Its cells are not quoted: a file without a header starts with a student's row (names, e-mail), and this
        // message is kept in the job and its report.
        `The first line is not a header Merit recognises (none of its ${cells(headerCells.length)} names a column Merit knows; is the header missing?). A drop needs a header line with at least ${requiredColumns.map((column) => columnHints[column]).join(' and ')}.`,
        headerLine,
      );
    }
    if (mapping.missing.length > 0) {
      const what = mapping.missing.map((column) => columnHints[column as keyof typeof columnHints]).join(' and ');
      return new DropFileError(
        'missing_columns',
        `The file has no ${what} column. Columns found: ${listHeaders(headerCells)}.`,
        headerLine,
      );
    }
    if (mapping.duplicates.length > 0) {
      const list = mapping.duplicates.map(({ column, headers }) => `${headers.join(' and ')} (both ${column})`).join('; ');
      return new DropFileError('duplicate_columns', `Columns appear twice: ${list}. Keep one of each and drop the file again.`, headerLine);
    }
    return undefined;
  };
  const headerError = headerFailure();
  if (headerError) {
    close();
    throw headerError;
  }

  const header: DropHeader = {
    get encoding() {
      return decoder.encoding;
    },
    bom: decoder.bom,
    delimiter,
    headerLine,
    columns: mapping.columns,
    ignoredColumns: mapping.ignoredColumns,
    defaultRole: mapping.defaultRole,
  };

  // 5. The rows.
  const stats: DropStats = { rows: 0, valid: 0, invalid: 0, blankRows: 0 };
  const validate = createRowValidator(mapping);
  const width = headerCells.length;
  const namedWidth = headerCells.reduce((last, cell, index) => (cell === '' ? last : index + 1), 0);
  const delimiterName = delimiterNames[delimiter];
  const overLimit = `over the ${maxRows.toLocaleString('en-US')}-row limit`;
  const tooLongReason = `A value in this row is longer than ${Math.round((options.maxFieldBytes ?? defaultMaxFieldBytes) / 1024)} KiB (or the whole row longer than ${Math.round((options.maxRecordBytes ?? defaultMaxRecordBytes) / 1024)} KiB), more than any SIS field holds; shorten it and drop the row again.`;

  async function* rows(): AsyncGenerator<RowOutcome, void, undefined> {
    try {
      for (;;) {
        const next = await readRecord();
        if (next.done) return;
        const { record, line, tooLong } = next.value;
        if (!tooLong && record.every(isBlankCell)) {
          stats.blankRows++;
          continue;
        }
        stats.rows++;
        let outcome: RowOutcome;
        const extra = record.length > width && record.slice(width).some((cell) => cell.trim() !== '');
        if (stats.rows > maxRows) {
          outcome = { ok: false, line, reason: overLimit };
        } else if (tooLong) {
          outcome = { ok: false, line, reason: tooLongReason };
        } else if (record.some((cell) => cell.includes('\u0000'))) {
          outcome = {
            ok: false,
            line,
            reason: 'This row holds a NUL byte (a character that is not text); remove it and drop the row again.',
          };
        } else if (extra || record.length < namedWidth) {
          const id = mapping.positions.student_id === undefined ? undefined : record[mapping.positions.student_id]?.trim();
          outcome = {
            ok: false,
            line,
            ...(id ? { studentId: id } : {}),
            reason: extra
              ? `This row has ${cells(record.length)} but the header has ${width}: a value probably holds a ${delimiterName} without quotes around it.`
              : `This row has ${cells(record.length)} but the header has ${width}: a cell is missing.`,
          };
        } else {
          outcome = validate(record, line);
        }
        if (outcome.ok) stats.valid++;
        else stats.invalid++;
        yield outcome;
      }
    } finally {
      close();
    }
  }

  return { header, rows: rows(), stats, close };
};

/** Convenience for tests and small files: the header and every outcome, in memory. */
export const readDrop = async (
  source: AsyncIterable<Uint8Array>,
  options?: DropOptions,
): Promise<{ header: DropHeader; outcomes: RowOutcome[]; stats: DropStats }> => {
  const drop = await openDrop(source, options);
  const outcomes: RowOutcome[] = [];
  for await (const outcome of drop.rows) outcomes.push(outcome);
  return { header: drop.header, outcomes, stats: drop.stats };
};

/** Adapts in-memory bytes to the source shape, cut into `chunkSize` pieces (tests, scripts). */
export async function* bytesSource(bytes: Uint8Array, chunkSize = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += chunkSize) yield bytes.subarray(offset, offset + chunkSize);
}
