import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { staticKeyResolver } from '#adapters/key-resolution/static';
import { presentedFromJson, presentedFromRequest } from '#domain/verify/parse';
import type { JsonObject } from '#domain/verify/types';
import { type VerifyDependencies, verifyPresented } from '#features/verify/verify';
import { exampleControllerDocument, exampleIssuer, memoryDeployment, obSigned } from '../../fixtures/verify/documents';

/** Every path to a string, number or boolean leaf of a JSON value. */
const leaves = (value: unknown, path: Array<string | number> = []): Array<Array<string | number>> => {
  if (Array.isArray(value)) return value.flatMap((item, index) => leaves(item, [...path, index]));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => leaves(item, [...path, key]));
  return [path];
};

const setAt = (root: JsonObject, path: Array<string | number>, value: unknown): JsonObject => {
  const copy = structuredClone(root);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
};

describe('no mutation of a signed credential verifies, and none makes the verifier throw', () => {
  const samples: Array<{ name: string; credential: JsonObject; deps: VerifyDependencies }> = [];

  beforeAll(async () => {
    const deployment = memoryDeployment();
    samples.push({ name: 'a Merit credential', credential: await deployment.issue(), deps: deployment.deps });
    samples.push({
      name: 'the OB test vector',
      credential: obSigned(),
      deps: memoryDeployment({ keyResolver: staticKeyResolver({ controllers: { [exampleIssuer]: exampleControllerDocument() } }) }).deps,
    });
  });

  it('the unmutated samples verify (so the properties below can fail)', async () => {
    // Act
    const reports = await Promise.all(samples.map((sample) => verifyPresented(sample.deps, presentedFromJson(sample.credential))));

    // Assess
    expect(reports.map((report) => report.verified)).toEqual([true, true]);
  });

  it('changing any one field to another value is never verified', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.nat(),
        fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)),
        async (which, where, replacement) => {
          // Prepare
          const sample = samples[which % samples.length]!;
          const paths = leaves(sample.credential);
          const path = paths[where % paths.length]!;
          const original = path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], sample.credential);
          fc.pre(replacement !== original);

          // Act
          const report = await verifyPresented(sample.deps, presentedFromJson(setAt(sample.credential, path, replacement)));

          // Assess
          expect(report.verified).toBe(false);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('flipping any byte of the JSON text is never verified', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), async (which, where, xor) => {
        // Prepare
        const sample = samples[which % samples.length]!;
        const bytes = Buffer.from(JSON.stringify(sample.credential));
        const index = where % bytes.length;
        bytes[index] = bytes[index]! ^ xor;
        const json = (() => {
          try {
            return JSON.parse(bytes.toString('utf8')) as unknown;
          } catch {
            return undefined;
          }
        })();

        // Act
        const report = await verifyPresented(
          sample.deps,
          presentedFromRequest({ contentType: 'application/json', rawBody: bytes, json: json ?? bytes.toString('utf8') })!,
        );

        // Assess
        expect(report.verified).toBe(false);
      }),
      { numRuns: 40 },
    );
  });
});
