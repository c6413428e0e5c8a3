import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '#domain/access';
import type { DropRow } from '#domain/csv/index';
import { updateIssuer } from '#features/issuers/issuers';
import { placeRowsInSchools } from '#features/schools/schools';
import { seedDemoDistrict } from '#local/seed';
import { type ConnectedDependencies, connectedDependencies } from '#test/connected';

const row = (line: number, school: Partial<Pick<DropRow, 'schoolId' | 'schoolName'>>): DropRow => ({
  line,
  studentId: `P${line}`,
  achievement: 'CS-PYTHON-1',
  role: 'student',
  ...school,
});

/**
 * The drop step that places rows in schools, against DynamoDB Local: the seam where the uploader's own school
 * becomes the default for a file without a school column (DESIGN §4 "Who a drop acts for").
 */
describe('placing drop rows in schools by SIS code and name', () => {
  let deps: ConnectedDependencies;
  const district: Principal = { subject: 'sis-drop:job', role: 'admin', schoolIds: [], learnerIds: [] };

  beforeAll(async () => {
    deps = await connectedDependencies();
    await seedDemoDistrict(deps);
  });

  it('maps codes and names to the school, refuses unknown ones, and files rows without a school under the district', async () => {
    // Act
    const { placed, refused } = await placeRowsInSchools(deps, district, [
      row(2, { schoolId: '2041' }),
      row(3, { schoolName: '  riverside   HIGH school' }),
      row(4, { schoolId: 'Lincoln Elementary' }), // a "School" column holding a name
      row(5, { schoolId: 'roosevelt' }), // the school's own id
      row(6, { schoolId: '9999' }),
      row(7, { schoolName: 'Nowhere Academy' }),
      row(8, {}),
    ]);

    // Assess
    expect(placed.map((placedRow) => [placedRow.line, placedRow.schoolId])).toEqual([
      [2, 'hs'],
      [3, 'hs'],
      [4, 'lincoln'],
      [5, 'roosevelt'],
      [8, undefined],
    ]);
    expect(placed.every((placedRow) => !('schoolName' in placedRow))).toBe(true);
    expect(refused.map(({ row: refusedRow, error }) => [refusedRow.line, error.message])).toEqual([
      [6, 'unknown school 9999'],
      [7, 'unknown school Nowhere Academy'],
    ]);
  });

  it("files rows without a school under the uploader's school when they have exactly one", async () => {
    // Prepare
    const teacher: Principal = { subject: 'teacher', role: 'issuer', schoolIds: ['lincoln'], learnerIds: [] };
    const twoSchools: Principal = { ...teacher, schoolIds: ['lincoln', 'hs'] };

    // Act
    const own = await placeRowsInSchools(deps, teacher, [row(2, {})]);
    const either = await placeRowsInSchools(deps, twoSchools, [row(2, {})]);

    // Assess
    expect(own.placed[0]?.schoolId).toBe('lincoln');
    expect(either.placed[0]?.schoolId).toBeUndefined();
  });

  it('follows a change of the codes: a removed code names no school, a new one does', async () => {
    // Prepare
    const hs = (await deps.store.issuers.list({ limit: 100 })).items.find((issuer) => issuer.schoolId === 'hs')!;

    // Act
    await updateIssuer(deps, hs.id, { sisSchoolCodes: ['2042'] });
    const { placed, refused } = await placeRowsInSchools(deps, district, [row(2, { schoolId: '2042' }), row(3, { schoolId: '2041' })]);

    // Assess
    expect(placed.map((placedRow) => placedRow.schoolId)).toEqual(['hs']);
    expect(refused.map(({ error }) => error.message)).toEqual(['unknown school 2041']);
  });
});
