import type { HttpResult, OperationResult } from './types';

/**
 * Headers every answer carries: no sniffing, no framing, no referrer leaks from learners' pages, and HTTPS only for
 * two years (browsers ignore HSTS over the local stack's plain http, so it is safe to send there too).
 */
const baseHeaders: Record<string, string> = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const privateCache = { 'cache-control': 'no-store' };

/** Turns an operation's answer into the API Gateway v2 result: JSON for objects, bytes as base64. */
export const toHttpResult = (result: OperationResult, options: { isPublic: boolean }): HttpResult => {
  const headers: Record<string, string> = { ...baseHeaders, ...(options.isPublic ? {} : privateCache), ...result.headers };
  const { body } = result;
  if (body === undefined) return { statusCode: result.statusCode, headers };
  if (body instanceof Uint8Array) {
    return { statusCode: result.statusCode, headers, body: Buffer.from(body).toString('base64'), isBase64Encoded: true };
  }
  if (typeof body === 'string') {
    return { statusCode: result.statusCode, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body };
  }
  return {
    statusCode: result.statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
};

export const json = (statusCode: number, body: unknown, headers?: Record<string, string>): OperationResult => ({
  statusCode,
  body,
  ...(headers ? { headers } : {}),
});

export const created = (body: unknown): OperationResult => json(201, body);
export const ok = (body: unknown): OperationResult => json(200, body);
