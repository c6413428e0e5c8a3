import { z } from 'zod';
import { createAchievementSchema, updateAchievementSchema } from '#domain/achievements';
import { createIssuerSchema } from '#domain/issuers';
import { consentSchema, createLearnerSchema } from '#domain/learners';
import { createShareSchema } from '#services/shares';
import { issueCredentialSchema, revokeCredentialSchema } from '#domain/credential-requests';
import { routes, type RouteDefinition } from './routes';

/** Request bodies by operation: the very zod schemas the operations validate with. */
const requestBodies: Partial<Record<string, z.ZodType>> = {
  createIssuer: createIssuerSchema,
  createAchievement: createAchievementSchema,
  updateAchievement: updateAchievementSchema,
  createLearner: createLearnerSchema,
  issueCredential: issueCredentialSchema,
  revokeCredential: revokeCredentialSchema,
  recordConsent: consentSchema,
  createShare: createShareSchema,
};

const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string().optional(), message: z.string() })).optional(),
  }),
});

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });

const operation = (route: RouteDefinition) => {
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
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(body) } } } } : {}),
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
  for (const route of routes) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
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
      schemas: { Error: jsonSchema(errorSchema) },
    },
    paths,
  };
};
