import type { MiddlewareObj } from '@middy/core';
import { AppError } from '#domain/errors';
import { setRequestState } from '../request-state';
import { type LambdaName, routeKey, routes } from '../routes';
import type { HttpEvent, HttpResult } from '../types';

/** Finds the route of the one route table that API Gateway (or the local server) matched. */
export const resolveRoute = (lambda: LambdaName): MiddlewareObj<HttpEvent, HttpResult> => {
  const byKey = new Map(routes.filter((route) => route.lambda === lambda).map((route) => [routeKey(route), route]));
  return {
    before: (request) => {
      const route = byKey.get(request.event.routeKey);
      if (!route) throw new AppError('not_found', 'There is no such route.');
      setRequestState(request.event, { route });
    },
  };
};
