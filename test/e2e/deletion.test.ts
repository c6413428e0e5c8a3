import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkJob } from '#domain/bulk-jobs';
import { startTestStack, type TestStack } from '#test/local-stack';

/** DESIGN §4 "Limits and leftovers" and §5.8: after DELETE /learners/{id}, nothing personal is left, nor any link to the learner. */
describe('deleting a learner who came in through a drop, on the local stack', () => {
  let stack: TestStack;
  let admin: string;

  beforeAll(async () => {
    stack = await startTestStack();
    admin = await stack.tokenFor({ sub: 'deletion-admin', role: 'admin' });
  });
  afterAll(async () => stack?.dispose());

  const json = { 'content-type': 'application/json' };

  const dropThroughUpload = async (fileName: string, csv: string): Promise<{ key: string; job: BulkJob }> => {
    const upload = (await (
      await stack.call('/bulk-jobs/uploads', { method: 'POST', token: admin, headers: json, body: JSON.stringify({ fileName }) })
    ).json()) as { uploadUrl: string; key: string; contentType: string };
    const put = await fetch(upload.uploadUrl, { method: 'PUT', headers: { 'content-type': upload.contentType }, body: csv });
    expect(put.status).toBe(200);
    let job: BulkJob | undefined;
    for (let attempt = 0; attempt < 240 && job?.status !== 'completed' && job?.status !== 'failed'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const { items } = (await (await stack.call('/bulk-jobs', { token: admin })).json()) as { items: BulkJob[] };
      job = items.find((item) => item.sourceKey === upload.key);
    }
    return { key: upload.key, job: job! };
  };

  it('leaves no drop, no SIS id, name, e-mail or birth date in the report or the stored outcomes, and no membership linking to the learner', async () => {
    // Prepare: two students through a drop; a parent of the first only, a parent of both, and the first's own sign-in
    const personal = [
      'DEL-4711',
      'DEL-4712',
      'Wilhelmina',
      'Zabłocka',
      'Barnaby',
      'Quist',
      'wilhelmina.zablocka@students.example.org',
      '2009-02-14',
      '2009-03-15',
    ];
    const csv = [
      'student_id,first_name,last_name,email,birth_date,achievement,issued_on',
      'DEL-4711,Wilhelmina,Zabłocka,wilhelmina.zablocka@students.example.org,2009-02-14,CS-PYTHON-1,2026-05-01',
      'DEL-4712,Barnaby,Quist,,2009-03-15,CS-PYTHON-1,2026-05-01',
    ].join('\n');
    const { key, job } = await dropThroughUpload('deletion.csv', csv);
    expect(job).toMatchObject({ status: 'completed', issued: 2 });
    const [learner] = (
      (await (await stack.call('/learners?sourcedId=DEL-4711', { token: admin })).json()) as { items: Array<{ id: string }> }
    ).items;
    const [sibling] = (
      (await (await stack.call('/learners?sourcedId=DEL-4712', { token: admin })).json()) as { items: Array<{ id: string }> }
    ).items;
    const parent = await stack.tokenFor({ sub: 'parent-of-one', role: 'guardian', learnerId: learner!.id });
    const parentOfTwo = await stack.tokenFor({ sub: 'parent-of-two', role: 'guardian', learnerIds: [learner!.id, sibling!.id] });
    await stack.tokenFor({ sub: 'wilhelmina-signin', role: 'learner', learnerId: learner!.id });
    expect((await stack.call(`/learners/${learner!.id}/credentials`, { token: parent })).status).toBe(200);

    // Act
    const deletion = await stack.call(`/learners/${learner!.id}`, { method: 'DELETE', token: parent });

    // Assess: the drop was deleted when its report was written
    expect(deletion.status).toBe(200);
    expect(await stack.deps.blobs.get('drops', key)).toBeUndefined();
    // The report and the job's stored outcomes name lines, never learners
    const reportText = await (await stack.call(`/bulk-jobs/${job.id}/report`, { token: admin })).text();
    expect(reportText.split('\r\n')[0]).toBe('line,status,reason,credential_id');
    const stored: unknown[] = [];
    for await (const outcome of stack.deps.store.bulkJobs.rows(job.id)) stored.push(outcome);
    expect(stored).toHaveLength(2);
    for (const value of personal) {
      expect(reportText).not.toContain(value);
      expect(JSON.stringify(stored)).not.toContain(value);
    }
    // Every membership linking to the learner: gone, or without them
    expect(await stack.deps.store.memberships.find('parent-of-one', undefined)).toBeUndefined();
    expect(await stack.deps.store.memberships.find('wilhelmina-signin', undefined)).toBeUndefined();
    expect((await stack.deps.store.memberships.find('parent-of-two', undefined))?.learnerIds).toEqual([sibling!.id]);
    expect((await stack.call(`/learners/${sibling!.id}/credentials`, { token: parentOfTwo })).status).toBe(200);
    // The receipt says how many, and nothing personal
    const receipt = await deletion.text();
    expect(JSON.parse(receipt)).toMatchObject({ counts: { membershipsUnlinked: 3 } });
    for (const value of personal) expect(receipt).not.toContain(value);
  });

  it('does not let the old guardians read or delete a learner re-created with the same SIS id', async () => {
    // Prepare: a learner linked to a guardian, deleted by an admin, then re-created (same id: it derives from the SIS id)
    const created = await stack.call('/learners', {
      method: 'POST',
      token: admin,
      headers: json,
      body: JSON.stringify({ sourcedId: 'DEL-5000', givenName: 'Ottilie', familyName: 'Marsh', role: 'student', birthDate: '2009-01-01' }),
    });
    const { id } = (await created.json()) as { id: string };
    const guardian = await stack.tokenFor({ sub: 'guardian-before', role: 'guardian', learnerId: id });
    const guardianOfTwo = await stack.tokenFor({ sub: 'guardian-before-of-two', role: 'guardian', learnerIds: [id, 'some-other-learner'] });
    expect((await stack.call(`/learners/${id}`, { method: 'DELETE', token: admin })).status).toBe(200);
    const again = await stack.call('/learners', {
      method: 'POST',
      token: admin,
      headers: json,
      body: JSON.stringify({ sourcedId: 'DEL-5000', givenName: 'Ottilie', familyName: 'Marsh', role: 'student', birthDate: '2009-01-01' }),
    });
    expect(again.status).toBe(201);
    expect(((await again.json()) as { id: string }).id).toBe(id);

    // Act
    const reads = await Promise.all([guardian, guardianOfTwo].map((token) => stack.call(`/learners/${id}/credentials`, { token })));
    const deletes = await Promise.all([guardian, guardianOfTwo].map((token) => stack.call(`/learners/${id}`, { method: 'DELETE', token })));

    // Assess
    expect(reads.map((response) => response.status)).toEqual([403, 403]);
    expect(deletes.map((response) => response.status)).toEqual([403, 403]);
    expect((await stack.call(`/learners/${id}`, { token: admin })).status).toBe(200);
  });
});
