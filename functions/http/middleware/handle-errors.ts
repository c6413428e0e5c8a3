import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import { toErrorResponse } from '../errors';
import { toHttpResult } from '../response';
import type { HttpEvent, HttpResult } from '../types';

/**
 * Every failure leaves as the DESIGN §3 error shape — never a stack trace. Only unexpected failures are logged,
 * by name and route (ids only: messages of our own errors can quote user input, so they are not logged).
 */
export const handleErrors = (logger: Logger): MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: (request) => {
    const { statusCode, body } = toErrorResponse(request.error);
    if (statusCode >= 500) {
      logger.error('Unhandled failure', {
        routeKey: request.event.routeKey,
        errorName: request.error?.name,
        stack: request.error?.stack?.split('\n').slice(1, 6).join('\n'),
      });
    }
    request.response = toHttpResult({ statusCode, body }, { isPublic: false });
  },
});
