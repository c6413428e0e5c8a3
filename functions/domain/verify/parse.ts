/**
 * Step 1 of verification: what was presented. A `POST /verify` body is one of
 *  - a credential JSON object (bare), or `{"credential": <object or JWT>, "recipient"?: {...}}`,
 *    `{"jwt": "<JWT>", "recipient"?}`, `{"image": "data:image/png;base64,…", "recipient"?}`,
 *    `{"verifiableCredential": …}`;
 *  - a JWT as `text/plain` (or `application/jwt`, `application/vc+jwt`);
 *  - a baked image as `image/png` or `image/svg+xml` (unbaked here; OB 2.0 bakes are recognised and refused).
 * Pure: never throws on hostile input.
 */
import { unbakeImage } from '#domain/baking/index';
import { jsonDepth } from '#domain/json-depth';
import { verifyBounds } from './bounds';
import { type DecodedJwt, decodeCredentialJwt, looksLikeJwt } from './jwt';
import { type InputFormat, isObject, type JsonObject, quote, type RecipientQuery } from './types';

export type Presented =
  | { ok: true; format: InputFormat; credential: JsonObject; jwt?: DecodedJwt; recipient?: RecipientQuery }
  | { ok: false; format?: InputFormat; message: string; recipient?: RecipientQuery };

/** Largest credential text accepted (JSON or JWT), whether sent as such or baked into an image: a whole CLR. */
const maxTextBytes = verifyBounds.maxClrBytes;

const mediaType = (contentType: string | undefined): string => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

const fromText = (text: string, format: InputFormat): Presented => {
  const trimmed = text.trim();
  if (Buffer.byteLength(trimmed, 'utf8') > maxTextBytes)
    return { ok: false, format, message: 'The credential is larger than 2 MiB; no real badge is that big.' };
  if (trimmed.startsWith('{')) {
    if (jsonDepth(trimmed) > verifyBounds.maxDepth)
      return { ok: false, format, message: `The credential's JSON is nested more than ${verifyBounds.maxDepth} levels deep.` };
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      return { ok: false, format, message: 'The credential is not valid JSON.' };
    }
    return fromCredentialValue(json, format);
  }
  if (looksLikeJwt(trimmed)) {
    const decoded = decodeCredentialJwt(trimmed);
    if ('error' in decoded) return { ok: false, format, message: decoded.error };
    return { ok: true, format, credential: decoded.credential, jwt: decoded };
  }
  return { ok: false, format, message: 'The text is neither a JSON credential nor a JSON Web Token.' };
};

/** A string where a credential object belongs: only a JWT may be one (a JSON text inside a string is refused). */
const fromCredentialString = (text: string, format: InputFormat): Presented =>
  looksLikeJwt(text.trim())
    ? fromText(text, format)
    : { ok: false, format, message: 'The credential must be a JSON object or a JWT; a string holding JSON is not a credential.' };

const fromCredentialValue = (value: unknown, format: InputFormat): Presented => {
  if (typeof value === 'string') return fromCredentialString(value, format === 'json' ? 'jwt' : format);
  if (!isObject(value)) return { ok: false, format, message: 'The credential must be a JSON object (or a JWT).' };
  // VC 2.0 "enveloped" credential: a JWT in a data: URL.
  if (value['type'] === 'EnvelopedVerifiableCredential' && typeof value['id'] === 'string') {
    const match = /^data:application\/(?:vc\+jwt|jwt|vc\+ld\+json\+jwt),(.+)$/.exec(value['id']);
    if (match) return fromText(match[1]!, 'jwt');
  }
  return { ok: true, format, credential: value };
};

const fromImageBytes = (bytes: Uint8Array, declared?: 'png' | 'svg'): Presented => {
  const unbaked = unbakeImage(bytes);
  const format: InputFormat = declared ?? (bytes[0] === 0x89 ? 'png' : 'svg');
  switch (unbaked.kind) {
    case 'ob3':
      return fromText(unbaked.payload, format);
    case 'ob2':
      return {
        ok: false,
        format,
        message:
          'This image holds an Open Badges 2.0 badge. Open Badges 2.0 is not supported: ask the issuer for an Open Badges 3.0 credential.',
      };
    case 'none':
      return {
        ok: false,
        format,
        message:
          format === 'png'
            ? 'This PNG image holds no baked credential (it has no "openbadgecredential" iTXt chunk).'
            : 'This SVG image holds no baked credential (it has no <openbadges:credential> element).',
      };
    default:
      return { ok: false, format, message: `The image cannot be read: ${quote(unbaked.reason, 200)}` };
  }
};

const recipientOf = (value: unknown): RecipientQuery | undefined | 'invalid' => {
  if (value === undefined) return undefined;
  if (!isObject(value)) return 'invalid';
  const { email, identifier } = value;
  if ((email !== undefined && typeof email !== 'string') || (identifier !== undefined && typeof identifier !== 'string')) return 'invalid';
  if (email === undefined && identifier === undefined) return 'invalid';
  return { ...(email !== undefined ? { email } : {}), ...(identifier !== undefined ? { identifier } : {}) };
};

const fromDataUrl = (url: string): Presented => {
  const match = /^data:(image\/png|image\/svg\+xml)(?:;[^,]*)?;base64,([A-Za-z0-9+/=\s_-]*)$/.exec(url);
  if (!match) return { ok: false, message: '"image" must be a data: URL of a PNG or SVG image, base64-encoded.' };
  const bytes = Buffer.from(match[2]!, 'base64');
  return fromImageBytes(new Uint8Array(bytes), match[1] === 'image/png' ? 'png' : 'svg');
};

/** A JSON request body: a bare credential, or a wrapper naming what it carries. */
export const presentedFromJson = (json: unknown): Presented => {
  if (!isObject(json)) {
    if (typeof json === 'string') return fromCredentialString(json, 'jwt');
    return {
      ok: false,
      message: 'The request body must be a credential (a JSON object), {"credential": …}, {"jwt": "…"} or {"image": "data:…"}.',
    };
  }
  const wrapped = ['credential', 'jwt', 'image', 'verifiableCredential'].filter((key) => key in json);
  if (wrapped.length === 0 || '@context' in json || 'proof' in json) return fromCredentialValue(json, 'json');
  if (wrapped.length > 1) return { ok: false, message: `Send one of ${wrapped.map((key) => `"${key}"`).join(', ')}, not several.` };
  const recipient = recipientOf(json['recipient']);
  if (recipient === 'invalid') return { ok: false, message: '"recipient" must be {"email": "…"} and/or {"identifier": "…"}.' };
  const key = wrapped[0]!;
  const value = json[key];
  let presented: Presented;
  if (key === 'jwt')
    presented =
      typeof value === 'string' ? fromCredentialString(value, 'jwt') : { ok: false, format: 'jwt', message: '"jwt" must be a string.' };
  else if (key === 'image')
    presented = typeof value === 'string' ? fromDataUrl(value) : { ok: false, message: '"image" must be a data: URL.' };
  else presented = fromCredentialValue(value, 'json');
  return recipient ? { ...presented, recipient } : presented;
};

/**
 * What the request presents, from its content type, raw bytes and (for JSON) the parsed body. Returns undefined
 * for a content type the verifier does not read (the HTTP layer answers 415).
 */
export const presentedFromRequest = (request: { contentType?: string; rawBody?: Uint8Array; json?: unknown }): Presented | undefined => {
  const type = mediaType(request.contentType);
  const bytes = request.rawBody ?? new Uint8Array();
  if (bytes.length === 0 && request.json === undefined)
    return { ok: false, message: 'The request has no body: send a credential, a JWT or a baked badge image.' };
  if (
    type === '' ||
    type === 'application/json' ||
    type === 'application/ld+json' ||
    type === 'application/vc+ld+json' ||
    type === 'application/vc' ||
    /\+json$/.test(type)
  ) {
    return presentedFromJson(request.json);
  }
  if (type === 'text/plain' || type === 'application/jwt' || type === 'application/vc+jwt' || type === 'application/vc+ld+json+jwt') {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    if (!looksLikeJwt(text))
      return { ok: false, format: 'jwt', message: 'The text is not a JSON Web Token (three base64url parts separated by dots).' };
    return fromText(text, 'jwt');
  }
  if (type === 'image/png') return fromImageBytes(bytes, 'png');
  if (type === 'image/svg+xml') return fromImageBytes(bytes, 'svg');
  if (type === 'application/octet-stream') return fromImageBytes(bytes);
  return undefined;
};
