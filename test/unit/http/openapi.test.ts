import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#http/openapi';
import { routes } from '#http/routes';

describe('the OpenAPI document', () => {
  const document = openApiDocument('https://credentials.example.org');

  it('is OpenAPI 3.1 with every route of the table', () => {
    // Act
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );

    // Assess
    expect(document.openapi).toBe('3.1.0');
    expect(documented.sort()).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('describes request bodies from the zod schemas the routes validate with', () => {
    // Prepare
    const createAchievement = document.paths['/achievements']?.['post'] as {
      requestBody: { content: { 'application/json': { schema: { $ref: string } } } };
    };

    // Act: follow the reference into components, as an OpenAPI tool would
    const reference = createAchievement.requestBody.content['application/json'].schema.$ref;
    const schema = document.components.schemas[reference.replace('#/components/schemas/', '')] as {
      required: string[];
      properties: Record<string, unknown>;
    };

    // Assess
    expect(schema.required).toEqual(expect.arrayContaining(['issuerId', 'name', 'description', 'criteria']));
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['code', 'alignment', 'creditsAvailable', 'validForDays']));
  });

  it('has no reference that does not resolve inside the document', () => {
    // Prepare
    const text = JSON.stringify(document);

    // Act
    const references = [...text.matchAll(/"\$ref":"([^"]+)"/g)].map((match) => match[1]!);

    // Assess
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) {
      expect(reference).toMatch(/^#\/components\/schemas\//);
      expect(document.components.schemas).toHaveProperty(reference.replace('#/components/schemas/', ''));
    }
  });

  it('marks public routes as needing no token and staff routes as needing a bearer token', () => {
    const health = document.paths['/health']?.['get'] as { security: unknown[] };
    const issue = document.paths['/credentials']?.['post'] as { security: unknown[] };
    expect(health.security).toEqual([]);
    expect(issue.security).toEqual([{ bearer: [] }]);
  });

  interface Operation {
    operationId: string;
    parameters?: Array<{ name: string; in: string; required?: boolean; schema?: unknown }>;
    requestBody?: { content: Record<string, { schema?: unknown }> };
    responses: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
  }
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, Operation>).map(([method, operation]) => ({ path, method, operation })),
  );

  it('gives every operation a unique id and a success response with a schema for each media type (or none for 204)', () => {
    // Act
    const problems = operations.flatMap(({ path, method, operation }) => {
      const successes = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
      if (successes.length === 0) return [`${method} ${path}: no 2xx response`];
      return successes.flatMap(([status, response]) => {
        if (!response.description) return [`${method} ${path} ${status}: no description`];
        if (status === '204') return response.content ? [`${method} ${path}: 204 with a body`] : [];
        const media = Object.entries(response.content ?? {});
        if (media.length === 0) return [`${method} ${path} ${status}: no content`];
        return media.filter(([, entry]) => !entry.schema).map(([type]) => `${method} ${path} ${status} ${type}: no schema`);
      });
    });

    // Assess
    expect(problems).toEqual([]);
    expect(new Set(operations.map(({ operation }) => operation.operationId)).size).toBe(operations.length);
  });

  it('declares every path parameter, and no other, as a required path parameter', () => {
    // Act
    const problems = operations.flatMap(({ path, method, operation }) => {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();
      const declared = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
      const names = (operation.parameters ?? []).map((parameter) => `${parameter.in}:${parameter.name}`);
      return [
        ...(JSON.stringify(declared.map((parameter) => parameter.name).sort()) === JSON.stringify(inPath)
          ? []
          : [`${method} ${path}: path parameters ${declared.map((p) => p.name)}`]),
        ...declared
          .filter((parameter) => parameter.required !== true)
          .map((parameter) => `${method} ${path}: ${parameter.name} not required`),
        ...(new Set(names).size === names.length ? [] : [`${method} ${path}: a parameter twice`]),
        ...(operation.parameters ?? [])
          .filter((parameter) => !parameter.schema)
          .map((parameter) => `${method} ${path}: ${parameter.name} has no schema`),
      ];
    });

    // Assess
    expect(problems).toEqual([]);
  });

  it('describes the query parameters the routes read and the body of /verify', () => {
    // Prepare
    const parametersOf = (path: string, method: string) =>
      (document.paths[path]![method] as Operation).parameters?.map((parameter) => `${parameter.name}${parameter.required ? '!' : ''}`);

    // Assess
    expect(parametersOf('/reports/pd', 'get')).toEqual(['learnerId', 'from!', 'to!', 'schoolId', 'format']);
    expect(parametersOf('/audit', 'get')).toEqual(['learnerId!', 'limit', 'cursor', 'format']);
    expect(parametersOf('/learners', 'get')).toEqual(['sourcedId!']);
    expect(Object.keys((document.paths['/verify']!['post'] as Operation).requestBody!.content)).toEqual([
      'application/json',
      'text/plain',
      'image/png',
      'image/svg+xml',
    ]);
  });

  it('has schemas that are valid JSON Schema 2020-12, the dialect of OpenAPI 3.1', () => {
    // Prepare
    const ajv = new Ajv2020({ strict: false, validateSchema: true });
    addFormats(ajv);
    const schemas = operations
      .flatMap(({ operation }) => [
        ...Object.values(operation.responses).flatMap((response) => Object.values(response.content ?? {})),
        ...Object.values(operation.requestBody?.content ?? {}),
        ...(operation.parameters ?? []),
      ])
      .map((entry) => entry.schema as Record<string, unknown>);

    // Act
    const compileAll = () => {
      for (const schema of schemas) ajv.compile({ ...schema, components: document.components });
    };

    // Assess
    expect(schemas.length).toBeGreaterThan(100);
    expect(compileAll).not.toThrow();
  });
});
