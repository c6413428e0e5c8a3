import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Placeholder so the CDK app synthesizes and bundles: the real "bulk-start" handler is not written yet.
 * It fails loudly on every invocation rather than pretending to work.
 */
const logger = new Logger({ serviceName: 'merit-bulk-start' });

export const handler = async (): Promise<never> => {
  logger.error('bulk-start handler invoked before it was implemented');
  throw new Error('bulk-start is not implemented yet');
};
