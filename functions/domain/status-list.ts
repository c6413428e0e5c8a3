import { createHmac, randomInt } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * W3C Bitstring Status List: 131,072 entries (16 KiB) per list, the minimum the spec recommends for herd privacy.
 * Indices are drawn at random so that neighbouring credentials say nothing about each other.
 */
export const statusListSize = 131_072;

/**
 * Positions are claimed a block at a time (one conditional write per block, not per credential): 64 positions per
 * block in a full-size list, fewer in the small lists of tests. `statusIndexAt` scatters a block over the whole list.
 */
export const statusBlockSize = (size: number): number => Math.max(1, Math.min(64, Math.floor(size / 2048)));

/** A block of a list drawn at random: the caller claims it with a conditional write and draws again if taken. */
export const randomStatusBlock = (size: number): number => randomInt(0, Math.floor(size / statusBlockSize(size)));

/**
 * The status index at `position` of a list: a keyed pseudorandom permutation of [0, size) (a four-round Feistel
 * network over the smallest even number of bits that covers the list, cycle-walking back into range). With the
 * list's secret key, each position has its own index; without it, the indices of one block — or of credentials
 * issued one after the other — look like independent random draws.
 */
export const statusIndexAt = (key: Uint8Array, size: number, position: number): number => {
  if (!Number.isInteger(position) || position < 0 || position >= size) throw new RangeError(`position ${position} is outside the list`);
  const halfBits = Math.max(1, Math.ceil(Math.ceil(Math.log2(size)) / 2));
  const mask = (1 << halfBits) - 1;
  let value = position;
  do {
    let left = value >>> halfBits;
    let right = value & mask;
    for (let round = 0; round < 4; round++) {
      const mixed =
        createHmac('sha256', key)
          .update(Uint8Array.of(round, right >>> 24, (right >>> 16) & 0xff, (right >>> 8) & 0xff, right & 0xff))
          .digest()
          .readUInt32BE(0) & mask;
      [left, right] = [right, left ^ mixed];
    }
    value = (left << halfBits) | right;
  } while (value >= size);
  return value;
};

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
