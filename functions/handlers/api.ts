import { createAwsFunction } from '#config/lambda-handler';
import { createHttpHandler } from '#http/create-handler';
import { apiOperations } from '#http/operations/api';

const fn = createAwsFunction();

/** Staff and learner routes, behind API Gateway's JWT authorizer. */
export const handler = createHttpHandler({
  lambda: 'api',
  operations: apiOperations,
  dependencies: fn.deps,
  powertoolsMetrics: fn.powertoolsMetrics,
});
