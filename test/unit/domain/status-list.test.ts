import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeBitstring,
  emptyBitstring,
  encodeBitstring,
  getBit,
  randomStatusBlock,
  statusBlockSize,
  statusIndexAt,
  statusListSize,
  withBit,
} from '#domain/status-list';

describe('the Bitstring Status List encoding', () => {
  it('holds 131,072 entries, all clear at first', () => {
    const bits = emptyBitstring();
    expect(bits.length * 8).toBe(statusListSize);
    expect(getBit(bits, 0)).toBe(false);
    expect(getBit(bits, statusListSize - 1)).toBe(false);
  });

  it('numbers bits from the left-most bit of the first byte, as the spec says', () => {
    // Act
    const bits = withBit(withBit(emptyBitstring(16), 0), 9);

    // Assess
    expect([...bits]).toEqual([0b1000_0000, 0b0100_0000]);
  });

  it('round-trips any set of revoked indices through encodedList', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: statusListSize - 1 }), { maxLength: 200 }), (indices) => {
        // Prepare
        const bits = indices.reduce((list, index) => withBit(list, index), emptyBitstring());

        // Act
        const decoded = decodeBitstring(encodeBitstring(bits));

        // Assess
        for (const index of indices) expect(getBit(decoded, index)).toBe(true);
        expect(decoded.reduce((count, byte) => count + byte.toString(2).replaceAll('0', '').length, 0)).toBe(indices.length);
      }),
      { numRuns: 50 },
    );
  });

  it('is multibase base64url of GZIP, which the reference library decodes too', async () => {
    // Prepare
    const { Bitstring } = await import('@digitalbazaar/bitstring');
    const encoded = encodeBitstring(withBit(emptyBitstring(), 4242));

    // Act
    const bytes = await Bitstring.decodeBits({ encoded: encoded.slice(1) });
    const list = new Bitstring({ buffer: bytes });

    // Assess
    expect(encoded.startsWith('u')).toBe(true);
    expect(list.get(4242)).toBe(true);
    expect(list.get(4243)).toBe(false);
  });

  it('refuses an index outside the list and an encodedList without the multibase prefix', () => {
    expect(() => withBit(emptyBitstring(8), 8)).toThrow(RangeError);
    expect(() => getBit(emptyBitstring(8), -1)).toThrow(RangeError);
    expect(() => decodeBitstring('H4sI')).toThrow(/multibase/);
  });
});

describe('status indices: a keyed permutation of a list', () => {
  const key = (byte: number) => new Uint8Array(32).fill(byte);

  it('gives every position its own index, for list sizes that are and are not powers of two', () => {
    for (const size of [1, 8, 100, 2_048, 5_000]) {
      // Act
      const indices = Array.from({ length: size }, (_, position) => statusIndexAt(key(7), size, position));

      // Assess: a permutation of [0, size)
      expect(new Set(indices).size).toBe(size);
      expect(indices.every((index) => Number.isInteger(index) && index >= 0 && index < size)).toBe(true);
    }
  });

  it('scatters a block of consecutive positions over the whole list, differently for another key', () => {
    // Act: the first block of 64 positions of a full-size list, under two keys
    const block = Array.from({ length: 64 }, (_, position) => statusIndexAt(key(1), statusListSize, position));
    const otherKey = Array.from({ length: 64 }, (_, position) => statusIndexAt(key(2), statusListSize, position));

    // Assess: spread over the list, about half the steps going up, nothing in common with the other key's order
    expect(Math.max(...block) - Math.min(...block)).toBeGreaterThan(statusListSize / 2);
    const ascending = block.slice(1).filter((index, i) => index > block[i]!).length;
    expect(ascending).toBeGreaterThan(16);
    expect(ascending).toBeLessThan(48);
    expect(block.filter((index, i) => index === otherKey[i]).length).toBeLessThan(2);
  });

  it('claims blocks of 64 positions in a full-size list, single positions in tiny ones', () => {
    expect(statusBlockSize(statusListSize)).toBe(64);
    expect(statusBlockSize(8)).toBe(1);
    for (let i = 0; i < 200; i++) expect(randomStatusBlock(statusListSize)).toBeLessThan(statusListSize / 64);
  });
});
