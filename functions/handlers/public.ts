import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Placeholder so the CDK app synthesizes and bundles: the real "public" handler is not written yet.
 * It fails loudly on every invocation rather than pretending to work.
 */
const logger = new Logger({ serviceName: 'merit-public' });

export const handler = async (): Promise<never> => {
  logger.error('public handler invoked before it was implemented');
  throw new Error('public is not implemented yet');
};
