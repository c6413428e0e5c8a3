import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import { errorBody } from '#http/errors';
import { type LambdaName, routeAuthorizer } from '#http/routes';
import type { HttpEvent, HttpResult } from '#http/types';
import { decodePathSegment, fromApiGatewayResult, MalformedPathError, matchRoute, toApiGatewayEvent } from './api-gateway-event';
import type { LocalIdp } from './idp';

export type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** A `/local/*` route: never deployed, never in a Lambda bundle. */
export type LocalRoute = (request: {
  body: Buffer;
  url: URL;
  params: Record<string, string>;
}) => Promise<{ statusCode: number; body: unknown }>;

export interface LocalServerOptions {
  handlers: Record<LambdaName, HttpHandler>;
  idp: LocalIdp;
  localRoutes: Record<string, LocalRoute>;
  /** Handlers that read the request themselves (the local OpenID provider, the app's files), tried after `localRoutes`. */
  mounts?: Array<{ handles(path: string): boolean; handle(request: IncomingMessage, response: ServerResponse): Promise<void> }>;
}

/** API Gateway's own payload limit. */
const maxBody = 10 * 1024 * 1024;

const lambdaContext = (name: string): Context =>
  ({
    functionName: `merit-local-${name}`,
    functionVersion: '$LATEST',
    awsRequestId: crypto.randomUUID(),
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
  }) as Context;

const readBody = (request: IncomingMessage): Promise<Buffer | 'too_large'> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBody) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > maxBody ? 'too_large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });

const send = (response: ServerResponse, statusCode: number, body: unknown, headers: Record<string, string> = {}) => {
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  response.writeHead(statusCode, {
    'content-type': 'application/json; charset=utf-8',
    ...headers,
    'content-length': String(payload.length),
  });
  response.end(payload);
};

const matchLocal = (routes: Record<string, LocalRoute>, method: string, path: string) => {
  for (const [key, route] of Object.entries(routes)) {
    const [routeMethod, template] = key.split(' ') as [string, string];
    if (routeMethod !== method) continue;
    const names: string[] = [];
    const pattern = new RegExp(
      `^${template.replace(/\./g, '\\.').replace(/\{(\w+)\}/g, (_m, name: string) => {
        names.push(name);
        return '([^/]+)';
      })}$`,
    );
    const match = pattern.exec(path);
    if (match) return { route, params: Object.fromEntries(names.map((name, i) => [name, decodePathSegment(match[i + 1] ?? '')])) };
  }
  return undefined;
};

/**
 * The local HTTP API: each request becomes the API Gateway v2 event AWS would send, for the same handler and the
 * same route table; protected routes get their token checked first, as the JWT authorizer would.
 */
export const createLocalServer = (options: LocalServerOptions): Server =>
  createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const method = request.method ?? 'GET';
      const mount = matchLocal(options.localRoutes, method, url.pathname)
        ? undefined
        : options.mounts?.find((candidate) => candidate.handles(url.pathname));
      if (mount) return await mount.handle(request, response);
      const body = await readBody(request);
      if (body === 'too_large') return send(response, 413, errorBody('payload_too_large', 'The request body is larger than 10 MB.'));

      const local = matchLocal(options.localRoutes, method, url.pathname);
      if (local) {
        const answer = await local.route({ body, url, params: local.params });
        return send(response, answer.statusCode, answer.body);
      }

      const matched = matchRoute(method, url.pathname);
      if (!matched) return send(response, 404, errorBody('not_found', 'There is no such route.'));

      let claims: Awaited<ReturnType<LocalIdp['verify']>>;
      if (routeAuthorizer(matched.route) === 'jwt') {
        const token = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
        claims = token ? await options.idp.verify(token) : undefined;
        if (!claims) return send(response, 401, errorBody('unauthorized', 'Sign in to use this route (a valid Bearer token is required).'));
      }
      const event = toApiGatewayEvent(request, body, matched, claims);
      const result = fromApiGatewayResult(await options.handlers[matched.route.lambda](event, lambdaContext(matched.route.lambda)));
      send(response, result.statusCode, result.body, result.headers);
    } catch (error) {
      if (response.headersSent) return;
      if (error instanceof MalformedPathError) return send(response, 400, errorBody('invalid_request', error.message));
      // The handlers answer every failure themselves; reaching here is a bug in the local server.
      send(response, 500, errorBody('internal_error', 'The local server failed.'));
    }
  });
