import { z } from 'zod';
import type { CreateClrShare, CreateShare, ShareLink } from '#features/sharing/create-link';
import { type Assert, type Equals, htmlBody, imageBody, type OperationSchemaMap, verifiableCredentialSchema } from './common';

export const createShareSchema = z
  .object({ expiresInDays: z.number().int().min(1).max(365).default(30) })
  .strict()
  .meta({ id: 'CreateShare' });

export const createClrShareSchema = z
  .object({
    expiresInDays: z.number().int().min(1).max(365).default(30),
    /** The credentials to include; absent = every issued credential when the link is made (the CLR is signed then). */
    credentialIds: z.array(z.string().min(1).max(128)).min(1).max(200).optional(),
  })
  .strict()
  .meta({ id: 'CreateClrShare' });

export const shareLinkSchema = z.object({ token: z.string(), url: z.string(), expiresAt: z.string() }).meta({ id: 'ShareLink' });

/**
 * `?format=`: json (the credential or CLR as a download), png or svg (the baked badge of a single credential).
 * Documented only: the operation reads it as it always has (another value shows the page).
 */
export const sharedCredentialQuerySchema = z.object({ format: z.enum(['json', 'png', 'svg']).optional() });

export const shareSchemas = {
  createShare: {
    body: { required: false, content: { 'application/json': createShareSchema } },
    responses: { 201: { description: 'The new link (30 days when the body is absent)', content: { 'application/json': shareLinkSchema } } },
  },
  withdrawShare: { responses: { 204: { description: 'The link no longer opens' } } },
  createClrShare: {
    body: { required: false, content: { 'application/json': createClrShareSchema } },
    responses: {
      201: { description: 'The new CLR link (30 days when the body is absent)', content: { 'application/json': shareLinkSchema } },
    },
  },
  withdrawClrShare: { responses: { 204: { description: 'The link no longer opens' } } },
  getSharedCredential: {
    query: [sharedCredentialQuerySchema],
    responses: {
      200: {
        description:
          'The shared credential or CLR: an HTML page, the signed JSON (Accept or ?format=json), or the baked badge (?format=png|svg)',
        content: {
          'text/html': htmlBody,
          'application/vc+ld+json': verifiableCredentialSchema,
          'image/png': imageBody,
          'image/svg+xml': imageBody,
        },
      },
    },
  },
} as const satisfies OperationSchemaMap;

export type ShareSchemaChecks = [
  Assert<Equals<z.output<typeof createShareSchema>, CreateShare>>,
  Assert<Equals<z.output<typeof createClrShareSchema>, CreateClrShare>>,
  Assert<Equals<z.output<typeof shareLinkSchema>, ShareLink>>,
];
