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
    const schema = document.components.schemas[reference.replace('#/components/schemas/', '')] as { required: string[]; properties: Record<string, unknown> };

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
});
