import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BulkJob } from '#domain/bulk-jobs';
import { startBulkJob } from '#features/bulk/start';
import { learnerBySourcedId } from '#features/learners/learners';
import { createShare } from '#features/sharing/create-link';
import { seedDemoDistrict } from '#local/seed';
import { type ConnectedDependencies, connectedDependencies } from '#test/connected';

/** A file put into `drops/`, run to the end as the S3 notification would; its report lines (by line number: reports hold no SIS ids). */
const drop = async (deps: ConnectedDependencies, key: string, body: string) => {
  await deps.blobs.put('drops', key, body, 'text/csv');
  await startBulkJob(deps, { key, etag: (await deps.blobs.get('drops', key))?.etag ?? '' });
  await deps.bulkQueue.drained();
  const job = (await deps.store.bulkJobs.listRecent({ limit: 100 })).items.find((item) => item.sourceKey === key) as BulkJob;
  const report = new TextDecoder().decode((await deps.blobs.get('reports', job.reportKey!))!.body);
  return { job, lines: parse(report, { columns: true }) as Array<{ line: string; status: string; credential_id: string }> };
};

describe('the allStudents consent policy (DESIGN §5.1), through an SIS drop', () => {
  let deps: ConnectedDependencies;
  const admin = { subject: 'admin-1', role: 'admin' as const, schoolIds: [], learnerIds: [] };

  beforeAll(async () => {
    deps = await connectedDependencies({ clock: '2026-06-01T12:00:00Z', consentPolicy: 'allStudents' });
    await seedDemoDistrict(deps);
  });

  it('asks consent for a 16-year-old student, honours consent on file, and never asks it for staff', async () => {
    // Prepare
    const csv = [
      'student_id,first_name,last_name,birth_date,role,achievement,consent,issued_on',
      'AS-16,Sixteen,Student,2010-01-15,student,CS-PYTHON-1,,2026-05-01',
      'AS-17,Seventeen,Consented,2009-01-15,student,CS-PYTHON-1,Y,2026-05-01',
      'AS-T1,Tess,Teacher,,staff,PD-CPR,,2026-05-01',
    ].join('\n');

    // Act
    const { job, lines } = await drop(deps, 'drops/all-students.csv', csv);
    // The header is line 1: AS-16 is on line 2, AS-17 on line 3, AS-T1 on line 4.
    const lineOf: Record<string, string> = { 'AS-16': '2', 'AS-17': '3', 'AS-T1': '4' };
    const status = (id: string) => lines.find((line) => line.line === lineOf[id])?.status;
    const pending = lines.find((line) => line.line === lineOf['AS-16'])!;

    // Assess
    expect(job).toMatchObject({ status: 'completed', issued: 2, pendingConsent: 1, errors: 0 });
    expect(status('AS-16')).toBe('pending_consent');
    expect(status('AS-17')).toBe('issued');
    expect(status('AS-T1')).toBe('issued');
    expect((await learnerBySourcedId(deps, 'AS-17'))?.consent).toMatchObject({ granted: true, method: 'SIS export' });
    await expect(createShare(deps, admin, pending.credential_id, { expiresInDays: 30 })).rejects.toMatchObject({ kind: 'forbidden' });
  });
});
