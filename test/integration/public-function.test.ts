import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '#domain/access';
import { createAchievement } from '#features/achievements/manage';
import { bakedCredentialImage } from '#features/credentials/baked-image';
import { issueCredential } from '#features/credentials/issue';
import { createIssuer } from '#features/issuers/issuers';
import { createLearner } from '#features/learners/learners';
import { createClrShare, createShare } from '#features/sharing/create-link';
import { openClrShare, openShare } from '#features/sharing/open-link';
import { currentStatusListCredential } from '#features/status-lists/status-lists';
import type { AwsCall } from '#local/aws-calls';
import { type ConnectedDependencies, connectedDependencies } from '#test/connected';
import { checkParity, describeDenials, type ParityModel, parityModel } from '#test/iam-parity';

const admin: Principal = { subject: 'admin', role: 'admin', schoolIds: [], learnerIds: [] };

/**
 * What the public function does for a verifier, with the dependencies it has in AWS (its own recorded clients):
 * reads, and audit appends, only — the calls its role in the template allows (DESIGN §5a).
 */
describe('the public function over DynamoDB Local and s3rver', () => {
  let deps: ConnectedDependencies;
  let model: ParityModel;
  let learnerId: string;
  let credentialId: string;
  let listId: string;

  const publicCallsDuring = async <T>(work: () => Promise<T>): Promise<{ result: T; calls: AwsCall[] }> => {
    const before = deps.awsCalls.length;
    const result = await work();
    return { result, calls: deps.awsCalls.slice(before).filter((call) => call.function === 'public') };
  };

  beforeAll(async () => {
    model = parityModel();
    deps = await connectedDependencies({ clock: '2026-09-01T12:00:00Z' });
    const api = deps.as('api');
    const issuer = await createIssuer(api, { name: 'Riverside High', schoolId: 'hs' });
    const achievement = await createAchievement(api, admin, {
      issuerId: issuer.id,
      name: 'OSHA 10',
      description: 'Safety',
      criteria: { narrative: 'Course' },
    });
    learnerId = (
      await createLearner(api, admin, {
        sourcedId: 'PUB-1',
        schoolId: 'hs',
        givenName: 'Sam',
        familyName: 'Rivera',
        birthDate: '2008-02-01',
        role: 'student',
      })
    ).id;
    const issued = await issueCredential(api, admin, { learnerId, achievementId: achievement.id, source: 'api' });
    credentialId = issued.id;
    listId = String((issued.credential!['credentialStatus'] as { statusListCredential: string }).statusListCredential.split('/').pop());
  });

  it('serves a brand-new status list signed, with one GetItem: no Sign, no UpdateItem', async () => {
    // Act
    const { result, calls } = await publicCallsDuring(() => currentStatusListCredential(deps.as('public'), listId));

    // Assess
    expect(result['type']).toContain('BitstringStatusListCredential');
    expect(JSON.stringify(result['proof'])).toMatch(/"proofValue":"z/);
    expect(calls.map((call) => call.action)).toEqual(['dynamodb:GetItem']);
    expect(describeDenials((await checkParity(calls, model)).denials)).toBe('');
  });

  it('opens a CLR link as signed when it was made, appending the view to the audit partition only', async () => {
    // Prepare
    const link = await createClrShare(deps.as('api'), admin, learnerId, { expiresInDays: 30 });

    // Act
    const { result, calls } = await publicCallsDuring(() => openClrShare(deps.as('public'), link.token));

    // Assess
    expect(result['type']).toEqual(['VerifiableCredential', 'ClrCredential']);
    expect(calls.map((call) => call.action)).not.toContain('kms:Sign');
    expect(calls.filter((call) => call.action === 'dynamodb:PutItem').flatMap((call) => call.leadingKeys)).toEqual([`AUDIT#${learnerId}`]);
    expect(describeDenials((await checkParity(calls, model)).denials)).toBe('');
  });

  it('bakes a shared credential into its SVG badge without writing to a bucket', async () => {
    // Prepare
    const link = await createShare(deps.as('api'), admin, credentialId, { expiresInDays: 30 });

    // Act
    const { result, calls } = await publicCallsDuring(async () => {
      const shared = await openShare(deps.as('public'), link.token);
      return bakedCredentialImage(deps.as('public'), shared.record, 'svg');
    });

    // Assess
    expect(new TextDecoder().decode(result)).toContain(credentialId);
    expect(calls.map((call) => call.action).filter((action) => action === 's3:PutObject')).toEqual([]);
    expect(describeDenials((await checkParity(calls, model)).denials)).toBe('');
  });
});
