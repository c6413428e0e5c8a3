/**
 * Drops an SIS export into the local stack and follows the job until its report is written (the three sample
 * exports of shared/samples are in test/fixtures/samples):
 *
 *   npm run drop -- test/fixtures/samples/powerschool-students.csv
 *
 * Uses the same path as staff without S3 access: a pre-signed upload URL from `POST /bulk-jobs/uploads`.
 * Needs `npm start` running (PORT or --url to point elsewhere).
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
  options: { url: { type: 'string', default: `http://localhost:${process.env['PORT'] ?? 3000}` }, timeout: { type: 'string', default: '600' } },
});
const file = positionals[0];
if (!file) {
  console.error('usage: npm run drop -- <file.csv> [--url http://localhost:3000]');
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
    body: JSON.stringify({ fileName: basename(file).replace(/[^\w .()-]/g, '_').replace(/(\.(csv|tsv|txt))?$/i, '.csv') }),
  });
  const put = await fetch(upload.uploadUrl, { method: 'PUT', headers: { 'content-type': upload.contentType }, body: readFileSync(file) });
  if (!put.ok) throw new Error(`Upload failed: ${put.status} ${await put.text()}`);
  console.log(`Uploaded ${file} as ${upload.key}`);

  const deadline = Date.now() + Number(values.timeout) * 1000;
  let job: BulkJob | undefined;
  while (Date.now() < deadline) {
    const { items } = await call<{ items: BulkJob[] }>('/bulk-jobs?limit=50', { headers: auth });
    job = items.find((item) => item.sourceKey === upload.key);
    if (job) {
      const total = job.total === undefined ? '?' : String(job.total);
      process.stdout.write(`\r${job.status}: ${job.done}/${total} rows — issued ${job.issued}, duplicate ${job.duplicates}, pending consent ${job.pendingConsent}, errors ${job.errors}   `);
      if (job.status === 'completed' || job.status === 'failed') break;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.log();
  if (!job || (job.status !== 'completed' && job.status !== 'failed')) throw new Error('The job did not finish in time.');
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
