import { describe, expect, it } from 'vitest';
import { apiOperations } from '#http/operations/api';
import { publicOperations } from '#http/operations/public';
import { routes } from '#http/routes';
import { matchRoute } from '#local/api-gateway-event';

describe('the one route table', () => {
  it('has an implementation for every route, in the Lambda that serves it, and none without a route', () => {
    // Prepare
    const byLambda = { api: apiOperations, public: publicOperations };

    // Act
    const missing = routes.filter((route) => !byLambda[route.lambda][route.operationId]);
    const orphans = Object.entries(byLambda).flatMap(([lambda, operations]) =>
      Object.keys(operations).filter((id) => !routes.some((route) => route.operationId === id && route.lambda === lambda)),
    );

    // Assess
    expect(missing.map((route) => route.operationId)).toEqual([]);
    expect(orphans).toEqual([]);
  });

  it('has unique operation ids and route keys', () => {
    const ids = routes.map((route) => route.operationId);
    const keys = routes.map((route) => `${route.method} ${route.path}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('serves every public route from the public Lambda and no staff route from it', () => {
    for (const route of routes) expect(route.access === 'public').toBe(route.lambda === 'public');
  });

  it('matches a literal segment before a template, as API Gateway does', () => {
    expect(matchRoute('GET', '/issuers/abc/did.json')?.route.operationId).toBe('getIssuerDidDocument');
    expect(matchRoute('GET', '/issuers/abc')?.route.operationId).toBe('getIssuerProfile');
    expect(matchRoute('GET', '/issuers/abc')?.pathParameters).toEqual({ id: 'abc' });
    expect(matchRoute('GET', '/issuers')?.route.operationId).toBe('listIssuers');
    expect(matchRoute('DELETE', '/issuers')).toBeUndefined();
  });
});

describe('path ids', () => {
  it('accept every base64url share token, whatever its first character, and refuse anything else', async () => {
    // Prepare
    const { idPattern } = await import('#domain/ids');
    const { randomBytes } = await import('node:crypto');

    // Act
    const tokens = Array.from({ length: 2000 }, () => randomBytes(32).toString('base64url'));

    // Assess
    expect(tokens.filter((token) => !idPattern.test(token))).toEqual([]);
    expect(idPattern.test('-starts-with-dash')).toBe(true);
    for (const bad of ['', '../etc', 'a b', 'a#b', 'x'.repeat(129), 'a/b']) expect(idPattern.test(bad)).toBe(false);
  });
});
