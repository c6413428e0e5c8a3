import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeBitstring, emptyBitstring, encodeBitstring, getBit, statusListSize, withBit } from '#domain/status-list';

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
