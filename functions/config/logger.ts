import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger. Log ids and hashes only — never names, e-mails, student numbers or birth dates (DESIGN §5.6).
 */
export const createLogger = (serviceName = 'merit'): Logger =>
  new Logger({ serviceName, logLevel: (process.env['POWERTOOLS_LOG_LEVEL'] as 'INFO' | undefined) ?? 'INFO' });
