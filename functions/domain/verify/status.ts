/**
 * Reading credential status (pure): W3C Bitstring Status List entries (and the older StatusList2021 ones, same
 * bits) and the 1EdTech Revocation List status method of OB 3.0. Fetching the lists is the service's job.
 */
import { gunzipSync } from 'node:zlib';
import { getBit } from '#domain/status-list';
import { asArray, isObject, type JsonObject, quote } from './types';

export type StatusEntry =
  | { kind: 'bitstring'; type: string; purpose: string; index: number; listUrl: string }
  | { kind: 'revocationList'; url: string }
  | { kind: 'unsupported'; message: string };

const bitstringTypes = ['BitstringStatusListEntry', 'StatusList2021Entry'];
const listCredentialTypes = ['BitstringStatusListCredential', 'StatusList2021Credential'];
/** Lists larger than this (16 MiB of bits) are refused rather than inflated. */
const maxListBytes = 16 * 1024 * 1024;

const entryOf = (status: unknown): StatusEntry => {
  if (!isObject(status)) return { kind: 'unsupported', message: "The credential's status entry is not an object." };
  const type = status['type'];
  if (type === '1EdTechRevocationList') {
    const url = status['id'];
    return typeof url === 'string' && url.startsWith('https://')
      ? { kind: 'revocationList', url }
      : { kind: 'unsupported', message: "The credential's 1EdTech revocation list has no HTTPS address." };
  }
  if (typeof type === 'string' && bitstringTypes.includes(type)) {
    const listUrl = status['statusListCredential'];
    const indexText = status['statusListIndex'];
    const index =
      typeof indexText === 'string' && /^\d{1,10}$/.test(indexText) ? Number(indexText) : typeof indexText === 'number' ? indexText : NaN;
    const purpose = typeof status['statusPurpose'] === 'string' ? status['statusPurpose'] : 'revocation';
    if (typeof listUrl !== 'string' || !Number.isSafeInteger(index) || index < 0) {
      return { kind: 'unsupported', message: `The credential's ${type} lacks a usable statusListCredential or statusListIndex.` };
    }
    if (status['statusSize'] !== undefined && status['statusSize'] !== 1 && status['statusSize'] !== '1') {
      return { kind: 'unsupported', message: "The credential's status uses multi-bit status values, which Merit does not read." };
    }
    return { kind: 'bitstring', type, purpose, index, listUrl };
  }
  return { kind: 'unsupported', message: `The credential's status is of type ${quote(type ?? 'none', 60)}, which Merit cannot check.` };
};

export const statusEntriesOf = (credential: JsonObject): StatusEntry[] => asArray(credential['credentialStatus']).map(entryOf);

/** A list's `encodedList`: multibase base64url (`u…`, Bitstring Status List) or plain base64(url) (StatusList2021), GZIP. */
export const decodeEncodedList = (encoded: unknown): Uint8Array | undefined => {
  if (typeof encoded !== 'string' || encoded === '') return undefined;
  try {
    const text = encoded.startsWith('u') ? encoded.slice(1) : encoded;
    const bytes = Buffer.from(text, /[+/]/.test(text) ? 'base64' : 'base64url');
    return new Uint8Array(gunzipSync(bytes, { maxOutputLength: maxListBytes }));
  } catch {
    return undefined;
  }
};

/**
 * The bit of `entry` in a status list credential (already verified), or the problem that prevents reading it.
 */
export const bitInListCredential = (
  list: JsonObject,
  entry: Extract<StatusEntry, { kind: 'bitstring' }>,
): { set: boolean } | { problem: string } => {
  if (!asArray(list['type']).some((type) => typeof type === 'string' && listCredentialTypes.includes(type))) {
    return { problem: 'The document at the status address is not a status list credential.' };
  }
  const subject = asArray(list['credentialSubject'])[0];
  if (!isObject(subject)) return { problem: 'The status list credential has no list.' };
  const purpose = subject['statusPurpose'];
  if (!asArray(purpose).includes(entry.purpose)) {
    return {
      problem: `The status list is for ${quote(purpose ?? 'no purpose', 40)}, not for ${quote(entry.purpose, 40)} as the credential says.`,
    };
  }
  const bits = decodeEncodedList(subject['encodedList']);
  if (!bits) return { problem: 'The status list cannot be decoded (encodedList is not GZIP-compressed base64).' };
  if (entry.index >= bits.length * 8) return { problem: `The credential's status index ${entry.index} is outside its status list.` };
  return { set: getBit(bits, entry.index) };
};

/** OB 3.0 1EdTech Revocation List: revoked when the credential's id is listed and `revoked` is true or omitted. */
export const revokedInRevocationList = (list: JsonObject, credentialId: string | undefined): boolean | { problem: string } => {
  const revoked = list['revokedCredentials'];
  if (revoked !== undefined && !Array.isArray(revoked)) return { problem: 'The revocation list has no list of revoked credentials.' };
  if (credentialId === undefined) return { problem: 'The credential has no id, so the revocation list cannot say anything about it.' };
  return asArray(revoked).some(
    (item) => isObject(item) && item['id'] === credentialId && (item['revoked'] === undefined || item['revoked'] === true),
  );
};

/** What a set bit means, for a person. */
export const setBitMessage = (purpose: string): string =>
  purpose === 'revocation'
    ? 'The issuer has revoked this credential.'
    : purpose === 'suspension'
      ? 'The issuer has suspended this credential.'
      : `The issuer has flagged this credential (${quote(purpose, 40)}).`;
