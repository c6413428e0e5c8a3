import { z } from 'zod';
import { type RouteDefinition, routes } from './routes';
import { type Content, errorSchema, type OperationSchemas } from './schemas/common';
import { operationSchemas } from './schemas/index';

type JsonSchema = Record<string, unknown>;

/** Non-JSON bodies: pages and CSV are text, images and baked badges bytes. */
const nonJsonSchema = {
  html: { type: 'string' },
  csv: { type: 'string' },
  text: { type: 'string' },
  binary: { type: 'string', format: 'binary' },
} as const;

/**
 * Named schemas (zod `.meta({ id })`) go to `components.schemas` and are referenced from there, since a `$ref`
 * to `#/$defs/…` would resolve against the OpenAPI document's root, not the schema. Requests are described as
 * clients send them (`io: 'input'`: defaults optional), responses as the server sends them (`io: 'output'`).
 */
const toComponent = (schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema => {
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema & {
    $defs?: Record<string, JsonSchema>;
  };
  const { $schema: _dialect, $defs, ...rest } = generated;
  const relink = (value: JsonSchema): JsonSchema =>
    JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
  for (const [name, definition] of Object.entries($defs ?? {})) {
    const relinked = relink(definition);
    if (components[name] && JSON.stringify(components[name]) !== JSON.stringify(relinked)) {
      throw new Error(`The schema ${name} reads differently as a request and as a response; give each its own id.`);
    }
    components[name] = relinked;
  }
  return relink(rest);
};

const contentOf = (content: Content, io: 'input' | 'output', components: Record<string, JsonSchema>) =>
  Object.fromEntries(
    Object.entries(content).map(([mediaType, body]) => [
      mediaType,
      {
        schema:
          body instanceof z.ZodType
            ? toComponent(body, io, components)
            : { ...nonJsonSchema[body.kind], ...(body.kind === 'binary' ? { contentMediaType: mediaType } : {}) },
      },
    ]),
  );

type QueryObject = { properties?: Record<string, JsonSchema>; required?: string[] };

/** Every property of every query object; one of alternatives (`?learnerId=` | `?schoolId=`) is required only if all require it. */
const queryParameters = (queries: OperationSchemas['query'], components: Record<string, JsonSchema>) => {
  const parameters = new Map<string, { schema: JsonSchema; required: boolean; description?: string }>();
  for (const group of queries ?? []) {
    const alternatives = (Array.isArray(group) ? group : [group]).map(
      (query: z.ZodType) => toComponent(query, 'input', components) as QueryObject,
    );
    for (const object of alternatives) {
      for (const [name, { description, ...schema }] of Object.entries(object.properties ?? {})) {
        const required = alternatives.every((alternative) => alternative.required?.includes(name) ?? false);
        parameters.set(name, { schema, required, ...(typeof description === 'string' ? { description } : {}) });
      }
    }
  }
  return [...parameters].map(([name, parameter]) => ({ name, in: 'query', ...parameter }));
};

const operation = (route: RouteDefinition, components: Record<string, JsonSchema>) => {
  const schemas = operationSchemas[route.operationId];
  if (!schemas) throw new Error(`The operation ${route.operationId} has no schemas in functions/http/schemas.`);
  const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const parameters = [...pathParameters, ...queryParameters(schemas.query, components)];
  const errorResponse = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const successes = Object.fromEntries(
    Object.entries(schemas.responses).map(([status, response]) => [
      status,
      { description: response.description, ...(response.content ? { content: contentOf(response.content, 'output', components) } : {}) },
    ]),
  );
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.access === 'public' ? { security: [] } : { security: [{ bearer: [] }], 'x-merit-roles': route.access }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(schemas.body
      ? { requestBody: { required: schemas.body.required, content: contentOf(schemas.body.content, 'input', components) } }
      : {}),
    responses: {
      ...successes,
      '400': { description: 'Bad input; details list the fields', ...errorResponse, ...successes['400'] },
      ...(route.access === 'public'
        ? {}
        : { '401': { description: 'No valid token', ...errorResponse }, '403': { description: 'Not allowed', ...errorResponse } }),
      '404': { description: 'Not found', ...errorResponse },
    },
  };
};

/** The OpenAPI 3.1 document of every route, generated from the route table and the schemas in `./schemas`. */
export const openApiDocument = (serverUrl: string) => {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, JsonSchema> = {};
  toComponent(errorSchema, 'output', schemas);
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
