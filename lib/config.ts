import type { Node } from 'constructs';
import { bulkQueueSettings } from '#config/topology';
import { type ConsentPolicy, parseConsentPolicy } from '#domain/learners';

/**
 * Deploy-time settings of a district, read from CDK context (`cdk.json` or `npx cdk deploy -c key=value`).
 *
 * Every value has a documented placeholder default so that `npx cdk synth` works offline with no flags; a district
 * MUST set at least `oidcIssuer`, `oidcAudience`, `sesIdentity` and `sesFromAddress` before deploying (README).
 * `cdk.json` repeats these defaults for people to read and edit; test/infra checks the two never drift.
 */
export const contextDefaults = {
  /** Name of the CloudFormation stack (and prefix of the signing key alias and of the SSM parameter). */
  stackName: 'Merit',
  /** The district's OIDC issuer (Google Workspace, Entra ID, Clever, ClassLink…): the JWT authorizer trusts it. */
  oidcIssuer: 'https://accounts.google.com',
  /** The audience (OAuth client id) the district's IdP puts in tokens for Merit; comma-separated for several. */
  oidcAudience: 'merit',
  /** The district's custom domain (`https://credentials.district.org`); empty: the API's own URL is used. */
  publicBaseUrl: '',
  /** The district's IANA time zone; the daily schedules run in it. */
  timeZone: 'America/New_York',
  /** The district's name, shown on public pages and e-mails. */
  districtName: 'Merit demo district',
  /** SES identity that sends expiry alerts: a full identity ARN, or a domain / e-mail address in this account and region. */
  sesIdentity: 'example.org',
  /** The From: address of expiry alerts; must belong to `sesIdentity`. */
  sesFromAddress: 'credentials@example.org',
  /** Days before expiry at which holders are e-mailed (comma-separated, DESIGN §6). */
  alertThresholds: '90,30,7',
  /** Addresses that receive the daily expiry digest (comma-separated; empty: no digest). */
  adminDigestEmails: '',
  /** Years after a learner's last activity at which the retention job deletes them (district policy, DESIGN §5.4). */
  retentionYears: 5,
  /**
   * Whose parents must consent before a credential is signed or shared (DESIGN §5.1): `under13` (COPPA; a student
   * without a birth date counts as under 13) or `allStudents` (every student; staff never).
   */
  consentPolicy: 'under13',
  /**
   * Retired signing keys (comma-separated KMS key ARNs, or key ids in the deploy account and region): still listed in
   * DID documents so credentials they signed keep verifying (README, "Key rotation"). Never signed with.
   */
  retiredSigningKeyIds: '',
  /**
   * Upper bound of concurrent bulk-issue Lambdas (SQS event source maximum concurrency). DESIGN §4 plans for a KMS
   * Sign quota of 300/s; 20 concurrent signers leave headroom for the API's own signing, and throttled calls retry.
   */
  bulkMaxConcurrency: bulkQueueSettings.maxConcurrency,
  /**
   * SQS messages one bulk-issue invocation receives. Each is a chunk of up to 25 consecutive rows, of which 5
   * students are issued at a time: 20 invocations then have 100 Sign calls in flight.
   */
  bulkBatchSize: bulkQueueSettings.batchSize,
  /** API Gateway throttling of each staff and learner route (requests per second, steady and burst). */
  apiThrottleRate: 50,
  apiThrottleBurst: 100,
  /** API Gateway throttling of each public route (verify, status lists, shared credentials…): a flood stops here. */
  publicThrottleRate: 20,
  publicThrottleBurst: 40,
  /**
   * Reserved concurrency of the public function, and of the api function: the most Lambdas a verify flood (or a staff
   * script gone wrong) can hold, so it never takes the account's whole Lambda concurrency. 0: unreserved.
   */
  publicReservedConcurrency: 20,
  apiReservedConcurrency: 20,
  /** Who is e-mailed when an alarm fires (a dead-letter queue is not empty); empty: no subscription (the SNS topic is there). */
  alarmEmail: '',
  /** Days results CSVs stay in the reports bucket. */
  reportRetentionDays: 365,
  /** Days SIS drops (which hold student PII) stay in the drops bucket once processed. */
  dropRetentionDays: 30,
  /** Days S3 server access logs are kept. */
  accessLogRetentionDays: 365,
  /** Days Lambda and API access logs are kept (must be a CloudWatch Logs retention value: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365…). */
  logRetentionDays: 90,
  /** Powertools log level of every function. */
  logLevel: 'INFO',
} as const;

export type ContextKey = keyof typeof contextDefaults;

export interface MeritConfig {
  stackName: string;
  oidcIssuer: string;
  oidcAudience: string[];
  publicBaseUrl: string | undefined;
  timeZone: string;
  districtName: string;
  sesIdentity: string;
  sesFromAddress: string;
  alertThresholds: number[];
  adminDigestEmails: string[];
  retentionYears: number;
  consentPolicy: ConsentPolicy;
  retiredSigningKeyIds: string[];
  bulkMaxConcurrency: number;
  bulkBatchSize: number;
  apiThrottleRate: number;
  apiThrottleBurst: number;
  publicThrottleRate: number;
  publicThrottleBurst: number;
  publicReservedConcurrency: number;
  apiReservedConcurrency: number;
  alarmEmail: string | undefined;
  reportRetentionDays: number;
  dropRetentionDays: number;
  accessLogRetentionDays: number;
  logRetentionDays: number;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

const logLevels = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

/** Reads and checks the context; a wrong value fails the synth with a message that names the setting. */
export const readConfig = (node: Node): MeritConfig => {
  const raw = <K extends ContextKey>(key: K): string => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null) return String(contextDefaults[key]);
    return String(value).trim();
  };
  const text = (key: ContextKey, required = true): string => {
    const value = raw(key);
    if (required && !value) throw new Error(`Context value "${key}" is empty; set it in cdk.json or with -c ${key}=…`);
    return value;
  };
  const integer = (key: ContextKey, min: number, max: number): number => {
    const value = Number(raw(key));
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`Context value "${key}" must be a whole number from ${min} to ${max}, got "${raw(key)}".`);
    }
    return value;
  };
  const https = (key: ContextKey, value: string): string => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`Context value "${key}" must be an https URL, got "${value}".`);
    }
    if (url.protocol !== 'https:') throw new Error(`Context value "${key}" must be an https URL, got "${value}".`);
    return value.replace(/\/+$/, '');
  };

  const timeZone = text('timeZone');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new Error(`Context value "timeZone" must be an IANA time zone such as America/Chicago, got "${timeZone}".`);
  }
  const logLevel = text('logLevel').toUpperCase();
  if (!(logLevels as readonly string[]).includes(logLevel)) {
    throw new Error(`Context value "logLevel" must be one of ${logLevels.join(', ')}, got "${logLevel}".`);
  }
  const publicBaseUrl = text('publicBaseUrl', false);
  const alarmEmail = text('alarmEmail', false);
  if (alarmEmail && !/^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/.test(alarmEmail)) {
    throw new Error(`Context value "alarmEmail" must be one e-mail address, got "${alarmEmail}".`);
  }
  const list = (key: ContextKey): string[] =>
    raw(key)
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
  const audience = list('oidcAudience');
  if (audience.length === 0) throw new Error('Context value "oidcAudience" is empty; set it in cdk.json or with -c oidcAudience=…');
  const alertThresholds = list('alertThresholds').map(Number);
  if (alertThresholds.length === 0 || alertThresholds.some((days) => !Number.isInteger(days) || days <= 0)) {
    throw new Error(
      `Context value "alertThresholds" must be whole days separated by commas, such as 90,30,7; got "${raw('alertThresholds')}".`,
    );
  }

  const consentPolicy = (): ConsentPolicy => {
    try {
      return parseConsentPolicy(text('consentPolicy'));
    } catch {
      throw new Error(`Context value "consentPolicy" must be under13 or allStudents, got "${raw('consentPolicy')}".`);
    }
  };

  return {
    stackName: text('stackName'),
    oidcIssuer: https('oidcIssuer', text('oidcIssuer')),
    oidcAudience: audience,
    publicBaseUrl: publicBaseUrl ? https('publicBaseUrl', publicBaseUrl) : undefined,
    timeZone,
    districtName: text('districtName'),
    sesIdentity: text('sesIdentity'),
    sesFromAddress: text('sesFromAddress'),
    alertThresholds,
    adminDigestEmails: list('adminDigestEmails'),
    retentionYears: integer('retentionYears', 1, 50),
    consentPolicy: consentPolicy(),
    retiredSigningKeyIds: list('retiredSigningKeyIds'),
    // Lambda's SQS event source accepts a maximum concurrency from 2 to 1000.
    bulkMaxConcurrency: integer('bulkMaxConcurrency', 2, 1000),
    bulkBatchSize: integer('bulkBatchSize', 1, 10),
    apiThrottleRate: integer('apiThrottleRate', 1, 10_000),
    apiThrottleBurst: integer('apiThrottleBurst', 1, 5_000),
    publicThrottleRate: integer('publicThrottleRate', 1, 10_000),
    publicThrottleBurst: integer('publicThrottleBurst', 1, 5_000),
    publicReservedConcurrency: integer('publicReservedConcurrency', 0, 1000),
    apiReservedConcurrency: integer('apiReservedConcurrency', 0, 1000),
    alarmEmail: alarmEmail || undefined,
    reportRetentionDays: integer('reportRetentionDays', 1, 3650),
    dropRetentionDays: integer('dropRetentionDays', 1, 3650),
    accessLogRetentionDays: integer('accessLogRetentionDays', 1, 3650),
    logRetentionDays: integer('logRetentionDays', 1, 3653),
    logLevel: logLevel as MeritConfig['logLevel'],
  };
};
