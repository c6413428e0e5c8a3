/**
 * Generated badge images, for achievements that have no artwork of their own: an accessible SVG (title, desc, a round
 * badge, the issuer's initials, the achievement's name on up to three lines) and a simpler PNG counterpart drawn
 * pixel by pixel (the round badge and the initials) — no native renderer, no extra package in the Lambda bundle.
 * Both are deterministic: the same input gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import encodeChunks from 'png-chunks-encode';
import { invalid } from '../errors';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from './font';
import { iTXtChunk } from './png';
import { escapeXml, stripNonXmlChars } from './xml-scan';

export interface BadgeImageInput {
  achievementName: string;
  issuerName: string;
  /** The badge colour, `#rgb` or `#rrggbb`; a deep blue by default. */
  color?: string;
}

export interface BadgePngInput extends BadgeImageInput {
  /** Width and height in pixels, 64–1024; 256 by default. */
  size?: number;
}

export const DEFAULT_BADGE_COLOR = '#1f4e9c';
export const BADGE_NAME_MAX_LINES = 3;
export const BADGE_NAME_LINE_LENGTH = 18;

type Rgb = readonly [number, number, number];

function parseColor(color: string | undefined): Rgb {
  const value = (color ?? DEFAULT_BADGE_COLOR).trim();
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(value);
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(value);
  const parts = long ? long.slice(1) : short ? short.slice(1).map((h) => h + h) : undefined;
  if (!parts) {
    throw invalid('The badge colour must be a hex colour such as #1f4e9c.', [{ field: 'color', message: 'expected #rgb or #rrggbb' }]);
  }
  return parts.map((h) => Number.parseInt(h, 16)) as unknown as Rgb;
}

const hex = (rgb: Rgb): string => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
const mix = (a: Rgb, b: Rgb, t: number): Rgb => a.map((c, i) => Math.round(c + (b[i]! - c) * t)) as unknown as Rgb;

const luminance = (rgb: Rgb): number => {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: Rgb, b: Rgb): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

const WHITE: Rgb = [255, 255, 255];
const DARK: Rgb = [17, 17, 17];
const BLACK: Rgb = [0, 0, 0];

interface Palette {
  base: Rgb;
  ring: Rgb;
  /** White or near-black, whichever contrasts more with the badge colour. */
  ink: Rgb;
}

function palette(color: string | undefined): Palette {
  const base = parseColor(color);
  return { base, ring: mix(base, BLACK, 0.3), ink: contrast(base, WHITE) >= contrast(base, DARK) ? WHITE : DARK };
}

const clean = (text: string): string =>
  stripNonXmlChars(String(text ?? ''))
    .replace(/\s+/g, ' ')
    .trim();

const MINOR_WORDS = new Set(['of', 'the', 'and', 'for', 'at', 'in', 'on', 'a', 'an', 'de', 'la', 'le', 'du', 'des', 'el', 'y']);

/**
 * Up to four initials of the issuer's name, capitals without diacritics ("Lincoln High School" → "LHS",
 * "Scottsdale Unified School District" → "SUSD", "École Sainte-Anne" → "ESA"); minor words ("of", "the" …) are
 * skipped when others remain; a star when the name has no letter or digit.
 */
export function issuerInitials(issuerName: string): string {
  const folded = clean(issuerName).normalize('NFKD').replace(/\p{M}/gu, '');
  const words = folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const major = words.filter((w) => !MINOR_WORDS.has(w.toLowerCase()));
  const chosen = major.length > 0 ? major : words;
  const initials = chosen
    .slice(0, 4)
    .map((w) => Array.from(w)[0]!.toUpperCase())
    .join('');
  return initials || '★';
}

/**
 * The achievement's name as at most `maxLines` lines of at most `lineLength` characters, broken between words (a word
 * longer than a line is cut); an ellipsis ends the last line when the name does not fit.
 */
export function wrapBadgeName(name: string, lineLength = BADGE_NAME_LINE_LENGTH, maxLines = BADGE_NAME_MAX_LINES): string[] {
  const words = clean(name)
    .split(' ')
    .filter(Boolean)
    .flatMap((word) => {
      const chars = Array.from(word);
      const pieces: string[] = [];
      for (let i = 0; i < chars.length; i += lineLength) pieces.push(chars.slice(i, i + lineLength).join(''));
      return pieces;
    });
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.at(-1);
    if (last !== undefined && Array.from(last).length + 1 + Array.from(word).length <= lineLength) {
      lines[lines.length - 1] = `${last} ${word}`;
    } else {
      lines.push(word);
    }
  }
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const lastChars = Array.from(kept[maxLines - 1]!);
  kept[maxLines - 1] = `${lastChars
    .slice(0, lineLength - 1)
    .join('')
    .trimEnd()}…`;
  return kept;
}

const describe = (achievement: string, issuer: string): string =>
  issuer ? `Badge “${achievement}” issued by ${issuer}.` : `Badge “${achievement}”.`;

/**
 * An SVG badge (512×512): a ring and disc in the badge colour, the issuer's initials above a rule, the achievement's
 * name below on up to three lines; `role="img"` with `<title>` and `<desc>` referenced by `aria-labelledby`.
 * The ids carry a hash of the input so several badges can sit inline on one page.
 */
export function badgeSvg(input: BadgeImageInput): string {
  const achievement = clean(input.achievementName) || 'Badge';
  const issuer = clean(input.issuerName);
  const { base, ring, ink } = palette(input.color);
  const id = createHash('sha256')
    .update(JSON.stringify([achievement, issuer, hex(base)]))
    .digest('hex')
    .slice(0, 10);
  const lines = wrapBadgeName(achievement);
  const initials = issuerInitials(issuer);
  const longest = Math.max(1, ...lines.map((l) => Array.from(l).length));
  const fontSize = Math.max(22, Math.min(44, Math.floor(320 / (longest * 0.66))));
  const lineHeight = Math.round(fontSize * 1.2);
  const firstBaseline = Math.round(318 - ((lines.length - 1) * lineHeight) / 2 + fontSize * 0.35);
  const font = 'font-family="Verdana, DejaVu Sans, Arial, Helvetica, sans-serif"';
  const tspans = lines.map((line, i) => `<tspan x="256" y="${firstBaseline + i * lineHeight}">${escapeXml(line)}</tspan>`).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512" role="img" aria-labelledby="badge-title-${id} badge-desc-${id}">`,
    `<title id="badge-title-${id}">${escapeXml(achievement)}</title>`,
    `<desc id="badge-desc-${id}">${escapeXml(describe(achievement, issuer))}</desc>`,
    `<circle cx="256" cy="256" r="248" fill="${hex(ring)}"/>`,
    `<circle cx="256" cy="256" r="226" fill="${hex(base)}"/>`,
    `<circle cx="256" cy="256" r="212" fill="none" stroke="${hex(ink)}" stroke-opacity="0.35" stroke-width="3"/>`,
    `<text x="256" y="162" text-anchor="middle" ${font} font-size="${initials.length > 3 ? 54 : 64}" font-weight="700" letter-spacing="4" fill="${hex(ink)}">${escapeXml(initials)}</text>`,
    `<line x1="176" y1="198" x2="336" y2="198" stroke="${hex(ink)}" stroke-opacity="0.6" stroke-width="3" stroke-linecap="round"/>`,
    `<text text-anchor="middle" ${font} font-size="${fontSize}" font-weight="700" fill="${hex(ink)}">${tspans}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

function uint32(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

/**
 * A PNG badge (RGBA, `size`×`size`, transparent corners): an anti-aliased ring and disc in the badge colour with the
 * issuer's initials in a block font. The achievement's name and issuer travel in `Title` and `Description` iTXt chunks.
 */
export function badgePng(input: BadgePngInput): Uint8Array {
  const size = input.size ?? 256;
  if (!Number.isInteger(size) || size < 64 || size > 1024) {
    throw invalid('The badge size must be a whole number of pixels from 64 to 1024.', [
      { field: 'size', message: 'expected an integer 64–1024' },
    ]);
  }
  const { base, ring, ink } = palette(input.color);
  const achievement = clean(input.achievementName) || 'Badge';
  const issuer = clean(input.issuerName);

  const pixels = new Uint8Array(size * size * 4);
  const centre = size / 2;
  const outer = size * 0.484;
  const inner = size * 0.441;
  const rule = size * 0.414;
  const ruleHalfWidth = Math.max(0.5, size * 0.003);
  const coverage = (v: number): number => Math.min(1, Math.max(0, v));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x + 0.5 - centre, y + 0.5 - centre);
      const alpha = coverage(outer - d + 0.5);
      if (alpha === 0) continue;
      let colour = mix(ring, base, coverage(inner - d + 0.5));
      colour = mix(colour, ink, coverage(ruleHalfWidth - Math.abs(d - rule) + 0.5) * 0.35);
      const at = (y * size + x) * 4;
      pixels.set([...colour, Math.round(alpha * 255)], at);
    }
  }

  const initials = Array.from(issuerInitials(issuer));
  const units = initials.length * (GLYPH_WIDTH + 1) - 1;
  const scale = Math.max(1, Math.floor(Math.min((size * 0.5) / units, (size * 0.32) / GLYPH_HEIGHT)));
  const left = Math.round((size - units * scale) / 2);
  const top = Math.round((size - GLYPH_HEIGHT * scale) / 2);
  initials.forEach((char, index) => {
    glyph(char).forEach((row, gy) => {
      for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
        if (row[gx] !== '#') continue;
        for (let py = 0; py < scale; py++) {
          for (let px = 0; px < scale; px++) {
            const x = left + (index * (GLYPH_WIDTH + 1) + gx) * scale + px;
            const y = top + gy * scale + py;
            pixels.set([...ink, 255], (y * size + x) * 4);
          }
        }
      }
    });
  });

  const stride = size * 4;
  const scanlines = new Uint8Array(size * (stride + 1));
  for (let y = 0; y < size; y++) {
    scanlines[y * (stride + 1)] = 0; // filter type: None
    scanlines.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const header = Uint8Array.from([...uint32(size), ...uint32(size), 8, 6, 0, 0, 0]); // 8-bit RGBA, not interlaced
  return encodeChunks([
    { name: 'IHDR', data: header },
    iTXtChunk('Title', achievement),
    iTXtChunk('Description', describe(achievement, issuer)),
    { name: 'IDAT', data: new Uint8Array(deflateSync(scanlines, { level: 9 })) },
    { name: 'IEND', data: new Uint8Array(0) },
  ]);
}
