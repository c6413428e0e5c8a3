import type { Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { createPowertoolsMetrics, emfMetrics } from '#adapters/cloudwatch/emf-metrics';
import { createDynamoClient, toDocumentClient } from '#adapters/dynamodb/client';
import { createDynamoStore } from '#adapters/dynamodb/store';
import { eventBridgeEvents } from '#adapters/eventbridge/events';
import { createS3Blobs, createS3Client } from '#adapters/s3/blobs';
import { identifierPepperResolver } from '#adapters/secrets/identifier-pepper';
import { sesMailer } from '#adapters/ses/mailer';
import { KmsSigner } from '#adapters/signing/kms-signer';
import { sqsBulkQueue } from '#adapters/sqs/bulk-queue';
import { publicBaseUrlResolver } from '#adapters/ssm/public-base-url';
import { parseThresholds } from '#domain/expiry-alert-due';
import { parseConsentPolicy } from '#domain/learners';
import type { BulkQueue } from '#ports/bulk-queue';
import { systemClock } from '#ports/clock';
import type { Dependencies } from './dependencies';
import { envNames, requireEnv } from './env';
import { createLogger } from './logger';

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

/** Only bulk-start sends; other functions get a queue that says so plainly if ever used. */
const bulkQueueFor = (queueUrl: string | undefined): BulkQueue =>
  queueUrl
    ? sqsBulkQueue(new SQSClient({}), queueUrl)
    : { send: () => Promise.reject(new Error('This function has no bulk queue (BULK_QUEUE_URL).')) };

/**
 * The ports over AWS, built once per execution environment (module scope in each handler). Nothing here calls
 * AWS: clients make no call until used, so a cold start does no I/O of its own.
 */
export const createAwsDependencies = (
  env: NodeJS.ProcessEnv = process.env,
  powertoolsMetrics: PowertoolsMetrics = createPowertoolsMetrics(env['POWERTOOLS_SERVICE_NAME'] ?? 'merit'),
): Dependencies => {
  // Throttled Sign calls back off and retry (KMS quota, DESIGN §4) before a row is handed back to the queue.
  const kms = new KMSClient({ retryMode: 'adaptive', maxAttempts: 8 });
  const signer = new KmsSigner({ client: kms, kmsKeyId: requireEnv(envNames.signingKeyId, env) });
  const retired = list(env[envNames.retiredSigningKeyIds]).map((kmsKeyId) => new KmsSigner({ client: kms, kmsKeyId }));
  return {
    store: createDynamoStore(toDocumentClient(createDynamoClient()), requireEnv(envNames.tableName, env)),
    blobs: createS3Blobs(createS3Client(), {
      images: requireEnv(envNames.imagesBucket, env),
      drops: requireEnv(envNames.dropsBucket, env),
      reports: requireEnv(envNames.reportsBucket, env),
    }),
    signer,
    verificationKeys: [signer, ...retired],
    clock: systemClock,
    logger: createLogger(env['POWERTOOLS_SERVICE_NAME'] ?? 'merit'),
    metrics: emfMetrics(powertoolsMetrics),
    mailer: sesMailer(new SESv2Client({}), env[envNames.sesFromAddress] ?? ''),
    events: eventBridgeEvents(new EventBridgeClient({})),
    bulkQueue: bulkQueueFor(env[envNames.bulkQueueUrl]),
    publicBaseUrl: publicBaseUrlResolver({
      ...(env[envNames.publicBaseUrl] ? { fixed: env[envNames.publicBaseUrl] } : {}),
      ...(env[envNames.publicBaseUrlParameter] ? { parameterName: env[envNames.publicBaseUrlParameter] } : {}),
      ssm: () => new SSMClient({}),
    }),
    district: {
      name: env[envNames.districtName] ?? 'District',
      alertThresholds: parseThresholds(env[envNames.alertThresholds]),
      adminDigestEmails: list(env[envNames.adminDigestEmails]),
      identifierPepper: identifierPepperResolver({
        ...(env[envNames.identifierPepperSecretArn] ? { secretArn: env[envNames.identifierPepperSecretArn] } : {}),
        secretsManager: () => new SecretsManagerClient({}),
      }),
      retentionYears: Number(env[envNames.retentionYears] ?? 5),
      consentPolicy: parseConsentPolicy(env[envNames.consentPolicy]),
    },
  };
};
