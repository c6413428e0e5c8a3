/**
 * PNG baking (Open Badges 3.0 §5.3 "Baking"): the credential travels in one uncompressed `iTXt` chunk with the
 * keyword `openbadgecredential` — compression flag 0, method 0, empty language tag and translated keyword, the text
 * being the credential JSON or a compact JWT in UTF-8. png-chunks-extract / png-chunks-encode do the chunk framing and
 * CRCs; this module lays out the iTXt payload, and checks the file's structure first so that hostile input (a chunk
 * length of 4 GiB, a truncated file) is reported rather than allocated or thrown.
 */
import encodeChunks from 'png-chunks-encode';
import extractChunks from 'png-chunks-extract';
import { BakeError, hasLoneSurrogate, invalidImage, OB2_PNG_KEYWORD, OB3_PNG_KEYWORD, type UnbakeResult } from './types';

export interface PngChunk {
  name: string;
  data: Uint8Array;
}

export const PNG_SIGNATURE: readonly number[] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The CRC of an empty IEND chunk is a constant; png-chunks-extract stops at IEND without checking it. */
const IEND_CRC = 0xae426082;
/** PNG chunk lengths are at most 2^31 - 1. */
const MAX_CHUNK_LENGTH = 0x7fffffff;
const TEXT_CHUNKS = new Set(['iTXt', 'tEXt', 'zTXt']);

export function hasPngSignature(bytes: Uint8Array): boolean {
  if (bytes.length < PNG_SIGNATURE.length) return false;
  return PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

const readUint32 = (bytes: Uint8Array, at: number): number =>
  ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;

const isChunkTypeByte = (b: number): boolean => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);

/** Walks the chunk framing without copying: a reason when the file is not a structurally sound PNG. */
function structuralProblem(png: Uint8Array): string | undefined {
  if (!hasPngSignature(png)) return 'The file is not a PNG image (its PNG signature is missing).';
  let at = PNG_SIGNATURE.length;
  let first = true;
  let sawImageData = false;
  for (;;) {
    if (at + 8 > png.length) return 'The PNG image is truncated: it ends before its IEND chunk.';
    const length = readUint32(png, at);
    const typeBytes = png.subarray(at + 4, at + 8);
    if (!typeBytes.every(isChunkTypeByte)) return 'The PNG image is corrupt: a chunk has an invalid type.';
    const type = String.fromCharCode(...typeBytes);
    if (length > MAX_CHUNK_LENGTH) return `The PNG image is corrupt: its ${type} chunk has an impossible length.`;
    if (at + 12 + length > png.length) return `The PNG image is truncated inside its ${type} chunk.`;
    if (first && (type !== 'IHDR' || length !== 13)) return 'The PNG image is corrupt: it does not start with IHDR.';
    if (!first && type === 'IHDR') return 'The PNG image is corrupt: it has a second IHDR chunk.';
    if (type === 'IDAT') sawImageData = true;
    if (type === 'IEND') {
      if (length !== 0 || readUint32(png, at + 8) !== IEND_CRC) return 'The PNG image is corrupt: bad IEND chunk.';
      return sawImageData ? undefined : 'The PNG image is corrupt: it has no image data (IDAT).';
    }
    first = false;
    at += 12 + length;
  }
}

/** The chunks of a PNG (up to IEND, CRCs checked), or a reason it cannot be read. Never throws. */
export function readPngChunks(png: Uint8Array): { chunks: PngChunk[] } | { reason: string } {
  try {
    const problem = structuralProblem(png);
    if (problem) return { reason: problem };
    return { chunks: extractChunks(png) };
  } catch (error) {
    const detail = error instanceof Error && /CRC/i.test(error.message) ? ' (a chunk checksum does not match)' : '';
    return { reason: `The PNG image is corrupt${detail}.` };
  }
}

const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

/** The keyword of a tEXt / zTXt / iTXt chunk (Latin-1, 1–79 bytes before a NUL), if well formed. */
export function textChunkKeyword(chunk: PngChunk): string | undefined {
  if (!TEXT_CHUNKS.has(chunk.name)) return undefined;
  const nul = chunk.data.indexOf(0);
  if (nul < 1 || nul > 79) return undefined;
  return latin1(chunk.data.subarray(0, nul));
}

interface ITXt {
  keyword: string;
  compressionFlag: number;
  compressionMethod: number;
  languageTag: string;
  translatedKeyword: Uint8Array;
  text: Uint8Array;
}

function parseITXt(data: Uint8Array): ITXt | undefined {
  const keywordEnd = data.indexOf(0);
  if (keywordEnd < 1 || keywordEnd > 79 || keywordEnd + 3 > data.length) return undefined;
  const languageEnd = data.indexOf(0, keywordEnd + 3);
  if (languageEnd < 0) return undefined;
  const translatedEnd = data.indexOf(0, languageEnd + 1);
  if (translatedEnd < 0) return undefined;
  return {
    keyword: latin1(data.subarray(0, keywordEnd)),
    compressionFlag: data[keywordEnd + 1]!,
    compressionMethod: data[keywordEnd + 2]!,
    languageTag: latin1(data.subarray(keywordEnd + 3, languageEnd)),
    translatedKeyword: data.subarray(languageEnd + 1, translatedEnd),
    text: data.subarray(translatedEnd + 1),
  };
}

/**
 * The data of an uncompressed iTXt chunk: keyword, NUL, compression flag 0, compression method 0, empty language
 * tag + NUL, empty translated keyword + NUL, then the text in UTF-8.
 */
export function iTXtChunk(keyword: string, text: string): PngChunk {
  const keywordBytes = Uint8Array.from(keyword, (c) => c.charCodeAt(0));
  const textBytes = new TextEncoder().encode(text);
  const data = new Uint8Array(keywordBytes.length + 5 + textBytes.length);
  data.set(keywordBytes, 0);
  // data[k] = NUL, data[k+1] = compression flag 0, data[k+2] = method 0, data[k+3] = NUL (language), data[k+4] = NUL
  data.set(textBytes, keywordBytes.length + 5);
  return { name: 'iTXt', data };
}

const isBakeChunk = (chunk: PngChunk): boolean => {
  const keyword = textChunkKeyword(chunk);
  return keyword === OB3_PNG_KEYWORD || keyword === OB2_PNG_KEYWORD;
};

/**
 * Bakes `payload` (the credential JSON or a compact JWT) into a PNG: any earlier Open Badges bake (`openbadgecredential`
 * or OB 2.0 `openbadges`, as iTXt, tEXt or zTXt) is removed, and one uncompressed iTXt chunk is placed right after IHDR
 * — so a streaming reader finds it first. Everything else, bytes after IEND excepted, is kept as it was.
 * Throws a `BakeError` when the image is not a sound PNG or the payload cannot be carried faithfully.
 */
export function bakePng(png: Uint8Array, payload: string): Uint8Array {
  if (typeof payload !== 'string' || payload.trim() === '') throw new BakeError('Nothing to bake: the payload is empty.');
  if (payload.includes('\u0000')) throw new BakeError('The payload contains a NUL character, which iTXt text cannot hold.');
  if (hasLoneSurrogate(payload)) throw new BakeError('The payload is not well-formed Unicode (a lone surrogate).');
  const read = readPngChunks(png);
  if ('reason' in read) throw new BakeError(read.reason);
  const kept = read.chunks.filter((chunk) => !isBakeChunk(chunk));
  const [header, ...rest] = kept;
  return encodeChunks([header!, iTXtChunk(OB3_PNG_KEYWORD, payload), ...rest]);
}

/**
 * What a PNG holds: `ob3` with the text of its `openbadgecredential` iTXt chunk, `ob2` for an OB 2.0 bake, `none`,
 * or `invalid` (not a PNG, truncated, a checksum mismatch, a compressed or duplicated credential chunk, text that is
 * not UTF-8). Never throws.
 */
export function unbakePng(png: Uint8Array): UnbakeResult {
  try {
    if (!(png instanceof Uint8Array)) return invalidImage('The image is not binary data.');
    const read = readPngChunks(png);
    if ('reason' in read) return invalidImage(read.reason);
    const credentials: PngChunk[] = [];
    let ob2 = false;
    for (const chunk of read.chunks) {
      const keyword = textChunkKeyword(chunk);
      if (keyword === OB3_PNG_KEYWORD) credentials.push(chunk);
      else if (keyword === OB2_PNG_KEYWORD) ob2 = true;
    }
    if (credentials.length > 1) {
      return invalidImage('The PNG image holds more than one baked credential (openbadgecredential chunk).');
    }
    const [chunk] = credentials;
    if (!chunk) return ob2 ? { kind: 'ob2' } : { kind: 'none' };
    if (chunk.name !== 'iTXt') {
      return invalidImage(`The baked credential is in a ${chunk.name} chunk; Open Badges 3.0 requires an iTXt chunk.`);
    }
    const itxt = parseITXt(chunk.data);
    if (!itxt) return invalidImage('The baked credential chunk (iTXt) is malformed.');
    if (itxt.compressionFlag !== 0) {
      return invalidImage('The baked credential chunk is compressed; Open Badges 3.0 forbids compression.');
    }
    let payload: string;
    try {
      payload = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(itxt.text);
    } catch {
      return invalidImage('The baked credential is not valid UTF-8 text.');
    }
    if (payload.trim() === '') return invalidImage('The baked credential chunk is empty.');
    return { kind: 'ob3', payload };
  } catch {
    return invalidImage('The PNG image could not be read.');
  }
}
