import { createAwsDependencies } from '#config/aws-dependencies';
import { createHttpHandler } from '#http/create-handler';
import { publicOperations } from '#http/operations/public';

/** Public routes: criteria pages, issuer profiles and DID documents, status lists, shared credentials. */
export const handler = createHttpHandler({
  lambda: 'public',
  operations: publicOperations,
  dependencies: createAwsDependencies(),
  // Verifiers upload baked images; API Gateway stops at 10 MB anyway.
  maxBodyBytes: 10 * 1024 * 1024,
});
