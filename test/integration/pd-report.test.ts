import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '#domain/access';
import { createAchievement } from '#features/achievements/manage';
import { issueCredential } from '#features/credentials/issue';
import { revokeCredential } from '#features/credentials/revoke';
import { createIssuer } from '#features/issuers/issuers';
import { createLearner } from '#features/learners/learners';
import { pdReport, pdReportCsv, schoolPdReport } from '#features/pd-report/pd-report';
import { steppingClock } from '#ports/clock';
import { type ConnectedDependencies, connectedDependencies } from '#test/connected';

const admin: Principal = { subject: 'hr-admin', role: 'admin', schoolIds: [], learnerIds: [] };

describe('the PD credits report against DynamoDB Local', () => {
  let deps: ConnectedDependencies;
  let teacherId: string;
  const credentialIds: Record<string, string> = {};

  beforeAll(async () => {
    deps = await connectedDependencies({ clock: steppingClock('2026-08-01T12:00:00Z') });
    const district = await createIssuer(deps, { name: 'District' });
    const cpr = await createAchievement(deps, admin, {
      issuerId: district.id,
      name: 'CPR',
      description: 'd',
      criteria: { narrative: 'n' },
      creditsAvailable: 6,
    });
    // A name a spreadsheet would run as a formula
    const law = await createAchievement(deps, admin, {
      issuerId: district.id,
      name: '=HYPERLINK("http://evil.example","SPED law")',
      description: 'd',
      criteria: { narrative: 'n' },
      creditsAvailable: 3,
    });
    const teacher = await createLearner(deps, admin, {
      sourcedId: 'T900',
      schoolId: 'lincoln',
      givenName: 'Mei',
      familyName: 'Chen',
      role: 'staff',
    });
    teacherId = teacher.id;
    const issue = async (label: string, achievementId: string, validFrom: string, creditsEarned?: number) => {
      credentialIds[label] = (
        await issueCredential(deps, admin, {
          learnerId: teacher.id,
          achievementId,
          validFrom,
          source: label,
          ...(creditsEarned !== undefined ? { creditsEarned } : {}),
        })
      ).id;
    };
    await issue('before', cpr.id, '2023-06-30');
    await issue('first-day', cpr.id, '2024-07-01');
    await issue('inside', law.id, '2025-02-10', 4.5);
    await issue('last-day', law.id, '2026-06-30');
    await issue('after', cpr.id, '2026-07-01');
    await issue('revoked', cpr.id, '2025-03-03');
    await revokeCredential(deps, admin, credentialIds['revoked']!, 'Certificate not received');
  });

  it('sums only the credentials issued inside the licence window, both ends included, and not revoked ones', async () => {
    // Act
    const report = await pdReport(deps, admin, { learnerId: teacherId, from: '2024-07-01', to: '2026-06-30' });

    // Assess
    expect(report.lines.map((line) => line.credentialId).sort()).toEqual(
      [credentialIds['first-day'], credentialIds['inside'], credentialIds['last-day']].sort(),
    );
    expect(report.totalCredits).toBe(6 + 4.5 + 3);
    expect(report.byAchievement.map((entry) => [entry.credits, entry.count]).sort()).toEqual([
      [6, 1],
      [7.5, 2],
    ]);
  });

  it('writes a CSV that opens safely: every line traceable to a credential, formulas neutralised', async () => {
    // Prepare
    const report = await pdReport(deps, admin, { learnerId: teacherId, from: '2024-07-01', to: '2026-06-30' });

    // Act
    const csv = pdReportCsv([report]);
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;

    // Assess
    expect(
      rows
        .filter((row) => row['credential_id'] !== 'TOTAL')
        .map((row) => row['credential_id'])
        .sort(),
    ).toEqual(report.lines.map((line) => line.credentialId).sort());
    expect(rows.find((row) => row['credential_id'] === 'TOTAL')?.['credits']).toBe('13.5');
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+@\t\r]/);
    expect(csv).toContain(`'=HYPERLINK`);
  });

  it('covers every staff member of a school for admins, and only admins', async () => {
    // Act
    const reports = await schoolPdReport(deps, admin, { schoolId: 'lincoln', from: '2024-07-01', to: '2026-06-30' });

    // Assess
    expect(reports.map((report) => report.sourcedId)).toEqual(['T900']);
    await expect(
      schoolPdReport(
        deps,
        { ...admin, role: 'issuer', schoolIds: ['lincoln'] },
        { schoolId: 'lincoln', from: '2024-07-01', to: '2026-06-30' },
      ),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(
      pdReport(
        deps,
        { subject: 'someone', role: 'learner', schoolIds: [], learnerIds: ['other'] },
        { learnerId: teacherId, from: '2024-07-01', to: '2026-06-30' },
      ),
    ).rejects.toMatchObject({ kind: 'forbidden' });
  });
});
