import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkJob } from '#domain/bulk-jobs';
import { hashedIdentityObject } from '#domain/credential/identity';
import { signCredential } from '#domain/proof/sign';
import type { JsonObject } from '#domain/verify/types';
import { startTestStack, type TestStack } from '#test/local-stack';

type Identity = { identityType: string; salt?: string; identityHash: string };
type Report = { verified: boolean; checks: Array<{ check: string; ok: boolean; message: string }> };

const samples = join(import.meta.dirname, '..', 'fixtures', 'samples');

/**
 * Schools by the SIS's own numbers and names, consent when the age is unknown, and the district pseudonym, over
 * HTTP on the seeded local stack (DESIGN §2, §4, §5.1).
 */
describe('schools, consent and pseudonyms on the local stack', () => {
  let stack: TestStack;
  let adminToken: string;
  let issuers: Array<{ id: string; name: string; schoolId?: string }>;

  const call = async (method: string, path: string, options: { token?: string; body?: unknown } = {}) => {
    const response = await stack.call(path, {
      method,
      token: options.token ?? adminToken,
      ...(options.body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(options.body) } : {}),
    });
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown> & { items?: Array<Record<string, unknown>> },
    };
  };
  const schoolIssuer = (schoolId: string) => issuers.find((issuer) => issuer.schoolId === schoolId)!;

  /** A file put into `drops/` directly (district IT), run to the end by s3rver's put event. */
  const drop = async (key: string, body: Uint8Array | string): Promise<BulkJob> => {
    await stack.deps.blobs.put('drops', key, body, 'text/csv');
    let job: BulkJob | undefined;
    for (let attempt = 0; attempt < 480 && job?.status !== 'completed' && job?.status !== 'failed'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      job = (await call('GET', '/bulk-jobs?limit=100')).body.items?.find((item) => item['sourceKey'] === key) as BulkJob | undefined;
    }
    return job!;
  };

  beforeAll(async () => {
    stack = await startTestStack();
    adminToken = await stack.tokenFor({ sub: 'schools-admin', role: 'admin' });
    issuers = (await call('GET', '/issuers?limit=100')).body.items as typeof issuers;
  });
  afterAll(async () => stack?.dispose());

  describe('schools by SIS codes and names', () => {
    it("files a PowerSchool drop's learners under the school its SchoolID names, so that school's staff find them", async () => {
      // Prepare
      const teacher = await stack.tokenFor({ sub: 'hs-teacher', role: 'issuer', schoolIds: ['hs'] });
      const otherTeacher = await stack.tokenFor({ sub: 'lincoln-teacher', role: 'issuer', schoolIds: ['lincoln'] });

      // Act
      const job = await drop('drops/powerschool-students.csv', readFileSync(join(samples, 'powerschool-students.csv')));
      const found = await call('GET', '/learners?sourcedId=100200', { token: teacher });
      const elsewhere = await call('GET', '/learners?sourcedId=100200', { token: otherTeacher });

      // Assess
      expect(job).toMatchObject({ status: 'completed', errors: 0 });
      expect(found.body.items).toHaveLength(1);
      expect(found.body.items?.[0]).toMatchObject({ sourcedId: '100200', schoolId: 'hs' });
      expect(elsewhere.body.items).toEqual([]);
    });

    it('files Infinite Campus rows under the school their schoolName names', async () => {
      // Prepare
      const middle = await stack.tokenFor({ sub: 'roosevelt-viewer', role: 'viewer', schoolIds: ['roosevelt'] });
      const elementary = await stack.tokenFor({ sub: 'lincoln-viewer', role: 'viewer', schoolIds: ['lincoln'] });

      // Act
      const job = await drop('drops/infinite-campus-students.csv', readFileSync(join(samples, 'infinite-campus-students.csv')));

      // Assess
      expect(job.status).toBe('completed');
      expect((await call('GET', '/learners?sourcedId=IC5500', { token: middle })).body.items?.[0]).toMatchObject({ schoolId: 'roosevelt' });
      expect((await call('GET', '/learners?sourcedId=IC5501', { token: elementary })).body.items?.[0]).toMatchObject({
        schoolId: 'lincoln',
      });
    });

    it('refuses a school code another school already carries (409), on create and on change', async () => {
      // Act
      const created = await call('POST', '/issuers', { body: { name: 'Riverside Annex', schoolId: 'annex', sisSchoolCodes: ['2041'] } });
      const renamed = await call('PATCH', `/issuers/${schoolIssuer('lincoln').id}`, {
        body: { sisSchoolNames: ['riverside  HIGH school'] },
      });
      const twice = await call('POST', '/issuers', { body: { name: 'Twice', sisSchoolCodes: ['77', ' 77 '] } });

      // Assess
      expect(created.status).toBe(409);
      expect(created.body['error']).toMatchObject({ code: 'conflict', message: expect.stringContaining('2041') });
      expect(renamed.status).toBe(409);
      expect(twice.status).toBe(400);
      expect((await call('GET', '/issuers?limit=100')).body.items?.some((issuer) => issuer['schoolId'] === 'annex')).toBe(false);
    });

    it('lets an admin give a school its SIS codes, which POST /learners and drops then accept', async () => {
      // Prepare
      const lincoln = schoolIssuer('lincoln');

      // Act
      const patched = await call('PATCH', `/issuers/${lincoln.id}`, { body: { sisSchoolCodes: ['1021'] } });
      const byCode = await call('POST', '/learners', {
        body: { sourcedId: 'CODE-1', schoolId: '1021', givenName: 'Ana', familyName: 'Code', birthDate: '2009-01-01', role: 'student' },
      });
      const byName = await call('POST', '/learners', {
        body: {
          sourcedId: 'CODE-2',
          schoolId: 'Lincoln Elementary',
          givenName: 'Bo',
          familyName: 'Name',
          birthDate: '2009-01-01',
          role: 'student',
        },
      });
      const unknown = await call('POST', '/learners', {
        body: { sourcedId: 'CODE-3', schoolId: 'nowhere', givenName: 'Cy', familyName: 'Lost', role: 'student' },
      });

      // Assess
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ id: lincoln.id, schoolId: 'lincoln', sisSchoolCodes: ['1021'] });
      expect(byCode.status).toBe(201);
      expect(byCode.body['schoolId']).toBe('lincoln');
      expect(byName.body['schoolId']).toBe('lincoln');
      expect(unknown.status).toBe(400);
      expect(unknown.body['error']).toMatchObject({ details: [{ field: 'schoolId' }] });
    });

    it('fails a drop row whose school no issuer carries, and issues the others into theirs', async () => {
      // Prepare
      const csv = [
        'Student_Number,First_Name,Last_Name,DOB,SchoolID,Achievement',
        'SC1,Ada,Known,01/02/2009,2041,CS-PYTHON-1',
        'SC2,Bea,Lost,01/02/2009,9999,CS-PYTHON-1',
      ].join('\r\n');

      // Act
      const job = await drop('drops/unknown-school.csv', csv);
      const report = await stack.deps.blobs.get('reports', job.reportKey!);

      // Assess
      expect(job).toMatchObject({ status: 'completed', issued: 1, errors: 1 });
      expect(new TextDecoder().decode(report!.body)).toContain('unknown school 9999');
      expect((await call('GET', '/learners?sourcedId=SC1')).body.items?.[0]).toMatchObject({ schoolId: 'hs' });
      expect((await call('GET', '/learners?sourcedId=SC2')).body.items).toEqual([]);
    });
  });

  describe('consent when the age is unknown', () => {
    it('keeps the credential of a learner without a birth date (row S1 of a messy export) pending and unshareable', async () => {
      // Act
      const job = await drop('drops/messy-quoted.csv', readFileSync(join(samples, 'messy-quoted.csv')));
      const learner = (await call('GET', '/learners?sourcedId=S1')).body.items![0]!;
      const credentials = (await call('GET', `/learners/${String(learner['id'])}/credentials`)).body.items!;
      const share = await call('POST', `/credentials/${String(credentials[0]!['id'])}/shares`, { body: {} });

      // Assess
      expect(job.status).toBe('completed');
      expect(learner).not.toHaveProperty('schoolId'); // no school column: the district
      expect(credentials).toHaveLength(1);
      expect(credentials[0]).toMatchObject({ state: 'pending_consent' });
      expect(share.status).toBe(403);
    });
  });

  describe('the district pseudonym', () => {
    let credential: JsonObject;
    const sisId = '482913';

    beforeAll(async () => {
      const learner = await call('POST', '/learners', {
        body: { sourcedId: sisId, schoolId: 'hs', givenName: 'Pia', familyName: 'Nym', birthDate: '2008-03-03', role: 'student' },
      });
      const achievement = (await call('GET', `/achievements?issuerId=${schoolIssuer('hs').id}`)).body.items![0]!;
      credential = (await call('POST', '/credentials', { body: { learnerId: learner.body['id'], achievementId: achievement['id'] } })).body[
        'credential'
      ] as JsonObject;
    });

    const verify = async (body: unknown) =>
      (await stack
        .call('/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        .then((r) => r.json())) as Report;
    const recipient = (report: Report) => report.checks.find((check) => check.check === 'recipient');

    it('hashes the pseudonym, not the bare SIS id, and /verify recognises the student by their SIS id', async () => {
      // Prepare
      const subject = credential['credentialSubject'] as { identifier: Identity[] };
      const identifier = subject.identifier.find((entry) => entry.identityType === 'identifier')!;
      const sha256 = (text: string) => `sha256$${createHash('sha256').update(text).digest('hex')}`;

      // Act
      const right = await verify({ credential, recipient: { identifier: sisId } });
      const wrong = await verify({ credential, recipient: { identifier: '482914' } });

      // Assess
      expect(identifier.identityHash).not.toBe(sha256(sisId + identifier.salt));
      expect(identifier.identityHash).not.toBe(sha256(identifier.salt + sisId));
      expect(recipient(right)).toMatchObject({ ok: true });
      expect(right.verified).toBe(true);
      expect(recipient(wrong)).toMatchObject({ ok: false });
      expect(wrong.verified).toBe(false);
    });

    it('still recognises the student in a credential issued before the rule (the bare SIS id hashed)', async () => {
      // Prepare: the same credential as the old rule made it, signed by the deployment's key
      const { proof: _proof, ...unsigned } = credential;
      const subject = unsigned['credentialSubject'] as { identifier: Identity[] };
      const oldStyle = {
        ...unsigned,
        credentialSubject: {
          ...subject,
          identifier: subject.identifier.map((entry) =>
            entry.identityType === 'identifier' ? hashedIdentityObject('identifier', sisId) : entry,
          ),
        },
      } as JsonObject;
      const signed = await signCredential(oldStyle, stack.deps.signer, { issuerDid: (unsigned['issuer'] as { id: string }).id });

      // Act
      const right = await verify({ credential: signed, recipient: { identifier: sisId } });
      const wrong = await verify({ credential: signed, recipient: { identifier: '482914' } });

      // Assess
      expect(right.checks.find((check) => check.check === 'proof')).toMatchObject({ ok: true });
      expect(recipient(right)).toMatchObject({ ok: true });
      expect(recipient(wrong)).toMatchObject({ ok: false });
    });
  });
});
