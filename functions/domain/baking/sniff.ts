/**
 * Telling a PNG from an SVG by content (never by a declared content type), and unbaking whichever it is.
 */
import { hasPngSignature, unbakePng } from './png';
import { unbakeSvg } from './svg';
import { type ImageKind, invalidImage, type UnbakeResult } from './types';
import { localName, skipProlog, tagNameAt } from './xml-scan';

/** Enough of a file to get past any realistic prolog (XML declaration, comments, DOCTYPE) when sniffing. */
const SNIFF_LIMIT = 1 << 20;

/**
 * Decodes an SVG's bytes: UTF-8 (with or without a BOM), or UTF-16 with a BOM. `undefined` when the bytes are not
 * valid text in that encoding.
 */
export function decodeSvgBytes(bytes: Uint8Array, options: { lenient?: boolean } = {}): string | undefined {
  const fatal = !options.lenient;
  try {
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { fatal }).decode(bytes);
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { fatal }).decode(bytes);
    return new TextDecoder('utf-8', { fatal }).decode(bytes);
  } catch {
    return undefined;
  }
}

function looksLikeSvg(text: string): boolean {
  const prolog = skipProlog(text);
  if ('error' in prolog) return false;
  return localName(tagNameAt(text, prolog.rootStart)) === 'svg';
}

/**
 * `png` when the bytes start with the PNG signature; `svg` when they are text whose root element — after an optional
 * BOM, whitespace, XML declaration, comments, processing instructions and DOCTYPE — is `<svg>` (or `<prefix:svg>`);
 * `unknown` otherwise. Only the first MiB is looked at. Never throws.
 */
export function detectImageKind(bytes: Uint8Array | string): ImageKind {
  try {
    if (typeof bytes === 'string') return looksLikeSvg(bytes.slice(0, SNIFF_LIMIT)) ? 'svg' : 'unknown';
    if (!(bytes instanceof Uint8Array)) return 'unknown';
    if (hasPngSignature(bytes)) return 'png';
    const text = decodeSvgBytes(bytes.subarray(0, SNIFF_LIMIT), { lenient: true });
    return text !== undefined && looksLikeSvg(text) ? 'svg' : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Sniffs the bytes and unbakes them as PNG or SVG; anything else is `invalid`. Never throws. */
export function unbakeImage(bytes: Uint8Array): UnbakeResult {
  switch (detectImageKind(bytes)) {
    case 'png':
      return unbakePng(bytes);
    case 'svg': {
      const text = decodeSvgBytes(bytes);
      return text === undefined ? invalidImage('The SVG image is not valid UTF-8 or UTF-16 text.') : unbakeSvg(text);
    }
    default:
      return invalidImage('The image is neither a PNG nor an SVG.');
  }
}
