/**
 * The columns of an SIS drop (DESIGN §4) and how the headers real exports use map onto them.
 *
 * Header names are compared after lower-casing and removing spaces, `_`, `-` and `.`, so `Student_Number`,
 * `student number`, `StudentNumber` and `student-number` are one name. Each canonical column lists its accepted
 * spellings in order of preference: when a file holds two headers for the same column (PowerSchool exports both
 * `ID`, an internal key, and `Student_Number`), the more specific one wins and the other is ignored.
 *
 * `school_id` and `school_name` are the SIS's own number and name for the school (PowerSchool `SchoolID`, Infinite
 * Campus `schoolName`); the issuing step maps them to a school through the codes and names each school issuer
 * carries (features/schools/schools.ts). `school` on its own is read as a code: SIS exports use it for the school number.
 *
 * Deliberately not mapped:
 * - `comments`, `notes`: free text from an SIS may hold behaviour or health notes; only a column named `narrative`
 *   reaches the credential (which a learner may share publicly).
 * - `LastFirst`, grade, homeroom, address…: not used by Merit, never read into a row (§5.2 data minimisation).
 */

export const canonicalColumns = [
  'student_id',
  'first_name',
  'last_name',
  'achievement',
  'email',
  'birth_date',
  'school_id',
  'school_name',
  'role',
  'issued_on',
  'expires_on',
  'evidence_url',
  'narrative',
  'credits',
  'consent',
  'guardian_email',
] as const;
export type CanonicalColumn = (typeof canonicalColumns)[number];

export const requiredColumns = ['student_id', 'achievement'] as const satisfies readonly CanonicalColumn[];

/** Accepted spellings, already normalised (see `normaliseHeader`), most specific first. */
export const columnAliases: Record<CanonicalColumn, readonly string[]> = {
  student_id: [
    'studentid',
    'studentnumber',
    'studentnum',
    'studentno',
    'staffid',
    'staffnumber',
    'employeeid',
    'employeenumber',
    'teacherid',
    'learnerid',
    'sourcedid',
    'id',
  ],
  first_name: ['firstname', 'givenname', 'first', 'fname'],
  last_name: ['lastname', 'familyname', 'surname', 'last', 'lname'],
  achievement: ['achievement', 'achievementcode', 'achievementid', 'badgecode', 'badge', 'badgeid', 'code'],
  email: ['email', 'emailaddress', 'studentemail', 'staffemail'],
  birth_date: ['birthdate', 'dateofbirth', 'dob', 'birthday'],
  school_id: ['schoolid', 'schoolnumber', 'schoolcode', 'schoolsourcedid', 'school'],
  school_name: ['schoolname', 'nameofschool'],
  role: ['role', 'userrole'],
  issued_on: ['issuedon', 'issuedate', 'issueddate', 'dateissued', 'issued', 'awardedon', 'awarddate'],
  expires_on: ['expireson', 'expirationdate', 'expirydate', 'expiresdate', 'expiredate', 'expires', 'validuntil'],
  evidence_url: ['evidenceurl', 'evidencelink', 'evidence'],
  narrative: ['narrative'],
  credits: ['credits', 'creditsearned', 'credithours', 'pdhours', 'pdcredits', 'hours'],
  consent: ['consent', 'consentonfile', 'parentalconsent', 'guardianconsent'],
  guardian_email: ['guardianemail', 'parentemail', 'guardianemailaddress', 'parentemailaddress'],
};

/** Id-column spellings that mean the rows are staff (the role defaults to `staff` instead of `student`). */
const staffIdAliases = new Set(['staffid', 'staffnumber', 'employeeid', 'employeenumber', 'teacherid']);

/** `Student_Number` → `studentnumber`: lower case, without spaces, `_`, `-`, `.` and stray quotes or BOMs. */
export const normaliseHeader = (header: string): string =>
  header
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[\s_\-.'"]/g, '');

const aliasIndex = new Map<string, { column: CanonicalColumn; rank: number }>();
for (const column of canonicalColumns) {
  for (const [rank, alias] of columnAliases[column].entries()) aliasIndex.set(alias, { column, rank });
}

/** The canonical column a header means, if any. */
export const canonicalColumnOf = (header: string): CanonicalColumn | undefined => aliasIndex.get(normaliseHeader(header))?.column;

export interface HeaderMapping {
  /** canonical column → its 0-based position in the record. */
  positions: Partial<Record<CanonicalColumn, number>>;
  /** canonical column → the header as the file spells it (for messages a person recognises). */
  columns: Partial<Record<CanonicalColumn, string>>;
  /** Headers the file has that Merit does not use, as spelled in the file (empty header cells left out). */
  ignoredColumns: string[];
  /** Required columns the header lacks. */
  missing: CanonicalColumn[];
  /** Two headers with the same meaning and the same spelling after normalisation (e.g. `Email` and `E-mail`). */
  duplicates: { column: CanonicalColumn; headers: string[] }[];
  /** `staff` when the id column is a staff one (`staff_id`, `EmployeeID`…), else `student`. */
  defaultRole: 'student' | 'staff';
}

/** Maps a header record onto the canonical columns. */
export const mapHeader = (headers: readonly string[]): HeaderMapping => {
  const best = new Map<CanonicalColumn, { position: number; rank: number; header: string }>();
  const sameRank = new Map<CanonicalColumn, string[]>();
  headers.forEach((raw, position) => {
    const header = raw.trim();
    const hit = aliasIndex.get(normaliseHeader(header));
    if (!hit) return;
    const current = best.get(hit.column);
    if (!current || hit.rank < current.rank) {
      best.set(hit.column, { position, rank: hit.rank, header });
      sameRank.delete(hit.column);
    } else if (hit.rank === current.rank) {
      sameRank.set(hit.column, [...(sameRank.get(hit.column) ?? [current.header]), header]);
    }
  });

  const positions: HeaderMapping['positions'] = {};
  const columns: HeaderMapping['columns'] = {};
  for (const column of canonicalColumns) {
    const chosen = best.get(column);
    if (chosen) {
      positions[column] = chosen.position;
      columns[column] = chosen.header;
    }
  }
  const used = new Set(Object.values(positions));
  const ignoredColumns = headers
    .map((header, position) => ({ header: header.trim(), position }))
    .filter(({ header, position }) => header !== '' && !used.has(position))
    .map(({ header }) => header);
  const idHeader = columns.student_id;
  return {
    positions,
    columns,
    ignoredColumns,
    missing: requiredColumns.filter((column) => positions[column] === undefined),
    duplicates: [...sameRank].map(([column, list]) => ({ column, headers: list })),
    defaultRole: idHeader !== undefined && staffIdAliases.has(normaliseHeader(idHeader)) ? 'staff' : 'student',
  };
};

/** How many headers mean something to Merit (used to choose between candidate delimiters). */
export const recognisedCount = (headers: readonly string[]): number =>
  new Set(headers.map(canonicalColumnOf).filter((column) => column !== undefined)).size;
