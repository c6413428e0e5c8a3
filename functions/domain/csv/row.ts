/**
 * One data row of an SIS drop → a typed `DropRow`, or a reason a person can act on.
 *
 * Validation is about the shape of each cell only. Whether the achievement code exists, whether a new learner has a
 * name, whether consent is needed: the issuing step decides (it knows the district's data).
 *
 * Reasons name the column as the file spells it (`DOB`, not `birth_date`) and describe the problem; they never copy
 * a cell's value, because the results report outlives the drop (DESIGN §4: staff match the line to their own file).
 */
import { z } from 'zod';
import { isRealIsoDate } from '../dates';
import type { CanonicalColumn, HeaderMapping } from './columns';

export type DropRole = 'student' | 'staff';

export interface DropRow {
  /** Line of the source file where the record starts (the header is line 1 unless blank lines precede it). */
  line: number;
  studentId: string;
  firstName?: string;
  lastName?: string;
  /** An achievement id or code, passed through as written: whether it exists is the issuing step's business. */
  achievement: string;
  email?: string;
  /** ISO `YYYY-MM-DD`. */
  birthDate?: string;
  /**
   * The school: as the SIS wrote it when read (its code), Merit's school id once the issuing step placed the row
   * (features/schools/schools.ts `placeRowsInSchools`).
   */
  schoolId?: string;
  /** The school's name as the SIS wrote it (Infinite Campus `schoolName`); gone once the row is placed. */
  schoolName?: string;
  role: DropRole;
  /** ISO `YYYY-MM-DD`. */
  issuedOn?: string;
  /** ISO `YYYY-MM-DD`. */
  expiresOn?: string;
  /** An absolute http(s) URL. */
  evidenceUrl?: string;
  narrative?: string;
  /** ≥ 0 (PD hours, course credits). */
  credits?: number;
  /** Consent on file: true (yes/Y/true/1), false (no/N/false/0); absent when the cell is empty. */
  consent?: boolean;
  guardianEmail?: string;
}

export type RowOutcome = { ok: true; row: DropRow } | { ok: false; line: number; studentId?: string; achievement?: string; reason: string };

// ---------------------------------------------------------------------------------------------------------------
// Cell parsers (exported for reuse and tests)

/** `YYYY-MM-DD` (also `YYYY-M-D`) or US `MM/DD/YYYY` (also `M/D/YYYY`) → ISO, if it is a real calendar date. */
export const sisDateToIso = (value: string): string | undefined => {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const parts = iso ? [iso[1], iso[2], iso[3]] : us ? [us[3], us[1], us[2]] : undefined;
  if (!parts) return undefined;
  const [year, month, day] = parts as [string, string, string];
  const candidate = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return isRealIsoDate(candidate) ? candidate : undefined;
};

const dateProblem = (value: string): string => {
  if (/^\d{1,2}\/\d{1,2}\/\d{2}$/.test(value)) return 'has a two-digit year; write dates as YYYY-MM-DD or MM/DD/YYYY';
  const us = /^(\d{1,2})\/(\d{1,2})\/\d{4}$/.exec(value);
  if (us) {
    return Number(us[1]) > 12 && Number(us[2]) <= 12
      ? 'is not a real date: dates with slashes are read month first (MM/DD/YYYY)'
      : 'is not a real date';
  }
  if (/^\d{4}-\d{1,2}-\d{1,2}$/.test(value)) return 'is not a real date';
  return 'is not a date; write dates as YYYY-MM-DD or MM/DD/YYYY';
};

const consentWords: Record<string, boolean> = { yes: true, y: true, true: true, '1': true, no: false, n: false, false: false, '0': false };
export const parseConsent = (value: string): boolean | undefined => consentWords[value.trim().toLowerCase()];

const roleWords: Record<string, DropRole> = {
  student: 'student',
  learner: 'student',
  pupil: 'student',
  staff: 'staff',
  teacher: 'staff',
  employee: 'staff',
  faculty: 'staff',
};
export const parseRole = (value: string): DropRole | undefined => roleWords[value.trim().toLowerCase()];

/**
 * An e-mail address: a local part without spaces, quotes or separators, and a domain of letter/digit labels with a
 * top-level domain. Non-ASCII letters are accepted (internationalised addresses such as `ø.3@district.example.org`).
 */
export const emailPattern =
  /^(?!\.)(?!.*\.\.)[^\s@"(),:;<>[\]\\]{1,64}(?<!\.)@(?=[^@]{1,253}$)(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/iu;

export const isHttpUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
};

/** `1.002E+05`: what Excel makes of a long numeric id saved from a cell formatted as a number. */
const scientificNotation = /^\d+(\.\d+)?e[+-]?\d+$/i;

// ---------------------------------------------------------------------------------------------------------------
// The per-file validator

export type Labels = Partial<Record<CanonicalColumn, string>>;

const rowSchema = (labels: Labels, defaultRole: DropRole) => {
  const label = (column: CanonicalColumn) => labels[column] ?? column;
  const required = (column: CanonicalColumn, max: number) =>
    z.string({ error: `${label(column)} is empty` }).max(max, `${label(column)} is longer than ${max} characters`);
  const text = (column: CanonicalColumn, max: number) => required(column, max).optional();
  const date = (column: CanonicalColumn) =>
    z
      .string()
      .transform((value, ctx) => {
        const iso = sisDateToIso(value);
        if (iso) return iso;
        ctx.addIssue({ code: 'custom', message: `${label(column)} ${dateProblem(value)}` });
        return z.NEVER;
      })
      .optional();
  const email = (column: CanonicalColumn) =>
    z
      .string()
      .regex(emailPattern, `${label(column)} is not a valid e-mail address`)
      .max(254, `${label(column)} is not a valid e-mail address`)
      .optional();

  return z
    .object({
      studentId: required('student_id', 64)
        .regex(/^[^\s#]+$/, `${label('student_id')} must not contain spaces or #`)
        .refine(
          (value) => !scientificNotation.test(value),
          `${label('student_id')} looks like a number Excel rewrote in scientific notation; format the column as text and export again`,
        ),
      firstName: text('first_name', 100),
      lastName: text('last_name', 100),
      achievement: required('achievement', 128),
      email: email('email'),
      birthDate: date('birth_date'),
      schoolId: text('school_id', 64),
      schoolName: text('school_name', 200),
      role: z
        .string()
        .optional()
        .transform((value, ctx) => {
          if (value === undefined) return defaultRole;
          const role = parseRole(value);
          if (role) return role;
          ctx.addIssue({ code: 'custom', message: `${label('role')} is not student or staff` });
          return z.NEVER;
        }),
      issuedOn: date('issued_on'),
      expiresOn: date('expires_on'),
      evidenceUrl: z
        .string()
        .max(2048, `${label('evidence_url')} is longer than 2048 characters`)
        .refine(isHttpUrl, `${label('evidence_url')} is not a web address starting with http:// or https://`)
        .optional(),
      narrative: text('narrative', 4000),
      credits: z
        .string()
        .transform((value, ctx) => {
          if (/^\+?\d+(\.\d+)?$/.test(value) || /^\+?\.\d+$/.test(value)) return Number(value);
          const negative = /^-\s*(\d+(\.\d*)?|\.\d+)$/.test(value);
          ctx.addIssue({
            code: 'custom',
            message: negative
              ? `${label('credits')} is negative; credits must be 0 or more`
              : `${label('credits')} is not a number (write credits like 6 or 1.5)`,
          });
          return z.NEVER;
        })
        .optional(),
      consent: z
        .string()
        .transform((value, ctx) => {
          const consent = parseConsent(value);
          if (consent !== undefined) return consent;
          ctx.addIssue({ code: 'custom', message: `${label('consent')} is not yes/no (Y, N, true, false, 1, 0 or empty)` });
          return z.NEVER;
        })
        .optional(),
      guardianEmail: email('guardian_email'),
    })
    .superRefine((row, ctx) => {
      if (row.issuedOn && row.expiresOn && row.expiresOn < row.issuedOn) {
        ctx.addIssue({ code: 'custom', message: `${label('expires_on')} is before ${label('issued_on')}` });
      }
    });
};

const fields: readonly (readonly [Exclude<keyof DropRow, 'line'>, CanonicalColumn])[] = [
  ['studentId', 'student_id'],
  ['firstName', 'first_name'],
  ['lastName', 'last_name'],
  ['achievement', 'achievement'],
  ['email', 'email'],
  ['birthDate', 'birth_date'],
  ['schoolId', 'school_id'],
  ['schoolName', 'school_name'],
  ['role', 'role'],
  ['issuedOn', 'issued_on'],
  ['expiresOn', 'expires_on'],
  ['evidenceUrl', 'evidence_url'],
  ['narrative', 'narrative'],
  ['credits', 'credits'],
  ['consent', 'consent'],
  ['guardianEmail', 'guardian_email'],
];

/**
 * Builds the validator for one file's header. The returned function takes a record's cells (already split, not yet
 * trimmed) and the line the record starts on.
 */
export const createRowValidator = (mapping: Pick<HeaderMapping, 'positions' | 'columns' | 'defaultRole'>) => {
  const schema = rowSchema(mapping.columns, mapping.defaultRole);
  const used = fields.flatMap(([key, column]) => {
    const position = mapping.positions[column];
    return position === undefined ? [] : [{ key, column, position }];
  });

  return (cells: readonly string[], line: number): RowOutcome => {
    const input: Record<string, string | undefined> = {};
    const unreadable: string[] = [];
    for (const { key, column, position } of used) {
      const value = cells[position]?.trim();
      if (value === undefined || value === '') continue;
      if (value.includes('\uFFFD')) unreadable.push(mapping.columns[column] ?? column);
      input[key] = value;
    }
    const studentId = input.studentId;
    const achievement = input.achievement;
    const failure = (reason: string): RowOutcome => ({
      ok: false,
      line,
      ...(studentId !== undefined ? { studentId } : {}),
      ...(achievement !== undefined ? { achievement } : {}),
      reason,
    });
    if (unreadable.length > 0) {
      return failure(
        `${unreadable.join(', ')} ${unreadable.length === 1 ? 'holds' : 'hold'} characters that could not be read (the file mixes text encodings); save it as "CSV UTF-8" and drop it again`,
      );
    }
    const parsed = schema.safeParse(input);
    if (!parsed.success) return failure(`${[...new Set(parsed.error.issues.map((issue) => issue.message))].join('; ')}.`);
    const row: DropRow = { line, studentId: parsed.data.studentId, achievement: parsed.data.achievement, role: parsed.data.role };
    for (const [key, value] of Object.entries(parsed.data)) {
      if (value !== undefined) (row as unknown as Record<string, unknown>)[key] = value;
    }
    return { ok: true, row };
  };
};
