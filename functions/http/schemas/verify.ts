/**
 * `POST /verify` and `POST /credentials/verify`. The request schemas document what the verifier reads; the
 * operations parse leniently on purpose (input that is no credential is a `verified: false` answer with the
 * reason, not a 400), so they are not validated against these.
 */
import { z } from 'zod';
import type { VerificationReport } from '#domain/verify/types';
import type { vcApiResult } from '../operations/verify';
import { type Assert, type Equals, imageBody, type OperationSchemaMap, textBody, verifiableCredentialSchema } from './common';

const recipientSchema = z
  .object({ email: z.string().optional(), identifier: z.string().optional() })
  .describe('What the verifier knows about the recipient: checked against the hashed identifiers');

const credentialOrJwt = z.union([z.record(z.string(), z.unknown()), z.string().describe('A VC-JWT')]);

export const verifyRequestSchema = z
  .union([
    verifiableCredentialSchema,
    z.object({ credential: credentialOrJwt, recipient: recipientSchema.optional() }),
    z.object({ jwt: z.string(), recipient: recipientSchema.optional() }),
    z.object({ image: z.string().describe('data:image/png|svg+xml;base64,…'), recipient: recipientSchema.optional() }),
  ])
  .meta({ id: 'VerifyRequest' });

export const vcApiVerifyRequestSchema = z
  .object({ verifiableCredential: credentialOrJwt, options: z.record(z.string(), z.unknown()).optional() })
  .meta({ id: 'VcApiVerifyRequest' });

const checkNames = ['parse', 'schema', 'proof', 'status', 'validity', 'recipient'] as const;

export const verificationReportSchema = z
  .object({
    verified: z.boolean(),
    checks: z.array(z.object({ check: z.enum(checkNames), ok: z.boolean(), message: z.string(), warning: z.literal(true).optional() })),
    credential: z
      .object({
        id: z.string().optional(),
        name: z.string().optional(),
        issuer: z.object({ id: z.string().optional(), name: z.string().optional() }),
        validFrom: z.string().optional(),
        validUntil: z.string().optional(),
      })
      .optional(),
  })
  .meta({ id: 'VerificationReport' });

/** The VC-API VerificationResult: passed check names, warnings, and the failures as errors. */
export const vcApiResultSchema = z
  .object({ checks: z.array(z.enum(checkNames)), warnings: z.array(z.string()), errors: z.array(z.string()) })
  .meta({ id: 'VcApiVerificationResult' });

export const verifySchemas = {
  verify: {
    body: {
      required: true,
      content: { 'application/json': verifyRequestSchema, 'text/plain': textBody, 'image/png': imageBody, 'image/svg+xml': imageBody },
    },
    responses: {
      200: {
        description: 'The verdict with every named check (also when the credential does not verify)',
        content: { 'application/json': verificationReportSchema },
      },
    },
  },
  verifyCredentialVcApi: {
    body: { required: true, content: { 'application/json': vcApiVerifyRequestSchema } },
    responses: {
      200: { description: 'Verified', content: { 'application/json': vcApiResultSchema } },
      400: {
        description: 'Not verified (errors say why), or not a verification request',
        content: { 'application/json': vcApiResultSchema },
      },
    },
  },
} as const satisfies OperationSchemaMap;

export type VerifySchemaChecks = [
  Assert<Equals<z.output<typeof verificationReportSchema>, VerificationReport>>,
  Assert<Equals<z.output<typeof vcApiResultSchema>, ReturnType<typeof vcApiResult>>>,
];
