import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Placeholder so the CDK app synthesizes and bundles: the real "api" handler is not written yet.
 * It fails loudly on every invocation rather than pretending to work.
 */
const logger = new Logger({ serviceName: 'merit-api' });

export const handler = async (): Promise<never> => {
  logger.error('api handler invoked before it was implemented');
  throw new Error('api is not implemented yet');
};
