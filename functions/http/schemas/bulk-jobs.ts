import { z } from 'zod';
import { type RecordedPrincipal, roles } from '#domain/access';
import type { BulkJob, BulkJobStatus } from '#domain/bulk-jobs';
import { type Assert, csvBody, type Equals, type OperationSchemaMap, pageOf, pageQuerySchema } from './common';

export const uploadRequestSchema = z
  .object({
    fileName: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[\w .()-]+\.(csv|tsv|txt)$/i, 'a .csv, .tsv or .txt file name')
      .optional(),
  })
  .strict()
  .meta({ id: 'BulkUploadRequest' });

export const bulkUploadSchema = z
  .object({
    uploadUrl: z.string().describe('PUT the file here, with the content type below'),
    key: z.string(),
    expiresInSeconds: z.number().int(),
    contentType: z.literal('text/csv'),
  })
  .meta({ id: 'BulkUpload' });

const bulkJobStatuses = ['running', 'writing_report', 'completed', 'failed'] as const satisfies readonly BulkJobStatus[];

const recordedPrincipalSchema = z.object({ subject: z.string(), role: z.enum(roles), schoolIds: z.array(z.string()) });

export const bulkJobSchema = z
  .object({
    id: z.string(),
    sourceKey: z.string(),
    etag: z.string(),
    status: z.enum(bulkJobStatuses),
    total: z.number().int().optional().describe('Data rows in the file; known once the whole file has been read'),
    done: z.number().int(),
    issued: z.number().int(),
    duplicates: z.number().int(),
    pendingConsent: z.number().int(),
    errors: z.number().int(),
    reportKey: z.string().optional(),
    error: z.string().optional(),
    uploadedBy: recordedPrincipalSchema.optional(),
    createdAt: z.string(),
    completedAt: z.string().optional(),
  })
  .meta({ id: 'BulkJob' });

export const bulkJobSchemas = {
  createBulkUpload: {
    body: { required: false, content: { 'application/json': uploadRequestSchema } },
    responses: { 201: { description: 'A pre-signed PUT URL into the drop bucket', content: { 'application/json': bulkUploadSchema } } },
  },
  listBulkJobs: {
    query: [pageQuerySchema],
    responses: { 200: { description: 'A page of bulk jobs, newest first', content: { 'application/json': pageOf(bulkJobSchema) } } },
  },
  getBulkJob: { responses: { 200: { description: 'The bulk job', content: { 'application/json': bulkJobSchema } } } },
  getBulkJobReport: {
    responses: { 200: { description: 'The results CSV: line, status, reason, credential_id', content: { 'text/csv': csvBody } } },
  },
} as const satisfies OperationSchemaMap;

export type BulkJobSchemaChecks = [
  Assert<[BulkJobStatus] extends [(typeof bulkJobStatuses)[number]] ? true : false>,
  Assert<Equals<z.output<typeof recordedPrincipalSchema>, RecordedPrincipal>>,
  Assert<Equals<z.output<typeof bulkJobSchema>, BulkJob>>,
];
