import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
import { createDynamoClient, toDocumentClient } from '#adapters/dynamodb/client';
import { ensureTable } from '#adapters/dynamodb/create-table';
import { createDynamoStore } from '#adapters/dynamodb/store';
import { InProcessQueue } from '#adapters/local/in-process-queue';
import { recordedMetrics } from '#adapters/local/recorded-metrics';
import { createS3Blobs, createS3Client } from '#adapters/s3/blobs';
import { LocalSigner } from '#adapters/signing/local-signer';
import type { Dependencies } from '#config/dependencies';
import { createLogger } from '#config/logger';
import type { FunctionName } from '#config/topology';
import { defaultAlertThresholds } from '#domain/expiry-alert-due';
import type { ConsentPolicy } from '#domain/learners';
import { processBulkBatch } from '#features/bulk/process-batch';
import { type AwsCall, type AwsCallSink, callRecorder } from '#local/aws-calls';
import { localFunctionDependencies } from '#local/function-dependencies';
import { type Clock, fixedClock, systemClock } from '#ports/clock';
import type { DomainEvent, Events } from '#ports/events';
import type { Mail, Mailer } from '#ports/mailer';

/** Records what would have been sent; tests that need SES or EventBridge themselves pass the real adapters. */
export const recordingMailer = (): Mailer & { sent: Mail[] } => {
  const sent: Mail[] = [];
  return { sent, send: async (mail) => void sent.push(mail) };
};

export const recordingEvents = (): Events & { published: DomainEvent[] } => {
  const published: DomainEvent[] = [];
  return { published, publish: async (events) => void published.push(...events) };
};

const loopback = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/;

/**
 * The endpoints the integration global setup started. Refuses anything but loopback, so a connected test can
 * never write to a real AWS account whatever the environment says.
 */
export const localEndpoints = () => {
  const dynamoEndpoint = inject('dynamoEndpoint');
  const s3Endpoint = inject('s3Endpoint');
  for (const endpoint of [dynamoEndpoint, s3Endpoint]) {
    if (!loopback.test(endpoint)) throw new Error(`Connected tests run only against local services, not ${endpoint}.`);
  }
  return { dynamoEndpoint, s3Endpoint };
};

export interface ConnectedDependencies extends Dependencies {
  tableName: string;
  bulkQueue: InProcessQueue;
  /** Every metric emitted, in order (shared by the function views). */
  metrics: ReturnType<typeof recordedMetrics>;
  /**
   * The same table and buckets as this function would use them in AWS: its own clients, whose every AWS call is
   * recorded under its name and checked against its role when the suite ends (test/support/iam-parity-setup.ts).
   */
  as(fn: FunctionName): Dependencies;
  /** The calls made through `as(…)` views, in order. */
  awsCalls: AwsCall[];
}

/** Records a call for this test file and for the suite's parity check; the trigger is the test's name. */
const suiteSink = (into: AwsCall[]): AwsCallSink => {
  const directory = inject('awsCallsDir');
  const file = directory ? join(directory, `${randomUUID()}.jsonl`) : undefined;
  return (call) => {
    const recorded = { ...call, trigger: expect.getState().currentTestName ?? 'set-up' };
    into.push(recorded);
    if (file) appendFileSync(file, `${JSON.stringify(recorded)}\n`);
  };
};

const testBuckets = { images: 'test-images', drops: 'test-drops', reports: 'test-reports' };

/** Real adapters over DynamoDB Local and s3rver, with a fresh table per call so test files never interfere. */
export const connectedDependencies = async (
  options: {
    clock?: Clock | string;
    baseUrl?: string;
    mailer?: Mailer;
    events?: Events;
    adminDigestEmails?: string[];
    consentPolicy?: ConsentPolicy;
  } = {},
): Promise<ConnectedDependencies> => {
  const { dynamoEndpoint, s3Endpoint } = localEndpoints();
  const tableName = `merit-test-${randomUUID()}`;
  const dynamoClient = createDynamoClient({ region: 'local', endpoint: dynamoEndpoint });
  await ensureTable(dynamoClient, tableName);
  const signer = LocalSigner.generate();
  const clock = typeof options.clock === 'string' ? fixedClock(options.clock) : (options.clock ?? systemClock);
  const awsCalls: AwsCall[] = [];
  const sink = suiteSink(awsCalls);
  const views = new Map<FunctionName, Dependencies>();
  const deps: ConnectedDependencies = {
    tableName,
    awsCalls,
    as(fn) {
      const known = views.get(fn);
      if (known) return known;
      const { store: _store, blobs: _blobs, logger: _logger, tableName: _table, as: _as, awsCalls: _calls, ...shared } = deps;
      const view = localFunctionDependencies(
        { ...shared, region: 'local', dynamoEndpoint, s3Endpoint, tableName, buckets: testBuckets },
        callRecorder(fn, sink),
        `merit-test-${fn}`,
      );
      views.set(fn, view);
      return view;
    },
    store: createDynamoStore(toDocumentClient(dynamoClient), tableName),
    blobs: createS3Blobs(createS3Client({ region: 'local', endpoint: s3Endpoint }), testBuckets),
    signer,
    verificationKeys: [signer],
    clock,
    logger: createLogger('merit-test'),
    metrics: recordedMetrics(),
    publicBaseUrl: async () => options.baseUrl ?? 'https://credentials.example.org',
    mailer: options.mailer ?? recordingMailer(),
    events: options.events ?? recordingEvents(),
    district: {
      name: 'Test District',
      alertThresholds: defaultAlertThresholds,
      adminDigestEmails: options.adminDigestEmails ?? [],
      identifierPepper: async () => 'test-pepper',
      retentionYears: 3,
      consentPolicy: options.consentPolicy ?? 'under13',
    },
    bulkQueue: new InProcessQueue({
      batchSize: 5,
      concurrency: 8,
      maxReceives: 5,
      retryDelayMs: 50,
      consume: (records) => processBulkBatch(deps, records),
    }),
  };
  return deps;
};
