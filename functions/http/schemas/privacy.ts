import { z } from 'zod';
import { roles } from '#domain/access';
import type { AuditEntry } from '#domain/audit';
import type { DeletionReceipt } from '#domain/records';
import { type Assert, csvBody, csvFormatQuerySchema, type Equals, type OperationSchemaMap, pageOf, pageQuerySchema } from './common';

export const auditTrailQuerySchema = z.object({ learnerId: z.string().min(1).max(128) });

const auditActions = [
  'learner.create',
  'learner.read',
  'credential.issue',
  'credential.read',
  'credential.revoke',
  'consent.record',
  'share.create',
  'share.withdraw',
  'share.view',
] as const satisfies readonly AuditEntry['action'][];

export const auditEntrySchema = z
  .object({
    at: z.string(),
    actor: z.string().describe('The IdP subject of who acted, or public-link / retention-policy'),
    role: z.enum(['public', 'system', ...roles]),
    via: z.string().optional(),
    action: z.enum(auditActions),
    what: z.record(z.string(), z.union([z.string(), z.number()])).describe('Ids only: which credential, link or job'),
    why: z.string().optional(),
  })
  .meta({ id: 'AuditEntry' });

/** What a deletion leaves behind: counts, a salted hash of the SIS id, who asked — no PII. */
export const deletionReceiptSchema = z
  .object({
    id: z.string(),
    learnerHash: z.string(),
    deletedAt: z.string(),
    requestedBy: z.string(),
    requestedByRole: z.string(),
    reason: z.enum(['request', 'retention']),
    counts: z.object({
      credentialsRevoked: z.number().int(),
      credentialsDeleted: z.number().int(),
      sharesWithdrawn: z.number().int(),
      imagesDeleted: z.number().int(),
      auditEntriesDeleted: z.number().int(),
      membershipsUnlinked: z.number().int(),
    }),
  })
  .meta({ id: 'DeletionReceipt' });

export const privacySchemas = {
  deleteLearner: {
    responses: { 200: { description: 'The receipt of the deletion (no PII)', content: { 'application/json': deletionReceiptSchema } } },
  },
  getAuditTrail: {
    query: [auditTrailQuerySchema, pageQuerySchema, csvFormatQuerySchema],
    responses: {
      200: {
        description: "A page of the learner's record of disclosures and changes, or all of it as CSV (Accept: text/csv or ?format=csv)",
        content: { 'application/json': pageOf(auditEntrySchema), 'text/csv': csvBody },
      },
    },
  },
} as const satisfies OperationSchemaMap;

type AllActions = [AuditEntry['action']] extends [(typeof auditActions)[number]] ? true : false;

export type PrivacySchemaChecks = [
  Assert<AllActions>,
  Assert<Equals<z.output<typeof auditEntrySchema>, AuditEntry>>,
  Assert<Equals<z.output<typeof deletionReceiptSchema>, DeletionReceipt>>,
];
