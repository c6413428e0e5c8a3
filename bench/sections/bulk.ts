/**
 * bulk: the local stack in process (DynamoDB Local + s3rver + the in-process queue that stands in for SQS and the
 * bulk-issue event source), the signer behind a token bucket at the simulated KMS rate, one generated drop issued
 * to the end. DynamoDB work is counted by a consumed-capacity middleware on a client the store is rebuilt over.
 * Then, in a fresh process, the peak RSS of streaming a 100,000-row drop through startBulkJob (parse + queueing).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { createDynamoClient, toDocumentClient } from '#adapters/dynamodb/client';
import { ensureTable } from '#adapters/dynamodb/create-table';
import { createDynamoStore } from '#adapters/dynamodb/store';
import { InProcessQueue } from '#adapters/local/in-process-queue';
import { createS3Blobs, createS3Client } from '#adapters/s3/blobs';
import { LocalSigner } from '#adapters/signing/local-signer';
import type { Dependencies } from '#config/dependencies';
import { createLogger } from '#config/logger';
import type { BulkJob } from '#domain/bulk-jobs';
import { defaultAlertThresholds } from '#domain/expiry-alert-due';
import { startDynamoLocal } from '#local/dynamodb-local';
import { startS3Local } from '#local/s3-local';
import { seedDemoDistrict } from '#local/seed';
import { startLocalStack } from '#local/stack';
import { systemClock } from '#ports/clock';
import { processBulkBatch } from '#features/bulk/process-batch';
import { startBulkJob } from '#features/bulk/start';
import { CapacityMeter } from '../lib/capacity';
import { rateLimitedSigner } from '../lib/rate-limit';
import { fmt, fmtInt, verdict, type Row, type Section } from '../lib/report';
import { mb, RssSampler } from '../lib/stats';

export interface BulkOptions {
  rows: number;
  /** Rows for the second run over DynamoDB Local in memory (0: skip it). */
  memoryRows: number;
  kmsRate: number;
  parseRows: number;
}

/** What a measured run needs: dependencies whose store and signer may be replaced, and the queue to wait on. */
interface Environment {
  label: string;
  deps: Dependencies;
  bulkQueue: InProcessQueue;
  region: string;
  dynamoEndpoint: string;
  tableName: string;
  stop(): Promise<void>;
}

/** The local stack (`npm start`): DynamoDB Local with its state on disk, s3rver, the in-process queue. */
const localStack = async (): Promise<Environment> => {
  const stateDir = mkdtempSync(join(tmpdir(), 'merit-bench-stack-'));
  const stack = await startLocalStack({ port: 0, stateDir, fresh: true });
  return {
    label: 'local stack (DynamoDB Local on disk)',
    // bulk-issue's own dependencies: the queue's consumer reads them at call time, so the replaced store and signer count.
    deps: stack.functions['bulk-issue'],
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
  const bulkQueue = new InProcessQueue({ batchSize: 1, concurrency: 8, maxReceives: 5, retryDelayMs: 2_000, consume: (records) => processBulkBatch(deps, records) });
  const deps: Dependencies = {
    store: createDynamoStore(toDocumentClient(client), 'merit'),
    blobs: createS3Blobs(createS3Client({ region: 'local', endpoint: s3.endpoint }), buckets),
    signer,
    verificationKeys: [signer],
    clock: systemClock,
    mailer: { send: async () => undefined },
    events: { publish: async () => undefined },
    bulkQueue,
    logger: createLogger('merit-bench'),
    publicBaseUrl: async () => 'http://localhost:3000',
    district: { name: 'Riverside Unified School District', alertThresholds: defaultAlertThresholds, adminDigestEmails: [], identifierPepper: async () => 'bench-pepper', retentionYears: 5, consentPolicy: 'under13' },
  };
  await seedDemoDistrict(deps);
  return {
    label: 'DynamoDB Local in memory',
    deps,
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
const dropCsv = (rows: number, achievement = 'CS-PYTHON-1', issuedOn = '2026-05-01') =>
  // 13 or older (a birth date on file): no consent needed, so every row is signed.
  ['student_id,first_name,last_name,achievement,issued_on,birth_date', ...Array.from({ length: rows }, (_, i) => `B${String(i).padStart(6, '0')},Student${i % 977},Number${i},${achievement},${issuedOn},2009-04-04`)].join('\r\n');

/** The drops each environment issues, one after the other. */
const drops = (rows: number) => [
  { label: 'first drop: every student new (registered by the drop)', csv: dropCsv(rows), rows },
  { label: 'later drop: the same students on file, another achievement', csv: dropCsv(Math.min(rows, 2_000), 'PUBLIC-SPEAKING-1', '2026-06-01'), rows: Math.min(rows, 2_000) },
];

const parseRss = (rows: number): Promise<{ rows: number; queued: number; duplicates: number; total: number; baseline: number; peak: number; seconds: number }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'parse-rss-child.ts'), String(rows)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' } });
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

/**
 * What DynamoDB Local (with the AWS SDK in this process) sustains on this machine, on the run's own endpoint (a
 * scratch table, dropped after): single-item conditional PutItems from 40 concurrent callers, items/s in 25-item
 * BatchWriteItems, and the Node CPU the AWS SDK spends per call. A drop cannot go faster than its writes per row allow.
 */
const calibrate = async (env: Environment): Promise<{ singlePerSecond: number; batchedItemsPerSecond: number; cpuMsPerCall: number }> => {
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
    return { perSecond: items / ((performance.now() - started) / 1000), cpuMsPerCall: (used.user + used.system) / 1000 / calls };
  };
  const putOne = async () => {
    await documents.send(new PutCommand({ TableName: tableName, Item: { pk: `P#${randomUUID()}`, sk: 'S', payload }, ConditionExpression: 'attribute_not_exists(pk)' }));
    return 1;
  };
  await during(2_000, 40, putOne); // warm-up: a fresh table and a cold JVM are slow at first
  const single = await during(3_000, 40, putOne);
  const batched = await during(3_000, 8, async () => {
    await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: Array.from({ length: 25 }, () => ({ PutRequest: { Item: { pk: `B#${randomUUID()}`, sk: 'S', payload } } })) } }));
    return 25;
  });
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  client.destroy();
  return { singlePerSecond: single.perSecond, batchedItemsPerSecond: batched.perSecond, cpuMsPerCall: single.cpuMsPerCall };
};

/** Credential items in the table (a scan: the bench's own check, never a request path). */
const countCredentialItems = async (config: { region: string; dynamoEndpoint: string; tableName: string }): Promise<number> => {
  const plain = toDocumentClient(createDynamoClient({ region: config.region, endpoint: config.dynamoEndpoint }));
  let credentialItems = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await plain.send(new ScanCommand({ TableName: config.tableName, FilterExpression: 'entity = :c', ExpressionAttributeValues: { ':c': 'credential' }, Select: 'COUNT', ExclusiveStartKey: startKey }));
    credentialItems += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  plain.destroy();
  return credentialItems;
};

const calibrations = new Map<Environment, Awaited<ReturnType<typeof calibrate>>>();

/** One drop of `rows` rows issued to the end in `env`; appends its figures to `section`, returns the details. */
const measureDrop = async (
  section: Section,
  env: Environment,
  drop: { label: string; csv: string; rows: number },
  kmsRate: number,
  prefix: string,
  calibrated: boolean,
): Promise<Record<string, unknown>> => {
  const rows = drop.rows;
  const options = { rows, kmsRate };
  const stack = { deps: env.deps, bulkQueue: env.bulkQueue, config: { region: env.region, dynamoEndpoint: env.dynamoEndpoint, tableName: env.tableName } };
  {
    // The store over an instrumented client (same table, same endpoint); the queue's consumer reads deps at call time.
    const meter = new CapacityMeter();
    const client = meter.instrument(createDynamoClient({ region: stack.config.region, endpoint: stack.config.dynamoEndpoint }));
    stack.deps.store = createDynamoStore(toDocumentClient(client), stack.config.tableName);
    const signer = rateLimitedSigner(stack.deps.signer, options.kmsRate);
    stack.deps.signer = signer;
    section.rows.push({ metric: `${prefix}) ${env.label} — ${drop.label}`, value: `${fmtInt(rows)} rows`, verdict: 'no budget' });
    const capacity = calibrations.get(env) ?? (await calibrate(env));
    calibrations.set(env, capacity);
    if (!calibrated) {
      section.rows.push({
        metric: '  DynamoDB Local + AWS SDK on this machine (calibration)',
        value: `${fmtInt(capacity.singlePerSecond)} conditional PutItems/s (40 callers) · ${fmtInt(capacity.batchedItemsPerSecond)} items/s in 25-item batches · AWS SDK ${fmt(capacity.cpuMsPerCall, 2)} ms Node CPU per call`,
        raw: capacity.singlePerSecond,
        verdict: 'no budget',
      });
    }
    const credentialsBefore = await countCredentialItems(stack.config);

    // A key outside drops/ so the stack's S3 notification does not start the job too: we start it, as bulk-start would.
    const key = `bench/drop-${prefix}-${calibrations.size}-${Date.now()}.csv`;
    await stack.deps.blobs.put('drops', key, drop.csv, 'text/csv');
    const etag = (await stack.deps.blobs.get('drops', key))?.etag ?? '';

    meter.reset();
    const rss = new RssSampler(100);
    const elu = performance.eventLoopUtilization();
    const started = performance.now();
    await startBulkJob(stack.deps, { key, etag });
    await stack.bulkQueue.drained();
    let job: BulkJob | undefined;
    for (let i = 0; i < 100; i++) {
      job = (await stack.deps.store.bulkJobs.listRecent({ limit: 10 })).items.find((item) => item.sourceKey === key);
      if (job?.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const busy = performance.eventLoopUtilization(elu).utilization;
    const peakRss = rss.stop();
    const counted = meter.totals();
    const byCommand = Object.fromEntries(meter.byCommand);

    // Exactly once? The job's counters, the report's lines, and the credential items actually in the table.
    const report = job?.reportKey ? await stack.deps.blobs.get('reports', job.reportKey) : undefined;
    const lines = report ? (parse(new TextDecoder().decode(report.body), { columns: true }) as Array<{ line: string; status: string; credential_id: string }>) : [];
    const issuedLines = lines.filter((line) => line.status === 'issued');
    const distinctCredentials = new Set(issuedLines.map((line) => line.credential_id)).size;
    const distinctLines = new Set(lines.map((line) => line.line)).size;
    const credentialItems = (await countCredentialItems(stack.config)) - credentialsBefore;

    const issued = job?.issued ?? 0;
    const rowsPerSecond = options.rows / seconds;
    const kmsShare = rowsPerSecond / options.kmsRate;
    const lost = options.rows - distinctLines;
    const duplicated = lines.length - distinctLines + Math.max(0, credentialItems - distinctCredentials) + (job?.duplicates ?? 0);
    const writeUnitsPerCredential = counted.writeUnits / Math.max(1, issued);
    const exact = job?.status === 'completed' && issued === options.rows && distinctCredentials === options.rows && credentialItems === options.rows && lost === 0 && duplicated === 0;
    section.rows.push(
      { metric: '  throughput', value: `${fmt(rowsPerSecond)} rows/s (${fmtInt(options.rows)} rows in ${fmt(seconds)} s)`, raw: rowsPerSecond, verdict: 'no budget' },
      { metric: '  share of the simulated KMS rate', value: `${fmtInt(kmsShare * 100)} % of ${options.kmsRate}/s`, raw: kmsShare, budget: '≥ 90 %', verdict: verdict(kmsShare >= 0.9) },
      {
        metric: '  rows issued / expected',
        value: `${fmtInt(issued)} / ${fmtInt(options.rows)} · report ${fmtInt(issuedLines.length)} issued lines, ${fmtInt(distinctCredentials)} distinct ids · table ${fmtInt(credentialItems)} credentials`,
        raw: issued,
        verdict: 'no budget',
      },
      { metric: '  rows lost / duplicated', value: `${fmtInt(lost)} / ${fmtInt(duplicated)} (job: ${job?.status ?? 'missing'}, errors ${job?.errors ?? '?'}, dead letters ${stack.bulkQueue.deadLetters.length})`, raw: lost + duplicated, budget: '0 / 0', verdict: verdict(exact) },
      { metric: `  peak RSS, this process, ${fmtInt(options.rows)}-row job`, value: `${fmtInt(mb(peakRss))} MB (start ${fmtInt(mb(rss.start))} MB)`, raw: peakRss, verdict: 'no budget' },
      { metric: '  DynamoDB write units per credential', value: `${fmt(writeUnitsPerCredential, 2)} WCU (total ${fmtInt(counted.writeUnits)}; reads ${fmt(counted.readUnits / Math.max(1, issued), 2)} RCU/cred)`, raw: writeUnitsPerCredential, budget: '≤ 4', verdict: verdict(writeUnitsPerCredential <= 4) },
    );
    if (counted.unreported > 0) section.notes.push(`${prefix}) ${counted.unreported} DynamoDB calls came back without ConsumedCapacity; their units are missing from the totals.`);

    // Where the time goes: DynamoDB calls per row and their latency, the main thread's busy share, the token bucket.
    const perCommand: Row[] = [...meter.byCommand.entries()]
      .sort(([, a], [, b]) => b.ms - a.ms)
      .map(([command, stats]) => ({
        metric: `    ${command.replace(/Command$/, '')}`,
        value: `${fmt(stats.calls / options.rows, 2)} calls/row · ${fmt(stats.ms / Math.max(1, stats.calls), 1)} ms/call · ${fmt(stats.writeUnits / options.rows, 2)} WCU/row${stats.errors ? ` · ${stats.errors} errors` : ''}`,
        raw: stats.calls,
        verdict: 'no budget',
      }));
    const perItemKind: Row[] = [...meter.byItemKind.entries()]
      .sort(([, a], [, b]) => b.writeUnits - a.writeUnits)
      .map(([kind, stats]) => ({
        metric: `    writes of ${kind}`,
        value: `${fmt(stats.writeUnits / Math.max(1, issued), 2)} WCU per credential (${fmt(stats.calls / options.rows, 2)} calls/row)`,
        raw: stats.writeUnits,
        verdict: 'no budget',
      }));
    section.rows.push({ metric: '  where the write units go (item kinds: partition/sort key prefix)', value: '', verdict: 'no budget' }, ...perItemKind);
    const writeCallsPerRow = ['PutItemCommand', 'UpdateItemCommand', 'TransactWriteItemsCommand', 'DeleteItemCommand'].reduce((sum, command) => sum + (meter.byCommand.get(command)?.calls ?? 0), 0) / options.rows;
    section.rows.push({
      metric: '  ceiling from its writes alone',
      value: `${fmt(writeCallsPerRow, 1)} single-item write calls per row → at most ≈ ${fmtInt(capacity.singlePerSecond / Math.max(1, writeCallsPerRow))} rows/s here, whatever the signer allows`,
      raw: capacity.singlePerSecond / Math.max(1, writeCallsPerRow),
      verdict: 'no budget',
    });
    const dynamoMsPerRow = counted.ms / options.rows;
    section.rows.push(
      { metric: '  DynamoDB calls per row (all commands)', value: `${fmt(counted.calls / options.rows, 1)} calls · ${fmt(dynamoMsPerRow)} ms of DynamoDB latency per row`, raw: counted.calls / options.rows, verdict: 'no budget' },
      ...perCommand,
      { metric: '  main thread busy (event-loop utilisation)', value: `${fmtInt(busy * 100)} % (≈ ${fmtInt((busy * seconds * 1000) / options.rows)} ms of main-thread time per row)`, raw: busy, verdict: 'no budget' },
      { metric: '  signer: calls · waited for tokens', value: `${fmtInt(signer.calls)} · ${fmt(signer.waitedMs / 1000)} s total`, raw: signer.calls, verdict: 'no budget' },
    );
    if (kmsShare < 0.9) {
      const inFlight = 8 * 5; // InProcessQueue: concurrency 8 × one chunk, 5 students of it at a time (the stack's settings)
      const latencyBound = inFlight / (dynamoMsPerRow / 1000);
      const reasons: string[] = [];
      if (busy > 0.85) reasons.push(`the Node main thread is ${fmtInt(busy * 100)} % busy, ≈ ${fmtInt((busy * seconds * 1000) / options.rows)} ms per row (AWS SDK request handling for every DynamoDB call, RDFC canonicalisation and signing, s3rver — one thread; DynamoDB Local's JVM shares the other core)`);
      if (latencyBound < options.kmsRate) reasons.push(`DynamoDB Local: ${fmt(counted.calls / options.rows, 1)} calls per row at ${fmt(counted.ms / Math.max(1, counted.calls), 1)} ms each = ${fmtInt(dynamoMsPerRow)} ms per row; with ${inFlight} rows in flight that caps at ≈ ${fmtInt(latencyBound)} rows/s (latency is timed at the client, so it includes waiting for the busy main thread)`);
      if (reasons.length === 0) reasons.push('neither the main thread nor DynamoDB latency alone explains it; see the per-command figures');
      section.notes.push(`${prefix}) Bottleneck: below the KMS rate because ${reasons.join('; and ')}. The token bucket made callers wait ${fmt(signer.waitedMs / 1000)} s in all${signer.waitedMs < seconds * 100 ? ', so the simulated KMS was not the limit' : ''}.`);
    }

    client.destroy();
    return { environment: env.label, rows, seconds, rowsPerSecond, kmsShare, job, reportLines: lines.length, distinctCredentials, credentialItems, lost, duplicated, peakRss, eventLoopUtilisation: busy, signerCalls: signer.calls, signerWaitedMs: signer.waitedMs, dynamo: { totals: counted, byCommand } };
  }
};

export const runBulk = async (options: BulkOptions): Promise<Section> => {
  const section: Section = { name: 'bulk', title: `bulk — drops issued end to end, KMS simulated at ${options.kmsRate}/s`, status: 'ran', rows: [], notes: [], details: {} };
  const runs: Record<string, unknown>[] = [];
  for (const [prefix, make, rows] of [['A', localStack, options.rows], ['B', inMemory, options.memoryRows]] as const) {
    if (rows <= 0) continue;
    const env = await make();
    try {
      for (const [i, drop] of drops(rows).entries()) runs.push(await measureDrop(section, env, drop, options.kmsRate, prefix, i > 0));
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
