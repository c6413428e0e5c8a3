import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsCall } from '#local/aws-calls';
import { checkParity, describeDenials, type ParityModel, parityModel } from '#test/iam-parity';
import { startTestStack, type TestStack } from '#test/local-stack';

/**
 * The public routes a verifier uses, on the local stack whose functions record their AWS calls: the public
 * function must serve them with reads (and audit appends) only, as its role in the template allows (DESIGN §5a).
 */
describe('the public function stays read-mostly, as its role allows', () => {
  let stack: TestStack;
  let model: ParityModel;
  let adminToken: string;
  let learnerId: string;
  let credential: { id: string; credential: { credentialStatus: { statusListCredential: string } } };

  const post = <T>(path: string, body: unknown): Promise<T> => stack.postJson<T>(path, body, adminToken);

  /** The calls the public function made while `work` ran. */
  const publicCallsDuring = async (work: () => Promise<Response>): Promise<{ response: Response; calls: AwsCall[] }> => {
    const before = stack.awsCalls.length;
    const response = await work();
    return { response, calls: stack.awsCalls.slice(before).filter((call) => call.function === 'public' && call.action !== 'local:Invoke') };
  };

  beforeAll(async () => {
    model = parityModel();
    stack = await startTestStack();
    adminToken = await stack.tokenFor({ sub: 'parity-admin', role: 'admin' });
    const achievements = (await (await stack.call('/achievements?limit=100', { token: adminToken })).json()) as {
      items: Array<{ id: string; code?: string }>;
    };
    const osha = achievements.items.find((item) => item.code === 'OSHA-10-CONSTRUCTION')!;
    learnerId = (
      await post<{ id: string }>('/learners', {
        sourcedId: 'PARITY-1',
        schoolId: 'hs',
        givenName: 'Mateo',
        familyName: 'Ruiz',
        birthDate: '2008-03-14',
        role: 'student',
      })
    ).id;
    credential = await post('/credentials', { learnerId, achievementId: osha.id });
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('answers GET /status/{listId} of a brand-new list with the signed list, signing nothing and updating nothing', async () => {
    // Prepare: the first credential of the issuer opened the list; nobody has revoked anything from it
    const listPath = new URL(credential.credential.credentialStatus.statusListCredential).pathname;

    // Act
    const { response, calls } = await publicCallsDuring(() => stack.call(listPath));

    // Assess
    expect(response.status).toBe(200);
    const list = (await response.json()) as { type: string[]; proof?: unknown };
    expect(list.type).toContain('BitstringStatusListCredential');
    expect(JSON.stringify(list.proof)).toMatch(/"proofValue":"z/);
    expect(calls.map((call) => call.action)).toEqual(['dynamodb:GetItem']);
    expect(describeDenials((await checkParity(calls, model)).denials)).toBe('');
  });

  it('serves a shared CLR as signed when the link was made: a view signs nothing', async () => {
    // Prepare
    const share = await post<{ token: string }>(`/learners/${learnerId}/clr/shares`, { expiresInDays: 7 });

    // Act
    const { response, calls } = await publicCallsDuring(() => stack.call(`/shared/${share.token}?format=json`));

    // Assess
    expect(response.status).toBe(200);
    const clr = (await response.json()) as { type: string[]; proof?: unknown };
    expect(clr.type).toContain('ClrCredential');
    expect(clr.proof).toBeDefined();
    expect(calls.filter((call) => call.action === 'kms:Sign')).toEqual([]);
    expect(calls.filter((call) => call.action === 'dynamodb:PutItem').flatMap((call) => call.leadingKeys)).toEqual([`AUDIT#${learnerId}`]);
    expect(describeDenials((await checkParity(calls, model)).denials)).toBe('');
  });

  it('bakes the ?format=svg image of a shared credential without putting anything into a bucket', async () => {
    // Prepare
    const share = await post<{ token: string }>(`/credentials/${credential.id}/shares`, { expiresInDays: 7 });

    // Act
    const { response, calls } = await publicCallsDuring(() => stack.call(`/shared/${share.token}?format=svg`));

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('image/svg+xml');
    expect(await response.text()).toContain(credential.id);
    expect(
      calls.filter((call) => call.action.startsWith('s3:') && call.action !== 's3:GetObject' && call.action !== 's3:ListBucket'),
    ).toEqual([]);
    expect(describeDenials((await checkParity(calls, model)).denials)).toBe('');
  });

  it('runs the daily jobs with calls their roles allow: expiry alerts e-mail and publish, retention deletes and re-signs', async () => {
    // Prepare: a credential that expires, held by a learner with an e-mail address
    const achievements = (await (await stack.call('/achievements?limit=100', { token: adminToken })).json()) as {
      items: Array<{ id: string }>;
    };
    const holder = await post<{ id: string }>('/learners', {
      sourcedId: 'PARITY-2',
      schoolId: 'hs',
      givenName: 'Ana',
      familyName: 'Silva',
      birthDate: '2007-01-09',
      email: 'ana.silva@students.riverside.example.org',
      role: 'student',
    });
    await post('/credentials', { learnerId: holder.id, achievementId: achievements.items[1]!.id, validUntil: '2027-06-01T00:00:00Z' });
    const before = stack.awsCalls.length;

    // Act
    const alerts = await post<Record<string, unknown>>('/local/jobs/expiry-alerts', { now: '2027-05-25T06:00:00Z' });
    const retention = await post<Record<string, unknown>>('/local/jobs/retention', { now: '2040-01-01T02:00:00Z' });

    // Assess
    const calls = stack.awsCalls.slice(before);
    const actionsOf = (fn: string) => new Set(calls.filter((call) => call.function === fn).map((call) => call.action));
    expect(JSON.stringify(alerts)).not.toBe('{}');
    expect(JSON.stringify(retention)).not.toBe('{}');
    expect([...actionsOf('expiry-alerts')]).toEqual(expect.arrayContaining(['ses:SendEmail', 'events:PutEvents']));
    expect([...actionsOf('retention')]).toEqual(expect.arrayContaining(['kms:Sign', 'dynamodb:BatchWriteItem']));
    expect(describeDenials((await checkParity(calls, model)).denials)).toBe('');
  });

  it('would refuse a public PutItem outside an audit partition (the key condition holds)', async () => {
    // Prepare: the call a public route would make if it overwrote a learner's profile
    const overwrite: AwsCall = {
      function: 'public',
      trigger: 'GET /shared/{token}',
      action: 'dynamodb:PutItem',
      resource: { kind: 'table' },
      leadingKeys: [`LEARNER#${learnerId}`],
    };

    // Act
    const { denials } = await checkParity([overwrite], model);

    // Assess
    expect(describeDenials(denials)).toContain('public (GET /shared/{token}): dynamodb:PutItem');
  });
});
