import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedRecords } from '#domain/csv/bounded-records';
import { dropParserOptions } from '#domain/csv/parse-drop';

/** csv-parse as openDrop runs it: records with the line each starts on (counted the way the parser counts lines). */
const parsed = (text: string, onSkip: () => void = () => undefined): Array<{ cells: string[]; line: number }> =>
  (
    parse(text, { ...dropParserOptions(','), on_skip: () => void onSkip() }) as unknown as Array<{
      record: string[];
      info: { lines: number };
    }>
  ).map(({ record, info }) => ({ cells: record, line: info.lines - record.join('').split('\n').length + 1 }));

/** The text through the scanner in pieces of the given sizes, and the facts it noted. */
const scanned = (text: string, cuts: number[], maxField: number, maxRecord: number) => {
  const scanner = new BoundedRecords(',', maxField, maxRecord);
  let out = '';
  let at = 0;
  for (const size of cuts) {
    out += scanner.push(text.slice(at, at + size));
    at += size;
  }
  out += scanner.push(text.slice(at)) + scanner.end();
  const facts = [];
  for (let fact = scanner.next(); fact; fact = scanner.next()) facts.push(fact);
  return { out, facts };
};

const csvish = fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', '\n', ' '), maxLength: 60 });
const pieces = fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 12 });

describe('BoundedRecords follows csv-parse record by record', () => {
  it('passes text within the limits unchanged, and notes the line each record csv-parse emits starts on', () => {
    fc.assert(
      fc.property(csvish, pieces, (text, cuts) => {
        // Act
        const { out, facts } = scanned(text, cuts, 1_000, 10_000);
        const records = parsed(text);

        // Assess
        expect(out).toBe(text);
        expect(facts.slice(0, records.length).map((fact) => fact.line)).toEqual(records.map((record) => record.line));
        expect(facts.some((fact) => fact.tooLong)).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  // Limits of at least one character (2 bytes: é), as the real ones (64 KiB) are: a cut field keeps its start, so its record never vanishes.
  it('cuts long fields without moving a record boundary: the same records, and those not cut read the same', () => {
    fc.assert(
      fc.property(csvish, pieces, fc.integer({ min: 2, max: 6 }), fc.integer({ min: 4, max: 20 }), (text, cuts, maxField, maxRecord) => {
        // Act
        // A quote opened in a field past the record limit is left out with that field: its row fails as too long
        // instead of the file failing as never closed. Those inputs are not compared.
        let neverClosed = false;
        const whole = parsed(text, () => {
          neverClosed = true;
        });
        fc.pre(!neverClosed);
        const { out, facts } = scanned(text, cuts, maxField, maxRecord);
        const bounded = parsed(out);

        // Assess
        expect(bounded).toHaveLength(whole.length);
        for (const [i, record] of whole.entries()) {
          if (!facts[i]!.tooLong) expect(bounded[i]!.cells).toEqual(record.cells);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('marks the record of a field past the limit, and counts the newlines it left out', () => {
    // Prepare
    const text = `a,"${'x\n'.repeat(10)}"\nb,c\n`;

    // Act
    const { out, facts } = scanned(text, [5, 5], 6, 1_000);

    // Assess
    expect(facts).toEqual([
      { line: 1, tooLong: true },
      { line: 12, tooLong: false },
    ]);
    expect(parsed(out).map((record) => record.cells)).toEqual([
      ['a', 'x\nx\nx\n'],
      ['b', 'c'],
    ]);
  });
});
