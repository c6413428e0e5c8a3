import { AppError } from '../errors';

/** The iTXt keyword of an Open Badges 3.0 bake (OB 3.0 §5.3, "Baking"). */
export const OB3_PNG_KEYWORD = 'openbadgecredential';
/** The keyword of an Open Badges 2.0 bake: recognised only to say that OB 2.0 is not supported. */
export const OB2_PNG_KEYWORD = 'openbadges';
/** The namespace bound to the `openbadges` prefix in a baked OB 3.0 SVG. */
export const OB3_SVG_NAMESPACE = 'https://purl.imsglobal.org/ob/v3p0';
/** The namespace of an OB 2.0 baked SVG (`<openbadges:assertion>`). */
export const OB2_SVG_NAMESPACE = 'http://openbadges.org';

/**
 * What an image holds. `ob3`: the text of the baked credential (its JSON, or a compact JWT), exactly as baked;
 * `ob2`: an Open Badges 2.0 bake (not supported); `none`: a valid image with nothing baked in; `invalid`: the
 * bytes are not a readable image of the claimed kind, or the bake is malformed (`reason` says why, for a person).
 */
export type UnbakeResult = { kind: 'ob3'; payload: string } | { kind: 'ob2' } | { kind: 'none' } | { kind: 'invalid'; reason: string };

export type ImageKind = 'png' | 'svg' | 'unknown';

/** What `bakeSvg` embeds: the credential JSON (in CDATA) or a compact JWT (in the `verify` attribute) — one of them. */
export interface SvgBakePayload {
  json?: string;
  jwt?: string;
}

/** Baking refused: the image is not a usable PNG/SVG, or the payload cannot be embedded faithfully. */
export class BakeError extends AppError {
  constructor(message: string) {
    super('unprocessable', message);
    this.name = 'BakeError';
  }
}

export const invalidImage = (reason: string): UnbakeResult => ({ kind: 'invalid', reason });

/** A lone UTF-16 surrogate cannot be encoded as UTF-8, so a payload holding one would not survive a round trip. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
