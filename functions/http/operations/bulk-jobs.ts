import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { notFound } from '#domain/errors';
import { jsonBody, pageRequest, pathId } from '../inputs';
import { created, ok } from '../response';
import type { Operations } from '../types';

export const uploadRequestSchema = z
  .object({ fileName: z.string().trim().min(1).max(200).regex(/^[\w .()-]+\.(csv|tsv|txt)$/i, 'a .csv, .tsv or .txt file name').optional() })
  .strict()
  .meta({ id: 'BulkUploadRequest' });

const uploadUrlLifetimeSeconds = 15 * 60;

export const bulkJobOperations: Operations = {
  createBulkUpload: async (context) => {
    const { fileName } = context.json === undefined ? { fileName: undefined } : jsonBody(context, uploadRequestSchema);
    const key = `drops/${new Date().toISOString().slice(0, 10)}/${randomUUID()}-${(fileName ?? 'upload.csv').replace(/\s+/g, '-')}`;
    const uploadUrl = await context.deps.blobs.presignPut('drops', key, 'text/csv', uploadUrlLifetimeSeconds);
    return created({ uploadUrl, key, expiresInSeconds: uploadUrlLifetimeSeconds, contentType: 'text/csv' });
  },
  getBulkJob: async (context) => {
    const job = await context.deps.store.bulkJobs.get(pathId(context));
    if (!job) throw notFound('The bulk job');
    return ok(job);
  },
  listBulkJobs: async (context) => ok(await context.deps.store.bulkJobs.listRecent(pageRequest(context))),
};
