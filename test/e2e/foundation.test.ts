import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '#test/local-stack';

describe('the local stack over HTTP', () => {
  let stack: TestStack;
  let adminToken: string;

  beforeAll(async () => {
    stack = await startTestStack();
    adminToken = await stack.tokenFor({ sub: 'e2e-admin', role: 'admin' });
  });
  afterAll(async () => stack?.dispose());

  it('answers /health', async () => {
    // Act
    const response = await stack.call('/health');

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('tells scripts where the embedded services are', async () => {
    // Act
    const config = (await (await stack.call('/local/config')).json()) as Record<string, string>;

    // Assess
    expect(config['s3Endpoint']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(config['dynamoEndpoint']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(config).toMatchObject({
      apiUrl: stack.url,
      dropBucket: 'merit-drops',
      imagesBucket: 'merit-images',
      reportsBucket: 'merit-reports',
      tableName: 'merit',
    });
  });

  it('lets a staff route through with a valid token of the right role (200), not without one (401)', async () => {
    // Act
    const withToken = await stack.call('/issuers', { token: adminToken });
    const withoutToken = await stack.call('/issuers');
    const withForgedToken = await stack.call('/issuers', { token: `${adminToken.slice(0, -4)}AAAA` });

    // Assess
    expect(withToken.status).toBe(200);
    const body = (await withToken.json()) as { items: Array<{ name: string }> };
    expect(body.items.map((issuer) => issuer.name)).toContain('Riverside Unified School District');
    expect(withoutToken.status).toBe(401);
    expect(await withoutToken.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(withForgedToken.status).toBe(401);
  });

  it('refuses a valid token whose membership lacks the role (403)', async () => {
    // Prepare
    const learnerToken = await stack.tokenFor({ sub: 'e2e-learner', role: 'learner', learnerId: 'someone' });

    // Act
    const response = await stack.call('/issuers', { token: learnerToken });

    // Assess
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  describe('bad input gets a 4xx in the error shape, never a 500', () => {
    const post = (path: string, body: string, contentType = 'application/json') =>
      stack.call(path, { method: 'POST', token: adminToken, headers: { 'content-type': contentType }, body });

    it.each([
      ['malformed JSON', () => post('/achievements', '{"name": '), 400, 'invalid_request'],
      ['wrong types', () => post('/achievements', JSON.stringify({ issuerId: 7, name: [], description: true })), 400, 'invalid_request'],
      ['an unknown field', () => post('/issuers', JSON.stringify({ name: 'X', admin: true })), 400, 'invalid_request'],
      ['deeply nested JSON', () => post('/issuers', `${'['.repeat(5000)}${']'.repeat(5000)}`), 400, 'invalid_request'],
      ['a body over the limit', () => post('/issuers', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) })), 413, 'payload_too_large'],
      ['a body over API Gateway’s 10 MB', () => post('/issuers', 'x'.repeat(11 * 1024 * 1024)), 413, 'payload_too_large'],
      ['the wrong content type', () => post('/issuers', 'name=x', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type'],
      ['a bad cursor', () => stack.call('/issuers?cursor=not-ours', { token: adminToken }), 400, 'invalid_request'],
      ['a limit out of range', () => stack.call('/issuers?limit=1000', { token: adminToken }), 400, 'invalid_request'],
      ['an unknown route', () => stack.call('/nowhere'), 404, 'not_found'],
      ['an unknown id', () => stack.call('/issuers/does-not-exist'), 404, 'not_found'],
    ] as const)('%s', async (_name, request, status, code) => {
      // Act
      const response = await request();

      // Assess
      expect(response.status).toBe(status);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(0);
      expect(JSON.stringify(body)).not.toMatch(/\bat \w+ \(|node_modules|\.ts:\d+/);
    });

    it('lists the offending fields in details', async () => {
      // Act
      const response = await post('/learners', JSON.stringify({ sourcedId: 'S1', givenName: '', birthDate: '2015-02-30' }));

      // Assess
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { details: Array<{ field: string }> } };
      expect(body.error.details.map((detail) => detail.field)).toEqual(expect.arrayContaining(['givenName', 'familyName', 'birthDate']));
    });
  });
});
