import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '#domain/access';
import { decodeBitstring, getBit } from '#domain/status-list';
import { createAchievement } from '#features/achievements/manage';
import { issueCredential } from '#features/credentials/issue';
import { revokeCredential } from '#features/credentials/revoke';
import { createIssuer } from '#features/issuers/issuers';
import { createLearner } from '#features/learners/learners';
import { currentStatusListCredential } from '#features/status-lists/status-lists';
import { type ConnectedDependencies, connectedDependencies } from '#test/connected';

const admin: Principal = { subject: 'admin', role: 'admin', schoolIds: [], learnerIds: [] };

interface StatusEntry {
  statusListCredential: string;
  statusListIndex: string;
}

const encodedListOf = (credential: Record<string, unknown>) => (credential['credentialSubject'] as { encodedList: string }).encodedList;

describe('revocation through the Bitstring Status List', () => {
  let deps: ConnectedDependencies;
  let achievementId: string;

  beforeAll(async () => {
    deps = await connectedDependencies({ clock: '2026-09-01T12:00:00Z' });
    const issuer = await createIssuer(deps, { name: 'Riverside High', schoolId: 'hs' });
    achievementId = (
      await createAchievement(deps, admin, {
        issuerId: issuer.id,
        name: 'OSHA 10',
        description: 'Safety',
        criteria: { narrative: 'Course' },
      })
    ).id;
  });

  const issueOne = async (sourcedId: string) => {
    const learner = await createLearner(deps, admin, {
      sourcedId,
      schoolId: 'hs',
      givenName: 'Sam',
      familyName: 'Rivera',
      birthDate: '2009-04-04',
      role: 'student',
    });
    const issued = await issueCredential(deps, admin, { learnerId: learner.id, achievementId, source: 'api' });
    const status = issued.credential?.['credentialStatus'] as StatusEntry;
    return { issued, listId: status.statusListCredential.split('/').pop()!, index: Number(status.statusListIndex) };
  };

  it('sets the bit and re-signs the list served to verifiers', async () => {
    // Prepare
    const { issued, listId, index } = await issueOne('R-1');
    const before = await currentStatusListCredential(deps, listId);

    // Act
    const answer = await revokeCredential(deps, admin, issued.id, 'Issued to the wrong student');
    const after = await currentStatusListCredential(deps, listId);

    // Assess
    expect(answer.state).toBe('revoked');
    expect(getBit(decodeBitstring(encodedListOf(before)), index)).toBe(false);
    expect(getBit(decodeBitstring(encodedListOf(after)), index)).toBe(true);
    expect(after['proof']).not.toEqual(before['proof']);
    expect((await deps.store.credentials.get(issued.id))?.revocation).toMatchObject({ reason: 'Issued to the wrong student', by: 'admin' });
  });

  it('keeps every bit when many credentials of one list are revoked at once (optimistic locking)', async () => {
    // Prepare
    const issued = [];
    for (let i = 0; i < 6; i++) issued.push(await issueOne(`R-C${i}`));

    // Act
    await Promise.all(issued.map(({ issued: credential }) => revokeCredential(deps, admin, credential.id, 'test')));

    // Assess
    const list = await currentStatusListCredential(deps, issued[0]!.listId);
    const bits = decodeBitstring(encodedListOf(list));
    for (const { index } of issued) expect(getBit(bits, index)).toBe(true);
  });

  it('treats a second revocation as done, not as an error', async () => {
    // Prepare
    const { issued } = await issueOne('R-2');
    await revokeCredential(deps, admin, issued.id, 'first');

    // Act
    const again = await revokeCredential(deps, admin, issued.id, 'second');

    // Assess
    expect(again.state).toBe('revoked');
    expect((await deps.store.credentials.get(issued.id))?.revocation?.reason).toBe('first');
  });

  it('refuses an issuer of another school', async () => {
    // Prepare
    const { issued } = await issueOne('R-3');
    const stranger: Principal = { subject: 'x', role: 'issuer', schoolIds: ['lincoln'], learnerIds: [] };

    // Act / Assess
    await expect(revokeCredential(deps, stranger, issued.id, 'no')).rejects.toMatchObject({ kind: 'forbidden' });
  });
});
