import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '#http/openapi';

/**
 * A client generated from `/openapi.json` (openapi-typescript) and written against it (openapi-fetch) compiles:
 * bodies, query parameters and response fields are typed from the document. The `@ts-expect-error` lines make
 * sure they are real types, not `any` (an unused one is a diagnostic too).
 */
const client = `import createClient from 'openapi-fetch';
import type { components, paths } from './merit-api';

const client = createClient<paths>({ baseUrl: 'https://credentials.example.org' });
const headers = { authorization: 'Bearer token' };

export async function issueAndShare(): Promise<string | undefined> {
  const achievement = await client.POST('/achievements', {
    headers,
    body: { issuerId: 'iss-1', name: 'Reader', description: 'Reads', criteria: { narrative: 'Reads a book' }, validForDays: 365 },
  });
  const url: string | undefined = achievement.data?.url;
  const issued = await client.POST('/credentials', { headers, body: { learnerId: 'lrn-1', achievementId: achievement.data?.id ?? url ?? '' } });
  const state: 'issued' | 'pending_consent' | 'revoked' | undefined = issued.data?.state;
  const code: string | undefined = issued.error?.error.code;
  const share = await client.POST('/credentials/{id}/shares', { headers, params: { path: { id: issued.data?.id ?? '' } }, body: { expiresInDays: 7 } });
  return share.data?.url ?? state ?? code;
}

export async function readBack(): Promise<number> {
  const page = await client.GET('/learners/{id}/credentials', { headers, params: { path: { id: 'lrn-1' }, query: { limit: 10 } } });
  const next: string | undefined = page.data?.nextCursor;
  const job = await client.GET('/bulk-jobs/{id}', { headers, params: { path: { id: 'job-1' } } });
  const report = await client.GET('/reports/pd', { headers, params: { query: { learnerId: 'lrn-1', from: '2026-01-01', to: '2026-12-31' } } });
  // JSON or, for Accept: text/csv, the CSV text.
  const credits = typeof report.data === 'object' && 'totalCredits' in report.data ? report.data.totalCredits : 0;
  const progress = await client.GET('/learners/{id}/pathways', { headers, params: { path: { id: 'lrn-1' } } });
  const receipt: components['schemas']['DeletionReceipt'] | undefined = (await client.DELETE('/learners/{id}', { headers, params: { path: { id: 'lrn-2' } } })).data;
  return (job.data?.done ?? 0) + credits + (progress.data?.items[0]?.percent ?? 0) + (next ? 1 : 0) + (receipt?.counts.credentialsRevoked ?? 0);
}

export async function verify(credential: Record<string, unknown>): Promise<boolean> {
  const report = await client.POST('/verify', { body: { credential, recipient: { email: 'a@b.example.org' } } });
  const vcApi = await client.POST('/credentials/verify', { body: { verifiableCredential: credential } });
  return (report.data?.verified ?? false) && (vcApi.data?.errors.length ?? 1) === 0;
}

export async function mistakes(): Promise<void> {
  // @ts-expect-error a learner needs a family name
  await client.POST('/learners', { headers, body: { sourcedId: 'S-1', givenName: 'Ada' } });
  // @ts-expect-error the PD report needs its window
  await client.GET('/reports/pd', { headers, params: { query: { learnerId: 'lrn-1' } } });
  const learner = await client.GET('/learners/{id}', { headers, params: { path: { id: 'lrn-1' } } });
  // @ts-expect-error a learner has no such field
  learner.data?.birthDate;
}
`;

describe('a client generated from the OpenAPI document', () => {
  const dir = mkdtempSync(join(tmpdir(), 'merit-openapi-client-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // The compiler takes seconds on a busy machine: a generous timeout, not a measure.
  it('compiles with no diagnostics', { timeout: 120_000 }, async () => {
    // Prepare: a property with a default (`source`, `role`, `expiresInDays`) stays optional in requests
    const document = openApiDocument('https://credentials.example.org');
    const types = astToString(await openapiTS(document as unknown as OpenAPI3, { silent: true, defaultNonNullable: false }));
    writeFileSync(join(dir, 'merit-api.ts'), types);
    writeFileSync(join(dir, 'client.ts'), client);
    const resolve = createRequire(import.meta.url).resolve;
    const openapiFetchTypes = join(resolve('openapi-fetch'), '..', 'index.d.mts');

    // Act
    const program = ts.createProgram([join(dir, 'client.ts')], {
      strict: true,
      noEmit: true,
      noUncheckedIndexedAccess: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      types: [],
      paths: { 'openapi-fetch': [openapiFetchTypes] },
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));

    // Assess
    expect(types).toContain('"/verify"');
    expect(diagnostics).toEqual([]);
  });
});
