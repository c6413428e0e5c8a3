import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Placeholder so the CDK app synthesizes and bundles: the real "expiry-alerts" handler is not written yet.
 * It fails loudly on every invocation rather than pretending to work.
 */
const logger = new Logger({ serviceName: 'merit-expiry-alerts' });

export const handler = async (): Promise<never> => {
  logger.error('expiry-alerts handler invoked before it was implemented');
  throw new Error('expiry-alerts is not implemented yet');
};
