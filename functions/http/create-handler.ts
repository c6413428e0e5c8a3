import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { flushMetrics } from '#adapters/cloudwatch/emf-metrics';
import type { Dependencies } from '#config/dependencies';
import { AppError } from '#domain/errors';
import { verifyBounds } from '#domain/verify/bounds';
import { authenticate } from './middleware/authenticate';
import { handleErrors } from './middleware/handle-errors';
import { parseBody } from './middleware/parse-body';
import { resolveRoute } from './middleware/resolve-route';
import { requestState } from './request-state';
import { toHttpResult } from './response';
import type { LambdaName } from './routes';
import type { HttpEvent, HttpResult, Operations } from './types';

export interface HandlerOptions {
  lambda: LambdaName;
  operations: Operations;
  /** Built once at module scope: clients live as long as the execution environment. */
  dependencies: Dependencies;
  maxBodyBytes?: number;
  /** In AWS: the Powertools Metrics behind `dependencies.metrics`, flushed after each request (the local stack records instead). */
  powertoolsMetrics?: PowertoolsMetrics;
}

/**
 * JSON the public function parses: no more than the verifier reads (a whole CLR, DESIGN §2). Its larger body limit
 * is for baked images, whose extracted credential is bounded the same way.
 */
const maxJsonBytesOf = (lambda: LambdaName): number | undefined => (lambda === 'public' ? verifyBounds.maxClrBytes : undefined);

const strings = (record: Record<string, string | undefined> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(record ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined));

/** A Lambda handler for one of the two HTTP functions: route → body → identity → operation → answer. */
export const createHttpHandler = (options: HandlerOptions) => {
  const deps = options.dependencies;
  const handler = middy<HttpEvent, HttpResult>().use(injectLambdaContext(deps.logger));
  if (options.powertoolsMetrics) handler.use(flushMetrics(options.powertoolsMetrics));
  return handler
    .use(handleErrors(deps.logger))
    .use(resolveRoute(options.lambda))
    .use(parseBody({ maxBytes: options.maxBodyBytes ?? 1024 * 1024, maxJsonBytes: maxJsonBytesOf(options.lambda), maxDepth: 64 }))
    .use(authenticate(deps.store.memberships))
    .handler(async (event) => {
      const state = requestState(event);
      const operation = options.operations[state.route.operationId];
      if (!operation) throw new AppError('not_found', 'There is no such route.');
      const result = await operation({
        ...state,
        event,
        deps,
        params: strings(event.pathParameters),
        query: strings(event.queryStringParameters),
      });
      return toHttpResult(result, { isPublic: state.route.access === 'public' });
    });
};
