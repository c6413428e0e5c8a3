import { describe, expect, it, vi } from 'vitest';
import { DropFileError, openDrop, readDrop } from '#domain/csv/parse-drop';
import { errorsOf, fixture, parse, rejection, rowsOf, utf8 } from './helpers';

const fileError = async (input: Uint8Array | string, chunkSize?: number): Promise<DropFileError> => {
  const error = await rejection(parse(input, chunkSize));
  expect(error).toBeInstanceOf(DropFileError);
  return error as DropFileError;
};

describe('files that cannot be a drop', () => {
  it('a PNG image is not a CSV', async () => {
    // Prepare
    const png = fixture('not-a-csv.png');
    // Act
    const error = await fileError(png);
    // Assess
    expect(error.code).toBe('not_csv');
    expect(error.message).toMatch(/PNG image, not a CSV/);
  });

  it('an Excel workbook says how to save it as CSV', async () => {
    // Prepare
    const xlsx = fixture('students.xlsx');
    // Act
    const error = await fileError(xlsx);
    // Assess
    expect(error.code).toBe('not_csv');
    expect(error.message).toMatch(/Excel workbook/);
    expect(error.message).toMatch(/CSV UTF-8/);
  });

  it('unknown binary bytes (NUL bytes) are not a CSV', async () => {
    // Prepare
    const bytes = Uint8Array.from([0x73, 0x74, 0x00, 0x01, 0x02, 0x0a, 0x41, 0x00]);
    // Act
    const error = await fileError(bytes);
    // Assess
    expect(error.code).toBe('not_csv');
  });

  it('UTF-16 text is refused with a hint', async () => {
    // Prepare
    const bytes = Uint8Array.from([0xff, 0xfe, ...Buffer.from('student_id,achievement\r\n', 'utf16le')]);
    // Act
    const error = await fileError(bytes);
    // Assess
    expect(error.code).toBe('not_csv');
    expect(error.message).toMatch(/UTF-16/);
  });

  it.each([
    ['zero bytes', new Uint8Array(0)],
    ['only a BOM', Uint8Array.from([0xef, 0xbb, 0xbf])],
    ['only blank lines and spaces', utf8('\r\n  \n\t\n')],
  ])('%s: "the file is empty"', async (_what, bytes) => {
    // Act
    const error = await fileError(bytes);
    // Assess
    expect(error.code).toBe('empty');
    expect(error.message).toBe('The file is empty.');
  });

  it('a source that yields nothing at all is empty', async () => {
    // Prepare
    async function* nothing(): AsyncGenerator<Uint8Array> {}
    // Act
    const error = await rejection(openDrop(nothing()));
    // Assess
    expect((error as DropFileError).code).toBe('empty');
  });

  it('plain prose without a header Merit knows → no_header, saying what a header needs', async () => {
    // Prepare
    const text = 'Dear admin, here is the list you asked for\nthanks\n';
    // Act
    const error = await fileError(text);
    // Assess
    expect(error.code).toBe('no_header');
    expect(error.message).toContain('none of its 2 cells');
    expect(error.message).toMatch(/student_id .* and achievement/);
  });

  it('a file without its header line → no_header, without copying the first student’s row into the message', async () => {
    // Prepare
    const text = '100200,José,Núñez,jose.nunez@students.example.org,MATH-FLUENCY-3\n100201,Zoë,Brontë,,KINDNESS-1\n';
    // Act
    const error = await fileError(text);
    // Assess
    expect(error.code).toBe('no_header');
    expect(error.message).not.toMatch(/100200|José|Núñez|jose\.nunez|MATH-FLUENCY/);
  });

  it('a missing required column names what is missing and which headers were found', async () => {
    // Prepare
    const text = 'Student_Number,First_Name,Last_Name,Grade_Level\n100,Ana,Lopez,5\n';
    // Act
    const error = await fileError(text);
    // Assess
    expect(error.code).toBe('missing_columns');
    expect(error.message).toMatch(/^The file has no achievement \(or badgeCode/);
    // Grade_Level is no column Merit knows: counted, not echoed (in a file without its header it would be a value).
    expect(error.message).toContain('Columns found: Student_Number, First_Name, Last_Name (and 1 other Merit does not use).');
    expect(error.message).not.toMatch(/no student_id/);
  });

  it('both required columns missing are both named', async () => {
    // Prepare
    const text = 'first_name;last_name;email\nAna;Lopez;a@x.org\n';
    // Act
    const error = await fileError(text);
    // Assess
    expect(error.code).toBe('missing_columns');
    expect(error.message).toMatch(/no student_id .* and achievement .* column/);
  });

  it('the same column twice (Email and E-mail) is refused', async () => {
    // Prepare
    const text = 'student_id,achievement,Email,E-mail\n1,A,a@x.org,b@x.org\n';
    // Act
    const error = await fileError(text);
    // Assess
    expect(error.code).toBe('duplicate_columns');
    expect(error.message).toContain('Email and E-mail');
  });

  it('a header with no line break in the sniffed prefix is not a CSV', async () => {
    // Prepare
    const text = `student_id,achievement,${'x'.repeat(70 * 1024)}`;
    // Act
    const error = await fileError(text);
    // Assess
    expect(error.code).toBe('not_csv');
  });
});

describe('header-only and blank rows', () => {
  it('a header and no rows is a valid drop with zero rows', async () => {
    // Prepare
    const text = '\uFEFFStudent_Number,Achievement\r\n';
    // Act
    const { header, outcomes, stats } = await parse(text);
    // Assess
    expect(header.columns).toEqual({ student_id: 'Student_Number', achievement: 'Achievement' });
    expect(outcomes).toEqual([]);
    expect(stats).toEqual({ rows: 0, valid: 0, invalid: 0, blankRows: 0 });
  });

  it('a header without a final newline is also zero rows', async () => {
    // Act
    const { outcomes } = await parse('student_id\tachievement');
    // Assess
    expect(outcomes).toEqual([]);
  });

  it('blank lines before the header are skipped and line numbers stay true', async () => {
    // Prepare
    const text = '\n\nstudent_id,achievement\n\nS1,A\n';
    // Act
    const { header, outcomes } = await parse(text);
    // Assess
    expect(header.headerLine).toBe(3);
    expect(outcomes).toEqual([{ ok: true, row: { line: 5, studentId: 'S1', achievement: 'A', role: 'student' } }]);
  });
});

describe('messy but valid CSV (fixture messy-quoted.csv)', () => {
  it.each([1, 4, 1024])('quoted newlines, doubled quotes, trimming, blank and delimiter-only lines (chunks of %i)', async (chunkSize) => {
    // Prepare
    const bytes = fixture('messy-quoted.csv');
    // Act
    const { header, outcomes, stats } = await parse(bytes, chunkSize);
    // Assess
    expect(header.columns).toEqual({
      student_id: 'Student ID',
      first_name: 'First Name',
      last_name: 'Last Name',
      achievement: 'Badge Code',
      narrative: 'Narrative',
    });
    expect(header.ignoredColumns).toEqual(['Grade']);
    expect(errorsOf(outcomes)).toEqual([]);
    const rows = rowsOf(outcomes);
    expect(rows.map((row) => [row.line, row.studentId])).toEqual([
      [2, 'S1'],
      [5, 'S2'],
      [6, 'S3'],
      [8, 'S4'],
      [11, 'S5'],
    ]);
    expect(rows[0]?.narrative).toBe('Line one\nline two');
    expect(rows[1]).toMatchObject({ firstName: 'Bob "Bobby"', narrative: 'He said "hi", then left' });
    expect(rows[2]?.narrative).toBe('=HYPERLINK("http://x","y")');
    expect(rows[2]).not.toHaveProperty('lastName');
    expect(rows[3]?.narrative).toBe('multi\nline\nnarrative');
    expect(stats).toEqual({ rows: 5, valid: 5, invalid: 0, blankRows: 2 });
  });

  it('a DOS end-of-file mark (Ctrl-Z) on the last line is not a row', async () => {
    // Prepare
    const bytes = Buffer.from('student_id;achievement;last_name\r\nS1;A;N\xfa\xf1ez\r\n\x1a', 'latin1');
    // Act
    const { header, outcomes, stats } = await parse(bytes);
    // Assess
    expect(header.encoding).toBe('windows-1252');
    expect(outcomes).toEqual([{ ok: true, row: { line: 2, studentId: 'S1', achievement: 'A', lastName: 'Núñez', role: 'student' } }]);
    expect(stats.blankRows).toBe(1);
  });

  it('reads old-Mac CR-only line endings', async () => {
    // Prepare
    const text = 'student_id,achievement,narrative\rS1,A,"two\rlines"\rS2,B,\r';
    // Act
    const rows = rowsOf((await parse(text, 3)).outcomes);
    // Assess
    expect(rows.map((row) => [row.line, row.studentId, row.narrative])).toEqual([
      [2, 'S1', 'two\nlines'],
      [4, 'S2', undefined],
    ]);
  });

  it('a semicolon file whose cells hold commas picks the semicolon', async () => {
    // Prepare
    const text = 'student_id;achievement;narrative\nS1;A;"Led, planned, delivered"\n';
    // Act
    const { header, outcomes } = await parse(text);
    // Assess
    expect(header.delimiter).toBe(';');
    expect(rowsOf(outcomes)[0]?.narrative).toBe('Led, planned, delivered');
  });

  it('a quoted header holding the other delimiters still sniffs right', async () => {
    // Prepare
    const text = '"student_id";"achievement";"notes, misc; etc"\nS1;A;x\n';
    // Act
    const { header } = await parse(text);
    // Assess
    expect(header.delimiter).toBe(';');
    expect(header.ignoredColumns).toEqual(['notes, misc; etc']);
  });

  it('a stray quote inside an unquoted cell is kept as text', async () => {
    // Prepare
    const text = 'student_id,achievement,last_name\nS1,A,O"Brien\nS2,B,"Ng"x\n';
    // Act
    const rows = rowsOf((await parse(text)).outcomes);
    // Assess
    expect(rows.map((row) => row.lastName)).toEqual(['O"Brien', '"Ng"x']);
  });
});

describe('structural problems in one row or in the rest of the file', () => {
  it('a row with more cells than the header is a row error; the file goes on', async () => {
    // Prepare
    const text = 'student_id,achievement,last_name\nS1,A,Smith, Jr\nS2,B,Ng\n';
    // Act
    const { outcomes } = await parse(text);
    // Assess
    expect(outcomes[0]).toEqual({
      ok: false,
      line: 2,
      studentId: 'S1',
      reason: 'This row has 4 cells but the header has 3: a value probably holds a comma without quotes around it.',
    });
    expect(outcomes[1]).toMatchObject({ ok: true, row: { studentId: 'S2' } });
  });

  it('a row with fewer cells than the header is a row error', async () => {
    // Prepare
    const text = 'student_id,achievement,last_name\nS1,A\n';
    // Act
    const { outcomes } = await parse(text);
    // Assess
    expect(outcomes).toEqual([
      { ok: false, line: 2, studentId: 'S1', reason: 'This row has 2 cells but the header has 3: a cell is missing.' },
    ]);
  });

  it('trailing empty cells beyond the header (Excel) are fine', async () => {
    // Prepare
    const text = 'student_id,achievement\nS1,A,,\n';
    // Act
    const { outcomes } = await parse(text);
    // Assess
    expect(outcomes).toEqual([{ ok: true, row: { line: 2, studentId: 'S1', achievement: 'A', role: 'student' } }]);
  });

  it('a quote never closed fails the file after yielding the rows before it', async () => {
    // Prepare
    const text = 'student_id,achievement,narrative\nS1,A,fine\nS2,B,"never closed\nS3,C,x\n';
    const drop = await openDrop(
      (async function* () {
        yield utf8(text);
      })(),
    );
    const seen: unknown[] = [];
    // Act
    const error = await rejection(
      (async () => {
        for await (const outcome of drop.rows) seen.push(outcome);
      })(),
    );
    // Assess
    expect(seen).toHaveLength(1);
    expect(error).toBeInstanceOf(DropFileError);
    expect(error).toMatchObject({ code: 'malformed', line: 3 });
    expect((error as Error).message).toMatch(/after line 2 is never closed/);
  });

  it.each([
    ['with the default limits', {}],
    ['once the quote has run past the field and record limits', { maxFieldBytes: 500, maxRecordBytes: 2000 }],
  ])('every row before a broken quote is yielded, also deep into a file (%s)', async (_what, limits) => {
    // Prepare: 3,000 good rows, a quote never closed on line 3,002, then 3,000 more lines.
    const good = Array.from({ length: 3000 }, (_, i) => `S${i},A,fine`).join('\n');
    const after = Array.from({ length: 3000 }, (_, i) => `T${i},A,x`).join('\n');
    const text = `student_id,achievement,narrative\n${good}\nS-broken,A,"never closed\n${after}\n`;
    const drop = await openDrop(
      (async function* () {
        for (let i = 0; i < text.length; i += 1000) yield utf8(text.slice(i, i + 1000));
      })(),
      limits,
    );
    let seen = 0;
    // Act
    const error = await rejection(
      (async () => {
        for await (const outcome of drop.rows) {
          expect(outcome.ok).toBe(true);
          seen++;
        }
      })(),
    );
    // Assess
    expect(seen).toBe(3000);
    expect(error).toMatchObject({ code: 'malformed', line: 3002 });
  });

  it('rows past the limit each fail with the over-limit reason; the rows before it are read (blank lines do not count)', async () => {
    // Prepare
    const text = `student_id,achievement\nS0,A\n\nS1,A\n,\nS2,A\nS3,"two\nlines"\nS4,A\n`;
    // Act
    const { outcomes, stats } = await parse(text, 4, { maxRows: 3 });
    // Assess
    expect(outcomes.map((outcome) => (outcome.ok ? [outcome.row.line, 'ok'] : [outcome.line, outcome.reason]))).toEqual([
      [2, 'ok'],
      [4, 'ok'],
      [6, 'ok'],
      [7, 'over the 3-row limit'],
      [9, 'over the 3-row limit'],
    ]);
    expect(stats).toEqual({ rows: 5, valid: 3, invalid: 2, blankRows: 1 }); // the delimiter-only line; csv-parse skips the empty one
  });

  it.each([
    ['unquoted', 'x'.repeat(1024 * 1024)],
    ['quoted, with newlines and doubled quotes', `"${'x""\n'.repeat(256 * 1024)}"`],
  ])('a 1 MB field (%s) fails its row only, and the lines after it keep their numbers', async (_what, big) => {
    // Prepare
    const newlinesInBig = (big.match(/\n/g) ?? []).length;
    const text = `student_id,achievement,narrative\nS1,A,before\nS2,A,${big}\nS3,A,"after\nit"\nS4,A,last\n`;
    // Act
    const { outcomes } = await parse(text, 64 * 1024);
    // Assess
    expect(
      outcomes.map((outcome) =>
        outcome.ok ? [outcome.row.line, outcome.row.studentId, outcome.row.narrative] : [outcome.line, outcome.reason],
      ),
    ).toEqual([
      [2, 'S1', 'before'],
      [3, expect.stringContaining('longer than 64 KiB')],
      [4 + newlinesInBig, 'S3', 'after\nit'],
      [6 + newlinesInBig, 'S4', 'last'],
    ]);
  });

  it('a stray NUL byte fails its row only', async () => {
    // Prepare
    const text = 'student_id,achievement,narrative\nS1,A,fine\nS2,A,bro\u0000ken\nS3,A,fine\n';
    // Act
    const { outcomes } = await parse(text);
    // Assess
    expect(outcomes.map((outcome) => (outcome.ok ? [outcome.row.line, 'ok'] : [outcome.line, outcome.reason]))).toEqual([
      [2, 'ok'],
      [3, expect.stringContaining('NUL byte')],
      [4, 'ok'],
    ]);
  });
});

describe('encoding detection beyond the first chunk', () => {
  it('an ASCII prefix then a Windows-1252 byte switches to Windows-1252 without losing text', async () => {
    // Prepare: 70 KiB of ASCII rows (past the 64 KiB sniff) then "José" in Windows-1252.
    const ascii = `student_id,achievement,first_name\n${Array.from({ length: 7000 }, (_, i) => `S${i},A,Ann`).join('\n')}\n`;
    const bytes = Buffer.concat([Buffer.from(ascii, 'latin1'), Buffer.from('S99999,A,Jos\xe9\n', 'latin1')]);
    // Act
    const { header, outcomes } = await parse(bytes, 4096);
    // Assess
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    expect(header.encoding).toBe('windows-1252');
    expect(outcomes).toHaveLength(7001);
    expect(outcomes.at(-1)).toMatchObject({ ok: true, row: { studentId: 'S99999', firstName: 'José' } });
  });

  it('an ASCII prefix then UTF-8 stays UTF-8, also with characters split across chunks', async () => {
    // Prepare
    const ascii = `student_id,achievement,first_name\n${Array.from({ length: 7000 }, (_, i) => `S${i},A,Ann`).join('\n')}\n`;
    const bytes = utf8(`${ascii}S9999,A,Nguyễn 😀\n`);
    // Act
    const { header, outcomes } = await parse(bytes, 4095);
    // Assess
    expect(header.encoding).toBe('utf-8');
    expect(outcomes.at(-1)).toMatchObject({ ok: true, row: { firstName: 'Nguyễn 😀' } });
  });

  it('a Windows-1252 byte inside a UTF-8 file fails only that row', async () => {
    // Prepare
    const bytes = Buffer.concat([
      Buffer.from('student_id,achievement,first_name\nS1,A,Zoë\nS2,A,', 'utf8'),
      Buffer.from('Jos\xe9', 'latin1'),
      Buffer.from('\nS3,A,Ann\n', 'utf8'),
    ]);
    // Act
    const { header, outcomes } = await parse(bytes);
    // Assess
    expect(header.encoding).toBe('utf-8');
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, true]);
    expect(outcomes[1]).toMatchObject({
      line: 3,
      studentId: 'S2',
      reason: expect.stringMatching(/^first_name holds characters that could not be read/),
    });
  });
});

describe('the source stream', () => {
  it('is read lazily and released when the reader stops early', async () => {
    // Prepare
    let pulled = 0;
    let released = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield utf8('student_id,achievement\n');
        for (let i = 0; i < 10_000; i++) {
          pulled++;
          yield utf8(`S${i},A\n`.repeat(100));
        }
      } finally {
        released = true;
      }
    }
    const drop = await openDrop(source());
    // Act
    let seen = 0;
    for await (const _outcome of drop.rows) {
      if (++seen === 3) break;
    }
    // Assess
    expect(seen).toBe(3);
    expect(pulled).toBeLessThan(200);
    await vi.waitFor(() => expect(released).toBe(true));
  });

  it('passes a failing source’s own error through (so the caller can retry)', async () => {
    // Prepare
    async function* source(): AsyncGenerator<Uint8Array> {
      yield utf8('student_id,achievement\nS1,A\n');
      throw new Error('socket hang up');
    }
    // Act
    const error = await rejection(readDrop(source(), { sniffBytes: 8 }));
    // Assess
    expect(error).not.toBeInstanceOf(DropFileError);
    expect((error as Error).message).toBe('socket hang up');
  });

  it('close() releases the source when the rows are never read', async () => {
    // Prepare
    let released = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        yield utf8('student_id,achievement\n');
        for (;;) yield utf8('S1,A\n'.repeat(1000));
      } finally {
        released = true;
      }
    }
    const drop = await openDrop(source(), { sniffBytes: 16 });
    // Act
    drop.close();
    // Assess
    await vi.waitFor(() => expect(released).toBe(true));
  });
});
