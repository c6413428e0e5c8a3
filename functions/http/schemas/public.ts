import { z } from 'zod';
import { type OperationSchemaMap, verifiableCredentialSchema } from './common';

export const healthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

/** This document: only its envelope is described here (OpenAPI 3.1 publishes the schema of the rest). */
export const openApiDocumentSchema = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

export const publicSchemas = {
  health: { responses: { 200: { description: 'The function answers', content: { 'application/json': healthSchema } } } },
  openApi: { responses: { 200: { description: 'This document', content: { 'application/json': openApiDocumentSchema } } } },
  getStatusList: {
    responses: {
      200: { description: 'The signed BitstringStatusListCredential', content: { 'application/vc+ld+json': verifiableCredentialSchema } },
    },
  },
} as const satisfies OperationSchemaMap;
