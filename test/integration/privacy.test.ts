import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDynamoClient, toDocumentClient } from '#adapters/dynamodb/client';
import { createS3Client } from '#adapters/s3/blobs';
import type { Principal } from '#domain/access';
import { createAchievement } from '#features/achievements/manage';
import { recordConsent } from '#features/consent/record-consent';
import { credentialImagePrefix } from '#features/credentials/baked-image';
import { issueCredential } from '#features/credentials/issue';
import { revokeCredential } from '#features/credentials/revoke';
import { deleteLearner } from '#features/deletion/delete-learner';
import { runRetention } from '#features/deletion/retention';
import { createIssuer } from '#features/issuers/issuers';
import { createLearner, findLearnerBySourcedId } from '#features/learners/learners';
import { createShare } from '#features/sharing/create-link';
import { openShare } from '#features/sharing/open-link';
import { withdrawShare } from '#features/sharing/withdraw-link';
import { currentStatusListCredential } from '#features/status-lists/status-lists';
import { fixedClock, steppingClock } from '#ports/clock';
import { type ConnectedDependencies, connectedDependencies, localEndpoints } from '#test/connected';

const admin: Principal = { subject: 'admin-1', role: 'admin', schoolIds: [], learnerIds: [] };
const issuerStaff: Principal = { subject: 'teacher-1', role: 'issuer', schoolIds: ['lincoln'], learnerIds: [] };

describe('privacy by construction, against DynamoDB Local and s3rver', () => {
  let deps: ConnectedDependencies;
  let achievementId: string;

  beforeEach(async () => {
    deps = await connectedDependencies({ clock: steppingClock('2026-09-01T12:00:00Z') });
    const issuer = await createIssuer(deps, { name: 'Lincoln Elementary', schoolId: 'lincoln' });
    achievementId = (
      await createAchievement(deps, admin, {
        issuerId: issuer.id,
        name: 'Reading Level J',
        description: 'Reads level J',
        criteria: { narrative: 'Benchmark' },
      })
    ).id;
  });

  const child = (sourcedId: string) =>
    createLearner(deps, issuerStaff, {
      sourcedId,
      schoolId: 'lincoln',
      givenName: 'Zoë',
      familyName: 'Brontë',
      birthDate: '2017-06-19',
      guardianEmail: 'parent@families.example.org',
      role: 'student',
    });
  const teen = (sourcedId: string) =>
    createLearner(deps, issuerStaff, {
      sourcedId,
      schoolId: 'lincoln',
      givenName: 'José',
      familyName: 'Núñez',
      email: 'jose.nunez@students.example.org',
      birthDate: '2010-03-13',
      role: 'student',
    });

  describe('COPPA consent', () => {
    it('keeps a credential for an under-13 learner unsigned and unshareable until a guardian consents', async () => {
      // Prepare
      const learner = await child('C-1');
      const guardian: Principal = { subject: 'parent-1', role: 'guardian', schoolIds: [], learnerIds: [learner.id] };

      // Act
      const pending = await issueCredential(deps, issuerStaff, { learnerId: learner.id, achievementId, source: 'api' });
      await expect(createShare(deps, guardian, pending.id, { expiresInDays: 30 })).rejects.toMatchObject({ kind: 'forbidden' });
      const outcome = await recordConsent(deps, guardian, learner.id, { granted: true, by: 'Parent of Zoë', method: 'signed paper form' });
      const after = await deps.store.credentials.get(pending.id);

      // Assess
      expect(pending).toEqual({ id: pending.id, state: 'pending_consent' });
      expect(learner).not.toHaveProperty('birthDate');
      expect(learner.consentNeededUntil).toBe('2030-06-19');
      expect(outcome.issued).toBe(1);
      expect(after?.state).toBe('issued');
      expect(after?.credential?.['proof']).toBeDefined();
      expect(after).not.toHaveProperty('unsigned');
      await expect(createShare(deps, guardian, pending.id, { expiresInDays: 30 })).resolves.toMatchObject({ token: expect.any(String) });
    });

    it('stops all sharing when consent is withdrawn', async () => {
      // Prepare
      const learner = await child('C-2');
      const guardian: Principal = { subject: 'parent-2', role: 'guardian', schoolIds: [], learnerIds: [learner.id] };
      await recordConsent(deps, guardian, learner.id, { granted: true, by: 'Parent', method: 'e-mail confirmation' });
      const issued = await issueCredential(deps, issuerStaff, { learnerId: learner.id, achievementId, source: 'api' });
      const link = await createShare(deps, guardian, issued.id, { expiresInDays: 30 });

      // Act
      const outcome = await recordConsent(deps, guardian, learner.id, { granted: false, by: 'Parent', method: 'phone call to office' });

      // Assess
      expect(outcome.sharesWithdrawn).toBe(1);
      await expect(openShare(deps, link.token)).rejects.toMatchObject({ kind: 'not_found' });
      await expect(createShare(deps, guardian, issued.id, { expiresInDays: 30 })).rejects.toMatchObject({ kind: 'forbidden' });
    });

    it('does not let a child under 13 share on their own, nor a guardian of another child', async () => {
      // Prepare
      const learner = await child('C-3');
      await recordConsent(deps, admin, learner.id, { granted: true, by: 'Parent', method: 'form' });
      const issued = await issueCredential(deps, issuerStaff, { learnerId: learner.id, achievementId, source: 'api' });
      const self: Principal = { subject: 'kid', role: 'learner', schoolIds: [], learnerIds: [learner.id] };
      const otherGuardian: Principal = { subject: 'other', role: 'guardian', schoolIds: [], learnerIds: ['someone-else'] };

      // Act / Assess
      await expect(createShare(deps, self, issued.id, { expiresInDays: 30 })).rejects.toMatchObject({ kind: 'forbidden' });
      await expect(createShare(deps, otherGuardian, issued.id, { expiresInDays: 30 })).rejects.toMatchObject({ kind: 'forbidden' });
    });
  });

  describe('share links', () => {
    it('show live status, and stop working when withdrawn or expired', async () => {
      // Prepare
      const learner = await teen('T-1');
      const self: Principal = { subject: 'jose', role: 'learner', schoolIds: [], learnerIds: [learner.id] };
      const issued = await issueCredential(deps, issuerStaff, { learnerId: learner.id, achievementId, source: 'api' });
      const shortLink = await createShare(deps, self, issued.id, { expiresInDays: 1 });
      const link = await createShare(deps, self, issued.id, { expiresInDays: 30 });

      // Act
      const before = await openShare(deps, link.token);
      await revokeCredential(deps, issuerStaff, issued.id, 'Entered for the wrong student');
      const afterRevocation = await openShare(deps, link.token);
      await expect(openShare({ ...deps, clock: fixedClock('2026-09-03T12:00:00Z') }, shortLink.token)).rejects.toMatchObject({
        kind: 'not_found',
      });
      await withdrawShare(deps, self, issued.id, link.token);

      // Assess
      expect(link.url).toBe(`https://credentials.example.org/shared/${link.token}`);
      expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(before.status).toBe('valid');
      expect(afterRevocation.status).toBe('revoked');
      await expect(openShare(deps, link.token)).rejects.toMatchObject({ kind: 'not_found' });
    });

    it('record a staff lookup by SIS id as a read of the learner’s record', async () => {
      // Prepare
      const learner = await teen('T-LOOKUP');

      // Act
      await findLearnerBySourcedId(deps, issuerStaff, 'T-LOOKUP');
      const trail = await deps.store.audit.list(learner.id, { limit: 100 });

      // Assess
      expect(trail.items.map((entry) => entry.action)).toEqual(['learner.create', 'learner.read']);
      expect(trail.items[1]).toMatchObject({ actor: 'teacher-1', role: 'issuer' });
    });

    it('record every view in the learner’s audit trail', async () => {
      // Prepare
      const learner = await teen('T-2');
      const self: Principal = { subject: 'jose-2', role: 'learner', schoolIds: [], learnerIds: [learner.id] };
      const issued = await issueCredential(deps, issuerStaff, { learnerId: learner.id, achievementId, source: 'api' });
      const link = await createShare(deps, self, issued.id, { expiresInDays: 30 });

      // Act
      await openShare(deps, link.token);
      await openShare(deps, link.token);
      const trail = await deps.store.audit.list(learner.id, { limit: 100 });

      // Assess
      expect(trail.items.map((entry) => entry.action)).toEqual([
        'learner.create',
        'credential.issue',
        'share.create',
        'share.view',
        'share.view',
      ]);
      expect(trail.items[3]).toMatchObject({ actor: 'public-link', role: 'public', what: { credentialId: issued.id } });
      expect(JSON.stringify(trail.items)).not.toContain(link.token);
    });
  });

  describe('deletion', () => {
    it('leaves no item or object holding the learner’s name, e-mail or student number — only the receipt and the status list', async () => {
      // Prepare
      const learner = await teen('STUDENT-31337');
      const self: Principal = { subject: 'jose-3', role: 'learner', schoolIds: [], learnerIds: [learner.id] };
      await deps.store.memberships.put({ subject: self.subject }, self);
      const issued = await issueCredential(deps, issuerStaff, { learnerId: learner.id, achievementId, source: 'api' });
      await createShare(deps, self, issued.id, { expiresInDays: 30 });
      await deps.blobs.put('images', `${credentialImagePrefix(issued.id)}.png`, new Uint8Array([1, 2, 3]), 'image/png');
      const listId = (issued.credential!['credentialStatus'] as { statusListCredential: string }).statusListCredential.split('/').pop()!;

      // Act
      const receipt = await deleteLearner(deps, self, learner.id);

      // Assess: the whole table, scanned
      const client = toDocumentClient(createDynamoClient({ region: 'local', endpoint: localEndpoints().dynamoEndpoint }));
      const items = (await client.send(new ScanCommand({ TableName: deps.tableName }))).Items ?? [];
      const everything = JSON.stringify(items);
      for (const secret of ['José', 'Núñez', 'jose.nunez@students.example.org', 'STUDENT-31337']) expect(everything).not.toContain(secret);
      expect(items.some((item) => item['pk'] === `LEARNER#${learner.id}`)).toBe(false);
      expect(items.some((item) => item['pk'] === `CRED#${issued.id}`)).toBe(false);
      expect(items.some((item) => String(item['pk']).startsWith('SHARE#'))).toBe(false);
      // …and the bucket
      const objects = await createS3Client({ region: 'local', endpoint: localEndpoints().s3Endpoint }).send(
        new ListObjectsV2Command({ Bucket: 'test-images', Prefix: credentialImagePrefix(issued.id) }),
      );
      expect(objects.Contents ?? []).toEqual([]);
      // The receipt says what happened without saying who
      expect(receipt).toMatchObject({
        requestedBy: 'jose-3',
        requestedByRole: 'learner',
        reason: 'request',
        counts: { credentialsRevoked: 1, credentialsDeleted: 1, sharesWithdrawn: 1, imagesDeleted: 1, membershipsUnlinked: 1 },
      });
      expect(items.some((item) => item['pk'] === 'MEMBER#SUB#jose-3')).toBe(false);
      expect(receipt.counts.auditEntriesDeleted).toBeGreaterThanOrEqual(3);
      expect(JSON.stringify(receipt)).not.toMatch(/José|Núñez|STUDENT-31337/);
      expect(await deps.store.erasure.getReceipt(receipt.id)).toEqual(receipt);
      // The status list still resolves, with the credential revoked
      await expect(currentStatusListCredential(deps, listId)).resolves.toMatchObject({
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      });
    });

    it('does not let a deleted learner come back silently: only an admin can re-create them, with new credentials and a new receipt', async () => {
      // Prepare
      const learner = await teen('T-GONE');
      const before = await issueCredential(deps, admin, { learnerId: learner.id, achievementId, source: 'api' });
      const firstReceipt = await deleteLearner(deps, admin, learner.id);

      // Act / Assess
      // To school staff a deletion looks like an SIS id taken in another school: a conflict naming no date.
      await expect(teen('T-GONE')).rejects.toMatchObject({ kind: 'conflict', message: expect.not.stringContaining('2026-09-01') });
      const later = { ...deps, clock: fixedClock('2026-10-01T09:00:00Z') };
      const recreated = await createLearner(later, admin, {
        sourcedId: 'T-GONE',
        schoolId: 'lincoln',
        givenName: 'José',
        familyName: 'Núñez',
        role: 'student',
      });
      expect(recreated.id).toBe(learner.id); // the id derives from the SIS id…
      const after = await issueCredential(later, admin, { learnerId: recreated.id, achievementId, source: 'api' });
      expect(after.id).not.toBe(before.id); // …but the new registration's credentials are new ones
      const secondReceipt = await deleteLearner(later, admin, recreated.id);
      expect(secondReceipt.id).not.toBe(firstReceipt.id);
      expect(await deps.store.erasure.getReceipt(firstReceipt.id)).toEqual(firstReceipt);
    });

    it('is refused to a learner for someone else, and to an under-13 learner for themself', async () => {
      // Prepare
      const kid = await child('C-DEL');
      const other = await teen('T-OTHER');

      // Act / Assess
      await expect(
        deleteLearner(deps, { subject: 'k', role: 'learner', schoolIds: [], learnerIds: [kid.id] }, kid.id),
      ).rejects.toMatchObject({ kind: 'forbidden' });
      await expect(
        deleteLearner(deps, { subject: 'o', role: 'learner', schoolIds: [], learnerIds: [other.id] }, kid.id),
      ).rejects.toMatchObject({ kind: 'forbidden' });
      await expect(deleteLearner(deps, issuerStaff, kid.id)).rejects.toMatchObject({ kind: 'forbidden' });
    });
  });

  describe('retention', () => {
    it('deletes learners past the retention date through the index, once, and leaves active ones', async () => {
      // Prepare: retention is 3 years in the test deployment
      const old = await createLearner({ ...deps, clock: fixedClock('2022-01-10T09:00:00Z') }, admin, {
        sourcedId: 'OLD-1',
        schoolId: 'lincoln',
        givenName: 'Old',
        familyName: 'Record',
        role: 'student',
      });
      const active = await createLearner({ ...deps, clock: fixedClock('2022-01-10T09:00:00Z') }, admin, {
        sourcedId: 'ACTIVE-1',
        schoolId: 'lincoln',
        givenName: 'Still',
        familyName: 'Here',
        role: 'student',
      });
      await issueCredential({ ...deps, clock: fixedClock('2026-01-05T09:00:00Z') }, admin, {
        learnerId: active.id,
        achievementId,
        source: 'api',
      });
      // A parent of both (pre-provisioned by e-mail), and the old learner's own sign-in
      await deps.store.memberships.put(
        { email: 'parent.of.two@families.example.org' },
        { role: 'guardian', schoolIds: [], learnerIds: [old.id, active.id] },
      );
      await deps.store.memberships.put({ subject: 'old-1-signin' }, { role: 'learner', schoolIds: [], learnerIds: [old.id] });

      // Act
      const first = await runRetention(deps);
      const second = await runRetention(deps);

      // Assess
      expect(first).toMatchObject({ due: 1, deleted: 1, failed: 0 });
      expect(second).toMatchObject({ due: 0, deleted: 0 });
      expect(await deps.store.learners.get(old.id)).toBeUndefined();
      // The credential of 2026-01-05 kept the active learner, and moved them in the index to 3 years after it
      expect(await deps.store.learners.get(active.id)).toMatchObject({
        lastActivityAt: '2026-01-05T09:00:00.000Z',
        retentionDueOn: '2029-01-05',
      });
      expect(await deps.store.erasure.getReceipt(first.receiptIds[0]!)).toMatchObject({
        reason: 'retention',
        requestedBy: 'retention-policy',
        counts: { membershipsUnlinked: 2 },
      });
      // Retention unlinks like a request: the parent keeps the other child only, the learner's own sign-in is gone
      expect(await deps.store.memberships.find('unknown-subject', 'parent.of.two@families.example.org')).toEqual({
        role: 'guardian',
        schoolIds: [],
        learnerIds: [active.id],
      });
      expect(await deps.store.memberships.find('old-1-signin', undefined)).toBeUndefined();
    });
  });
});
