import { describe, expect, it } from 'vitest';
import { createRowValidator, emailPattern, parseConsent, sisDateToIso } from '#domain/csv/row';
import { parse } from './helpers';

/** One data row under a header, parsed end to end (tab-separated so cells may hold commas). */
const outcomeOf = async (cells: Record<string, string>) => {
  const headers = Object.keys(cells);
  const text = `${headers.join('\t')}\n${headers.map((header) => cells[header]).join('\t')}\n`;
  const { outcomes } = await parse(text);
  expect(outcomes).toHaveLength(1);
  return outcomes[0]!;
};

const base = { student_id: 'S1', achievement: 'MATH-FLUENCY-3' };

describe('what is not this module’s business', () => {
  it('a missing last name (and first name) is not a row error: the issuing step decides', async () => {
    // Act
    const outcome = await outcomeOf({ ...base, first_name: 'Ana', last_name: '' });
    // Assess
    expect(outcome).toEqual({
      ok: true,
      row: { line: 2, studentId: 'S1', achievement: 'MATH-FLUENCY-3', firstName: 'Ana', role: 'student' },
    });
  });

  it('an unknown achievement code passes through as written', async () => {
    // Act
    const outcome = await outcomeOf({ ...base, achievement: 'NO-SUCH-BADGE-42' });
    // Assess
    expect(outcome).toMatchObject({ ok: true, row: { achievement: 'NO-SUCH-BADGE-42' } });
  });
});

describe('row errors carry a reason for a person and do not stop the file', () => {
  it('a bad date names the column as the file spells it, without echoing a birth date', async () => {
    // Prepare
    const text = 'Student_Number,Achievement,DOB\nS1,A,02/30/2013\nS2,B,13/03/2013\nS3,C,2013-03-13\n';
    // Act
    const { outcomes } = await parse(text);
    // Assess
    expect(outcomes).toEqual([
      { ok: false, line: 2, studentId: 'S1', achievement: 'A', reason: 'DOB is not a real date.' },
      {
        ok: false,
        line: 3,
        studentId: 'S2',
        achievement: 'B',
        reason: 'DOB is not a real date: dates with slashes are read month first (MM/DD/YYYY).',
      },
      { ok: true, row: { line: 4, studentId: 'S3', achievement: 'C', birthDate: '2013-03-13', role: 'student' } },
    ]);
  });

  it.each([
    ['5/29/26', 'Issued_On has a two-digit year; write dates as YYYY-MM-DD or MM/DD/YYYY.'],
    ['May 29, 2026', 'Issued_On is not a date; write dates as YYYY-MM-DD or MM/DD/YYYY.'],
    ['2026-02-29', 'Issued_On is not a real date.'],
  ])('issued date %s → %s', async (value, reason) => {
    // Act
    const outcome = await outcomeOf({ ...base, Issued_On: value });
    // Assess
    expect(outcome).toEqual({ ok: false, line: 2, studentId: 'S1', achievement: 'MATH-FLUENCY-3', reason });
  });

  it('a bad e-mail is a row error that does not copy the address', async () => {
    // Act
    const outcome = await outcomeOf({ ...base, email: 'ana.lopez@district' });
    // Assess
    expect(outcome).toEqual({
      ok: false,
      line: 2,
      studentId: 'S1',
      achievement: 'MATH-FLUENCY-3',
      reason: 'email is not a valid e-mail address.',
    });
  });

  it('a bad guardian e-mail is reported under the file’s own header', async () => {
    // Act
    const outcome = await outcomeOf({ ...base, parent_email: 'mom at home' });
    // Assess
    expect(outcome).toMatchObject({ ok: false, reason: 'parent_email is not a valid e-mail address.' });
  });

  it.each([
    ['-3', 'credits is negative; credits must be 0 or more.'],
    ['six', 'credits is not a number (write credits like 6 or 1.5).'],
    ['1,5', 'credits is not a number (write credits like 6 or 1.5).'],
  ])('credits %s → row error', async (value, reason) => {
    // Act
    const outcome = await outcomeOf({ ...base, credits: value });
    // Assess
    expect(outcome).toMatchObject({ ok: false, reason });
  });

  it('several problems in one row are all listed', async () => {
    // Act
    const outcome = await outcomeOf({ ...base, email: 'x@', credits: '-1', consent: 'maybe' });
    // Assess
    expect(outcome).toMatchObject({
      ok: false,
      reason:
        'email is not a valid e-mail address; credits is negative; credits must be 0 or more; consent is not yes/no (Y, N, true, false, 1, 0 or empty).',
    });
  });

  it('an empty student id or achievement is a row error', async () => {
    // Prepare
    const text = 'student_id,achievement\n,A\nS2,\n';
    // Act
    const { outcomes } = await parse(text);
    // Assess
    expect(outcomes).toEqual([
      { ok: false, line: 2, achievement: 'A', reason: 'student_id is empty.' },
      { ok: false, line: 3, studentId: 'S2', reason: 'achievement is empty.' },
    ]);
  });

  it('a student id Excel turned into scientific notation is caught', async () => {
    // Act
    const outcome = await outcomeOf({ ...base, student_id: '1.002E+05' });
    // Assess
    expect(outcome).toMatchObject({ ok: false, reason: expect.stringMatching(/scientific notation/) });
  });

  it('evidence must be an http(s) address', async () => {
    // Act
    const outcomes = [
      await outcomeOf({ ...base, evidence_url: 'javascript:alert(1)' }),
      await outcomeOf({ ...base, evidence_url: 'portfolio.example.org/s/1' }),
      await outcomeOf({ ...base, evidence_url: 'http://portfolio.example.org/s/1' }),
    ];
    // Assess
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([false, false, true]);
    expect(outcomes[0]).toMatchObject({ reason: 'evidence_url is not a web address starting with http:// or https://.' });
  });

  it('an expiry before the issue date is a row error', async () => {
    // Act
    const outcome = await outcomeOf({ ...base, issued_on: '2026-05-29', expires_on: '05/28/2026' });
    // Assess
    expect(outcome).toMatchObject({ ok: false, reason: 'expires_on is before issued_on.' });
  });

  it('an unknown role is a row error', async () => {
    // Act
    const outcome = await outcomeOf({ ...base, role: 'principal' });
    // Assess
    expect(outcome).toMatchObject({ ok: false, reason: 'role is not student or staff.' });
  });
});

describe('normalisation', () => {
  it('empty optional cells are absent, not empty strings; cells are trimmed', async () => {
    // Act
    const outcome = await outcomeOf({ ...base, student_id: '  S1  ', first_name: '  ', email: '', narrative: ' Did well. ' });
    // Assess
    expect(outcome).toEqual({
      ok: true,
      row: { line: 2, studentId: 'S1', achievement: 'MATH-FLUENCY-3', narrative: 'Did well.', role: 'student' },
    });
  });

  it.each([
    ['Y', true],
    ['yes', true],
    ['TRUE', true],
    ['1', true],
    ['N', false],
    ['No', false],
    ['false', false],
    ['0', false],
  ])('consent %s → %s', async (value, consent) => {
    // Act
    const outcome = await outcomeOf({ ...base, consent: value });
    // Assess
    expect(outcome).toMatchObject({ ok: true, row: { consent } });
  });

  it.each([
    ['Staff', 'staff'],
    ['teacher', 'staff'],
    ['STUDENT', 'student'],
  ])('role %s → %s', async (value, role) => {
    // Act
    const outcome = await outcomeOf({ ...base, role: value });
    // Assess
    expect(outcome).toMatchObject({ ok: true, row: { role } });
  });

  it('role defaults to student, or to staff when the id column is a staff id', async () => {
    // Act
    const student = await outcomeOf({ ...base });
    const staff = await outcomeOf({ staff_id: 'T1', achievement: 'PD-CPR', role: '' });
    const explicit = await outcomeOf({ staff_id: 'T1', achievement: 'PD-CPR', role: 'student' });
    // Assess
    expect(student).toMatchObject({ ok: true, row: { role: 'student' } });
    expect(staff).toMatchObject({ ok: true, row: { role: 'staff' } });
    expect(explicit).toMatchObject({ ok: true, row: { role: 'student' } });
  });

  it('credits accept whole and decimal numbers, including zero', async () => {
    // Act
    const outcomes = [await outcomeOf({ ...base, credits: '0' }), await outcomeOf({ ...base, credits: '1.5' })];
    // Assess
    expect(outcomes).toMatchObject([
      { ok: true, row: { credits: 0 } },
      { ok: true, row: { credits: 1.5 } },
    ]);
  });
});

describe('cell parsers', () => {
  it.each([
    ['2013-03-13', '2013-03-13'],
    ['03/13/2013', '2013-03-13'],
    ['3/5/2013', '2013-03-05'],
    ['2024-02-29', '2024-02-29'],
    ['2023-02-29', undefined],
    ['13/03/2013', undefined],
    ['2013/03/13', undefined],
    ['', undefined],
  ])('sisDateToIso(%j) → %j', (value, expected) => {
    // Act
    const iso = sisDateToIso(value);
    // Assess
    expect(iso).toBe(expected);
  });

  it.each([
    ['a@b.org', true],
    ['first.last+tag@sub.district.k12.us', true],
    ['ø.3@district.example.org', true],
    ['a@b', false],
    ['a b@c.org', false],
    ['.a@c.org', false],
    ['a..b@c.org', false],
    ['a@-c.org', false],
    ['@c.org', false],
  ])('e-mail %s valid: %s', (value, valid) => {
    // Act
    const result = emailPattern.test(value);
    // Assess
    expect(result).toBe(valid);
  });

  it('consent words are case-insensitive and unknown words are undefined', () => {
    // Act
    const values = ['y', 'Yes', 'n', 'NO', 'perhaps'].map(parseConsent);
    // Assess
    expect(values).toEqual([true, true, false, false, undefined]);
  });

  it('the validator reads only mapped positions', () => {
    // Prepare
    const validate = createRowValidator({
      positions: { student_id: 2, achievement: 0 },
      columns: { student_id: 'id', achievement: 'code' },
      defaultRole: 'student',
    });
    // Act
    const outcome = validate(['CODE-1', 'secret grade 7', 'S9'], 12);
    // Assess
    expect(outcome).toEqual({ ok: true, row: { line: 12, studentId: 'S9', achievement: 'CODE-1', role: 'student' } });
  });
});
