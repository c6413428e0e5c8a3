import { createAwsDependencies } from '#config/aws-dependencies';
import { createHttpHandler } from '#http/create-handler';
import { apiOperations } from '#http/operations/api';

/** Staff and learner routes, behind API Gateway's JWT authorizer. */
export const handler = createHttpHandler({ lambda: 'api', operations: apiOperations, dependencies: createAwsDependencies() });
