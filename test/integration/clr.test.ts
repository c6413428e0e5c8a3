import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '#domain/access';
import { issuerDid } from '#domain/profiles';
import type { JsonObject } from '#domain/proof/document-loader';
import { didDocumentForIssuer } from '#domain/proof/multikey';
import { createAchievement } from '#features/achievements/manage';
import { learnerClr } from '#features/clr/clr';
import { issueCredential } from '#features/credentials/issue';
import { revokeCredential } from '#features/credentials/revoke';
import { createIssuer } from '#features/issuers/issuers';
import { createLearner } from '#features/learners/learners';
import { createPathway } from '#features/pathways/manage';
import { steppingClock } from '#ports/clock';
import { type ConnectedDependencies, connectedDependencies } from '#test/connected';
import { refusal } from '#test/refusal';
import { verifyWithDigitalBazaar } from '../fixtures/ob3/verifiers';

const admin: Principal = { subject: 'admin', role: 'admin', schoolIds: [], learnerIds: [] };
const baseUrl = 'https://credentials.example.org';

type Clr = Awaited<ReturnType<typeof learnerClr>>;

describe('CLR 2.0 of a learner, against DynamoDB Local', () => {
  let deps: ConnectedDependencies;
  let didDocuments: JsonObject[];
  let districtId: string;
  let learnerId: string;
  let stepIds: string[];
  let capstoneId: string;
  let credentialIds: string[];
  let revokedId: string;
  let clr: Clr;

  beforeAll(async () => {
    deps = await connectedDependencies({ clock: steppingClock('2026-09-01T12:00:00Z'), baseUrl });
    const district = await createIssuer(deps, { name: 'Riverside Unified' });
    districtId = district.id;
    const hs = await createIssuer(deps, { name: 'Riverside High School', schoolId: 'hs', parentIssuerId: district.id });
    const ms = await createIssuer(deps, { name: 'Riverside Middle School', schoolId: 'ms', parentIssuerId: district.id });
    const keys = await Promise.all(deps.verificationKeys.map(async (key) => ({ keyId: key.keyId, publicKey: await key.publicKey() })));
    didDocuments = [district, hs, ms].map((issuer) => didDocumentForIssuer({ did: issuerDid(baseUrl, issuer.id), keys }) as JsonObject);
    const make = async (issuerId: string, name: string) =>
      (await createAchievement(deps, admin, { issuerId, name, description: `${name}.`, criteria: { narrative: `Shows ${name}.` } })).id;
    stepIds = [await make(hs.id, 'Welding I'), await make(ms.id, 'Shop Safety')];
    capstoneId = await make(hs.id, 'Welding Pathway Completer');
    const extra = await make(hs.id, 'Public Speaking');
    await createPathway(deps, admin, {
      issuerId: hs.id,
      name: 'Welding',
      capstoneAchievementId: capstoneId,
      requirement: { allOf: stepIds.map((achievementId) => ({ achievementId })) },
    });
    const learner = await createLearner(deps, admin, {
      sourcedId: 'CLR-1',
      schoolId: 'hs',
      givenName: 'Rosa',
      familyName: 'Parks',
      email: 'rosa@student.example.org',
      birthDate: '2009-04-04',
      role: 'student',
    });
    learnerId = learner.id;
    credentialIds = [];
    for (const achievementId of [...stepIds, extra])
      credentialIds.push((await issueCredential(deps, admin, { learnerId, achievementId, source: 'api' })).id);
    revokedId = (await issueCredential(deps, admin, { learnerId, achievementId: extra, source: 'mistake' })).id;
    await revokeCredential(deps, admin, revokedId, 'issued twice');

    clr = await learnerClr(deps, admin, learnerId);
  });

  it('is a ClrCredential issued by the district, with the CLR contexts', () => {
    // Assess
    expect(clr['@context']).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json',
    ]);
    expect(clr.type).toEqual(['VerifiableCredential', 'ClrCredential']);
    expect(clr.issuer).toMatchObject({ id: issuerDid(baseUrl, districtId), name: 'Riverside Unified' });
    expect(clr.proof).toEqual([
      expect.objectContaining({
        type: 'DataIntegrityProof',
        cryptosuite: 'eddsa-rdfc-2022',
        verificationMethod: `${issuerDid(baseUrl, districtId)}#${deps.signer.keyId}`,
      }),
    ]);
  });

  it('holds every issued credential (the capstone too, not the revoked one), the capstone and the associations', () => {
    // Assess
    const subject = clr.credentialSubject;
    const embedded = subject.verifiableCredential.map((credential) => credential['id']);
    expect(embedded).toHaveLength(4); // 3 issued + the auto-awarded capstone
    expect(embedded).toEqual(expect.arrayContaining(credentialIds.map((id) => `urn:uuid:${id}`)));
    expect(embedded).not.toContain(`urn:uuid:${revokedId}`);
    expect(subject.type).toEqual(['ClrSubject']);
    expect(subject.identifier.map((identity) => [identity.identityType, identity.hashed])).toEqual([
      ['identifier', true],
      ['emailAddress', true],
    ]);
    expect(JSON.stringify(subject.identifier)).not.toMatch(/CLR-1|rosa@/);
    expect(subject.achievement?.map((achievement) => achievement.id)).toEqual([`${baseUrl}/achievements/${capstoneId}`]);
    expect(subject.association).toEqual(
      stepIds.map((stepId) => ({
        type: 'Association',
        associationType: 'isPartOf',
        sourceId: `${baseUrl}/achievements/${stepId}`,
        targetId: `${baseUrl}/achievements/${capstoneId}`,
      })),
    );
  });

  it('verifies with @digitalbazaar/vc (static loader, our DID documents), and fails once tampered', async () => {
    // Prepare
    const tampered = structuredClone(clr) as unknown as JsonObject & { credentialSubject: { verifiableCredential: JsonObject[] } };
    tampered.credentialSubject.verifiableCredential.pop();

    // Act
    const result = await verifyWithDigitalBazaar(clr as unknown as JsonObject, didDocuments);
    const forged = await verifyWithDigitalBazaar(tampered, didDocuments);

    // Assess
    expect(result.verified).toBe(true);
    expect(forged.verified).toBe(false);
  });

  it('embeds credentials that each verify on their own', async () => {
    // Act
    const results = await Promise.all(
      clr.credentialSubject.verifiableCredential.map((credential) => verifyWithDigitalBazaar(credential, didDocuments)),
    );

    // Assess
    expect(results.map((result) => result.verified)).toEqual([true, true, true, true]);
  });

  it('holds only the chosen credentials, for the learner themself', async () => {
    // Prepare
    const self: Principal = { subject: 'rosa', role: 'learner', schoolIds: [], learnerIds: [learnerId] };

    // Act
    const chosen = await learnerClr(deps, self, learnerId, [credentialIds[2]!]);
    const verified = await verifyWithDigitalBazaar(chosen as unknown as JsonObject, didDocuments);

    // Assess
    expect(chosen.credentialSubject.verifiableCredential.map((credential) => credential['id'])).toEqual([`urn:uuid:${credentialIds[2]}`]);
    expect(chosen.credentialSubject.achievement).toBeUndefined();
    expect(verified.verified).toBe(true);
  });

  it('refuses revoked or foreign credentials and other people', async () => {
    // Act
    const revoked = await refusal(learnerClr(deps, admin, learnerId, [revokedId]));
    const foreign = await refusal(learnerClr(deps, admin, learnerId, ['not-this-learners']));
    const stranger = await refusal(learnerClr(deps, { subject: 'x', role: 'learner', schoolIds: [], learnerIds: ['other'] }, learnerId));
    const otherSchool = await refusal(learnerClr(deps, { subject: 'y', role: 'viewer', schoolIds: ['ms'], learnerIds: [] }, learnerId));

    // Assess
    expect(revoked.statusCode).toBe(422);
    expect(foreign.statusCode).toBe(404);
    expect(stranger.statusCode).toBe(403);
    expect(otherSchool.statusCode).toBe(403);
  });
});
