import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#http/routes';
import { startTestStack, type TestStack } from '#test/local-stack';

/**
 * Every operation's happy path over the local stack, each answer checked against what `/openapi.json` says of it:
 * a documented success status, a documented media type, and (for JSON) a body that validates against the
 * response schema. A route that answers something its description does not say fails here.
 */
type JsonSchema = Record<string, unknown>;
interface MediaTypeObject {
  schema: JsonSchema;
}
interface OperationObject {
  operationId: string;
  responses: Record<string, { content?: Record<string, MediaTypeObject> }>;
}
interface OpenApi {
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, JsonSchema> };
}

interface Fixture {
  issuerId: string;
  achievementId: string;
  learnerId: string;
  credentialId: string;
  signedCredential: Record<string, unknown>;
  listId: string;
  shareToken: string;
  clrShareToken: string;
  pathwayId: string;
  bulkJobId: string;
}

interface Request {
  method: string;
  path: string;
  body?: unknown;
  accept?: string;
}

interface Case {
  operationId: string;
  /** What the call asks for, when one route has several representations. */
  variant?: string;
  request: (fixture: Fixture) => Promise<Request> | Request;
}

const get = (path: string, accept?: string): Request => ({ method: 'GET', path, ...(accept ? { accept } : {}) });
const send = (method: string, path: string, body?: unknown): Request => ({ method, path, ...(body !== undefined ? { body } : {}) });

describe('the API answers as /openapi.json describes it', () => {
  let stack: TestStack;
  let adminToken: string;
  let fixture: Fixture;
  let document: OpenApi;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);

  const call = (request: Request, token: string | undefined) =>
    stack.call(request.path, {
      method: request.method,
      ...(token ? { token } : {}),
      headers: {
        ...(request.accept ? { accept: request.accept } : {}),
        ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    });

  const adminJson = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await call(send(method, path, body), adminToken);
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  const newLearner = (sourcedId: string) =>
    adminJson<{ id: string }>('POST', '/learners', {
      sourcedId,
      schoolId: 'lincoln',
      givenName: 'Open',
      familyName: 'Api',
      birthDate: '2009-01-01',
      role: 'student',
    });

  beforeAll(async () => {
    stack = await startTestStack();
    adminToken = await stack.tokenFor({ sub: 'openapi-admin', role: 'admin' });
    document = (await (await stack.call('/openapi.json')).json()) as OpenApi;
    const issuer = (await adminJson<{ items: Array<{ id: string; schoolId?: string }> }>('GET', '/issuers?limit=100')).items.find(
      (item) => item.schoolId === 'lincoln',
    )!;
    const achievement = await adminJson<{ id: string }>('POST', '/achievements', {
      issuerId: issuer.id,
      name: 'Described',
      description: 'd',
      criteria: { narrative: 'n' },
      creditsAvailable: 2,
    });
    const capstone = await adminJson<{ id: string }>('POST', '/achievements', {
      issuerId: issuer.id,
      name: 'Described capstone',
      description: 'd',
      criteria: { narrative: 'n' },
    });
    const learner = await newLearner('OPENAPI-1');
    const issued = await adminJson<{
      id: string;
      credential: Record<string, unknown> & { credentialStatus: { statusListCredential: string } };
    }>('POST', '/credentials', {
      learnerId: learner.id,
      achievementId: achievement.id,
    });
    const pathway = await adminJson<{ id: string }>('POST', '/pathways', {
      issuerId: issuer.id,
      name: 'Described pathway',
      capstoneAchievementId: capstone.id,
      requirement: { achievementId: achievement.id },
    });
    const share = await adminJson<{ token: string }>('POST', `/credentials/${issued.id}/shares`, {});
    const clrShare = await adminJson<{ token: string }>('POST', `/learners/${learner.id}/clr/shares`, {});
    const upload = await adminJson<{ uploadUrl: string; key: string }>('POST', '/bulk-jobs/uploads', { fileName: 'described.csv' });
    await fetch(upload.uploadUrl, {
      method: 'PUT',
      headers: { 'content-type': 'text/csv' },
      body: `student_id,first_name,last_name,achievement\nOPENAPI-1,Open,Api,${achievement.id}\n`,
    });
    let bulkJobId: string | undefined;
    for (let attempt = 0; attempt < 100 && !bulkJobId; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      bulkJobId = (await adminJson<{ items: Array<{ id: string; sourceKey: string; status: string }> }>('GET', '/bulk-jobs')).items.find(
        (job) => job.sourceKey === upload.key && job.status === 'completed',
      )?.id;
    }
    fixture = {
      issuerId: issuer.id,
      achievementId: achievement.id,
      learnerId: learner.id,
      credentialId: issued.id,
      signedCredential: issued.credential,
      listId: issued.credential.credentialStatus.statusListCredential.split('/').pop()!,
      shareToken: share.token,
      clrShareToken: clrShare.token,
      pathwayId: pathway.id,
      bulkJobId: bulkJobId!,
    };
  });
  afterAll(async () => stack?.dispose());

  const json = 'application/json';
  const cases: Case[] = [
    { operationId: 'health', request: () => get('/health') },
    { operationId: 'openApi', request: () => get('/openapi.json') },
    { operationId: 'getIssuerProfile', request: (f) => get(`/issuers/${f.issuerId}`) },
    { operationId: 'getIssuerDidDocument', request: (f) => get(`/issuers/${f.issuerId}/did.json`) },
    { operationId: 'getStatusList', request: (f) => get(`/status/${f.listId}`) },
    { operationId: 'getSharedCredential', variant: 'credential JSON', request: (f) => get(`/shared/${f.shareToken}`, json) },
    { operationId: 'getSharedCredential', variant: 'credential page', request: (f) => get(`/shared/${f.shareToken}`, 'text/html') },
    { operationId: 'getSharedCredential', variant: 'baked badge', request: (f) => get(`/shared/${f.shareToken}?format=png`) },
    { operationId: 'getSharedCredential', variant: 'CLR JSON', request: (f) => get(`/shared/${f.clrShareToken}?format=json`) },
    { operationId: 'getAchievementPage', variant: 'JSON-LD', request: (f) => get(`/achievements/${f.achievementId}`, json) },
    { operationId: 'getAchievementPage', variant: 'page', request: (f) => get(`/achievements/${f.achievementId}`, 'text/html') },
    { operationId: 'getPathwayPage', variant: 'JSON', request: (f) => get(`/pathways/${f.pathwayId}`, json) },
    { operationId: 'getPathwayPage', variant: 'page', request: (f) => get(`/pathways/${f.pathwayId}`, 'text/html') },
    { operationId: 'verify', request: (f) => send('POST', '/verify', { credential: f.signedCredential }) },
    {
      operationId: 'verifyCredentialVcApi',
      request: (f) => send('POST', '/credentials/verify', { verifiableCredential: f.signedCredential }),
    },
    {
      operationId: 'createIssuer',
      request: () => send('POST', '/issuers', { name: 'Described school', schoolId: 'described', sisSchoolCodes: ['9001'] }),
    },
    { operationId: 'listIssuers', request: () => get('/issuers?limit=5') },
    {
      operationId: 'updateIssuer',
      request: (f) => send('PATCH', `/issuers/${f.issuerId}`, { url: 'https://lincoln.riverside.example.org' }),
    },
    {
      operationId: 'createAchievement',
      request: (f) =>
        send('POST', '/achievements', {
          issuerId: f.issuerId,
          name: 'X',
          description: 'd',
          criteria: { narrative: 'n' },
          code: 'described-x',
          tags: ['t'],
        }),
    },
    { operationId: 'listAchievements', request: (f) => get(`/achievements?issuerId=${f.issuerId}&limit=2`) },
    { operationId: 'updateAchievement', request: (f) => send('PATCH', `/achievements/${f.achievementId}`, { description: 'Updated' }) },
    {
      operationId: 'createLearner',
      request: () =>
        send('POST', '/learners', {
          sourcedId: 'OPENAPI-NEW',
          schoolId: 'lincoln',
          givenName: 'N',
          familyName: 'L',
          email: 'n.l@riverside.example.org',
        }),
    },
    { operationId: 'findLearners', request: () => get('/learners?sourcedId=OPENAPI-1') },
    { operationId: 'getLearner', request: (f) => get(`/learners/${f.learnerId}`) },
    {
      operationId: 'recordConsent',
      request: (f) => send('POST', `/learners/${f.learnerId}/consent`, { granted: true, by: 'Parent', method: 'form' }),
    },
    {
      operationId: 'issueCredential',
      request: (f) => send('POST', '/credentials', { learnerId: f.learnerId, achievementId: f.achievementId, source: 'described' }),
    },
    { operationId: 'getCredential', variant: 'JSON', request: (f) => get(`/credentials/${f.credentialId}`) },
    { operationId: 'getCredential', variant: 'baked badge', request: (f) => get(`/credentials/${f.credentialId}?format=svg`) },
    { operationId: 'listLearnerCredentials', request: (f) => get(`/learners/${f.learnerId}/credentials?limit=1`) },
    { operationId: 'createShare', request: (f) => send('POST', `/credentials/${f.credentialId}/shares`, { expiresInDays: 7 }) },
    {
      operationId: 'withdrawShare',
      request: async (f) => {
        const { token } = await adminJson<{ token: string }>('POST', `/credentials/${f.credentialId}/shares`, {});
        return send('DELETE', `/credentials/${f.credentialId}/shares/${token}`);
      },
    },
    {
      operationId: 'createClrShare',
      request: (f) => send('POST', `/learners/${f.learnerId}/clr/shares`, { expiresInDays: 7, credentialIds: [f.credentialId] }),
    },
    {
      operationId: 'withdrawClrShare',
      request: async (f) => {
        const { token } = await adminJson<{ token: string }>('POST', `/learners/${f.learnerId}/clr/shares`, {});
        return send('DELETE', `/learners/${f.learnerId}/clr/shares/${token}`);
      },
    },
    { operationId: 'getLearnerClr', request: (f) => get(`/learners/${f.learnerId}/clr?credentialIds=${f.credentialId}`) },
    { operationId: 'getLearnerPathways', request: (f) => get(`/learners/${f.learnerId}/pathways`) },
    {
      operationId: 'createPathway',
      request: async (f) => {
        const capstone = await adminJson<{ id: string }>('POST', '/achievements', {
          issuerId: f.issuerId,
          name: 'Another capstone',
          description: 'd',
          criteria: { narrative: 'n' },
        });
        return send('POST', '/pathways', {
          issuerId: f.issuerId,
          name: 'P',
          capstoneAchievementId: capstone.id,
          requirement: { nOf: { n: 1, of: [{ achievementId: f.achievementId }] } },
        });
      },
    },
    { operationId: 'updatePathway', request: (f) => send('PATCH', `/pathways/${f.pathwayId}`, { description: 'Updated' }) },
    {
      operationId: 'getPdReport',
      variant: 'one staff member',
      request: (f) => get(`/reports/pd?learnerId=${f.learnerId}&from=2020-01-01&to=2030-12-31`),
    },
    { operationId: 'getPdReport', variant: 'a school', request: () => get('/reports/pd?schoolId=lincoln&from=2020-01-01&to=2030-12-31') },
    {
      operationId: 'getPdReport',
      variant: 'CSV',
      request: (f) => get(`/reports/pd?learnerId=${f.learnerId}&from=2020-01-01&to=2030-12-31&format=csv`),
    },
    { operationId: 'getAuditTrail', variant: 'JSON', request: (f) => get(`/audit?learnerId=${f.learnerId}&limit=3`) },
    { operationId: 'getAuditTrail', variant: 'CSV', request: (f) => get(`/audit?learnerId=${f.learnerId}`, 'text/csv') },
    { operationId: 'createBulkUpload', request: () => send('POST', '/bulk-jobs/uploads', {}) },
    { operationId: 'listBulkJobs', request: () => get('/bulk-jobs?limit=10') },
    { operationId: 'getBulkJob', request: (f) => get(`/bulk-jobs/${f.bulkJobId}`) },
    { operationId: 'getBulkJobReport', request: (f) => get(`/bulk-jobs/${f.bulkJobId}/report`) },
    { operationId: 'revokeCredential', request: (f) => send('POST', `/credentials/${f.credentialId}/revoke`, { reason: 'described' }) },
    { operationId: 'deleteLearner', request: async () => send('DELETE', `/learners/${(await newLearner('OPENAPI-DEL')).id}`) },
  ];

  it('calls every operation of the route table', () => {
    expect([...new Set(cases.map((c) => c.operationId))].sort()).toEqual(routes.map((route) => route.operationId).sort());
  });

  const operationNamed = (operationId: string): OperationObject => {
    const found = Object.values(document.paths)
      .flatMap((methods) => Object.values(methods))
      .find((operation) => operation.operationId === operationId);
    if (!found) throw new Error(`${operationId} is not in /openapi.json`);
    return found;
  };

  describe.each(cases.map((c) => ({ ...c, name: c.variant ? `${c.operationId} (${c.variant})` : c.operationId })))('$name', (testCase) => {
    it('answers a documented status, media type and body', async () => {
      // Prepare
      const request = await testCase.request(fixture);
      const route = routes.find((candidate) => candidate.operationId === testCase.operationId)!;

      // Act
      const response = await call(request, route.access === 'public' ? undefined : adminToken);

      // Assess
      const described = operationNamed(testCase.operationId).responses[String(response.status)];
      expect(response.status, await response.clone().text()).toBeLessThan(300);
      expect(described, `status ${response.status} is not described`).toBeDefined();
      if (response.status === 204) {
        expect(described!.content).toBeUndefined();
        return;
      }
      const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
      const content = described!.content?.[mediaType];
      expect(content, `${mediaType} is not described (described: ${Object.keys(described!.content ?? {}).join(', ')})`).toBeDefined();
      if (!/(^application\/json$|\+json$)/.test(mediaType)) {
        expect(content!.schema['type']).toBe('string');
        expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
        return;
      }
      const validate = ajv.compile({ ...content!.schema, components: document.components });
      const body: unknown = await response.json();
      expect(validate(body), JSON.stringify(validate.errors, null, 1)).toBe(true);
    });
  });
});
