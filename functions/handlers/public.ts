import { createAwsFunction } from '#config/lambda-handler';
import { createHttpHandler } from '#http/create-handler';
import { publicOperations } from '#http/operations/public';

const fn = createAwsFunction();

/** Public routes: criteria pages, issuer profiles and DID documents, status lists, shared credentials. */
export const handler = createHttpHandler({
  lambda: 'public',
  operations: publicOperations,
  dependencies: fn.deps,
  powertoolsMetrics: fn.powertoolsMetrics,
  // Verifiers upload baked images; API Gateway stops at 10 MB anyway.
  maxBodyBytes: 10 * 1024 * 1024,
});
