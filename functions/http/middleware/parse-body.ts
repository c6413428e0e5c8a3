import type { MiddlewareObj } from '@middy/core';
import { AppError } from '#domain/errors';
import { jsonDepth } from '#domain/json-depth';
import { requestState } from '../request-state';
import type { HttpEvent, HttpResult } from '../types';

export interface BodyLimits {
  /** Largest body accepted, in bytes (API Gateway itself stops at 10 MB). */
  maxBytes: number;
  /** Largest JSON body, parsed only when within it (the public routes take large images but JSON only as big as a CLR). */
  maxJsonBytes?: number;
  /** Deepest JSON nesting accepted: deeper documents are refused before anything walks them. */
  maxDepth: number;
}

const isJson = (contentType: string | undefined) => !contentType || /^application\/([\w.+-]*\+)?json\b/i.test(contentType);

/**
 * Reads the body once: decodes base64, enforces the size limit (413), parses JSON (400 when malformed or too deep).
 * Other content types are kept as bytes for the operations that accept them (verify, uploads).
 */
export const parseBody = (limits: BodyLimits): MiddlewareObj<HttpEvent, HttpResult> => ({
  before: (request) => {
    const { event } = request;
    const state = requestState(event);
    if (event.body === undefined || event.body === null || event.body === '') return;
    const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
    if (raw.length > limits.maxBytes) {
      throw new AppError('payload_too_large', `The request body is larger than ${Math.floor(limits.maxBytes / 1024)} KiB.`);
    }
    const contentType = event.headers['content-type'] ?? event.headers['Content-Type'];
    state.rawBody = raw;
    if (contentType) state.contentType = contentType;
    if (!isJson(contentType)) return;
    if (limits.maxJsonBytes !== undefined && raw.length > limits.maxJsonBytes) {
      throw new AppError('payload_too_large', `The JSON body is larger than ${Math.floor(limits.maxJsonBytes / 1024)} KiB.`);
    }
    const text = raw.toString('utf8');
    if (jsonDepth(text) > limits.maxDepth) {
      throw new AppError('invalid_request', `The JSON body is nested more than ${limits.maxDepth} levels deep.`);
    }
    try {
      state.json = JSON.parse(text);
    } catch {
      throw new AppError('invalid_request', 'The request body is not valid JSON.');
    }
  },
});
