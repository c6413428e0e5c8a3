import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Placeholder so the CDK app synthesizes and bundles: the real "retention" handler is not written yet.
 * It fails loudly on every invocation rather than pretending to work.
 */
const logger = new Logger({ serviceName: 'merit-retention' });

export const handler = async (): Promise<never> => {
  logger.error('retention handler invoked before it was implemented');
  throw new Error('retention is not implemented yet');
};
