import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '#test/local-stack';

const hsts = 'max-age=63072000; includeSubDomains';
const asCursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('small HTTP holes, over the local stack', () => {
  let stack: TestStack;
  let adminToken: string;
  let issuerId: string;
  let learnerId: string;

  beforeAll(async () => {
    stack = await startTestStack();
    adminToken = await stack.tokenFor({ sub: 'hardening-admin', role: 'admin' });
    const issuers = (await (await stack.call('/issuers', { token: adminToken })).json()) as { items: Array<{ id: string }> };
    issuerId = issuers.items[0]!.id;
    const learner = await stack.call('/learners', {
      method: 'POST',
      token: adminToken,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sourcedId: 'HARD-1', schoolId: 'hs', givenName: 'Ada', familyName: 'Quinn', birthDate: '2008-05-01' }),
    });
    learnerId = ((await learner.json()) as { id: string }).id;
  });
  afterAll(async () => stack?.dispose());

  it.each([
    ['a public answer', () => stack.call('/health'), 200],
    ['a public page', () => stack.call(`/issuers/${issuerId}`), 200],
    ['a staff answer', () => stack.call('/issuers', { token: adminToken }), 200],
    ['a staff error', () => stack.call('/issuers?limit=0', { token: adminToken }), 400],
    ['a public error', () => stack.call('/issuers/no-such-issuer'), 404],
  ] as const)('sends HSTS on %s', async (_name, request, status) => {
    // Act
    const response = await request();

    // Assess
    expect(response.status).toBe(status);
    expect(response.headers.get('strict-transport-security')).toBe(hsts);
  });

  describe('a crafted cursor is a 400, never a 500', () => {
    const lists = () => ['/issuers', '/achievements', '/bulk-jobs', `/audit?learnerId=${learnerId}`, `/learners/${learnerId}/credentials`];
    const crafted = [
      ['a key of the wrong type', asCursor({ pk: 1 })],
      ['a key with a DynamoDB-typed value', asCursor({ k: { pk: { S: 'ISSUER#x' }, sk: 'x' }, q: 'x' })],
      ['a key of the right shape for no query', asCursor({ k: { pk: 'ISSUER#x', sk: 'PROFILE' }, q: 'AAAAAAAAAAAAAAAA' })],
      ['an array', asCursor([1, 2])],
      ['JSON null', asCursor(null)],
    ] as const;

    it.each(crafted)('%s, on every paged list', async (_name, cursor) => {
      for (const path of lists()) {
        // Act
        const response = await stack.call(`${path}${path.includes('?') ? '&' : '?'}cursor=${cursor}`, { token: adminToken });

        // Assess
        expect({ path, status: response.status }).toEqual({ path, status: 400 });
        expect(await response.json()).toMatchObject({ error: { code: 'invalid_request', details: [{ field: 'cursor' }] } });
      }
    });

    it('refuses a cursor one list gave out on another list, and takes it on its own', async () => {
      // Prepare: two achievements, so a page of one has a next cursor
      for (const name of ['Cursor One', 'Cursor Two']) {
        const created = await stack.call('/achievements', {
          method: 'POST',
          token: adminToken,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ issuerId, name, description: 'd', criteria: { narrative: 'n' } }),
        });
        expect(created.status).toBe(201);
      }
      const first = (await (await stack.call('/achievements?limit=1', { token: adminToken })).json()) as { nextCursor?: string };
      expect(first.nextCursor).toEqual(expect.any(String));

      // Act
      const own = await stack.call(`/achievements?limit=1&cursor=${first.nextCursor}`, { token: adminToken });
      const other = await stack.call(`/issuers?limit=1&cursor=${first.nextCursor}`, { token: adminToken });

      // Assess
      expect(own.status).toBe(200);
      expect(other.status).toBe(400);
    });
  });

  it.each(['/achievements/%E0%A4%A', '/issuers/%ZZ/did.json', '/learners/%E0%A4%A'])(
    'answers a malformed percent escape (%s) with 400',
    async (path) => {
      // Act
      const response = await stack.call(path, { token: adminToken });

      // Assess
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } });
    },
  );

  it('shows no third-party image on the criteria page, and its CSP loads none', async () => {
    // Prepare: an achievement whose image is a tracker on another origin
    const created = await stack.call('/achievements', {
      method: 'POST',
      token: adminToken,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        issuerId,
        name: 'Tracked Badge',
        description: 'd',
        criteria: { narrative: 'n' },
        image: 'https://tracker.example.net/pixel.png?u=1',
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    // Act
    const response = await stack.call(`/achievements/${id}`, { headers: { accept: 'text/html' } });
    const html = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(html).toContain('Tracked Badge');
    expect(html).not.toContain('tracker.example.net');
    expect(html).not.toMatch(/<img/i);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/img-src 'self' data:;/);
    expect(csp).not.toMatch(/https:|\*/);
  });
});
