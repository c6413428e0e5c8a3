/**
 * Bytes → text for SIS drops: UTF-8 (with or without BOM) or Windows-1252, decided from the bytes, decoded chunk by
 * chunk so that a 100,000-row file never sits in memory.
 *
 * The decision: a UTF-8 BOM means UTF-8. Otherwise the first chunk holding non-ASCII bytes decides (the whole sniffed
 * prefix, 64 KiB, is one chunk): valid UTF-8 → UTF-8; invalid bytes but also real multi-byte UTF-8 characters → UTF-8
 * with damaged bytes; anything else → Windows-1252 (what SIS exports use when they are not UTF-8; Latin-1 text is valid Windows-1252). While a file
 * is pure ASCII both readings agree, so the choice can wait for the first byte ≥ 0x80 even when it comes after the
 * sniffed prefix. Once UTF-8 is decided, later invalid bytes become U+FFFD (the row holding them is rejected by row
 * validation rather than signed with a garbled name).
 */
import iconv from 'iconv-lite';

export type DropEncoding = 'utf-8' | 'windows-1252';

const utf8Bom = [0xef, 0xbb, 0xbf] as const;

export const hasUtf8Bom = (bytes: Uint8Array): boolean =>
  bytes.length >= 3 && bytes[0] === utf8Bom[0] && bytes[1] === utf8Bom[1] && bytes[2] === utf8Bom[2];

const hasHighByte = (bytes: Uint8Array): boolean => {
  for (const byte of bytes) if (byte >= 0x80) return true;
  return false;
};

/** How many bytes at the end of `bytes` start a UTF-8 sequence that the next chunk would finish (0–3). */
export const unfinishedUtf8Tail = (bytes: Uint8Array): number => {
  const max = Math.min(3, bytes.length);
  for (let back = 1; back <= max; back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: keep looking for the lead byte
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
};

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
};

/**
 * Incremental decoder. Feed chunks in order with `decode(chunk)`, then call `end()`. `encoding` tells the decision so
 * far (`utf-8` while only ASCII has been seen; `decided` says whether a non-ASCII byte or a BOM settled it).
 */
export class DropDecoder {
  encoding: DropEncoding = 'utf-8';
  decided = false;
  bom = false;
  private started = false;
  private carry: Uint8Array = new Uint8Array(0);
  private readonly strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly lenientUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  private readonly windows1252 = iconv.getDecoder('windows-1252', { stripBOM: false });

  decode(chunk: Uint8Array): string {
    let bytes = chunk;
    if (!this.started) {
      if (bytes.length === 0) return '';
      this.started = true;
      if (hasUtf8Bom(bytes)) {
        this.bom = true;
        this.decided = true;
        bytes = bytes.subarray(3);
      }
    }
    if (this.encoding === 'windows-1252') return this.windows1252.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    return this.decodeUtf8(concat(this.carry, bytes), false);
  }

  end(): string {
    if (this.encoding === 'windows-1252') return this.windows1252.end() ?? '';
    const rest = this.carry;
    this.carry = new Uint8Array(0);
    return rest.length === 0 ? '' : this.decodeUtf8(rest, true);
  }

  private decodeUtf8(data: Uint8Array, final: boolean): string {
    const tail = final ? 0 : unfinishedUtf8Tail(data);
    const body = tail === 0 ? data : data.subarray(0, data.length - tail);
    this.carry = tail === 0 ? new Uint8Array(0) : data.slice(data.length - tail);
    if (!this.decided) {
      if (!hasHighByte(body)) return this.lenientUtf8.decode(body);
      try {
        const text = this.strictUtf8.decode(body);
        this.decided = true;
        return text;
      } catch {
        const lenient = this.lenientUtf8.decode(body);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the class is 'anything but ASCII', NUL included
        if (/[^\x00-\x7F\uFFFD]/.test(lenient)) {
          // Real multi-byte UTF-8 characters next to invalid bytes: a UTF-8 file with damaged bytes, not a
          // Windows-1252 one. Reading it as Windows-1252 would garble every name; the damaged rows are rejected.
          this.decided = true;
          return lenient;
        }
        // The first non-ASCII bytes are not UTF-8: the file is Windows-1252 from here (and, being ASCII so far, from
        // its start). The bytes held back as an unfinished sequence are Windows-1252 characters too.
        this.encoding = 'windows-1252';
        this.decided = true;
        const all = concat(body, this.carry);
        this.carry = new Uint8Array(0);
        return this.windows1252.write(Buffer.from(all.buffer, all.byteOffset, all.length));
      }
    }
    return this.lenientUtf8.decode(body);
  }
}

/**
 * Line endings → `\n`. CRLF and lone CR (old Mac Excel) both become LF, also inside quoted cells, so that the CSV
 * parser counts each physical line once. A CR at the end of a chunk waits for the next chunk.
 */
export class NewlineNormaliser {
  private pendingCr = false;

  push(text: string): string {
    let value = this.pendingCr ? `\r${text}` : text;
    this.pendingCr = value.endsWith('\r');
    if (this.pendingCr) value = value.slice(0, -1);
    return value.replace(/\r\n?/g, '\n');
  }

  end(): string {
    const rest = this.pendingCr ? '\n' : '';
    this.pendingCr = false;
    return rest;
  }
}

export interface BinaryVerdict {
  binary: boolean;
  /** What the bytes look like, for the message ("a PNG image"). */
  kind?: string;
  /** What to do instead, when there is something useful to say. */
  hint?: string;
}

const startsWith = (bytes: Uint8Array, signature: readonly number[]): boolean =>
  bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte);

const signatures: { signature: readonly number[]; kind: string; hint?: string }[] = [
  { signature: [0x89, 0x50, 0x4e, 0x47], kind: 'a PNG image' },
  { signature: [0xff, 0xd8, 0xff], kind: 'a JPEG image' },
  { signature: [0x47, 0x49, 0x46, 0x38], kind: 'a GIF image' },
  { signature: [0x25, 0x50, 0x44, 0x46], kind: 'a PDF document' },
  {
    signature: [0x50, 0x4b, 0x03, 0x04],
    kind: 'an Excel workbook (.xlsx) or a zip archive',
    hint: 'Open it in Excel and save it with File › Save As › "CSV UTF-8 (Comma delimited)".',
  },
  {
    signature: [0xd0, 0xcf, 0x11, 0xe0],
    kind: 'an old Excel workbook (.xls)',
    hint: 'Open it in Excel and save it with File › Save As › "CSV UTF-8 (Comma delimited)".',
  },
  { signature: [0x1f, 0x8b], kind: 'a gzip archive', hint: 'Unzip it and drop the CSV file inside.' },
  { signature: [0xff, 0xfe], kind: 'UTF-16 text', hint: 'Save it as "CSV UTF-8" instead.' },
  { signature: [0xfe, 0xff], kind: 'UTF-16 text', hint: 'Save it as "CSV UTF-8" instead.' },
];

/**
 * Whether the first bytes of a file are something other than delimited text: a known binary signature, NUL bytes,
 * or more than 1 % control characters (tab, LF, CR and form feed aside).
 */
export const sniffBinary = (prefix: Uint8Array): BinaryVerdict => {
  for (const { signature, kind, hint } of signatures) {
    if (startsWith(prefix, signature)) return hint ? { binary: true, kind, hint } : { binary: true, kind };
  }
  let controls = 0;
  for (const byte of prefix) {
    // A NUL counts as one more control character: a stray one fails its row only (DESIGN §4), many mean binary.
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) || byte === 0x7f) controls++;
  }
  return controls > Math.max(2, prefix.length / 100) ? { binary: true, kind: 'binary data' } : { binary: false };
};
