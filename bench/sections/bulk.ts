/**
 * bulk: the local stack in process (DynamoDB Local + s3rver + the in-process queue that stands in for SQS and the
 * bulk-issue event source), the signer behind a token bucket at the simulated KMS rate, one generated drop issued
 * to the end. DynamoDB work is counted by a consumed-capacity middleware on a client the store is rebuilt over; the
 * other AWS requests by the local stack's call recorder; both priced with bench/lib/aws-prices.ts. The main thread's
 * CPU per row is set against the bare library's signing CPU per credential, rows/s against the lower of the KMS
 * rate and the store's ceiling calibrated in the same run. Then a 5-row drop behind a 100,000-row job (fairness),
 * and, in a fresh process, the peak RSS of streaming a 100,000-row drop through startBulkJob (parse + queueing).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, PutCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { createDynamoClient, toDocumentClient } from '#adapters/dynamodb/client';
import { ensureTable } from '#adapters/dynamodb/create-table';
import { createDynamoStore } from '#adapters/dynamodb/store';
import { sendUntilProcessed } from '#adapters/dynamodb/table';
import { InProcessQueue } from '#adapters/local/in-process-queue';
import { recordedMetrics } from '#adapters/local/recorded-metrics';
import { createS3Blobs, createS3Client } from '#adapters/s3/blobs';
import { LocalSigner } from '#adapters/signing/local-signer';
import type { Dependencies } from '#config/dependencies';
import { createLogger } from '#config/logger';
import { bulkQueueSettings } from '#config/topology';
import type { BulkJob } from '#domain/bulk-jobs';
import { defaultAlertThresholds } from '#domain/expiry-alert-due';
import type { JsonObject } from '#domain/proof/document-loader';
import { processBulkBatch } from '#features/bulk/process-batch';
import { startBulkJob } from '#features/bulk/start';
import { startDynamoLocal } from '#local/dynamodb-local';
import { startS3Local } from '#local/s3-local';
import { seedDemoDistrict } from '#local/seed';
import { startLocalStack } from '#local/stack';
import { systemClock } from '#ports/clock';
import type { Signer } from '#ports/signer';
import { specs as functionSpecs } from '../../lib/functions';
import { awsPrices, priceOfAction } from '../lib/aws-prices';
import { bareSigningCpu } from '../lib/bare-signing';
import { CapacityMeter } from '../lib/capacity';
import { rateLimitedSigner } from '../lib/rate-limit';
import { fmt, fmtInt, type Row, type Section, verdict } from '../lib/report';
import { mb, RssSampler } from '../lib/stats';

export interface BulkOptions {
  rows: number;
  /** Rows for the second run over DynamoDB Local in memory (0: skip it). */
  memoryRows: number;
  kmsRate: number;
  parseRows: number;
  /** Rows of the big job a 5-row drop is dropped behind (0: skip the fairness run). */
  fairnessRows: number;
  /** Sequential signatures of the bare library, for its CPU per credential. */
  bareIterations: number;
}

/** What a measured run needs: dependencies whose store and signer may be replaced, and the queue to wait on. */
interface Environment {
  label: string;
  /** bulk-issue's dependencies (the queue's consumer). */
  deps: Dependencies;
  /** bulk-start's dependencies (reads the drop, queues its chunks). */
  startDeps: Dependencies;
  /** Set-up and checks (the bench's own uploads and reads): no function makes these calls. */
  setup: Dependencies;
  /** The signer before the bench put a token bucket in front of it. */
  signer: Signer;
  /** AWS calls of the functions by IAM action (the local stack's recorder); absent: not recorded. */
  awsCalls?: Map<string, number>;
  bulkQueue: InProcessQueue;
  region: string;
  dynamoEndpoint: string;
  tableName: string;
  stop(): Promise<void>;
}

/** The local stack (`npm start`): DynamoDB Local with its state on disk, s3rver, the in-process queue. */
const localStack = async (): Promise<Environment> => {
  const stateDir = mkdtempSync(join(tmpdir(), 'merit-bench-stack-'));
  const awsCalls = new Map<string, number>();
  const stack = await startLocalStack({
    port: 0,
    stateDir,
    fresh: true,
    recordAwsCall: (call) => awsCalls.set(call.action, (awsCalls.get(call.action) ?? 0) + 1),
  });
  return {
    label: 'local stack (DynamoDB Local on disk)',
    // bulk-issue's own dependencies: the queue's consumer reads them at call time, so the replaced store and signer count.
    deps: stack.functions['bulk-issue'],
    startDeps: stack.functions['bulk-start'],
    setup: stack.deps,
    signer: stack.functions['bulk-issue'].signer,
    awsCalls,
    bulkQueue: stack.bulkQueue,
    region: stack.config.region,
    dynamoEndpoint: stack.config.dynamoEndpoint,
    tableName: stack.config.tableName,
    async stop() {
      await stack.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
};

/** The stack's wiring (as test/support/connected.ts does it) over DynamoDB Local in memory: the store's floor. */
const inMemory = async (): Promise<Environment> => {
  const stateDir = mkdtempSync(join(tmpdir(), 'merit-bench-mem-'));
  const dynamo = await startDynamoLocal();
  const buckets = { images: 'merit-images', drops: 'merit-drops', reports: 'merit-reports' };
  const s3 = await startS3Local({ directory: join(stateDir, 's3'), buckets: Object.values(buckets) });
  const client = createDynamoClient({ region: 'local', endpoint: dynamo.endpoint });
  await ensureTable(client, 'merit');
  const signer = LocalSigner.generate();
  const bulkQueue = new InProcessQueue({
    batchSize: 1,
    concurrency: 8,
    maxReceives: 5,
    retryDelayMs: 2_000,
    consume: (records) => processBulkBatch(deps, records),
  });
  const deps: Dependencies = {
    store: createDynamoStore(toDocumentClient(client), 'merit'),
    blobs: createS3Blobs(createS3Client({ region: 'local', endpoint: s3.endpoint }), buckets),
    signer,
    verificationKeys: [signer],
    clock: systemClock,
    metrics: recordedMetrics(),
    mailer: { send: async () => undefined },
    events: { publish: async () => undefined },
    bulkQueue,
    logger: createLogger('merit-bench'),
    publicBaseUrl: async () => 'http://localhost:3000',
    district: {
      name: 'Riverside Unified School District',
      alertThresholds: defaultAlertThresholds,
      adminDigestEmails: [],
      identifierPepper: async () => 'bench-pepper',
      retentionYears: 5,
      consentPolicy: 'under13',
    },
  };
  await seedDemoDistrict(deps);
  return {
    label: 'DynamoDB Local in memory',
    deps,
    startDeps: deps,
    setup: deps,
    signer,
    bulkQueue,
    region: 'local',
    dynamoEndpoint: dynamo.endpoint,
    tableName: 'merit',
    async stop() {
      client.destroy();
      await Promise.all([s3.stop(), dynamo.stop()]);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
};

/** A drop for students B000000…: the first one registers them; a later one (another achievement) finds them on file. */
const dropCsv = (rows: number, achievement = 'CS-PYTHON-1', issuedOn = '2026-05-01', prefix = 'B') =>
  // 13 or older (a birth date on file): no consent needed, so every row is signed.
  [
    'student_id,first_name,last_name,achievement,issued_on,birth_date',
    ...Array.from(
      { length: rows },
      (_, i) => `${prefix}${String(i).padStart(6, '0')},Student${i % 977},Number${i},${achievement},${issuedOn},2009-04-04`,
    ),
  ].join('\r\n');

/** The drops each environment issues, one after the other. */
const drops = (rows: number) => [
  { label: 'first drop: every student new (registered by the drop)', csv: dropCsv(rows), rows },
  {
    label: 'later drop: the same students on file, another achievement',
    csv: dropCsv(Math.min(rows, 2_000), 'PUBLIC-SPEAKING-1', '2026-06-01'),
    rows: Math.min(rows, 2_000),
  },
];

const parseRss = (
  rows: number,
): Promise<{ rows: number; queued: number; duplicates: number; total: number; baseline: number; peak: number; seconds: number }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'parse-rss-child.ts'), String(rows)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(out.trim().split('\n').at(-1)!));
      } catch (error) {
        reject(new Error(`100k parse child failed (${(error as Error).message}): ${err.slice(-600)}`));
      }
    });
  });

/** How DynamoDB commands are calibrated: each kind of call at its own calibrated rate. */
type CallClass = 'write' | 'read' | 'batchWrite' | 'transaction';
const classOfCommand: Record<string, CallClass> = {
  PutItemCommand: 'write',
  UpdateItemCommand: 'write',
  DeleteItemCommand: 'write',
  GetItemCommand: 'read',
  QueryCommand: 'read',
  BatchGetItemCommand: 'read',
  ScanCommand: 'read',
  BatchWriteItemCommand: 'batchWrite',
  TransactWriteItemsCommand: 'transaction',
  TransactGetItemsCommand: 'transaction',
};

interface Calibration {
  /** Calls per second of each class (40 callers; 8 for 25-item batches). */
  callsPerSecond: Record<CallClass, number>;
  batchedItemsPerSecond: number;
  cpuMsPerCall: number;
}

/**
 * What DynamoDB Local (with the AWS SDK in this process) sustains on this machine, on the run's own endpoint (a
 * scratch table, dropped after): conditional PutItems, GetItems and two-item TransactWriteItems from 40 concurrent
 * callers, 25-item BatchWriteItems from 8, and the Node CPU the AWS SDK spends per call. A drop's calls per row at
 * these rates give the store's ceiling: it cannot go faster.
 */
const calibrate = async (env: Environment): Promise<Calibration> => {
  const client = createDynamoClient({ region: env.region, endpoint: env.dynamoEndpoint });
  const tableName = `bench-calibration-${Date.now()}`;
  await ensureTable(client, tableName);
  const documents = toDocumentClient(client);
  const payload = 'x'.repeat(400);
  const during = async (ms: number, callers: number, call: () => Promise<number>) => {
    let items = 0;
    let calls = 0;
    const cpu = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: callers }, async () => {
        while (performance.now() - started < ms) {
          const written = await call(); // not `items += await call()`: that reads `items` before the await
          items += written;
          calls++;
        }
      }),
    );
    const used = process.cpuUsage(cpu);
    const seconds = (performance.now() - started) / 1000;
    return { perSecond: items / seconds, callsPerSecond: calls / seconds, cpuMsPerCall: (used.user + used.system) / 1000 / calls };
  };
  const written: string[] = [];
  const putOne = async () => {
    const pk = `P#${randomUUID()}`;
    await documents.send(
      new PutCommand({ TableName: tableName, Item: { pk, sk: 'S', payload }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    if (written.length < 5_000) written.push(pk);
    return 1;
  };
  await during(2_000, 40, putOne); // warm-up: a fresh table and a cold JVM are slow at first
  const single = await during(2_500, 40, putOne);
  let next = 0;
  const read = await during(2_500, 40, async () => {
    await documents.send(new GetCommand({ TableName: tableName, Key: { pk: written[next++ % written.length]!, sk: 'S' } }));
    return 1;
  });
  const transaction = await during(2_500, 40, async () => {
    const pk = `T#${randomUUID()}`;
    await documents.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName, Item: { pk, sk: 'A', payload }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: tableName, Item: { pk, sk: 'B', payload } } },
        ],
      }),
    );
    return 2;
  });
  const batched = await during(2_500, 8, async () => {
    // Every item counted is written: what DynamoDB leaves unprocessed is sent again, as the store does.
    await sendUntilProcessed(
      Array.from({ length: 25 }, () => ({ PutRequest: { Item: { pk: `B#${randomUUID()}`, sk: 'S', payload } } })),
      async (pending) =>
        ((await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }))).UnprocessedItems?.[tableName] ??
          []) as typeof pending,
    );
    return 25;
  });
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  client.destroy();
  return {
    callsPerSecond: {
      write: single.callsPerSecond,
      read: read.callsPerSecond,
      transaction: transaction.callsPerSecond,
      batchWrite: batched.callsPerSecond,
    },
    batchedItemsPerSecond: batched.perSecond,
    cpuMsPerCall: single.cpuMsPerCall,
  };
};

/** The rows/s the store allows at a drop's DynamoDB calls per row: each call class at its calibrated rate, one after the other. */
const storeCeiling = (
  meter: CapacityMeter,
  rows: number,
  capacity: Calibration,
): { rowsPerSecond: number; secondsPerRow: Record<CallClass, number> } => {
  const secondsPerRow: Record<CallClass, number> = { write: 0, read: 0, batchWrite: 0, transaction: 0 };
  for (const [command, stats] of meter.byCommand) {
    const callClass = classOfCommand[command] ?? 'write';
    secondsPerRow[callClass] += stats.calls / rows / capacity.callsPerSecond[callClass];
  }
  const total = Object.values(secondsPerRow).reduce((sum, seconds) => sum + seconds, 0);
  return { rowsPerSecond: 1 / Math.max(total, 1e-9), secondsPerRow };
};

/** The store over a client counted by `meter`, and the signer behind a fresh token bucket, for bulk-start and bulk-issue. */
const instrument = (env: Environment, meter: CapacityMeter, kmsRate: number) => {
  const client = meter.instrument(createDynamoClient({ region: env.region, endpoint: env.dynamoEndpoint }));
  const store = createDynamoStore(toDocumentClient(client), env.tableName);
  env.deps.store = store;
  env.startDeps.store = store;
  const signer = rateLimitedSigner(env.signer, kmsRate);
  env.deps.signer = signer;
  return { client, signer };
};

/** The job once completed or failed (polled every 100 ms, for at most 10 minutes). */
const waitForJob = async (deps: Dependencies, id: string): Promise<BulkJob | undefined> => {
  const settled = (job: BulkJob) => job.status === 'completed' || job.status === 'failed';
  let job: BulkJob | undefined;
  for (let i = 0; i < 6_000; i++) {
    job = await deps.store.bulkJobs.get(id);
    if (job && settled(job)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return job;
};

/**
 * The projected AWS bill of what was counted, per 1,000 credentials: KMS, S3, SQS, EventBridge and Secrets Manager
 * from the recorded calls, DynamoDB from the consumed units, Lambda from the invocations and their measured time at
 * the configured memory.
 */
const projectedCost = (
  calls: Map<string, number>,
  units: { readUnits: number; writeUnits: number },
  lambda: { invocations: number; gbSeconds: number },
  credentials: number,
) => {
  const byService = new Map<string, number>();
  const add = (service: string, usd: number) => byService.set(service, (byService.get(service) ?? 0) + usd);
  const unpriced: string[] = [];
  for (const [action, count] of calls) {
    if (action.startsWith('dynamodb:') || action === 'local:Invoke') continue; // priced by units / as Lambda below
    const price = priceOfAction[action];
    if (price) add(action.split(':')[0]!, count * price.usd);
    else if (!(action in priceOfAction)) unpriced.push(action);
  }
  add('dynamodb', units.writeUnits * awsPrices.dynamoWriteRequestUnit.usd + units.readUnits * awsPrices.dynamoReadRequestUnit.usd);
  add('lambda', lambda.invocations * awsPrices.lambdaRequest.usd + lambda.gbSeconds * awsPrices.lambdaArmGbSecond.usd);
  const per1000 = new Map([...byService].map(([service, usd]) => [service, (usd / Math.max(1, credentials)) * 1000]));
  return { per1000, total: [...per1000.values()].reduce((sum, usd) => sum + usd, 0), unpriced };
};

/** Credential items in the table (a scan: the bench's own check, never a request path). */
const countCredentialItems = async (config: { region: string; dynamoEndpoint: string; tableName: string }): Promise<number> => {
  const plain = toDocumentClient(createDynamoClient({ region: config.region, endpoint: config.dynamoEndpoint }));
  let credentialItems = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await plain.send(
      new ScanCommand({
        TableName: config.tableName,
        FilterExpression: 'entity = :c',
        ExpressionAttributeValues: { ':c': 'credential' },
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    credentialItems += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  plain.destroy();
  return credentialItems;
};

const calibrations = new Map<Environment, Calibration>();
/** The bare library's signing CPU per credential, measured once per run on a credential the first drop issued. */
let bare: { cpuMs: number; mainThreadMs: number } | undefined;

const delta = (after: Map<string, number> | undefined, before: Map<string, number>) =>
  new Map(
    [...(after ?? new Map<string, number>())]
      .map(([action, count]) => [action, count - (before.get(action) ?? 0)] as const)
      .filter(([, count]) => count > 0),
  );

/** One drop of `rows` rows issued to the end in `env`; appends its figures to `section`, returns the details. */
const measureDrop = async (
  section: Section,
  env: Environment,
  drop: { label: string; csv: string; rows: number },
  options: BulkOptions,
  prefix: string,
  calibrated: boolean,
): Promise<Record<string, unknown>> => {
  const rows = drop.rows;
  const { kmsRate } = options;
  // The store over an instrumented client (same table, same endpoint); the queue's consumer reads deps at call time.
  const meter = new CapacityMeter();
  const { client, signer } = instrument(env, meter, kmsRate);
  section.rows.push({ metric: `${prefix}) ${env.label} — ${drop.label}`, value: `${fmtInt(rows)} rows`, verdict: 'no budget' });
  const capacity = calibrations.get(env) ?? (await calibrate(env));
  calibrations.set(env, capacity);
  if (!calibrated) {
    const rates = capacity.callsPerSecond;
    section.rows.push({
      metric: '  DynamoDB Local + AWS SDK on this machine (calibration)',
      value: `${fmtInt(rates.write)} conditional PutItems/s · ${fmtInt(rates.read)} GetItems/s · ${fmtInt(rates.transaction)} 2-item transactions/s (40 callers) · ${fmtInt(capacity.batchedItemsPerSecond)} items/s in 25-item batches · AWS SDK ${fmt(capacity.cpuMsPerCall, 2)} ms Node CPU per call`,
      raw: rates.write,
      verdict: 'no budget',
    });
  }
  const credentialsBefore = await countCredentialItems({
    region: env.region,
    dynamoEndpoint: env.dynamoEndpoint,
    tableName: env.tableName,
  });

  // A key outside drops/ so the stack's S3 notification does not start the job too: we start it, as bulk-start would.
  const key = `bench/drop-${prefix}-${calibrations.size}-${Date.now()}.csv`;
  await env.setup.blobs.put('drops', key, drop.csv, 'text/csv');
  const etag = (await env.setup.blobs.get('drops', key))?.etag ?? '';

  meter.reset();
  const callsBefore = new Map(env.awsCalls ?? []);
  const invocationsBefore = { ...env.bulkQueue.invocations };
  const rss = new RssSampler(100);
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  const started = performance.now();
  const { id } = await startBulkJob(env.startDeps, { key, etag });
  const bulkStartMs = performance.now() - started;
  await env.bulkQueue.drained();
  const job = await waitForJob(env.setup, id);
  const seconds = (performance.now() - started) / 1000;
  const cpuUsed = process.cpuUsage(cpu);
  const busy = performance.eventLoopUtilization(elu);
  const peakRss = rss.stop();
  const counted = meter.totals();
  const byCommand = Object.fromEntries(meter.byCommand);
  const calls = delta(env.awsCalls, callsBefore);
  const invocations = {
    count: env.bulkQueue.invocations.count - invocationsBefore.count,
    ms: env.bulkQueue.invocations.ms - invocationsBefore.ms,
  };

  // Exactly once? The job's counters, the report's lines, and the credential items actually in the table.
  const report = job?.reportKey ? await env.setup.blobs.get('reports', job.reportKey) : undefined;
  const lines = report
    ? (parse(new TextDecoder().decode(report.body), { columns: true }) as Array<{ line: string; status: string; credential_id: string }>)
    : [];
  const issuedLines = lines.filter((line) => line.status === 'issued');
  const distinctCredentials = new Set(issuedLines.map((line) => line.credential_id)).size;
  const distinctLines = new Set(lines.map((line) => line.line)).size;
  const credentialItems =
    (await countCredentialItems({ region: env.region, dynamoEndpoint: env.dynamoEndpoint, tableName: env.tableName })) - credentialsBefore;

  const issued = job?.issued ?? 0;
  const rowsPerSecond = rows / seconds;
  const kmsShare = rowsPerSecond / kmsRate;
  const ceiling = storeCeiling(meter, rows, capacity);
  const bound = Math.min(kmsRate, ceiling.rowsPerSecond);
  const boundShare = rowsPerSecond / bound;
  const lost = rows - distinctLines;
  const duplicated = lines.length - distinctLines + Math.max(0, credentialItems - distinctCredentials) + (job?.duplicates ?? 0);
  const writeUnitsPerCredential = counted.writeUnits / Math.max(1, issued);
  const exact =
    job?.status === 'completed' &&
    issued === rows &&
    distinctCredentials === rows &&
    credentialItems === rows &&
    lost === 0 &&
    duplicated === 0;

  // The yardstick: the bare library signing one of the credentials this drop issued, in this process, now.
  if (!bare && issuedLines[0]) {
    const signed = (await env.setup.store.credentials.get(issuedLines[0].credential_id))?.credential as JsonObject | undefined;
    if (signed) bare = await bareSigningCpu(signed, options.bareIterations);
  }
  const mainThreadMsPerRow = busy.active / rows;
  const cpuMsPerRow = (cpuUsed.user + cpuUsed.system) / 1000 / rows;
  const cpuRatio = bare ? mainThreadMsPerRow / bare.mainThreadMs : Number.NaN;

  section.rows.push(
    {
      metric: '  throughput',
      value: `${fmt(rowsPerSecond)} rows/s (${fmtInt(rows)} rows in ${fmt(seconds)} s)`,
      raw: rowsPerSecond,
      verdict: 'no budget',
    },
    {
      metric: '  share of the simulated KMS rate',
      value: `${fmtInt(kmsShare * 100)} % of ${kmsRate}/s`,
      raw: kmsShare,
      verdict: 'no budget',
    },
    {
      metric: '  store ceiling (its calls per row at the calibrated rates)',
      value: `≈ ${fmtInt(ceiling.rowsPerSecond)} rows/s (per row: ${(Object.entries(ceiling.secondsPerRow) as Array<[CallClass, number]>)
        .filter(([, s]) => s > 0)
        .map(([callClass, s]) => `${callClass} ${fmt(s * 1000, 2)} ms`)
        .join(', ')})`,
      raw: ceiling.rowsPerSecond,
      verdict: 'no budget',
    },
    {
      metric: '  share of min(KMS rate, store ceiling)',
      value: `${fmtInt(boundShare * 100)} % of ${fmtInt(bound)} rows/s (${kmsRate <= ceiling.rowsPerSecond ? 'the KMS rate' : 'the store'} is the lower)`,
      raw: boundShare,
      budget: '≥ 90 %',
      verdict: verdict(boundShare >= 0.9),
    },
    {
      metric: '  main-thread CPU per row vs bare signing CPU per credential',
      value: bare
        ? `${fmt(mainThreadMsPerRow, 2)} ms / ${fmt(bare.mainThreadMs, 2)} ms = ${fmt(cpuRatio, 2)}× (process CPU, all threads: ${fmt(cpuMsPerRow, 2)} ms/row vs ${fmt(bare.cpuMs, 2)} ms/cred = ${fmt(cpuMsPerRow / bare.cpuMs, 2)}×)`
        : 'not measured (no issued credential to sign)',
      raw: cpuRatio,
      budget: '≤ 1.3×',
      verdict: bare ? verdict(cpuRatio <= 1.3) : 'not measured',
    },
    {
      metric: '  rows issued / expected',
      value: `${fmtInt(issued)} / ${fmtInt(rows)} · report ${fmtInt(issuedLines.length)} issued lines, ${fmtInt(distinctCredentials)} distinct ids · table ${fmtInt(credentialItems)} credentials`,
      raw: issued,
      verdict: 'no budget',
    },
    {
      metric: '  rows lost / duplicated',
      value: `${fmtInt(lost)} / ${fmtInt(duplicated)} (job: ${job?.status ?? 'missing'}, errors ${job?.errors ?? '?'}, dead letters ${env.bulkQueue.deadLetters.length})`,
      raw: lost + duplicated,
      budget: '0 / 0',
      verdict: verdict(exact),
    },
    {
      metric: `  peak RSS, this process, ${fmtInt(rows)}-row job`,
      value: `${fmtInt(mb(peakRss))} MB (start ${fmtInt(mb(rss.start))} MB)`,
      raw: peakRss,
      verdict: 'no budget',
    },
    {
      metric: '  DynamoDB write units per credential',
      value: `${fmt(writeUnitsPerCredential, 2)} WCU (total ${fmtInt(counted.writeUnits)}; reads ${fmt(counted.readUnits / Math.max(1, issued), 2)} RCU/cred)`,
      raw: writeUnitsPerCredential,
      budget: '≤ 4',
      verdict: verdict(writeUnitsPerCredential <= 4),
    },
  );
  if (counted.unreported > 0)
    section.notes.push(
      `${prefix}) ${counted.unreported} DynamoDB calls came back without ConsumedCapacity; their units are missing from the totals.`,
    );

  // The bill, from what was counted: the recorder's calls, the consumed units, the invocations and their time.
  let cost: ReturnType<typeof projectedCost> | undefined;
  if (env.awsCalls) {
    const memoryGb = (name: 'bulk-start' | 'bulk-issue') => functionSpecs[name].memorySize / 1024;
    const gbSeconds = (bulkStartMs / 1000) * memoryGb('bulk-start') + (invocations.ms / 1000) * memoryGb('bulk-issue');
    cost = projectedCost(calls, counted, { invocations: invocations.count + 1, gbSeconds }, issued);
    section.rows.push(
      {
        metric: '  projected AWS cost per 1,000 credentials (us-east-1, counted requests)',
        value: `$${fmt(cost.total, 4)} (${[...cost.per1000]
          .sort(([, a], [, b]) => b - a)
          .map(([service, usd]) => `${service} $${fmt(usd, 4)}`)
          .join(' · ')})`,
        raw: cost.total,
        budget: '≤ $0.05',
        verdict: verdict(cost.total <= 0.05),
      },
      {
        metric: '    counted',
        value: `${[...calls]
          .filter(([action]) => !action.startsWith('dynamodb:'))
          .map(([action, count]) => `${action} ${fmtInt(count)}`)
          .join(
            ' · ',
          )} · DynamoDB ${fmtInt(counted.writeUnits)} WRU + ${fmtInt(counted.readUnits)} RRU · Lambda ${fmtInt(invocations.count)} bulk-issue invocations, ${fmt(invocations.ms / 1000)} s + bulk-start ${fmt(bulkStartMs / 1000)} s → ${fmt(gbSeconds, 1)} GB-s`,
        raw: gbSeconds,
        verdict: 'no budget',
      },
    );
    const busyGbSeconds = (busy.active / 1000) * memoryGb('bulk-issue');
    section.notes.push(
      `${prefix}) Lambda GB-s are the invocations' measured wall time here (${fmt(invocations.ms / Math.max(1, invocations.count) / 1000, 1)} s per invocation, ${bulkQueueSettings.maxConcurrency} at once sharing one Node thread and DynamoDB Local's latency), so an upper bound: at the main thread's busy time instead (${fmt(busyGbSeconds, 1)} GB-s) Lambda would be $${fmt((busyGbSeconds * awsPrices.lambdaArmGbSecond.usd * 1000) / Math.max(1, issued), 4)} per 1,000.`,
    );
    if (cost.unpriced.length > 0) section.notes.push(`${prefix}) Counted but not in bench/lib/aws-prices.ts: ${cost.unpriced.join(', ')}.`);
  }

  // Where the time goes: DynamoDB calls per row and their latency, the main thread's busy share, the token bucket.
  const perCommand: Row[] = [...meter.byCommand.entries()]
    .sort(([, a], [, b]) => b.ms - a.ms)
    .map(([command, stats]) => ({
      metric: `    ${command.replace(/Command$/, '')}`,
      value: `${fmt(stats.calls / rows, 2)} calls/row · ${fmt(stats.ms / Math.max(1, stats.calls), 1)} ms/call · ${fmt(stats.writeUnits / rows, 2)} WCU/row${stats.errors ? ` · ${stats.errors} errors` : ''}`,
      raw: stats.calls,
      verdict: 'no budget',
    }));
  const perItemKind: Row[] = [...meter.byItemKind.entries()]
    .sort(([, a], [, b]) => b.writeUnits - a.writeUnits)
    .map(([kind, stats]) => ({
      metric: `    writes of ${kind}`,
      value: `${fmt(stats.writeUnits / Math.max(1, issued), 2)} WCU per credential (${fmt(stats.calls / rows, 2)} calls/row)`,
      raw: stats.writeUnits,
      verdict: 'no budget',
    }));
  section.rows.push(
    { metric: '  where the write units go (item kinds: partition/sort key prefix)', value: '', verdict: 'no budget' },
    ...perItemKind,
  );
  const dynamoMsPerRow = counted.ms / rows;
  section.rows.push(
    {
      metric: '  DynamoDB calls per row (all commands)',
      value: `${fmt(counted.calls / rows, 1)} calls · ${fmt(dynamoMsPerRow)} ms of DynamoDB latency per row`,
      raw: counted.calls / rows,
      verdict: 'no budget',
    },
    ...perCommand,
    {
      metric: '  main thread busy (event-loop utilisation)',
      value: `${fmtInt(busy.utilization * 100)} % (${fmt(mainThreadMsPerRow, 2)} ms of main-thread time per row)`,
      raw: busy.utilization,
      verdict: 'no budget',
    },
    {
      metric: '  signer: calls · waited for tokens',
      value: `${fmtInt(signer.calls)} · ${fmt(signer.waitedMs / 1000)} s total`,
      raw: signer.calls,
      verdict: 'no budget',
    },
  );
  if (boundShare < 0.9) {
    const inFlight = bulkQueueSettings.maxConcurrency * bulkQueueSettings.batchSize;
    const reasons: string[] = [];
    if (busy.utilization > 0.85)
      reasons.push(
        `the Node main thread is ${fmtInt(busy.utilization * 100)} % busy, ${fmt(mainThreadMsPerRow, 1)} ms per row (AWS SDK request handling for every DynamoDB call, RDFC canonicalisation and signing, s3rver — one thread; DynamoDB Local's JVM shares the other core)`,
      );
    if (ceiling.rowsPerSecond < kmsRate * 1.1)
      reasons.push(
        `the store: at this drop's ${fmt(counted.calls / rows, 1)} DynamoDB calls per row, DynamoDB Local + the SDK allow ≈ ${fmtInt(ceiling.rowsPerSecond)} rows/s here`,
      );
    if (reasons.length === 0)
      reasons.push(
        `neither the main thread nor the store's ceiling alone explains it (${inFlight} chunks in flight at most); see the per-command figures`,
      );
    section.notes.push(
      `${prefix}) Bottleneck: below ${fmtInt(bound)} rows/s because ${reasons.join('; and ')}. The token bucket made callers wait ${fmt(signer.waitedMs / 1000)} s in all${signer.waitedMs < seconds * 100 ? ', so the simulated KMS was not the limit' : ''}.`,
    );
  }

  client.destroy();
  return {
    environment: env.label,
    rows,
    seconds,
    rowsPerSecond,
    kmsShare,
    storeCeiling: ceiling,
    boundShare,
    cpu: { mainThreadMsPerRow, cpuMsPerRow, bare, ratio: cpuRatio },
    cost: cost
      ? {
          total: cost.total,
          per1000: Object.fromEntries(cost.per1000),
          calls: Object.fromEntries(calls),
          lambdaInvocations: invocations,
          bulkStartMs,
        }
      : undefined,
    job,
    reportLines: lines.length,
    distinctCredentials,
    credentialItems,
    lost,
    duplicated,
    peakRss,
    eventLoopUtilisation: busy.utilization,
    signerCalls: signer.calls,
    signerWaitedMs: signer.waitedMs,
    dynamo: { totals: counted, byCommand },
  };
};

/**
 * Fairness: a 100,000-row job read and queued to the end, then a 5-row drop behind it. The small job's completion
 * time; the big job's progress meanwhile; then the queue stops (the big job's rest is left: the environment goes).
 */
const measureFairness = async (section: Section, env: Environment, options: BulkOptions): Promise<Record<string, unknown>> => {
  const meter = new CapacityMeter();
  const { client } = instrument(env, meter, options.kmsRate);
  const put = async (name: string, csv: string) => {
    const key = `bench/fairness-${name}-${Date.now()}.csv`;
    await env.setup.blobs.put('drops', key, csv, 'text/csv');
    return { key, etag: (await env.setup.blobs.get('drops', key))?.etag ?? '' };
  };
  const bigDrop = await put('big', dropCsv(options.fairnessRows, 'PUBLIC-SPEAKING-1', '2026-07-01', 'F'));
  const smallDrop = await put('small', dropCsv(5, 'CS-PYTHON-1', '2026-07-01', 'Q'));
  const readingStarted = performance.now();
  const big = await startBulkJob(env.startDeps, bigDrop);
  const readSeconds = (performance.now() - readingStarted) / 1000;
  const started = performance.now();
  const small = await startBulkJob(env.startDeps, smallDrop);
  const smallJob = await waitForJob(env.setup, small.id);
  const smallSeconds = (performance.now() - started) / 1000;
  const bigJob = await env.setup.store.bulkJobs.get(big.id);
  env.bulkQueue.stop();
  await env.bulkQueue.drained();
  client.destroy();
  const bigDone = bigJob?.done ?? 0;
  const ok = smallJob?.status === 'completed' && smallJob.issued === 5;
  section.rows.push({
    metric: `fairness: a 5-row drop behind a ${fmtInt(options.fairnessRows)}-row job (${env.label})`,
    value: `${ok ? 'completed' : `NOT completed (${smallJob?.status ?? 'missing'})`} in ${fmt(smallSeconds)} s; the big job (read and queued in ${fmt(readSeconds)} s) had ${fmtInt(bigDone)} of ${fmtInt(options.fairnessRows)} rows done by then`,
    raw: smallSeconds,
    budget: '≤ 60 s',
    verdict: verdict(ok && smallSeconds <= 60),
  });
  section.notes.push(
    `Fairness: the in-process queue delivers the job (message group) with the fewest chunks in flight first, as SQS fair queues do with MessageGroupId = job id; first in, first out, the 5 rows would wait behind ≈ ${fmtInt(options.fairnessRows - bigDone)} queued rows.`,
  );
  return { bigRows: options.fairnessRows, readSeconds, smallSeconds, smallJob, bigDone };
};

export const runBulk = async (options: BulkOptions): Promise<Section> => {
  const section: Section = {
    name: 'bulk',
    title: `bulk — drops issued end to end, KMS simulated at ${options.kmsRate}/s`,
    status: 'ran',
    rows: [],
    notes: [],
    details: {},
  };
  const runs: Record<string, unknown>[] = [];
  for (const [prefix, make, rows] of [
    ['A', localStack, options.rows],
    ['B', inMemory, options.memoryRows],
  ] as const) {
    if (rows <= 0) continue;
    const env = await make();
    try {
      for (const [i, drop] of drops(rows).entries()) runs.push(await measureDrop(section, env, drop, options, prefix, i > 0));
      if (prefix === 'A' && options.fairnessRows > 0) runs.push(await measureFairness(section, env, options));
    } finally {
      await env.stop();
    }
  }
  const parsed = await parseRss(options.parseRows);
  const parsedOk = parsed.queued === options.parseRows && parsed.duplicates === 0 && parsed.total === options.parseRows;
  section.rows.push({
    metric: `peak RSS, ${fmtInt(options.parseRows)}-row drop: stream-parse + queue`,
    value: `${fmtInt(mb(parsed.peak))} MB (baseline ${fmtInt(mb(parsed.baseline))} MB, ${fmtInt(parsed.queued)} rows queued in ${fmt(parsed.seconds)} s${parsedOk ? '' : ', COUNT MISMATCH'})`,
    raw: parsed.peak,
    budget: '< 300 MB',
    verdict: verdict(parsed.peak < 300 * 1024 * 1024 && parsedOk),
  });
  section.notes.push(
    `The ${fmtInt(options.parseRows)}-row RSS is for parsing + queueing only (startBulkJob over a generated stream, queue = counting sink, job store = in-memory stub, fresh \`node --import tsx\` process): issuing 100k rows locally would take far too long.`,
    'Write units are what DynamoDB Local reports with ReturnConsumedCapacity=TOTAL (it includes GSI writes and counts each transactional item twice, like DynamoDB); they cover everything the job wrote — learners, credentials, audit entries, status-list blocks and counters, chunk outcomes and job counters.',
    'Peak RSS of the issuing process excludes DynamoDB Local (a separate JVM); s3rver runs in process.',
  );
  section.details = { runs, parse100k: parsed };
  return section;
};
