/**
 * Bounds what csv-parse holds, one record at a time, without ending the file (DESIGN §4: a field over 64 KiB fails
 * its row only). csv-parse's own `max_record_size` cannot do it: with `skip_records_with_error` it abandons the rest
 * of the buffer it was reading, so the records after the long one are lost or misread.
 *
 * The scanner sits between the decoded text and csv-parse and follows the quoting exactly as csv-parse reads it with
 * the options `openDrop` uses (one delimiter, `"` as quote and escape, `\n` between records, relaxed quotes, no
 * trimming, empty lines skipped). It passes the text through, except that a field's content past `maxFieldBytes`
 * is left out (its quotes are kept, so csv-parse still sees where the field and the record end), and once a record
 * passes `maxRecordBytes` its further fields are left out whole. For each record csv-parse will emit it notes, in
 * order, the line the record starts on (counting every newline, also those left out) and whether anything was cut.
 */

export interface ScannedRecord {
  /** Line of the source the record starts on (1-based). */
  readonly line: number;
  /** A field passed the field limit, or the record passed the record limit: the row must fail, not be read short. */
  tooLong: boolean;
}

const quote = 0x22;
const newline = 0x0a;

/** UTF-8 bytes of one UTF-16 code unit (a surrogate pair counts 2 + 2). */
const utf8Bytes = (code: number): number => (code < 0x80 ? 1 : code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 2 : 3);

export class BoundedRecords {
  /** Records seen, in order, not yet taken by the reader (`next`). */
  private readonly pending: ScannedRecord[] = [];
  private line = 1;
  private current: ScannedRecord | undefined;
  private quoting = false;
  /** A quote met inside a quoted field at the end of a piece: what it means depends on the next character. */
  private quoteAtEnd = false;
  private fieldBytes = 0;
  private recordBytes = 0;
  /** This field's content is being left out (its quotes still pass). */
  private fieldCut = false;
  /** This field is left out whole, delimiter and quotes included (the record is past its limit). */
  private fieldHidden = false;
  private readonly delimiter: number;

  constructor(
    delimiter: string,
    private readonly maxFieldBytes: number,
    private readonly maxRecordBytes: number,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** The facts of the next record csv-parse emits. */
  next(): ScannedRecord | undefined {
    return this.pending.shift();
  }

  /** Takes the next piece of text; returns what csv-parse is to read of it. */
  push(piece: string): string {
    const text = this.quoteAtEnd ? `"${piece}` : piece;
    this.quoteAtEnd = false;
    let out = '';
    let runStart = 0;
    const drop = (from: number, to: number) => {
      out += text.slice(runStart, from);
      runStart = to;
    };
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (!this.current && code !== newline) {
        this.current = { line: this.line, tooLong: false };
        this.pending.push(this.current);
      }
      if (this.quoting) {
        if (code === quote) {
          if (i + 1 === text.length) {
            // Decided by the next piece (or the end): hold it back.
            drop(i, text.length);
            this.quoteAtEnd = true;
            break;
          }
          const after = text.charCodeAt(i + 1);
          if (after === quote) {
            // An escaped quote: one character of content.
            if (this.content(1)) drop(i, i + 2);
            i++;
          } else {
            // A closing quote; before anything but a delimiter or newline, csv-parse keeps it as content (relaxed).
            this.quoting = false;
            if (after !== this.delimiter && after !== newline) this.content(1, true);
            if (this.fieldHidden) drop(i, i + 1);
          }
          continue;
        }
        if (code === newline) this.line++;
        if (this.content(utf8Bytes(code))) drop(i, i + 1);
        continue;
      }
      if (code === newline) {
        this.line++;
        if (this.current) this.endRecord();
        continue;
      }
      if (code === this.delimiter) {
        this.fieldBytes = 0;
        this.fieldCut = false;
        this.fieldHidden = this.recordBytes > this.maxRecordBytes;
        if (this.fieldHidden) drop(i, i + 1);
        continue;
      }
      if (code === quote && this.fieldBytes === 0) {
        this.quoting = true;
        if (this.fieldHidden) drop(i, i + 1);
        continue;
      }
      if (this.content(utf8Bytes(code))) drop(i, i + 1);
    }
    return out + text.slice(runStart);
  }

  /** The end of the text: what csv-parse is still to read. */
  end(): string {
    if (!this.quoteAtEnd) return '';
    this.quoteAtEnd = false;
    this.quoting = false;
    return this.fieldHidden ? '' : '"';
  }

  /** Counts content of the current field; true when it is to be left out. */
  private content(bytes: number, structural = false): boolean {
    this.fieldBytes += bytes;
    this.recordBytes += bytes;
    if (!this.fieldCut && (this.fieldBytes > this.maxFieldBytes || this.recordBytes > this.maxRecordBytes)) {
      this.fieldCut = true;
      this.current!.tooLong = true;
    }
    return !structural && (this.fieldCut || this.fieldHidden);
  }

  private endRecord(): void {
    this.current = undefined;
    this.fieldBytes = 0;
    this.recordBytes = 0;
    this.fieldCut = false;
    this.fieldHidden = false;
  }
}
