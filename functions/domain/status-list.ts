import { randomInt } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * W3C Bitstring Status List: 131,072 entries (16 KiB) per list, the minimum the spec recommends for herd privacy.
 * Indices are drawn at random so that neighbouring credentials say nothing about each other.
 */
export const statusListSize = 131_072;

export const randomStatusIndex = (size: number = statusListSize): number => randomInt(0, size);

/** An all-clear bitstring of `size` bits. */
export const emptyBitstring = (size: number = statusListSize): Uint8Array => new Uint8Array(Math.ceil(size / 8));

const locate = (bits: Uint8Array, index: number): [byte: number, mask: number] => {
  if (!Number.isInteger(index) || index < 0 || index >= bits.length * 8) throw new RangeError(`status index ${index} is outside the list`);
  // The spec numbers bits from the left-most bit of the first byte.
  return [index >> 3, 0x80 >> (index & 7)];
};

export const getBit = (bits: Uint8Array, index: number): boolean => {
  const [byte, mask] = locate(bits, index);
  return ((bits[byte] ?? 0) & mask) !== 0;
};

/** A copy with the bit set (the list is never mutated in place: the stored version is the source of truth). */
export const withBit = (bits: Uint8Array, index: number, value = true): Uint8Array => {
  const [byte, mask] = locate(bits, index);
  const next = Uint8Array.from(bits);
  next[byte] = value ? (next[byte] ?? 0) | mask : (next[byte] ?? 0) & ~mask;
  return next;
};

/** `encodedList`: multibase base64url (prefix `u`, no padding) of the GZIP-compressed bitstring. */
export const encodeBitstring = (bits: Uint8Array): string => `u${gzipSync(bits).toString('base64url')}`;

export const decodeBitstring = (encoded: string): Uint8Array => {
  if (!encoded.startsWith('u')) throw new Error('encodedList is not multibase base64url (it must start with "u").');
  return new Uint8Array(gunzipSync(Buffer.from(encoded.slice(1), 'base64url'), { maxOutputLength: 16 * 1024 * 1024 }));
};
