/**
 * Schools as SIS exports name them (DESIGN §4): by the SIS's own number (PowerSchool `SchoolID`) or by name
 * (Infinite Campus `schoolName`). Each school issuer carries the codes and names that name it; one code or name
 * names one school in the district, so these keys are what uniqueness and look-ups compare.
 */
export type SchoolReferenceKind = 'code' | 'name';

export interface SchoolReference {
  kind: SchoolReferenceKind;
  /** The compared form: see `schoolReferenceKey`. */
  key: string;
  /** As an admin or a file wrote it, for messages. */
  written: string;
}

/**
 * Codes compare trimmed and case-insensitively (`HS-01` = `hs-01`); names also ignore every space, so
 * "Roosevelt  Middle" and "roosevelt middle" are one school.
 */
export const schoolReferenceKey = (kind: SchoolReferenceKind, value: string): string => {
  const folded = value.normalize('NFC').trim().toLowerCase();
  return kind === 'name' ? folded.replace(/\s+/g, '') : folded;
};

export const schoolReference = (kind: SchoolReferenceKind, written: string): SchoolReference => ({
  kind,
  key: schoolReferenceKey(kind, written),
  written: written.trim(),
});

/** Every code and name that names this school: its SIS codes, its own school id (a code too), its SIS names. */
export const schoolReferencesOf = (school: {
  schoolId?: string;
  sisSchoolCodes?: readonly string[];
  sisSchoolNames?: readonly string[];
}): SchoolReference[] => {
  const all = [
    ...(school.schoolId ? [schoolReference('code', school.schoolId)] : []),
    ...(school.sisSchoolCodes ?? []).map((code) => schoolReference('code', code)),
    ...(school.sisSchoolNames ?? []).map((name) => schoolReference('name', name)),
  ];
  const seen = new Set<string>();
  return all.filter((reference) => {
    const id = `${reference.kind}:${reference.key}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
};
