import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { Dependencies } from '#config/dependencies';
import { createLogger } from '#config/logger';
import type { Membership } from '#domain/access';
import { createHttpHandler } from '#http/create-handler';
import type { HttpEvent, Operations } from '#http/types';
import { systemClock } from '#ports/clock';
import type { Store } from '#ports/store';

const memberships = new Map<string, Membership>([
  ['admin-1', { role: 'admin', schoolIds: [], learnerIds: [] }],
  ['learner-1', { role: 'learner', schoolIds: [], learnerIds: ['L1'] }],
]);

/** Only memberships are reached by these routes; the rest of the store is never touched. */
const deps = {
  store: { memberships: { find: async (subject: string) => memberships.get(subject), put: async () => undefined } } as unknown as Store,
  clock: systemClock,
  logger: createLogger('test'),
  publicBaseUrl: async () => 'https://credentials.example.org',
  district: { name: 'Test' },
} as unknown as Dependencies;

const operations: Operations = {
  listIssuers: async (context) => ({ statusCode: 200, body: { items: [], who: context.principal?.subject } }),
  createIssuer: async (context) => ({ statusCode: 201, body: { received: context.json } }),
  health: async () => {
    throw new Error('secret detail /home/app/functions/x.ts:12');
  },
};

const event = (routeKey: string, options: { sub?: string; body?: string; contentType?: string } = {}): HttpEvent =>
  ({
    version: '2.0',
    routeKey,
    rawPath: routeKey.split(' ')[1] ?? '/',
    rawQueryString: '',
    headers: options.contentType ? { 'content-type': options.contentType } : {},
    isBase64Encoded: false,
    ...(options.body !== undefined ? { body: options.body } : {}),
    requestContext: {
      http: { method: routeKey.split(' ')[0] ?? 'GET', path: '/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      routeKey,
      requestId: 'r1',
      ...(options.sub ? { authorizer: { jwt: { claims: { sub: options.sub }, scopes: null } } } : {}),
    },
  }) as unknown as HttpEvent;

const api = createHttpHandler({ lambda: 'api', operations, dependencies: deps, maxBodyBytes: 1024 });
const publicApi = createHttpHandler({ lambda: 'public', operations, dependencies: deps });
const context = {} as Context;
const bodyOf = (result: { body?: string }) => JSON.parse(result.body ?? '{}') as { error?: { code: string; message: string } };

describe('the HTTP handler pipeline', () => {
  it('runs the operation for a member with an allowed role', async () => {
    // Act
    const result = await api(event('GET /issuers', { sub: 'admin-1' }), context);

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ items: [], who: 'admin-1' });
    expect(result.headers?.['cache-control']).toBe('no-store');
  });

  it.each([
    ['no claims', event('GET /issuers'), 401, 'unauthorized'],
    ['no membership', event('GET /issuers', { sub: 'stranger' }), 403, 'forbidden'],
    ['a role the route does not allow', event('GET /issuers', { sub: 'learner-1' }), 403, 'forbidden'],
    ['a route of the other Lambda', event('GET /health', { sub: 'admin-1' }), 404, 'not_found'],
    ['malformed JSON', event('POST /issuers', { sub: 'admin-1', body: '{', contentType: 'application/json' }), 400, 'invalid_request'],
    [
      'JSON nested too deep',
      event('POST /issuers', { sub: 'admin-1', body: '['.repeat(100), contentType: 'application/json' }),
      400,
      'invalid_request',
    ],
    [
      'a body over the limit',
      event('POST /issuers', { sub: 'admin-1', body: 'x'.repeat(2048), contentType: 'application/json' }),
      413,
      'payload_too_large',
    ],
  ])('answers %s with the error shape', async (_name, request, status, code) => {
    // Act
    const result = await api(request, context);

    // Assess
    expect(result.statusCode).toBe(status);
    expect(bodyOf(result).error?.code).toBe(code);
  });

  it('parses a JSON body for the operation, quotes inside strings not counted as nesting', async () => {
    // Act
    const result = await api(
      event('POST /issuers', { sub: 'admin-1', body: '{"name":"[[[[{{{{"}', contentType: 'application/json' }),
      context,
    );

    // Assess
    expect(result.statusCode).toBe(201);
    expect(JSON.parse(result.body ?? '')).toEqual({ received: { name: '[[[[{{{{' } });
  });

  it('hides an unexpected failure behind a plain 500 without its message or stack', async () => {
    // Act
    const result = await publicApi(event('GET /health'), context);

    // Assess
    expect(result.statusCode).toBe(500);
    expect(bodyOf(result).error?.code).toBe('internal_error');
    expect(result.body).not.toContain('secret detail');
    expect(result.body).not.toContain('.ts:');
  });
});
