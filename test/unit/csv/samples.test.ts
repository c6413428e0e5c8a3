import { describe, expect, it } from 'vitest';
import { errorsOf, fixture, parse, rowsOf } from './helpers';

// The three real-shaped exports from ../shared/samples, copied byte for byte into test/fixtures/samples.
// Each is fed in several chunk sizes: 1 and 7 bytes split the BOM, multi-byte characters and CRLF pairs.
const chunkSizes = [1, 7, 64 * 1024];

describe('PowerSchool export (UTF-8 with BOM, comma, CRLF, US dates)', () => {
  it.each(chunkSizes)('reads encoding, delimiter, columns and 15 rows (chunks of %i bytes)', async (chunkSize) => {
    // Prepare
    const bytes = fixture('powerschool-students.csv');
    // Act
    const { header, outcomes } = await parse(bytes, chunkSize);
    // Assess
    expect(header).toMatchObject({ encoding: 'utf-8', bom: true, delimiter: ',', headerLine: 1, defaultRole: 'student' });
    expect(header.columns).toEqual({
      student_id: 'Student_Number',
      first_name: 'First_Name',
      last_name: 'Last_Name',
      achievement: 'Achievement',
      birth_date: 'DOB',
      school_id: 'SchoolID',
      issued_on: 'Issued_On',
      narrative: 'Narrative',
      evidence_url: 'Evidence_URL',
    });
    expect(header.ignoredColumns).toEqual(['LastFirst', 'Grade_Level', 'Home_Room']);
    expect(outcomes).toHaveLength(15);
    expect(errorsOf(outcomes)).toEqual([]);
  });

  it('decodes names, converts US dates and leaves empty cells out', async () => {
    // Prepare
    const bytes = fixture('powerschool-students.csv');
    // Act
    const rows = rowsOf((await parse(bytes, 5)).outcomes);
    // Assess
    expect(rows[0]).toEqual({
      line: 2,
      studentId: '100200',
      firstName: 'José',
      lastName: 'Núñez',
      achievement: 'MATH-FLUENCY-3',
      birthDate: '2013-03-13',
      schoolId: '2041',
      role: 'student',
      issuedOn: '2026-05-29',
      evidenceUrl: 'https://portfolio.example.org/s/100200',
    });
    expect(rows[0]).not.toHaveProperty('narrative');
    expect(rows.find((row) => row.studentId === '100211')?.firstName).toBe('Øystein');
    expect(rows.find((row) => row.studentId === '100207')).toMatchObject({ firstName: 'Nguyễn', lastName: 'Trần' });
    expect(rows.at(-1)).toMatchObject({ line: 16, studentId: '100214', birthDate: '2011-01-22' });
  });

  it('keeps quoted commas and doubled quotes, and never carries ignored columns', async () => {
    // Prepare
    const bytes = fixture('powerschool-students.csv');
    // Act
    const rows = rowsOf((await parse(bytes)).outcomes);
    // Assess
    expect(rows.find((row) => row.studentId === '100205')?.narrative).toBe('Completed all modules, score 92%.');
    expect(rows.find((row) => row.studentId === '100209')?.narrative).toBe('Led the team, "exceeded" expectations');
    const everything = JSON.stringify(rows);
    expect(everything).not.toContain('Núñez, José'); // LastFirst
    expect(everything).not.toContain('7C'); // Home_Room
    for (const row of rows) expect(Object.keys(row).sort()).not.toContain('grade');
  });
});

describe('Infinite Campus export (Windows-1252, semicolon, CRLF)', () => {
  it.each(chunkSizes)('reads encoding, delimiter, columns and 10 rows (chunks of %i bytes)', async (chunkSize) => {
    // Prepare
    const bytes = fixture('infinite-campus-students.csv');
    // Act
    const { header, outcomes } = await parse(bytes, chunkSize);
    // Assess
    expect(header).toMatchObject({ encoding: 'windows-1252', bom: false, delimiter: ';', headerLine: 1 });
    expect(header.columns).toEqual({
      student_id: 'studentNumber',
      first_name: 'firstName',
      last_name: 'lastName',
      achievement: 'badgeCode',
      birth_date: 'birthDate',
      school_name: 'schoolName',
      consent: 'consentOnFile',
      guardian_email: 'guardianEmail',
    });
    expect(header.ignoredColumns).toEqual(['grade']);
    expect(outcomes).toHaveLength(10);
    expect(errorsOf(outcomes)).toEqual([]);
  });

  it('decodes Windows-1252 names, maps consent Y/N/empty and keeps "?" names as exported', async () => {
    // Prepare
    const bytes = fixture('infinite-campus-students.csv');
    // Act
    const rows = rowsOf((await parse(bytes, 3)).outcomes);
    // Assess
    expect(rows[0]).toEqual({
      line: 2,
      studentId: 'IC5500',
      firstName: 'José',
      lastName: 'Núñez',
      achievement: 'KINDNESS-1',
      birthDate: '2012-06-19',
      schoolName: 'Roosevelt Middle',
      role: 'student',
      guardianEmail: 'guardian0@families.example.org',
    });
    expect(rows[0]).not.toHaveProperty('consent'); // empty cell: no consent on file, not "false"
    expect(rows.find((row) => row.studentId === 'IC5501')?.consent).toBe(false);
    expect(rows.find((row) => row.studentId === 'IC5505')?.consent).toBe(true);
    expect(rows.find((row) => row.studentId === 'IC5507')).toMatchObject({ firstName: 'Nguy?n', lastName: 'Tr?n' });
    expect(rows.find((row) => row.studentId === 'IC5506')).toMatchObject({ firstName: 'Sofía', lastName: 'Martínez' });
  });
});

describe('HR / PD export (UTF-8 without BOM, tab, LF)', () => {
  it.each(chunkSizes)('reads encoding, delimiter and 8 staff rows (chunks of %i bytes)', async (chunkSize) => {
    // Prepare
    const bytes = fixture('teacher-pd.tsv.csv');
    // Act
    const { header, outcomes } = await parse(bytes, chunkSize);
    // Assess
    expect(header).toMatchObject({ encoding: 'utf-8', bom: false, delimiter: '\t', defaultRole: 'staff' });
    expect(header.ignoredColumns).toEqual([]);
    expect(outcomes).toHaveLength(8);
    expect(errorsOf(outcomes)).toEqual([]);
  });

  it('reads credits as numbers, empty expiry as absent, and Unicode names and e-mail', async () => {
    // Prepare
    const bytes = fixture('teacher-pd.tsv.csv');
    // Act
    const rows = rowsOf((await parse(bytes)).outcomes);
    // Assess
    expect(rows[0]).toEqual({
      line: 2,
      studentId: 'T900',
      firstName: 'Mei',
      lastName: 'Chen',
      email: 'm.0@district.example.org',
      role: 'staff',
      achievement: 'PD-CPR',
      issuedOn: '2026-03-02',
      expiresOn: '2028-03-02',
      credits: 6,
    });
    expect(rows[1]).not.toHaveProperty('expiresOn');
    expect(rows[1]?.credits).toBe(30);
    expect(rows[3]).toMatchObject({ firstName: 'Øystein', email: 'ø.3@district.example.org' });
    expect(rows.every((row) => row.role === 'staff')).toBe(true);
  });
});
