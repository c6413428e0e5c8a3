import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkJob } from '#domain/bulk-jobs';
import { startTestStack, type TestStack } from '#test/local-stack';

/** Staff without S3 access: a pre-signed upload URL, a PUT, and the job runs from s3rver's put event. */
describe('a drop through the upload URL on the local stack', () => {
  let stack: TestStack;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack();
    // The PD achievements are the district's: an admin's upload (a school issuer's rows for them are not in their schools).
    token = await stack.tokenFor({ sub: 'drop-admin', role: 'admin' });
  });
  afterAll(async () => stack?.dispose());

  it('issues the teachers’ PD export end to end', async () => {
    // Prepare
    const upload = (await (
      await stack.call('/bulk-jobs/uploads', {
        method: 'POST',
        token,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fileName: 'teacher-pd.csv' }),
      })
    ).json()) as { uploadUrl: string; key: string; contentType: string };

    // Act
    const put = await fetch(upload.uploadUrl, {
      method: 'PUT',
      headers: { 'content-type': upload.contentType },
      body: readFileSync(join(import.meta.dirname, '..', 'fixtures', 'samples', 'teacher-pd.tsv.csv')),
    });
    let job: BulkJob | undefined;
    for (let attempt = 0; attempt < 240 && job?.status !== 'completed' && job?.status !== 'failed'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const { items } = (await (await stack.call('/bulk-jobs', { token })).json()) as { items: BulkJob[] };
      job = items.find((item) => item.sourceKey === upload.key);
    }

    // Assess
    expect(put.status).toBe(200);
    expect(upload.key).toMatch(/^drops\/uploads\/.+teacher-pd\.csv$/);
    expect(job).toMatchObject({ status: 'completed', total: 8, errors: 0 });
    expect(job!.issued).toBe(8);
    expect(job!.uploadedBy).toEqual({ subject: 'drop-admin', role: 'admin', schoolIds: [] });
    const single = (await (await stack.call(`/bulk-jobs/${job!.id}`, { token })).json()) as BulkJob;
    expect(single.reportKey).toMatch(/^reports\/.+\.results\.csv$/);
  });

  it('refuses upload URLs to roles that cannot issue', async () => {
    const viewer = await stack.tokenFor({ sub: 'drop-viewer', role: 'viewer', schoolIds: ['hs'] });
    const response = await stack.call('/bulk-jobs/uploads', { method: 'POST', token: viewer });
    expect(response.status).toBe(403);
  });
});
