import { randomInt } from 'node:crypto';

/**
 * W3C Bitstring Status List: 131,072 entries (16 KiB) per list, the minimum the spec recommends for herd privacy.
 * Indices are drawn at random so that neighbouring credentials say nothing about each other.
 */
export const statusListSize = 131_072;

export const randomStatusIndex = (size: number = statusListSize): number => randomInt(0, size);
