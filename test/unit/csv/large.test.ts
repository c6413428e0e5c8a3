import { describe, expect, it } from 'vitest';
import { openDrop } from '#domain/csv/parse-drop';

// 100,000 rows (DESIGN §4's maximum) generated chunk by chunk: the file never exists as one string or buffer.
const totalRows = 100_000;
const rowsPerChunk = 500;
const encoder = new TextEncoder();

/** Every 1,000th row has an impossible date; every 10,000th has a quoted two-line narrative. */
function* rowText(from: number, to: number): Generator<string> {
  for (let i = from; i < to; i++) {
    const date = i % 1000 === 999 ? '02/30/2013' : '03/13/2013';
    const narrative = i % 10_000 === 0 ? '"Led the team,\r\n""exceeded"" expectations"' : 'Completed all modules.';
    yield `${100000 + i},José,Núñez,MATH-FLUENCY-3,${date},${narrative},${i % 3 === 0 ? 'Y' : ''}\r\n`;
  }
}

describe('a 100,000-row drop', () => {
  it('streams every row with the right counts and line numbers', async () => {
    // Prepare
    let chunksMade = 0;
    let chunksMadeAtFirstRow = -1;
    async function* source(): AsyncGenerator<Uint8Array> {
      yield encoder.encode('\uFEFFStudent_Number,First_Name,Last_Name,Achievement,DOB,Narrative,Consent\r\n');
      for (let from = 0; from < totalRows; from += rowsPerChunk) {
        chunksMade++;
        yield encoder.encode([...rowText(from, from + rowsPerChunk)].join(''));
      }
    }
    // Act
    const drop = await openDrop(source());
    let valid = 0;
    let invalid = 0;
    let lastLine = 0;
    let consented = 0;
    let multiLine = 0;
    let linesInOrder = true;
    for await (const outcome of drop.rows) {
      if (chunksMadeAtFirstRow < 0) chunksMadeAtFirstRow = chunksMade;
      const line = outcome.ok ? outcome.row.line : outcome.line;
      if (line <= lastLine) linesInOrder = false;
      lastLine = line;
      if (outcome.ok) {
        valid++;
        if (outcome.row.consent) consented++;
        if (outcome.row.narrative?.includes('\n')) multiLine++;
      } else {
        invalid++;
      }
    }
    // Assess
    expect(drop.header).toMatchObject({ encoding: 'utf-8', bom: true, delimiter: ',' });
    expect(valid + invalid).toBe(totalRows);
    expect(invalid).toBe(100);
    expect(valid).toBe(99_900);
    expect(consented).toBe(33_334 - 34); // i % 3 === 0, minus the 34 of them on rows with the bad date
    expect(multiLine).toBe(10);
    expect(drop.stats).toEqual({ rows: totalRows, valid: 99_900, invalid: 100, blankRows: 0 });
    expect(linesInOrder).toBe(true);
    // 10 narratives span two lines, so the last row starts on line 1 (header) + 100,000 + 10.
    expect(lastLine).toBe(1 + totalRows + 10);
    // Streaming: the first row came out long before the source was exhausted.
    expect(chunksMadeAtFirstRow).toBeLessThan(totalRows / rowsPerChunk / 2);
  });
});
