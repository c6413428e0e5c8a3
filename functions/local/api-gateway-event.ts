import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { JWTPayload } from 'jose';
import { type RouteDefinition, routeKey, routes } from '#http/routes';
import type { HttpEvent, HttpResult } from '#http/types';

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  names: string[];
}

/** Literal routes before templated ones, as API Gateway prefers the most specific match. */
const compiled: CompiledRoute[] = routes
  .map((route) => {
    const names: string[] = [];
    const pattern = new RegExp(
      `^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_match, name: string) => {
        names.push(name);
        return '([^/]+)';
      })}$`,
    );
    return { route, pattern, names };
  })
  .sort((a, b) => a.names.length - b.names.length);

/** A path with a malformed percent escape (`%E0%A4%A`): the request's fault, answered 400 like API Gateway does. */
export class MalformedPathError extends Error {
  constructor() {
    super('The path has a malformed percent escape.');
    this.name = 'MalformedPathError';
  }
}

/** One path segment, percent-decoded as API Gateway hands it to the Lambda. */
export const decodePathSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new MalformedPathError();
  }
};

export interface MatchedRoute {
  route: RouteDefinition;
  pathParameters: Record<string, string>;
}

export const matchRoute = (method: string, path: string): MatchedRoute | undefined => {
  for (const { route, pattern, names } of compiled) {
    if (route.method !== method) continue;
    const match = pattern.exec(path);
    if (!match) continue;
    const pathParameters: Record<string, string> = {};
    for (const [i, name] of names.entries()) pathParameters[name] = decodePathSegment(match[i + 1] ?? '');
    return { route, pathParameters };
  }
  return undefined;
};

const isText = (contentType: string | undefined) =>
  !contentType || /^(text\/|application\/([\w.+-]*\+)?json|application\/x-www-form-urlencoded)/i.test(contentType);

/** The API Gateway HTTP API (payload 2.0) event that AWS would hand the Lambda for this request. */
export const toApiGatewayEvent = (
  request: IncomingMessage,
  body: Buffer,
  matched: MatchedRoute,
  claims: JWTPayload | undefined,
): HttpEvent => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = query[name] ? `${query[name]},${value}` : value;
  const contentType = headers['content-type'];
  const text = isText(contentType);
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: routeKey(matched.route),
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(matched.pathParameters).length > 0 ? { pathParameters: matched.pathParameters } : {}),
    ...(body.length > 0 ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !text,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers['host'] ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: routeKey(matched.route),
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
      ...(claims ? { authorizer: { jwt: { claims: claims as Record<string, string>, scopes: null } } } : {}),
    },
  };
};

export interface PlainResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
}

export const fromApiGatewayResult = (result: HttpResult): PlainResponse => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  const body = result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  return { statusCode: result.statusCode ?? 200, headers, body };
};
