import { z } from 'zod';
import { createAchievementSchema, updateAchievementSchema } from '#domain/achievements';
import { createIssuerSchema, updateIssuerSchema } from '#domain/issuers';
import { consentSchema, createLearnerSchema } from '#domain/learners';
import { createClrShareSchema, createShareSchema } from '#features/sharing/create-link';
import { createPathwaySchema, updatePathwaySchema } from '#domain/pathways';
import { uploadRequestSchema } from './operations/bulk-jobs';
import { issueCredentialSchema, revokeCredentialSchema } from '#domain/credential-requests';
import { routes, type RouteDefinition } from './routes';

/** Request bodies by operation: the very zod schemas the operations validate with. */
const requestBodies: Partial<Record<string, z.ZodType>> = {
  createIssuer: createIssuerSchema,
  updateIssuer: updateIssuerSchema,
  createAchievement: createAchievementSchema,
  updateAchievement: updateAchievementSchema,
  createLearner: createLearnerSchema,
  issueCredential: issueCredentialSchema,
  revokeCredential: revokeCredentialSchema,
  recordConsent: consentSchema,
  createShare: createShareSchema,
  createClrShare: createClrShareSchema,
  createPathway: createPathwaySchema,
  updatePathway: updatePathwaySchema,
  createBulkUpload: uploadRequestSchema,
};

const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string().optional(), message: z.string() })).optional(),
  }),
});

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });

type JsonSchema = Record<string, unknown>;

/**
 * Named schemas (zod `.meta({ id })`) go to `components.schemas` and are referenced from there, since a `$ref`
 * to `#/$defs/…` would resolve against the OpenAPI document's root, not the schema.
 */
const toComponent = (schema: z.ZodType, components: Record<string, JsonSchema>): JsonSchema => {
  const { $schema: _dialect, $defs, ...rest } = jsonSchema(schema) as JsonSchema & { $defs?: Record<string, JsonSchema> };
  const relink = (value: JsonSchema): JsonSchema => JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
  for (const [name, definition] of Object.entries($defs ?? {})) components[name] = relink(definition);
  return relink(rest);
};

const operation = (route: RouteDefinition, components: Record<string, JsonSchema>) => {
  const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const body = requestBodies[route.operationId];
  const errorResponse = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.access === 'public' ? { security: [] } : { security: [{ bearer: [] }], 'x-merit-roles': route.access }),
    ...(pathParameters.length > 0 ? { parameters: pathParameters } : {}),
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: toComponent(body, components) } } } } : {}),
    responses: {
      [/^(create|issue)/.test(route.operationId) ? '201' : route.method === 'DELETE' ? '204' : '200']: { description: 'Success' },
      '400': { description: 'Bad input; details list the fields', ...errorResponse },
      ...(route.access === 'public'
        ? {}
        : { '401': { description: 'No valid token', ...errorResponse }, '403': { description: 'Not allowed', ...errorResponse } }),
      '404': { description: 'Not found', ...errorResponse },
    },
  };
};

/** The OpenAPI 3.1 document of every route, generated from the route table and the zod schemas. */
export const openApiDocument = (serverUrl: string) => {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, JsonSchema> = { Error: toComponent(errorSchema, {}) };
  for (const route of routes) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route, schemas) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Merit',
      version: '1',
      description: 'Open Badges 3.0 credentials for a K-12 district: issue, share, verify, expire and delete.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas,
    },
    paths,
  };
};
