import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '#domain/access';
import { issuerDid } from '#domain/profiles';
import type { JsonObject } from '#domain/proof/document-loader';
import { didDocumentForIssuer } from '#domain/proof/multikey';
import { createAchievement } from '#features/achievements/manage';
import { recordConsent } from '#features/consent/record-consent';
import { issueCredential } from '#features/credentials/issue';
import { createIssuer } from '#features/issuers/issuers';
import { createLearner } from '#features/learners/learners';
import { createClrShare } from '#features/sharing/create-link';
import { openClrShare, openShare } from '#features/sharing/open-link';
import { withdrawClrShare } from '#features/sharing/withdraw-link';
import { steppingClock } from '#ports/clock';
import { type ConnectedDependencies, connectedDependencies } from '#test/connected';
import { verifyWithDigitalBazaar } from '../fixtures/ob3/verifiers';

const admin: Principal = { subject: 'admin', role: 'admin', schoolIds: [], learnerIds: [] };
const baseUrl = 'https://credentials.example.org';

describe('sharing a CLR through a share link, against DynamoDB Local', () => {
  let deps: ConnectedDependencies;
  let didDocuments: JsonObject[];
  let achievements: string[];

  beforeAll(async () => {
    deps = await connectedDependencies({ clock: steppingClock('2026-09-01T12:00:00Z'), baseUrl });
    const district = await createIssuer(deps, { name: 'Riverside Unified' });
    const hs = await createIssuer(deps, { name: 'Riverside High School', schoolId: 'hs', parentIssuerId: district.id });
    const keys = await Promise.all(deps.verificationKeys.map(async (key) => ({ keyId: key.keyId, publicKey: await key.publicKey() })));
    didDocuments = [district, hs].map((issuer) => didDocumentForIssuer({ did: issuerDid(baseUrl, issuer.id), keys }) as JsonObject);
    achievements = [];
    for (const name of ['Welding I', 'Shop Safety', 'Public Speaking']) {
      achievements.push(
        (await createAchievement(deps, admin, { issuerId: hs.id, name, description: 'd', criteria: { narrative: 'n' } })).id,
      );
    }
  });

  const learnerWith = async (sourcedId: string, birthDate: string) => {
    const learner = await createLearner(deps, admin, {
      sourcedId,
      schoolId: 'hs',
      givenName: 'Rosa',
      familyName: 'Parks',
      birthDate,
      role: 'student',
    });
    const ids: string[] = [];
    for (const achievementId of achievements)
      ids.push((await issueCredential(deps, admin, { learnerId: learner.id, achievementId, source: 'api' })).id);
    return { learner, ids, self: { subject: `self-${sourcedId}`, role: 'learner', schoolIds: [], learnerIds: [learner.id] } as Principal };
  };

  it('serves the chosen credentials as a signed CLR that others’ code verifies, until the link is withdrawn', async () => {
    // Prepare
    const { learner, ids, self } = await learnerWith('CLRS-1', '2009-05-05');

    // Act
    const link = await createClrShare(deps, self, learner.id, { expiresInDays: 30, credentialIds: [ids[0]!, ids[2]!] });
    const clr = await openClrShare(deps, link.token);
    const verification = await verifyWithDigitalBazaar(clr as JsonObject, didDocuments);
    await withdrawClrShare(deps, self, learner.id, link.token);

    // Assess
    expect(clr['type']).toEqual(['VerifiableCredential', 'ClrCredential']);
    const embedded = (clr['credentialSubject'] as { verifiableCredential: Array<{ id: string }> }).verifiableCredential.map(
      (credential) => credential.id,
    );
    expect(embedded).toEqual([`urn:uuid:${ids[0]}`, `urn:uuid:${ids[2]}`]);
    expect(verification.verified).toBe(true);
    await expect(openClrShare(deps, link.token)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(openShare(deps, link.token)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('follows the rules of single credentials: under 13 needs consent, and withdrawing consent ends the link', async () => {
    // Prepare
    const { learner } = await learnerWith('CLRS-2', '2017-01-01');
    const guardian: Principal = { subject: 'parent', role: 'guardian', schoolIds: [], learnerIds: [learner.id] };

    // Act / Assess
    await expect(createClrShare(deps, guardian, learner.id, { expiresInDays: 30 })).rejects.toMatchObject({ kind: 'forbidden' });
    await recordConsent(deps, guardian, learner.id, { granted: true, by: 'Parent', method: 'form' });
    const link = await createClrShare(deps, guardian, learner.id, { expiresInDays: 30 });
    await expect(openClrShare(deps, link.token)).resolves.toMatchObject({ type: ['VerifiableCredential', 'ClrCredential'] });
    await recordConsent(deps, guardian, learner.id, { granted: false, by: 'Parent', method: 'phone' });
    await expect(openClrShare(deps, link.token)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('refuses a selection holding someone else’s credential', async () => {
    // Prepare
    const first = await learnerWith('CLRS-3', '2009-05-05');
    const second = await learnerWith('CLRS-4', '2009-05-05');

    // Act / Assess
    await expect(
      createClrShare(deps, first.self, first.learner.id, { expiresInDays: 30, credentialIds: [second.ids[0]!] }),
    ).rejects.toMatchObject({ kind: 'not_found' });
  });
});
