/**
 * One-off: the retention job over `count` due learners (no credentials) on DynamoDB Local and s3rver, in parts of
 * `partMs` wall-clock each, carried on in process as the local stack does. Prints parts, deletions and ms per learner.
 *   npx tsx bench/oneoff/retention-parts.ts 5000 20000
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDynamoClient, toDocumentClient } from '#adapters/dynamodb/client';
import { ensureTable } from '#adapters/dynamodb/create-table';
import { createDynamoStore } from '#adapters/dynamodb/store';
import { recordedMetrics } from '#adapters/local/recorded-metrics';
import { createS3Blobs, createS3Client } from '#adapters/s3/blobs';
import { LocalSigner } from '#adapters/signing/local-signer';
import type { Dependencies } from '#config/dependencies';
import { createLogger } from '#config/logger';
import { addDays } from '#domain/dates';
import { defaultAlertThresholds } from '#domain/expiry-alert-due';
import { retentionJob } from '#features/deletion/retention';
import { createLearner } from '#features/learners/learners';
import { deadlineBudget, runToEnd } from '#features/scheduled/scheduled-runs';
import { startDynamoLocal } from '#local/dynamodb-local';
import { startS3Local } from '#local/s3-local';
import { fixedClock } from '#ports/clock';

const count = Number(process.argv[2] ?? 1000);
const partMs = Number(process.argv[3] ?? 10_000);
const dynamo = await startDynamoLocal();
const s3Dir = mkdtempSync(join(tmpdir(), 'merit-retention-parts-'));
const buckets = { images: 'images', drops: 'drops', reports: 'reports' };
const s3 = await startS3Local({ directory: s3Dir, buckets: Object.values(buckets) });
const client = createDynamoClient({ region: 'local', endpoint: dynamo.endpoint });
await ensureTable(client, 'merit');
const signer = LocalSigner.generate();
process.env['POWERTOOLS_LOG_LEVEL'] = 'ERROR';
const deps: Dependencies = {
  store: createDynamoStore(toDocumentClient(client), 'merit'),
  blobs: createS3Blobs(createS3Client({ region: 'local', endpoint: s3.endpoint }), buckets),
  signer,
  verificationKeys: [signer],
  clock: fixedClock('2026-01-15T02:00:00Z'),
  logger: createLogger('oneoff'),
  metrics: recordedMetrics(),
  publicBaseUrl: async () => 'https://credentials.example.org',
  mailer: { send: async () => undefined },
  events: { publish: async () => undefined },
  bulkQueue: { send: async () => undefined },
  district: {
    name: 'D',
    alertThresholds: defaultAlertThresholds,
    adminDigestEmails: [],
    identifierPepper: async () => 'p',
    retentionYears: 3,
    consentPolicy: 'under13',
  },
};
const admin = { subject: 'a', role: 'admin' as const, schoolIds: [], learnerIds: [] };
for (let i = 0; i < count; i++)
  await createLearner({ ...deps, clock: fixedClock(addDays(new Date('2019-03-01T09:00:00Z'), i % 1000)) }, admin, {
    sourcedId: `OLD-${i}`,
    givenName: 'O',
    familyName: 'R',
    role: 'student',
  });
const started = Date.now();
const summary = await runToEnd(retentionJob, deps, () => deadlineBudget(partMs));
const ms = Date.now() - started;
console.log(
  JSON.stringify({
    learners: count,
    partMs,
    parts: summary.parts,
    deleted: summary.deleted,
    failed: summary.failed,
    ms,
    msPerLearner: ms / count,
  }),
);
await Promise.all([dynamo.stop(), s3.stop()]);
rmSync(s3Dir, { recursive: true, force: true });
process.exit(0);
