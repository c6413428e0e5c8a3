/**
 * Environment variables the functions read. The CDK stack sets exactly these (lib/), the local stack sets them
 * for its in-process handlers (functions/local/).
 */
export const envNames = {
  tableName: 'TABLE_NAME',
  imagesBucket: 'IMAGES_BUCKET',
  dropsBucket: 'DROPS_BUCKET',
  reportsBucket: 'REPORTS_BUCKET',
  /** KMS key id/ARN of the Ed25519 signing key. */
  signingKeyId: 'SIGNING_KEY_ID',
  /** The district's custom domain base URL (https://credentials.district.org), when it has one. */
  publicBaseUrl: 'PUBLIC_BASE_URL',
  /** SSM parameter holding the API's own URL, published after deploy (used when PUBLIC_BASE_URL is unset). */
  publicBaseUrlParameter: 'PUBLIC_BASE_URL_PARAMETER',
  districtName: 'DISTRICT_NAME',
  bulkQueueUrl: 'BULK_QUEUE_URL',
  /** The scheduled job's own queue, through which a run too long for one invocation carries on (expiry-alerts, retention). */
  continuationQueueUrl: 'CONTINUATION_QUEUE_URL',
  sesFromAddress: 'SES_FROM_ADDRESS',
  timeZone: 'DISTRICT_TIME_ZONE',
  /** Comma-separated days before expiry at which holders are alerted (default 90,30,7). */
  alertThresholds: 'ALERT_THRESHOLDS',
  /** Comma-separated addresses that receive the daily expiry digest. */
  adminDigestEmails: 'ADMIN_DIGEST_EMAILS',
  /** Years after the last activity at which the retention policy deletes a learner. */
  retentionYears: 'RETENTION_YEARS',
  /** `under13` (default) or `allStudents`: whose parents must consent before credentials are signed (DESIGN §5.1). */
  consentPolicy: 'CONSENT_POLICY',
  /** Secrets Manager secret holding the pepper for hashes of deleted learners' SIS ids. */
  identifierPepperSecretArn: 'IDENTIFIER_PEPPER_SECRET_ARN',
  /** KMS key ids of retired signing keys, still listed in DID documents so old credentials verify. */
  retiredSigningKeyIds: 'RETIRED_SIGNING_KEY_IDS',
} as const;

export type EnvName = (typeof envNames)[keyof typeof envNames];

export const requireEnv = (name: EnvName, env: NodeJS.ProcessEnv = process.env): string => {
  const value = env[name];
  if (!value) throw new Error(`Missing environment variable ${name}`);
  return value;
};
