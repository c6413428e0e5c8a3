import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#http/routes';
import { startTestStack, type TestStack } from '#test/local-stack';

/**
 * Every route, called by every kind of caller. Cross-school and cross-learner access is always denied.
 * `allowed` lists who gets a 2xx; everyone else must get 401 (no token) or 403 — never a 2xx, never a 500.
 */
type Caller = 'admin' | 'issuerSameSchool' | 'issuerOtherSchool' | 'viewer' | 'learner' | 'otherLearner' | 'guardian' | 'anonymous';
const callers: Caller[] = ['admin', 'issuerSameSchool', 'issuerOtherSchool', 'viewer', 'learner', 'otherLearner', 'guardian', 'anonymous'];
const everyone = callers;

interface Fixture {
  bulkJobId: string;
  pathwayId: string;
  signedCredential: unknown;
  issuerId: string;
  achievementId: string;
  learnerId: string;
  credentialId: string;
  listId: string;
  shareToken: string;
}

interface Case {
  operationId: string;
  allowed: Caller[];
  /** Callers who get 404, not 403: the route does not confirm that what they may not see exists. */
  hidden?: Caller[];
  /** Builds the request; called once per caller, so destructive routes can prepare their own target. */
  request: (fixture: Fixture, stack: TestStack, caller: Caller) => Promise<{ method: string; path: string; body?: unknown }>;
}

const json = (method: string, path: string, body?: unknown) => Promise.resolve({ method, path, ...(body !== undefined ? { body } : {}) });

describe('the authorization matrix', () => {
  let stack: TestStack;
  let fixture: Fixture;
  const tokens = new Map<Caller, string>();
  let adminToken: string;

  const call = async (request: { method: string; path: string; body?: unknown }, token?: string) =>
    stack.call(request.path, {
      method: request.method,
      ...(token ? { token } : {}),
      ...(request.body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(request.body) } : {}),
    });

  const adminJson = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await call({ method, path, body }, adminToken);
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  const newLearner = (sourcedId: string) =>
    adminJson<{ id: string }>('POST', '/learners', {
      sourcedId,
      schoolId: 'lincoln',
      givenName: 'Test',
      familyName: 'Learner',
      birthDate: '2009-01-01',
      role: 'student',
    });

  beforeAll(async () => {
    stack = await startTestStack();
    adminToken = await stack.tokenFor({ sub: 'm-admin', role: 'admin' });
    const issuer = (await adminJson<{ items: Array<{ id: string; schoolId?: string }> }>('GET', '/issuers?limit=100')).items.find(
      (item) => item.schoolId === 'lincoln',
    )!;
    const achievement = await adminJson<{ id: string }>('POST', '/achievements', {
      issuerId: issuer.id,
      name: 'Matrix',
      description: 'd',
      criteria: { narrative: 'n' },
      creditsAvailable: 2,
    });
    const learner = await newLearner('MATRIX-1');
    const other = await newLearner('MATRIX-2');
    const issued = await adminJson<{ id: string; credential: { credentialStatus: { statusListCredential: string } } }>(
      'POST',
      '/credentials',
      { learnerId: learner.id, achievementId: achievement.id },
    );
    const capstone = await adminJson<{ id: string }>('POST', '/achievements', {
      issuerId: issuer.id,
      name: 'Matrix capstone',
      description: 'd',
      criteria: { narrative: 'n' },
    });
    const pathway = await adminJson<{ id: string }>('POST', '/pathways', {
      issuerId: issuer.id,
      name: 'Matrix pathway',
      capstoneAchievementId: capstone.id,
      requirement: { achievementId: achievement.id },
    });
    const share = await adminJson<{ token: string }>('POST', `/credentials/${issued.id}/shares`, {});
    // The bulk job is a Lincoln issuer's upload: theirs and their school's to see.
    tokens.set('issuerSameSchool', await stack.tokenFor({ sub: 'm-issuer', role: 'issuer', schoolIds: ['lincoln'] }));
    const uploadResponse = await call(
      { method: 'POST', path: '/bulk-jobs/uploads', body: { fileName: 'matrix.csv' } },
      tokens.get('issuerSameSchool'),
    );
    const upload = (await uploadResponse.json()) as { uploadUrl: string; key: string };
    await fetch(upload.uploadUrl, {
      method: 'PUT',
      headers: { 'content-type': 'text/csv' },
      body: 'student_id,first_name,last_name,achievement\n',
    });
    let bulkJobId: string | undefined;
    for (let attempt = 0; attempt < 100 && !bulkJobId; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Completed, so that its report is there to read too.
      bulkJobId = (await adminJson<{ items: Array<{ id: string; sourceKey: string; status: string }> }>('GET', '/bulk-jobs')).items.find(
        (job) => job.sourceKey === upload.key && job.status === 'completed',
      )?.id;
    }
    fixture = {
      bulkJobId: bulkJobId!,
      pathwayId: pathway.id,
      signedCredential: issued.credential,
      issuerId: issuer.id,
      achievementId: achievement.id,
      learnerId: learner.id,
      credentialId: issued.id,
      listId: issued.credential.credentialStatus.statusListCredential.split('/').pop()!,
      shareToken: share.token,
    };
    tokens.set('admin', adminToken);
    tokens.set('issuerOtherSchool', await stack.tokenFor({ sub: 'm-issuer-2', role: 'issuer', schoolIds: ['roosevelt'] }));
    tokens.set('viewer', await stack.tokenFor({ sub: 'm-viewer', role: 'viewer', schoolIds: ['lincoln'] }));
    tokens.set('learner', await stack.tokenFor({ sub: 'm-learner', role: 'learner', learnerId: learner.id }));
    tokens.set('otherLearner', await stack.tokenFor({ sub: 'm-learner-2', role: 'learner', learnerId: other.id }));
    tokens.set('guardian', await stack.tokenFor({ sub: 'm-guardian', role: 'guardian', learnerIds: [learner.id] }));
  });
  afterAll(async () => stack?.dispose());

  const cases: Case[] = [
    { operationId: 'health', allowed: everyone, request: () => json('GET', '/health') },
    { operationId: 'openApi', allowed: everyone, request: () => json('GET', '/openapi.json') },
    { operationId: 'getIssuerProfile', allowed: everyone, request: (f) => json('GET', `/issuers/${f.issuerId}`) },
    { operationId: 'getIssuerDidDocument', allowed: everyone, request: (f) => json('GET', `/issuers/${f.issuerId}/did.json`) },
    { operationId: 'getAchievementPage', allowed: everyone, request: (f) => json('GET', `/achievements/${f.achievementId}`) },
    { operationId: 'getStatusList', allowed: everyone, request: (f) => json('GET', `/status/${f.listId}`) },
    { operationId: 'getSharedCredential', allowed: everyone, request: (f) => json('GET', `/shared/${f.shareToken}`) },
    { operationId: 'getPathwayPage', allowed: everyone, request: (f) => json('GET', `/pathways/${f.pathwayId}`) },
    { operationId: 'verify', allowed: everyone, request: (f) => json('POST', '/verify', f.signedCredential) },
    {
      operationId: 'verifyCredentialVcApi',
      allowed: everyone,
      request: (f) => json('POST', '/credentials/verify', { verifiableCredential: f.signedCredential }),
    },
    {
      operationId: 'createPathway',
      allowed: ['admin', 'issuerSameSchool'],
      request: async (f) => {
        const capstone = await adminJson<{ id: string }>('POST', '/achievements', {
          issuerId: f.issuerId,
          name: 'Another capstone',
          description: 'd',
          criteria: { narrative: 'n' },
        });
        return {
          method: 'POST',
          path: '/pathways',
          body: { issuerId: f.issuerId, name: 'M', capstoneAchievementId: capstone.id, requirement: { achievementId: f.achievementId } },
        };
      },
    },
    {
      operationId: 'updatePathway',
      allowed: ['admin', 'issuerSameSchool'],
      request: (f) => json('PATCH', `/pathways/${f.pathwayId}`, { description: 'Updated' }),
    },
    {
      operationId: 'getLearnerPathways',
      allowed: ['admin', 'issuerSameSchool', 'viewer', 'learner', 'guardian'],
      request: (f) => json('GET', `/learners/${f.learnerId}/pathways`),
    },
    {
      operationId: 'createClrShare',
      allowed: ['admin', 'learner', 'guardian'],
      request: (f) => json('POST', `/learners/${f.learnerId}/clr/shares`, { expiresInDays: 7 }),
    },
    {
      operationId: 'withdrawClrShare',
      allowed: ['admin', 'learner', 'guardian'],
      request: async (f) => {
        const { token } = await adminJson<{ token: string }>('POST', `/learners/${f.learnerId}/clr/shares`, {});
        return { method: 'DELETE', path: `/learners/${f.learnerId}/clr/shares/${token}` };
      },
    },
    {
      operationId: 'getLearnerClr',
      allowed: ['admin', 'issuerSameSchool', 'viewer', 'learner', 'guardian'],
      request: (f) => json('GET', `/learners/${f.learnerId}/clr`),
    },
    {
      operationId: 'createIssuer',
      allowed: ['admin'],
      request: () => json('POST', '/issuers', { name: 'Another school', schoolId: 'other' }),
    },
    { operationId: 'listIssuers', allowed: ['admin'], request: () => json('GET', '/issuers') },
    {
      operationId: 'updateIssuer',
      allowed: ['admin'],
      request: (f) => json('PATCH', `/issuers/${f.issuerId}`, { url: 'https://lincoln.riverside.example.org' }),
    },
    {
      operationId: 'createAchievement',
      allowed: ['admin', 'issuerSameSchool'],
      request: (f) => json('POST', '/achievements', { issuerId: f.issuerId, name: 'X', description: 'd', criteria: { narrative: 'n' } }),
    },
    {
      operationId: 'listAchievements',
      allowed: ['admin', 'issuerSameSchool', 'issuerOtherSchool'],
      request: () => json('GET', '/achievements'),
    },
    {
      operationId: 'updateAchievement',
      allowed: ['admin', 'issuerSameSchool'],
      request: (f) => json('PATCH', `/achievements/${f.achievementId}`, { description: 'Updated' }),
    },
    {
      operationId: 'createLearner',
      allowed: ['admin', 'issuerSameSchool'],
      request: (_f, _s, caller) =>
        json('POST', '/learners', { sourcedId: `NEW-${caller}`, schoolId: 'lincoln', givenName: 'N', familyName: 'L', role: 'student' }),
    },
    {
      operationId: 'findLearners',
      allowed: ['admin', 'issuerSameSchool', 'issuerOtherSchool', 'viewer'],
      request: () => json('GET', '/learners?sourcedId=MATRIX-1'),
    },
    {
      operationId: 'getLearner',
      allowed: ['admin', 'issuerSameSchool', 'viewer'],
      request: (f) => json('GET', `/learners/${f.learnerId}`),
    },
    {
      operationId: 'issueCredential',
      allowed: ['admin', 'issuerSameSchool'],
      request: (f) => json('POST', '/credentials', { learnerId: f.learnerId, achievementId: f.achievementId, source: 'matrix' }),
    },
    {
      operationId: 'getCredential',
      allowed: ['admin', 'issuerSameSchool', 'viewer', 'learner', 'guardian'],
      request: (f) => json('GET', `/credentials/${f.credentialId}`),
    },
    {
      operationId: 'listLearnerCredentials',
      allowed: ['admin', 'issuerSameSchool', 'viewer', 'learner', 'guardian'],
      request: (f) => json('GET', `/learners/${f.learnerId}/credentials`),
    },
    {
      operationId: 'createShare',
      allowed: ['admin', 'learner', 'guardian'],
      request: (f) => json('POST', `/credentials/${f.credentialId}/shares`, { expiresInDays: 7 }),
    },
    {
      operationId: 'withdrawShare',
      allowed: ['admin', 'learner', 'guardian'],
      request: async (f) => {
        const { token } = await adminJson<{ token: string }>('POST', `/credentials/${f.credentialId}/shares`, {});
        return { method: 'DELETE', path: `/credentials/${f.credentialId}/shares/${token}` };
      },
    },
    {
      operationId: 'recordConsent',
      allowed: ['admin', 'guardian'],
      request: (f) => json('POST', `/learners/${f.learnerId}/consent`, { granted: true, by: 'Parent', method: 'form' }),
    },
    {
      operationId: 'getPdReport',
      allowed: ['admin', 'learner'],
      request: (f) => json('GET', `/reports/pd?learnerId=${f.learnerId}&from=2020-01-01&to=2030-12-31`),
    },
    { operationId: 'getAuditTrail', allowed: ['admin'], request: (f) => json('GET', `/audit?learnerId=${f.learnerId}`) },
    {
      operationId: 'deleteLearner',
      allowed: ['admin', 'learner', 'guardian'],
      // Each caller gets a learner of their own to (try to) delete; learner and guardian are linked to it.
      request: async (_f, s, caller) => {
        const target = await newLearner(`DEL-${caller}`);
        if (caller === 'learner' || caller === 'guardian') {
          tokens.set(caller, await s.tokenFor({ sub: `m-${caller}`, role: caller, learnerIds: [target.id] }));
        }
        return { method: 'DELETE', path: `/learners/${target.id}` };
      },
    },
    {
      operationId: 'createBulkUpload',
      allowed: ['admin', 'issuerSameSchool', 'issuerOtherSchool'],
      request: () => json('POST', '/bulk-jobs/uploads', {}),
    },
    { operationId: 'listBulkJobs', allowed: ['admin', 'issuerSameSchool', 'issuerOtherSchool'], request: () => json('GET', '/bulk-jobs') },
    {
      operationId: 'getBulkJob',
      allowed: ['admin', 'issuerSameSchool'],
      hidden: ['issuerOtherSchool'],
      request: (f) => json('GET', `/bulk-jobs/${f.bulkJobId}`),
    },
    {
      operationId: 'getBulkJobReport',
      allowed: ['admin', 'issuerSameSchool'],
      hidden: ['issuerOtherSchool'],
      request: (f) => json('GET', `/bulk-jobs/${f.bulkJobId}/report`),
    },
    {
      operationId: 'revokeCredential',
      allowed: ['admin', 'issuerSameSchool'],
      request: (f) => json('POST', `/credentials/${f.credentialId}/revoke`, { reason: 'matrix test' }),
    },
  ];

  it('covers every route of the route table', () => {
    expect(cases.map((c) => c.operationId).sort()).toEqual(routes.map((route) => route.operationId).sort());
  });

  describe.each(cases)('$operationId', (testCase) => {
    it.each(callers)('as %s', async (caller) => {
      // Prepare
      const request = await testCase.request(fixture, stack, caller);

      // Act
      const response = await call(request, tokens.get(caller));

      // Assess
      if (testCase.allowed.includes(caller)) {
        expect(response.status, await response.clone().text()).toBeLessThan(300);
      } else if (testCase.hidden?.includes(caller)) {
        expect(response.status).toBe(404);
      } else {
        expect(response.status).toBe(caller === 'anonymous' ? 401 : 403);
      }
    });
  });
});
