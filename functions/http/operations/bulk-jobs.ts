import { randomUUID } from 'node:crypto';
import { canSeeBulkJob, recordedPrincipal } from '#domain/access';
import { uploadKeyPrefix, uploadRecordGraceSeconds } from '#domain/bulk-jobs';
import { notFound } from '#domain/errors';
import { jsonBody, pageRequest, pathId, principalOf } from '../inputs';
import { created, ok } from '../response';
import { uploadRequestSchema } from '../schemas/bulk-jobs';
import type { Operations } from '../types';

const uploadUrlLifetimeSeconds = 15 * 60;

export const bulkJobOperations: Operations = {
  /**
   * A pre-signed PUT for a key of the server's choosing (a fresh UUID under the uploads prefix; the file name has no
   * slash), recorded with the caller's principal first: the drop then acts for them, within their schools.
   */
  createBulkUpload: async (context) => {
    const { fileName } = context.json === undefined ? { fileName: undefined } : jsonBody(context, uploadRequestSchema);
    const now = context.deps.clock.now();
    const key = `${uploadKeyPrefix}${now.toISOString().slice(0, 10)}/${randomUUID()}-${(fileName ?? 'upload.csv').replace(/\s+/g, '-')}`;
    const expiresAt = new Date(now.getTime() + (uploadUrlLifetimeSeconds + uploadRecordGraceSeconds) * 1000);
    if (!(await context.deps.store.bulkJobs.recordUpload(key, recordedPrincipal(principalOf(context)), expiresAt))) {
      throw new Error('A fresh upload key was already recorded.'); // a UUID collision: a 500, never someone else's upload
    }
    const uploadUrl = await context.deps.blobs.presignPut('drops', key, 'text/csv', uploadUrlLifetimeSeconds);
    return created({ uploadUrl, key, expiresInSeconds: uploadUrlLifetimeSeconds, contentType: 'text/csv' });
  },
  // Another's job is not found (404, not 403): its existence is not confirmed to those who may not see it.
  getBulkJob: async (context) => {
    const job = await context.deps.store.bulkJobs.get(pathId(context));
    if (!job || !canSeeBulkJob(principalOf(context), job)) throw notFound('The bulk job');
    return ok(job);
  },
  /** The results CSV, to those who may see the job; a job still running has none yet (404 says so). */
  getBulkJobReport: async (context) => {
    const job = await context.deps.store.bulkJobs.get(pathId(context));
    if (!job || !canSeeBulkJob(principalOf(context), job)) throw notFound('The bulk job');
    const report = job.reportKey ? await context.deps.blobs.get('reports', job.reportKey) : undefined;
    if (!report) throw notFound("The bulk job's report (it is written when the job ends)");
    return {
      statusCode: 200,
      body: Buffer.from(report.body),
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${job.id}.results.csv"` },
    };
  },
  listBulkJobs: async (context) => {
    const principal = principalOf(context);
    const page = pageRequest(context);
    return ok(
      principal.role === 'admin'
        ? await context.deps.store.bulkJobs.listRecent(page)
        : await context.deps.store.bulkJobs.listVisibleTo(principal, page),
    );
  },
};
