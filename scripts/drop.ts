/**
 * Drops an SIS export into the local stack and follows the job until its report is written (the three sample
 * exports of shared/samples are in test/fixtures/samples):
 *
 *   npm run drop -- test/fixtures/samples/powerschool-students.csv
 *
 * Uses the same path as staff without S3 access: a pre-signed upload URL from `POST /bulk-jobs/uploads`.
 * Needs `npm start` running (PORT or --url to point elsewhere). Waits as long as the job moves (its counters or
 * status change); gives up only when it has not moved for `--stall-seconds` (default 120).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '#adapters/s3/blobs';
import type { BulkJob } from '#domain/bulk-jobs';
import type { LocalConfig } from '#local/stack';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: `http://localhost:${process.env['PORT'] ?? 3000}` },
    'stall-seconds': { type: 'string', default: '120' },
  },
});
const file = positionals[0];
if (!file) {
  console.error('usage: npm run drop -- <file.csv> [--url http://localhost:3000] [--stall-seconds 120]');
  process.exit(2);
}
const stallSeconds = Number(values['stall-seconds']);
if (!(stallSeconds > 0)) {
  console.error('--stall-seconds must be a positive number of seconds');
  process.exit(2);
}

const api = values.url.replace(/\/$/, '');
const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
  const response = await fetch(`${api}${path}`, init).catch(() => {
    throw new Error(`Merit is not answering at ${api}. Start it with \`npm start\`.`);
  });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

try {
  const config = await call<LocalConfig>('/local/config');
  const { token } = await call<{ token: string }>('/local/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: 'drop-script', role: 'admin' }),
  });
  const auth = { authorization: `Bearer ${token}` };
  const upload = await call<{ uploadUrl: string; key: string; contentType: string }>('/bulk-jobs/uploads', {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({
      fileName: basename(file)
        .replace(/[^\w .()-]/g, '_')
        .replace(/(\.(csv|tsv|txt))?$/i, '.csv'),
    }),
  });
  const put = await fetch(upload.uploadUrl, { method: 'PUT', headers: { 'content-type': upload.contentType }, body: readFileSync(file) });
  if (!put.ok) throw new Error(`Upload failed: ${put.status} ${await put.text()}`);
  console.log(`Uploaded ${file} as ${upload.key}`);

  // A big drop takes as long as it takes: what ends the wait is a job that stopped moving, not a fixed deadline.
  let job: BulkJob | undefined;
  let progress = '';
  let movedAt = Date.now();
  while (Date.now() - movedAt < stallSeconds * 1000) {
    const { items } = await call<{ items: BulkJob[] }>('/bulk-jobs?limit=50', { headers: auth });
    job = items.find((item) => item.sourceKey === upload.key);
    if (job) {
      const total = job.total === undefined ? '?' : String(job.total);
      process.stdout.write(
        `\r${job.status}: ${job.done}/${total} rows — issued ${job.issued}, duplicate ${job.duplicates}, pending consent ${job.pendingConsent}, errors ${job.errors}   `,
      );
      if (job.status === 'completed' || job.status === 'failed') break;
      const now = JSON.stringify([job.status, job.total, job.done, job.issued, job.duplicates, job.pendingConsent, job.errors]);
      if (now !== progress) [progress, movedAt] = [now, Date.now()];
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.log();
  if (!job || (job.status !== 'completed' && job.status !== 'failed')) {
    const where = job ? `stuck at ${job.done}/${job.total ?? '?'} rows` : 'not started';
    throw new Error(
      `The job has not moved for ${stallSeconds} s (${where}); giving up. Is \`npm start\` still running? (--stall-seconds to wait longer)`,
    );
  }
  if (job.error) console.log(`The file failed as a whole: ${job.error}`);
  if (job.reportKey) {
    const s3 = createS3Client({ region: config.region, endpoint: config.s3Endpoint });
    const report = await s3.send(new GetObjectCommand({ Bucket: config.reportsBucket, Key: job.reportKey }));
    console.log(`\nReport s3://${config.reportsBucket}/${job.reportKey}:\n`);
    console.log(await report.Body?.transformToString());
  }
  process.exit(job.status === 'completed' ? 0 : 1);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
