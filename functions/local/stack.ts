import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { createDynamoClient } from '#adapters/dynamodb/client';
import { ensureTable } from '#adapters/dynamodb/create-table';
import { InProcessQueue } from '#adapters/local/in-process-queue';
import { fileEvents } from '#adapters/local/log-events';
import { outboxMailer } from '#adapters/local/outbox-mailer';
import { recordedMetrics } from '#adapters/local/recorded-metrics';
import { LocalSigner } from '#adapters/signing/local-signer';
import type { Dependencies, DistrictSettings } from '#config/dependencies';
import { envNames } from '#config/env';
import { bulkQueueSettings, type FunctionName, functionNames, startsBulkJob } from '#config/topology';
import { roles } from '#domain/access';
import { defaultAlertThresholds } from '#domain/expiry-alert-due';
import { type ConsentPolicy, parseConsentPolicy } from '#domain/learners';
import { processBulkBatch } from '#features/bulk/process-batch';
import { startBulkJob } from '#features/bulk/start';
import { retentionJob } from '#features/deletion/retention';
import { expiryAlertsJob } from '#features/expiry/expiry-alerts';
import { deadlineBudget, runToEnd } from '#features/scheduled/scheduled-runs';
import { createHttpHandler } from '#http/create-handler';
import { apiOperations } from '#http/operations/api';
import { publicOperations } from '#http/operations/public';
import { type Clock, fixedClock, systemClock } from '#ports/clock';
import { type AwsCallSink, type CallRecorder, callRecorder, invoke, recordQueueConsumption } from './aws-calls';
import { startDynamoLocal } from './dynamodb-local';
import { startFrontDoor } from './front-door';
import { type LocalWiring, localFunctionDependencies } from './function-dependencies';
import { createLocalIdp } from './idp';
import { freePort } from './ports';
import { startS3Local } from './s3-local';
import { seedDemoDistrict } from './seed';
import { createLocalServer, type HttpHandler, type LocalRoute } from './server';

/** Calls a handler makes are recorded with its route, as API Gateway names it (`GET /status/{listId}`). */
const byRoute =
  (recorder: CallRecorder, handler: HttpHandler): HttpHandler =>
  (event, context) =>
    invoke(recorder, event.routeKey, () => handler(event, context));

export interface LocalStackOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** Where the local state lives (git-ignored); survives restarts. */
  stateDir: string;
  /** Start from an empty state. */
  fresh?: boolean;
  /** Seed the demo district (default true). */
  seed?: boolean;
  clock?: Clock;
  /** Receives every AWS call a function makes (the suites' IAM parity check); absent: nothing is recorded. */
  recordAwsCall?: AwsCallSink;
  /** Whose parents must consent (DESIGN §5.1); default: `CONSENT_POLICY` from the environment, else `under13`. */
  consentPolicy?: ConsentPolicy;
}

export interface LocalConfig {
  /** Where this process listens. */
  apiUrl: string;
  /** The base URL in credentials and DID documents: the first start's, kept in the state directory. */
  publicBaseUrl: string;
  region: string;
  s3Endpoint: string;
  dropBucket: string;
  imagesBucket: string;
  reportsBucket: string;
  dynamoEndpoint: string;
  tableName: string;
}

export interface LocalStack {
  url: string;
  /** The web app (`<url>/app/`) and one sign-in link per demo person. */
  app: { url: string; signInLinks: Array<{ label: string; url: string }> };
  /** The base URL credentials name (kept across restarts, whatever the port). */
  publicBaseUrl: string;
  /** Jobs that were running when the previous process stopped, taken up again at this start. */
  resumedJobIds: string[];
  config: LocalConfig;
  /** Unrecorded dependencies for set-up (the seed, `/local/*` routes, tests): no function makes these calls. */
  deps: Dependencies;
  /** Each function's own dependencies (own clients), as each Lambda has its own role. */
  functions: Record<FunctionName, Dependencies>;
  bulkQueue: InProcessQueue;
  stop(): Promise<void>;
}

const tokenRequestSchema = z
  .object({
    sub: z.string().min(1).max(200),
    role: z.enum(roles as [string, ...string[]]),
    schoolIds: z.array(z.string().min(1)).max(50).default([]),
    learnerId: z.string().min(1).optional(),
    learnerIds: z.array(z.string().min(1)).max(50).optional(),
    email: z.email().optional(),
  })
  .strict();

const parseJson = (body: Buffer): unknown => {
  try {
    return body.length ? JSON.parse(body.toString('utf8')) : {};
  } catch {
    return undefined;
  }
};

/** Starts everything `npm start` runs: DynamoDB Local, s3rver, the local IdP and signer, and the HTTP API. */
export const startLocalStack = async (options: LocalStackOptions): Promise<LocalStack> => {
  if (options.fresh) rmSync(options.stateDir, { recursive: true, force: true });
  const region = 'local';
  const tableName = 'merit';
  const buckets = { images: 'merit-images', drops: 'merit-drops', reports: 'merit-reports' };

  const port = options.port || (await freePort());
  const apiUrl = `http://localhost:${port}`;
  const publicBaseUrl = keptPublicBaseUrl(options.stateDir, apiUrl);
  const dynamo = await startDynamoLocal({ directory: join(options.stateDir, 'dynamodb') });
  const s3 = await startS3Local({ directory: join(options.stateDir, 's3'), buckets: Object.values(buckets) });

  const bootstrapClient = createDynamoClient({ region, endpoint: dynamo.endpoint });
  await ensureTable(bootstrapClient, tableName);
  bootstrapClient.destroy();
  const signer = await LocalSigner.fromDirectory(join(options.stateDir, 'keys'));
  const clock = options.clock ?? systemClock;
  const outbox = outboxMailer(join(options.stateDir, 'outbox'), clock);
  // One list for every local function, as CloudWatch gathers their EMF lines in one namespace.
  const metrics = recordedMetrics();
  const events = fileEvents(join(options.stateDir, 'outbox', 'events.jsonl'));
  const district: DistrictSettings = {
    name: 'Riverside Unified School District',
    alertThresholds: defaultAlertThresholds,
    adminDigestEmails: ['district-admins@riverside.example.org'],
    identifierPepper: async () => 'local-only-pepper',
    retentionYears: 5,
    consentPolicy: options.consentPolicy ?? parseConsentPolicy(process.env[envNames.consentPolicy]),
  };
  // SQS + the bulk-issue event source, in process: same batches, partial failures, redelivery, bounded concurrency.
  const bulkQueue = new InProcessQueue({
    batchSize: bulkQueueSettings.batchSize,
    concurrency: bulkQueueSettings.maxConcurrency,
    maxReceives: bulkQueueSettings.maxReceiveCount,
    retryDelayMs: bulkQueueSettings.localRedeliveryDelayMs,
    consume: (records) =>
      invoke(recorders['bulk-issue'], 'SQS bulk chunk', () => {
        recordQueueConsumption(recorders['bulk-issue']);
        return processBulkBatch(functions['bulk-issue'], records);
      }),
    // Chunks survive a stop, as they would in SQS: the next start issues what this one did not.
    journalDirectory: join(options.stateDir, 'bulk-queue'),
  });

  // Each function gets its own clients, as each Lambda has its own role: a call is recorded (when the caller asks, as
  // the test suites do for the IAM parity check) under the function that would make it in AWS.
  const wiring: LocalWiring = {
    region,
    dynamoEndpoint: dynamo.endpoint,
    s3Endpoint: s3.endpoint,
    tableName,
    buckets,
    signer,
    verificationKeys: [signer],
    clock,
    metrics,
    mailer: outbox,
    events,
    bulkQueue,
    publicBaseUrl: async () => publicBaseUrl,
    district,
  };
  const sdkClients: Array<{ destroy(): void }> = [];
  const dependenciesOf = (recorder: CallRecorder | undefined, serviceName: string): Dependencies => {
    const built = localFunctionDependencies(wiring, recorder, serviceName);
    sdkClients.push(built);
    return built;
  };
  const recorders = Object.fromEntries(functionNames.map((name) => [name, callRecorder(name, options.recordAwsCall)])) as Record<
    FunctionName,
    CallRecorder
  >;
  const functions = Object.fromEntries(
    functionNames.map((name) => [name, dependenciesOf(recorders[name], `merit-local-${name}`)]),
  ) as Record<FunctionName, Dependencies>;
  // The seed, the /local/* routes and tests' own set-up: what district IT does with its own credentials, no function.
  const deps = dependenciesOf(undefined, 'merit-local');
  if (options.seed ?? true) await seedDemoDistrict(deps);
  const resumedJobIds = await resumeRunningJobs(functions['bulk-start'], bulkQueue);

  // s3rver's put events drive the bulk pipeline, filtered as the S3 notifications are in AWS (one definition).
  s3.server.on('event', (event) => {
    for (const record of event.Records) {
      if (record.s3.bucket.name !== buckets.drops || !record.eventName.startsWith('ObjectCreated')) continue;
      const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
      if (!startsBulkJob(key)) continue;
      invoke(recorders['bulk-start'], 'S3 drop', () => startBulkJob(functions['bulk-start'], { key, etag: record.s3.object.eTag })).catch(
        (error: unknown) => deps.logger.error('Bulk start failed', { errorName: (error as Error).name, message: (error as Error).message }),
      );
    }
  });

  const idp = await createLocalIdp({
    keyFile: join(options.stateDir, 'idp', 'key.json'),
    issuer: `${apiUrl}/local`,
    audience: 'merit-local',
  });
  const frontDoor = await startFrontDoor({ stateDir: options.stateDir, apiUrl, idp, deps, s3Endpoint: s3.endpoint });
  const config: LocalConfig = {
    apiUrl,
    publicBaseUrl,
    region,
    s3Endpoint: s3.endpoint,
    dropBucket: buckets.drops,
    imagesBucket: buckets.images,
    reportsBucket: buckets.reports,
    dynamoEndpoint: dynamo.endpoint,
    tableName,
  };

  /**
   * Scheduled jobs, run at once as if at `now` (the schedules' own timer runs them daily), in parts of at most ten
   * minutes as in AWS (where a part ends before the function's timeout and the next one carries on from its queue).
   */
  const localPartMs = 10 * 60_000;
  const jobs: Partial<Record<FunctionName, (at: Dependencies) => Promise<unknown>>> = {
    'expiry-alerts': (at) => runToEnd(expiryAlertsJob, at, () => deadlineBudget(localPartMs)),
    retention: (at) => runToEnd(retentionJob, at, () => deadlineBudget(localPartMs)),
  };
  const runJob = (name: FunctionName, at: Dependencies) => invoke(recorders[name], `job ${name}`, () => jobs[name]!(at));

  const localRoutes: Record<string, LocalRoute> = {
    'GET /local/outbox': async () => ({ statusCode: 200, body: outbox.list() }),
    'POST /local/jobs/{name}': async ({ body, params }) => {
      const name = params['name'] ?? '';
      if (!Object.hasOwn(jobs, name))
        return {
          statusCode: 404,
          body: { error: { code: 'not_found', message: `No job named ${params['name']}; jobs: ${Object.keys(jobs).join(', ')}.` } },
        };
      const parsed = z.object({ now: z.iso.datetime({ offset: true }).optional() }).safeParse(parseJson(body));
      if (!parsed.success)
        return { statusCode: 400, body: { error: { code: 'invalid_request', message: 'Send {"now"?: ISO date-time}.' } } };
      const job = name as FunctionName;
      const at = parsed.data.now ? { ...functions[job], clock: fixedClock(parsed.data.now) } : functions[job];
      return { statusCode: 200, body: await runJob(job, at) };
    },
    'GET /local/config': async () => ({ statusCode: 200, body: config }),
    'GET /local/jwks.json': async () => ({ statusCode: 200, body: idp.jwks }),
    'POST /local/token': async ({ body }) => {
      const parsed = tokenRequestSchema.safeParse(parseJson(body));
      if (!parsed.success) {
        return {
          statusCode: 400,
          body: {
            error: {
              code: 'invalid_request',
              message: 'Send {"sub", "role", "schoolIds"?, "learnerId"?}.',
              details: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })),
            },
          },
        };
      }
      const { sub, role, schoolIds, learnerId, learnerIds, email } = parsed.data;
      frontDoor.record(sub, role);
      await deps.store.memberships.put(
        { subject: sub },
        {
          role: role as (typeof roles)[number],
          schoolIds,
          learnerIds: [...(learnerId ? [learnerId] : []), ...(learnerIds ?? [])],
        },
      );
      return { statusCode: 200, body: { token: await idp.issueToken({ sub, ...(email ? { email } : {}) }) } };
    },
  };

  const server = createLocalServer({
    idp,
    localRoutes,
    mounts: frontDoor.mounts,
    handlers: {
      public: byRoute(
        recorders.public,
        createHttpHandler({
          lambda: 'public',
          operations: publicOperations,
          dependencies: functions.public,
          maxBodyBytes: 10 * 1024 * 1024,
        }),
      ),
      api: byRoute(recorders.api, createHttpHandler({ lambda: 'api', operations: apiOperations, dependencies: functions.api })),
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;

  // The schedules on a timer, as EventBridge Scheduler runs them daily (POST /local/jobs/{name} runs one now).
  const daily = setInterval(
    () => {
      for (const name of Object.keys(jobs) as FunctionName[]) {
        runJob(name, functions[name]).catch((error: unknown) =>
          deps.logger.error('Scheduled job failed', { job: name, errorName: (error as Error).name }),
        );
      }
    },
    24 * 60 * 60 * 1000,
  );
  daily.unref();

  return {
    url: `http://localhost:${actualPort}`,
    app: { url: frontDoor.appUrl, signInLinks: frontDoor.signInLinks },
    publicBaseUrl,
    resumedJobIds,
    config,
    deps,
    functions,
    bulkQueue,
    async stop() {
      clearInterval(daily);
      bulkQueue.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const client of sdkClients) client.destroy();
      await Promise.all([s3.stop(), dynamo.stop()]);
    },
  };
};

/**
 * The public base URL of this state directory: written at its first start, read at every later one. Credentials
 * name it (issuer DIDs, status lists, criteria pages), so a restart on another PORT must not change it.
 */
const keptPublicBaseUrl = (stateDir: string, firstUrl: string): string => {
  const file = join(stateDir, 'public-base-url');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(file, `${firstUrl}\n`);
  return firstUrl;
};

/**
 * Jobs left `running` by a process that stopped mid-drop (Ctrl-C, a crash): their queued chunks are in the queue's
 * journal and are delivered again; a reading that never reached the end of the file is released and read again
 * (the same chunks; rows already issued are recognised by their origin). Newest first, as the jobs index lists them.
 */
const resumeRunningJobs = async (deps: Dependencies, queue: InProcessQueue): Promise<string[]> => {
  const resumed: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.bulkJobs.listRecent({ limit: 100, ...(cursor ? { cursor } : {}) });
    for (const job of page.items) {
      if (job.status !== 'running') continue;
      resumed.push(job.id);
      if (job.total !== undefined) continue; // read to the end: its chunks are in the journal
      await deps.store.bulkJobs.releaseReading(job.id);
      startBulkJob(deps, { key: job.sourceKey, etag: job.etag }).catch((error: unknown) =>
        deps.logger.error('Resuming a drop failed', { jobId: job.id, errorName: (error as Error).name }),
      );
    }
    cursor = page.nextCursor;
  } while (cursor);
  const recovered = queue.recover();
  if (resumed.length > 0 || recovered > 0) deps.logger.info('Resumed unfinished drops', { jobs: resumed.length, chunks: recovered });
  return resumed;
};
