import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Placeholder so the CDK app synthesizes and bundles: the real "bulk-issue" handler is not written yet.
 * It fails loudly on every invocation rather than pretending to work.
 */
const logger = new Logger({ serviceName: 'merit-bulk-issue' });

export const handler = async (): Promise<never> => {
  logger.error('bulk-issue handler invoked before it was implemented');
  throw new Error('bulk-issue is not implemented yet');
};
