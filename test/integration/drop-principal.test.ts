import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BulkJob } from '#domain/bulk-jobs';
import { startBulkJob } from '#features/bulk/start';
import { learnerBySourcedId } from '#features/learners/learners';
import { seedDemoDistrict } from '#local/seed';
import { type ConnectedDependencies, connectedDependencies } from '#test/connected';

/** Whom a drop acts for when no uploader is on record, and what a drop's errors may say (DESIGN §4). */
const drop = async (deps: ConnectedDependencies, key: string, body: string) => {
  await deps.blobs.put('drops', key, body, 'text/csv');
  const stored = await deps.blobs.get('drops', key);
  await startBulkJob(deps, { key, etag: stored?.etag ?? '' });
  await deps.bulkQueue.drained();
  const job = (await deps.store.bulkJobs.listRecent({ limit: 100 })).items.find((item) => item.sourceKey === key) as BulkJob;
  const report = job.reportKey ? await deps.blobs.get('reports', job.reportKey) : undefined;
  const text = report ? new TextDecoder().decode(report.body) : '';
  return { job, text, lines: text ? (parse(text, { columns: true }) as Array<{ status: string; reason: string }>) : [] };
};

const everySchool = [
  'student_id,first_name,last_name,school_id,birth_date,achievement,consent',
  'DP-1,Ana,Lima,lincoln,2010-01-01,MATH-FLUENCY-3,',
  'DP-2,Bo,Chen,roosevelt,2010-01-01,KINDNESS-1,',
  'DP-3,Cy,Dee,hs,2016-01-01,CS-PYTHON-1,yes',
].join('\n');

describe('who a drop acts for without an upload record, against DynamoDB Local and s3rver', () => {
  let deps: ConnectedDependencies;

  beforeAll(async () => {
    deps = await connectedDependencies({ clock: '2026-06-01T12:00:00Z' });
    await seedDemoDistrict(deps);
  });

  it('a file put into drops/ directly acts for the district: every school, consent on file, audited as the drop', async () => {
    // Act
    const { job, lines } = await drop(deps, 'drops/district/every-school.csv', everySchool);

    // Assess
    expect(job).toMatchObject({ status: 'completed', total: 3, issued: 3 });
    expect(job.uploadedBy).toBeUndefined();
    expect(lines.map((line) => line.status)).toEqual(['issued', 'issued', 'issued']);
    const young = await learnerBySourcedId(deps, 'DP-3');
    expect(young?.consent?.granted).toBe(true);
    const trail = (await deps.store.audit.list(young!.id, { limit: 100 })).items;
    expect(trail.find((entry) => entry.action === 'credential.issue')).toMatchObject({ actor: `sis-drop:${job.id}`, role: 'admin' });
  });

  it('a file under the uploads prefix with no upload record acts for nobody: the job fails and nothing is issued', async () => {
    // Act: someone with write access to the bucket puts a file where uploads go, with no upload link behind it.
    const { job, lines } = await drop(
      deps,
      'drops/uploads/2026-06-01/00000000-0000-4000-8000-000000000000-orphan.csv',
      everySchool.replaceAll('DP-', 'OR-'),
    );

    // Assess
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/upload link whose record is missing or expired/);
    expect(lines).toEqual([expect.objectContaining({ status: 'error' })]);
    for (const id of ['OR-1', 'OR-2', 'OR-3']) expect(await learnerBySourcedId(deps, id)).toBeUndefined();
  });

  it('an upload whose record has expired fails the same way, however long TTL takes to remove it', async () => {
    // Prepare: an admin's upload record that ran out an hour ago (TTL has not removed it yet).
    const key = 'drops/uploads/2026-06-01/11111111-1111-4111-8111-111111111111-late.csv';
    await deps.store.bulkJobs.recordUpload(key, { subject: 'late-admin', role: 'admin', schoolIds: [] }, new Date('2026-06-01T11:00:00Z'));

    // Act
    const { job } = await drop(deps, key, everySchool.replaceAll('DP-', 'LA-'));

    // Assess
    expect(job.status).toBe('failed');
    expect(await learnerBySourcedId(deps, 'LA-1')).toBeUndefined();
  });

  it('an upload key is recorded once: a second record for the same key is refused', async () => {
    // Prepare
    const key = 'drops/uploads/2026-06-01/22222222-2222-4222-8222-222222222222-once.csv';
    const until = new Date('2026-06-02T12:00:00Z');

    // Act
    const first = await deps.store.bulkJobs.recordUpload(key, { subject: 'first', role: 'issuer', schoolIds: ['lincoln'] }, until);
    const second = await deps.store.bulkJobs.recordUpload(key, { subject: 'second', role: 'admin', schoolIds: [] }, until);

    // Assess
    expect([first, second]).toEqual([true, false]);
    expect(await deps.store.bulkJobs.uploadOf(key, new Date('2026-06-01T12:00:00Z'))).toEqual({
      subject: 'first',
      role: 'issuer',
      schoolIds: ['lincoln'],
    });
  });

  it('a file exported without its header fails with a message that holds nothing of the first student', async () => {
    // Act
    const { job, text } = await drop(
      deps,
      'drops/headerless.csv',
      '100200,José,Núñez,jose.nunez@example.org,2013-03-13,MATH-FLUENCY-3\n100201,Zoë,Brontë,zoe@example.org,2017-06-19,KINDNESS-1\n',
    );

    // Assess
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/not a header Merit recognises/);
    for (const cell of ['100200', 'José', 'Núñez', 'jose.nunez@example.org', '2013-03-13']) {
      expect(job.error).not.toContain(cell);
      expect(text).not.toContain(cell);
    }
  });
});
