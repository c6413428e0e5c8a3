/**
 * Which school a record belongs to, from the SIS's own code or name for it (DESIGN §4). A learner lands in a school
 * its staff can see, or is refused: never filed under a school id no issuer has.
 */
import type { Dependencies } from '#config/dependencies';
import type { Principal } from '#domain/access';
import type { DropRow } from '#domain/csv/index';
import { AppError, invalid } from '#domain/errors';
import { type SchoolReferenceKind, schoolReference } from '#domain/schools';

/** Merit's id of the school (what memberships and learners carry); undefined: the district itself. */
export type SchoolPlacement = { schoolId: string | undefined };

const unknownSchool = (written: string) => new AppError('invalid_request', `unknown school ${written}`);

/**
 * The school an SIS code or name names. A code (a `school_id` cell, or `schoolId` in the API) is looked up among
 * codes, then among names (exports that put the name in a "School" column); a name only among names.
 */
export const resolveSchool = async (
  deps: Pick<Dependencies, 'store'>,
  written: { code?: string; name?: string },
): Promise<SchoolPlacement> => {
  const tries: [SchoolReferenceKind, string][] =
    written.code !== undefined
      ? [
          ['code', written.code],
          ['name', written.code],
        ]
      : written.name !== undefined
        ? [['name', written.name]]
        : [];
  for (const [kind, value] of tries) {
    const school = await deps.store.issuers.bySchoolReference(schoolReference(kind, value));
    if (school) return { schoolId: school.schoolId };
  }
  if (tries.length === 0) return { schoolId: undefined };
  throw unknownSchool((written.code ?? written.name)!.trim());
};

/** `schoolId` of `POST /learners`: a school's own id or one of its SIS codes or names, else a clear 400. */
export const resolveLearnerSchool = async (
  deps: Pick<Dependencies, 'store'>,
  schoolId: string | undefined,
): Promise<string | undefined> => {
  if (schoolId === undefined) return undefined;
  try {
    return (await resolveSchool(deps, { code: schoolId })).schoolId;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    throw invalid(`No school of this district has the id, SIS code or name "${schoolId}".`, [
      { field: 'schoolId', message: 'an unknown school' },
    ]);
  }
};

/**
 * Where rows without a school column (or with an empty cell) go: the uploader's school when they have exactly one,
 * else the district. A drop put into `drops/` directly acts for the district (an admin principal), so it is the district.
 */
export const defaultSchoolOf = (principal: Principal): string | undefined =>
  principal.role !== 'admin' && principal.schoolIds.length === 1 ? principal.schoolIds[0] : undefined;

/**
 * The drop step that runs before issuing: each row's `school_id` / `school_name`, as the SIS wrote it, becomes
 * Merit's id of the school (or the uploader's default). A row naming no school of the district is refused with
 * `unknown school <code>`. Each distinct code is looked up once per call.
 */
export const placeRowsInSchools = async (
  deps: Pick<Dependencies, 'store'>,
  principal: Principal,
  rows: readonly DropRow[],
): Promise<{ placed: DropRow[]; refused: { row: DropRow; error: AppError }[] }> => {
  const lookups = new Map<string, Promise<SchoolPlacement>>();
  const placed: DropRow[] = [];
  const refused: { row: DropRow; error: AppError }[] = [];
  for (const row of rows) {
    const { schoolId: code, schoolName: name, ...rest } = row;
    const written = code !== undefined ? { code } : name !== undefined ? { name } : undefined;
    if (!written) {
      const fallback = defaultSchoolOf(principal);
      placed.push({ ...rest, ...(fallback ? { schoolId: fallback } : {}) });
      continue;
    }
    const cacheKey = JSON.stringify(written);
    if (!lookups.has(cacheKey)) lookups.set(cacheKey, resolveSchool(deps, written));
    try {
      const { schoolId } = await lookups.get(cacheKey)!;
      placed.push({ ...rest, ...(schoolId ? { schoolId } : {}) });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refused.push({ row, error });
    }
  }
  return { placed, refused };
};
