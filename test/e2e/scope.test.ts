import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '#domain/audit';
import type { BulkJob } from '#domain/bulk-jobs';
import { startTestStack, type TestStack } from '#test/local-stack';

/**
 * Who a drop acts for (DESIGN §4, §5.8), through the real path: `POST /bulk-jobs/uploads`, a PUT to the pre-signed
 * URL, s3rver's put event, bulk-start and bulk-issue on the local stack — and what staff then see of the jobs.
 */
interface ReportLine {
  line: string;
  status: string;
  reason: string;
  credential_id: string;
}

const elevenYearsOld = (): string => {
  const born = new Date();
  born.setUTCFullYear(born.getUTCFullYear() - 11);
  return born.toISOString().slice(0, 10);
};

describe('who a drop, a pathway and a registration act for', () => {
  let stack: TestStack;
  let admin: string;
  let lincolnIssuer: string;
  let otherLincolnIssuer: string;
  let rooseveltIssuer: string;

  const json = async <T>(
    path: string,
    token: string,
    init: { method?: string; body?: unknown } = {},
  ): Promise<{ status: number; body: T }> => {
    const response = await stack.call(path, {
      token,
      ...(init.method ? { method: init.method } : {}),
      ...(init.body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : {}),
    });
    return {
      status: response.status,
      body: (response.headers.get('content-type')?.includes('json') ? await response.json() : await response.text()) as T,
    };
  };

  /** Uploads `csv` as `token` would through the web app, and waits for its job to end. */
  const upload = async (token: string, fileName: string, csv: string) => {
    const { body: link } = await json<{ uploadUrl: string; key: string; contentType: string }>('/bulk-jobs/uploads', token, {
      method: 'POST',
      body: { fileName },
    });
    const put = await fetch(link.uploadUrl, { method: 'PUT', headers: { 'content-type': link.contentType }, body: csv });
    expect(put.status).toBe(200);
    let job: BulkJob | undefined;
    for (let attempt = 0; attempt < 240 && job?.status !== 'completed' && job?.status !== 'failed'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      job = (await json<{ items: BulkJob[] }>('/bulk-jobs?limit=100', admin)).body.items.find((item) => item.sourceKey === link.key);
    }
    // The uploader reads the report through the API, as the web app will.
    const report = await stack.call(`/bulk-jobs/${job!.id}/report`, { token });
    expect(report.headers.get('content-type')).toContain('text/csv');
    const lines = report.status === 200 ? (parse(await report.text(), { columns: true }) as ReportLine[]) : [];
    return { job: job!, lines, byLine: (line: number) => lines.find((entry) => Number(entry.line) === line) };
  };

  const learnerBySourcedId = async (sourcedId: string) =>
    (
      await json<{ items: Array<{ id: string; schoolId?: string; consent?: { granted: boolean } }> }>(
        `/learners?sourcedId=${sourcedId}`,
        admin,
      )
    ).body.items[0];

  const credentialsOf = async (learnerId: string) =>
    (await json<{ items: Array<{ id: string; state: string }> }>(`/learners/${learnerId}/credentials`, admin)).body.items;

  const auditOf = async (learnerId: string) =>
    (await json<{ items: AuditEntry[] }>(`/audit?learnerId=${learnerId}&limit=100`, admin)).body.items;

  beforeAll(async () => {
    stack = await startTestStack();
    admin = await stack.tokenFor({ sub: 'scope-admin', role: 'admin' });
    lincolnIssuer = await stack.tokenFor({ sub: 'scope-lincoln', role: 'issuer', schoolIds: ['lincoln'] });
    otherLincolnIssuer = await stack.tokenFor({ sub: 'scope-lincoln-2', role: 'issuer', schoolIds: ['lincoln'] });
    rooseveltIssuer = await stack.tokenFor({ sub: 'scope-roosevelt', role: 'issuer', schoolIds: ['roosevelt'] });
    // A Roosevelt student already on file, and a deleted one.
    for (const sourcedId of ['SC-R1', 'SC-DEL']) {
      const created = await json<{ id: string }>('/learners', admin, {
        method: 'POST',
        body: { sourcedId, schoolId: 'roosevelt', givenName: 'On', familyName: 'File', birthDate: '2010-01-01', role: 'student' },
      });
      expect(created.status).toBe(201);
      if (sourcedId === 'SC-DEL')
        expect((await json(`/learners/${created.body.id}`, admin, { method: 'DELETE' })).status).toBeLessThan(300);
    }
  });
  afterAll(async () => stack?.dispose());

  const mixedFile = (prefix: string) =>
    [
      'student_id,first_name,last_name,birth_date,school_id,achievement,consent,issued_on',
      `${prefix}-A,Ana,Lima,2010-02-02,lincoln,MATH-FLUENCY-3,,2026-05-01`, // line 2: a new Lincoln student, a Lincoln badge
      `${prefix}-B,Bo,Chen,2010-03-03,roosevelt,KINDNESS-1,,2026-05-01`, // line 3: a new Roosevelt student, a Roosevelt badge
      `${prefix}-C,Cy,Dee,2010-04-04,lincoln,KINDNESS-1,,2026-05-01`, // line 4: a Lincoln student, another school's badge
      `SC-R1,On,File,,lincoln,MATH-FLUENCY-3,,2026-05-01`, // line 5: a Roosevelt student on file (the cell claims Lincoln)
      `${prefix}-D,Di,Eve,2010-05-05,lincoln,PD-CPR,,2026-05-01`, // line 6: a district achievement
      `${prefix}-E,Em,Fox,${elevenYearsOld()},lincoln,READING-LEVEL-J,yes,2026-05-01`, // line 7: an 11-year-old, consent=yes
      `SC-DEL,Del,Eted,2010-01-01,lincoln,MATH-FLUENCY-3,,2026-05-01`, // line 8: a deleted student
    ].join('\n');

  it('a school issuer’s upload issues only inside their school, ignores the consent column, and names them in the audit', async () => {
    // Act
    const { job, byLine } = await upload(lincolnIssuer, 'mixed.csv', mixedFile('SI'));

    // Assess
    expect(job).toMatchObject({
      status: 'completed',
      total: 7,
      uploadedBy: { subject: 'scope-lincoln', role: 'issuer', schoolIds: ['lincoln'] },
    });
    expect(byLine(2)).toMatchObject({ status: 'issued' });
    for (const line of [3, 4, 5, 6, 8])
      expect(byLine(line), `line ${line}`).toMatchObject({ status: 'error', reason: 'not in your schools' });
    expect(byLine(7)).toMatchObject({ status: 'pending_consent' });
    // Nobody was registered for the refused rows; the deleted student stays deleted.
    expect(await learnerBySourcedId('SI-B')).toBeUndefined();
    expect(await learnerBySourcedId('SI-D')).toBeUndefined();
    expect(await learnerBySourcedId('SC-DEL')).toBeUndefined();
    expect(await credentialsOf((await learnerBySourcedId('SC-R1'))!.id)).toEqual([]);
    // The consent column was not the issuer's to fill in: no consent, the credential waits unsigned.
    const young = (await learnerBySourcedId('SI-E'))!;
    expect(young.consent).toBeUndefined();
    expect((await credentialsOf(young.id)).map((credential) => credential.state)).toEqual(['pending_consent']);
    // The audit trail names the uploader, through the drop.
    const trail = await auditOf((await learnerBySourcedId('SI-A'))!.id);
    const issue = trail.find((entry) => entry.action === 'credential.issue');
    expect(issue).toMatchObject({ actor: 'scope-lincoln', role: 'issuer', via: `sis-drop:${job.id}` });
    expect(trail.find((entry) => entry.action === 'learner.create')).toMatchObject({ actor: 'scope-lincoln', via: `sis-drop:${job.id}` });
  });

  it('an admin’s upload of the same kind of file still issues everything, and records the consent on file', async () => {
    // Act
    const { job, lines, byLine } = await upload(
      admin,
      'mixed-admin.csv',
      mixedFile('SA')
        .split('\n')
        .filter((_, i) => i !== 7)
        .join('\n'),
    );

    // Assess
    expect(job).toMatchObject({ status: 'completed', total: 6, errors: 0, uploadedBy: { subject: 'scope-admin', role: 'admin' } });
    expect(lines.map((line) => line.status)).toEqual(['issued', 'issued', 'issued', 'issued', 'issued', 'issued']);
    expect(byLine(7)?.status).toBe('issued');
    const young = (await learnerBySourcedId('SA-E'))!;
    expect(young.consent?.granted).toBe(true);
    expect((await credentialsOf(young.id)).map((credential) => credential.state)).toEqual(['issued']);
    expect((await learnerBySourcedId('SA-B'))?.schoolId).toBe('roosevelt');
  });

  it('staff see their own jobs and their schools’ jobs; another school’s job is not found', async () => {
    // Prepare
    const { job: lincolnJob } = await upload(
      lincolnIssuer,
      'mine.csv',
      'student_id,first_name,last_name,school_id,achievement\nSV-1,Ana,Lima,lincoln,MATH-FLUENCY-3\n',
    );
    const { job: rooseveltJob } = await upload(
      rooseveltIssuer,
      'theirs.csv',
      'student_id,first_name,last_name,school_id,achievement\nSV-2,Bo,Chen,roosevelt,KINDNESS-1\n',
    );
    const { job: adminJob } = await upload(
      admin,
      'district.csv',
      'student_id,first_name,last_name,school_id,achievement\nSV-3,Cy,Dee,hs,CS-PYTHON-1\n',
    );
    const listed = async (token: string) =>
      (await json<{ items: BulkJob[] }>('/bulk-jobs?limit=100', token)).body.items.map((job) => job.id);

    // Act
    const lincolnSees = await listed(lincolnIssuer);
    const colleagueSees = await listed(otherLincolnIssuer);
    const rooseveltSees = await listed(rooseveltIssuer);
    const adminSees = await listed(admin);
    const rooseveltAsksForLincoln = await json<{ error: { code: string } }>(`/bulk-jobs/${lincolnJob.id}`, rooseveltIssuer);
    const lincolnAsksForAdmin = await stack.call(`/bulk-jobs/${adminJob.id}`, { token: lincolnIssuer });
    const lincolnAsksForUnknown = await stack.call('/bulk-jobs/0123456789abcdef0123456789abcdef', { token: lincolnIssuer });

    // Assess
    expect(lincolnSees).toContain(lincolnJob.id);
    expect(lincolnSees).not.toContain(rooseveltJob.id);
    expect(lincolnSees).not.toContain(adminJob.id);
    expect(colleagueSees).toContain(lincolnJob.id);
    expect(rooseveltSees).toEqual([rooseveltJob.id]);
    expect(adminSees).toEqual(expect.arrayContaining([lincolnJob.id, rooseveltJob.id, adminJob.id]));
    expect((await json<BulkJob>(`/bulk-jobs/${lincolnJob.id}`, otherLincolnIssuer)).body.id).toBe(lincolnJob.id);
    expect(rooseveltAsksForLincoln.status).toBe(404);
    expect(rooseveltAsksForLincoln.body.error.code).toBe('not_found');
    // Not found looks the same whether the job exists or not.
    expect(lincolnAsksForAdmin.status).toBe(404);
    expect(await lincolnAsksForAdmin.text()).toBe(await lincolnAsksForUnknown.text());
  });

  it('pages through the jobs an issuer may see, newest first, each once', async () => {
    // Prepare: jobs of the issuer's own and of a colleague of the same school, interleaved with another school's.
    const mine: string[] = [];
    for (const [token, n] of [
      [lincolnIssuer, 1],
      [rooseveltIssuer, 2],
      [otherLincolnIssuer, 3],
      [lincolnIssuer, 4],
    ] as const) {
      const { job } = await upload(token, `page-${n}.csv`, `student_id,first_name,last_name,achievement\nPG-${n},A,B,MATH-FLUENCY-3\n`);
      if (token !== rooseveltIssuer) mine.push(job.id);
    }

    // Act
    const seen: BulkJob[] = [];
    let cursor: string | undefined;
    do {
      const { body } = await json<{ items: BulkJob[]; nextCursor?: string }>(
        `/bulk-jobs?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        lincolnIssuer,
      );
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    const crafted = await stack.call('/bulk-jobs?cursor=not-a-cursor', { token: lincolnIssuer });

    // Assess
    const ids = seen.map((job) => job.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(mine));
    expect(seen.every((job) => job.uploadedBy?.schoolIds.includes('lincoln'))).toBe(true);
    expect(seen.map((job) => job.createdAt)).toEqual([...seen.map((job) => job.createdAt)].sort().reverse());
    expect(crafted.status).toBe(400);
  });

  it('a pathway whose step is another school’s achievement issues its capstone only to its author’s learners, in their name', async () => {
    // Prepare: a Lincoln issuer's pathway whose one step is Roosevelt's Kindness badge.
    const issuers = (await json<{ items: Array<{ id: string; schoolId?: string }> }>('/issuers?limit=100', admin)).body.items;
    const lincoln = issuers.find((issuer) => issuer.schoolId === 'lincoln')!;
    const achievements = (await json<{ items: Array<{ id: string; code?: string }> }>('/achievements?limit=100', admin)).body.items;
    const kindness = achievements.find((achievement) => achievement.code === 'KINDNESS-1')!;
    const capstone = await json<{ id: string }>('/achievements', lincolnIssuer, {
      method: 'POST',
      body: { issuerId: lincoln.id, name: 'Kind Citizen', description: 'd', criteria: { narrative: 'n' } },
    });
    const pathway = await json<{ id: string; author?: unknown }>('/pathways', lincolnIssuer, {
      method: 'POST',
      body: {
        issuerId: lincoln.id,
        name: 'Kindness pathway',
        capstoneAchievementId: capstone.body.id,
        requirement: { achievementId: kindness.id },
      },
    });
    expect(pathway.status).toBe(201);
    const register = async (sourcedId: string, schoolId: string) =>
      (
        await json<{ id: string }>('/learners', admin, {
          method: 'POST',
          body: { sourcedId, schoolId, givenName: 'Path', familyName: 'Way', birthDate: '2010-01-01', role: 'student' },
        })
      ).body.id;
    const rooseveltStudent = await register('PW-R', 'roosevelt');
    const lincolnStudent = await register('PW-L', 'lincoln');

    // Act: an admin issues the step to both.
    for (const learnerId of [rooseveltStudent, lincolnStudent]) {
      expect((await json('/credentials', admin, { method: 'POST', body: { learnerId, achievementId: kindness.id } })).status).toBe(201);
    }

    // Assess
    const capstonesOf = async (learnerId: string) => {
      const items = (
        await json<{ items: Array<{ credential?: { credentialSubject: { achievement: { name: string } } } }> }>(
          `/learners/${learnerId}/credentials`,
          admin,
        )
      ).body.items;
      return items.filter((item) => item.credential?.credentialSubject.achievement.name === 'Kind Citizen');
    };
    expect(await capstonesOf(rooseveltStudent)).toEqual([]);
    expect(await capstonesOf(lincolnStudent)).toHaveLength(1);
    const issues = (await auditOf(lincolnStudent)).filter((entry) => entry.action === 'credential.issue');
    expect(issues).toContainEqual(expect.objectContaining({ actor: 'scope-lincoln', role: 'issuer', via: `pathway:${pathway.body.id}` }));
    expect(pathway.body.author).toBeUndefined(); // recorded with the pathway, not shown
  });

  it('POST /learners answers the same for an SIS id of another school and a deleted one, and names neither', async () => {
    // Prepare
    const attempt = (sourcedId: string) =>
      json<{ error: { code: string; message: string } }>('/learners', lincolnIssuer, {
        method: 'POST',
        body: { sourcedId, schoolId: 'lincoln', givenName: 'Try', familyName: 'Again', role: 'student' },
      });

    // Act
    const otherSchool = await attempt('SC-R1');
    const deleted = await attempt('SC-DEL');
    const fresh = await attempt('SC-NEW');
    const ownAgain = await attempt('SC-NEW');

    // Assess
    expect(otherSchool.status).toBe(409);
    expect(deleted).toEqual(otherSchool);
    expect(otherSchool.body.error.message).not.toMatch(/roosevelt|deleted|\d{4}-\d{2}-\d{2}/i);
    expect(fresh.status).toBe(201);
    expect(ownAgain.status).toBe(409); // a learner of their own school: they may see it anyway
  });
});
