import { describe, expect, it } from 'vitest';
import { schoolReferenceKey, schoolReferencesOf } from '#domain/schools';
import { createIssuerSchema, updateIssuerSchema } from '#http/schemas/issuers';

describe('school codes and names as SIS exports write them (DESIGN §4)', () => {
  it('compares names ignoring case and spaces, codes ignoring case and surrounding spaces', () => {
    // Act / Assess
    expect(schoolReferenceKey('name', '  Roosevelt   MIDDLE ')).toBe(schoolReferenceKey('name', 'roosevelt middle'));
    expect(schoolReferenceKey('code', ' HS-01 ')).toBe(schoolReferenceKey('code', 'hs-01'));
    expect(schoolReferenceKey('code', 'HS 01')).not.toBe(schoolReferenceKey('code', 'HS01'));
  });

  it('names a school by its SIS codes, its own school id, and its SIS names, each once', () => {
    // Act
    const references = schoolReferencesOf({ schoolId: 'hs', sisSchoolCodes: ['2041', 'HS'], sisSchoolNames: ['Riverside High School'] });

    // Assess
    expect(references.map(({ kind, key }) => `${kind}:${key}`)).toEqual(['code:hs', 'code:2041', 'name:riversidehighschool']);
  });

  it('refuses a list that names one code twice, and a change of the school id', () => {
    // Act
    const twice = createIssuerSchema.safeParse({ name: 'Riverside High School', sisSchoolCodes: ['2041', ' 2041'] });
    const names = createIssuerSchema.safeParse({ name: 'Riverside High School', sisSchoolNames: ['Riverside High', 'riverside  high'] });
    const moved = updateIssuerSchema.safeParse({ schoolId: 'elsewhere' });
    const empty = updateIssuerSchema.safeParse({});

    // Assess
    expect(twice.success).toBe(false);
    expect(names.success).toBe(false);
    expect(moved.success).toBe(false);
    expect(empty.success).toBe(false);
    expect(updateIssuerSchema.safeParse({ sisSchoolCodes: ['2041'] }).success).toBe(true);
  });
});
