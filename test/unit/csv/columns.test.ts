import { describe, expect, it } from 'vitest';
import { canonicalColumnOf, mapHeader, normaliseHeader } from '#domain/csv/columns';

describe('header names', () => {
  it.each([
    ['Student_Number', 'student_id'],
    ['StudentNumber', 'student_id'],
    ['student number', 'student_id'],
    ['StudentID', 'student_id'],
    ['staff_id', 'student_id'],
    ['sourcedId', 'student_id'],
    ['ID', 'student_id'],
    ['First_Name', 'first_name'],
    ['GivenName', 'first_name'],
    ['Surname', 'last_name'],
    ['FamilyName', 'last_name'],
    ['badgeCode', 'achievement'],
    ['Achievement-Code', 'achievement'],
    ['code', 'achievement'],
    ['E-mail', 'email'],
    ['DOB', 'birth_date'],
    ['Date_Of_Birth', 'birth_date'],
    ['SchoolID', 'school_id'],
    ['schoolName', 'school_name'],
    ['School_Name', 'school_name'],
    ['consentOnFile', 'consent'],
    ['Consent_On_File', 'consent'],
    ['parent_email', 'guardian_email'],
    ['guardianEmail', 'guardian_email'],
    ['Evidence URL', 'evidence_url'],
    ['Issued_On', 'issued_on'],
    ['expires-on', 'expires_on'],
    ['\uFEFFStudent_Number', 'student_id'],
  ])('%j → %s', (header, column) => {
    // Act
    const mapped = canonicalColumnOf(header);
    // Assess
    expect(mapped).toBe(column);
  });

  it.each(['Grade_Level', 'LastFirst', 'Home_Room', 'grade', 'comments', 'notes'])('%s is not a Merit column', (header) => {
    // Act
    const mapped = canonicalColumnOf(header);
    // Assess
    expect(mapped).toBeUndefined();
  });

  it('normalises case, spaces, underscores and dashes', () => {
    // Act
    const names = ['Student_Number', ' student-number ', 'STUDENT NUMBER'].map(normaliseHeader);
    // Assess
    expect(new Set(names)).toEqual(new Set(['studentnumber']));
  });
});

describe('mapHeader', () => {
  it('prefers Student_Number over an internal ID column, which is then ignored', () => {
    // Act
    const mapping = mapHeader(['ID', 'Student_Number', 'Achievement']);
    // Assess
    expect(mapping.positions).toEqual({ student_id: 1, achievement: 2 });
    expect(mapping.ignoredColumns).toEqual(['ID']);
    expect(mapping.duplicates).toEqual([]);
  });

  it('lists missing required columns and duplicates of the same spelling', () => {
    // Act
    const missing = mapHeader(['first_name', 'last_name']);
    const duplicate = mapHeader(['student_id', 'achievement', 'email', 'E-Mail']);
    // Assess
    expect(missing.missing).toEqual(['student_id', 'achievement']);
    expect(duplicate.duplicates).toEqual([{ column: 'email', headers: ['email', 'E-Mail'] }]);
  });

  it('ignores empty header cells without listing them', () => {
    // Act
    const mapping = mapHeader(['student_id', '', 'achievement', 'Grade']);
    // Assess
    expect(mapping.ignoredColumns).toEqual(['Grade']);
  });
});
