/**
 * What each HTTP function evaluates at a cold start: the modules reachable from its handler through static imports
 * in the bundle lib/functions.ts deploys (esbuild's metafile). Route groups are imported on first use
 * (functions/http/operations/lazy.ts), so the heavy ones must stay out of the eager graph. Structure only: the
 * timings are the bench's (`npm run bench -- --only=cold-start`).
 */
import { join } from 'node:path';
import { build, type Metafile, type Platform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { type FunctionName, functionNames } from '#config/topology';
import { functionBundleAliases, functionBundling } from '#lib/functions';

const root = join(import.meta.dirname, '..', '..');

const handlerEntry = (handler: FunctionName) => `functions/handlers/${handler}.ts`;

/** esbuild's metafile of the handler's bundle: every input, whether imported statically or through import(). */
const bundleMetafile = async (handler: FunctionName): Promise<Metafile> => {
  const { metafile } = await build({
    absWorkingDir: root,
    entryPoints: [handlerEntry(handler)],
    bundle: true,
    write: false,
    outdir: 'out',
    platform: functionBundling.platform as Platform,
    target: functionBundling.target,
    format: 'esm',
    mainFields: functionBundling.mainFields,
    alias: functionBundleAliases,
    metafile: true,
    logLevel: 'silent',
  });
  return metafile;
};

const eagerModules = async (handler: 'public' | 'api'): Promise<string[]> =>
  staticallyReachable(await bundleMetafile(handler), handlerEntry(handler));

/** Inputs reachable from `entry` without crossing a dynamic `import()`. */
const staticallyReachable = (metafile: Metafile, entry: string): string[] => {
  const seen = new Set([entry]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const edge of metafile.inputs[file]?.imports ?? []) {
      if (edge.kind === 'dynamic-import' || edge.external || seen.has(edge.path)) continue;
      seen.add(edge.path);
      queue.push(edge.path);
    }
  }
  return [...seen];
};

const matching = (modules: string[], patterns: RegExp[]) => modules.filter((file) => patterns.some((pattern) => pattern.test(file)));

describe('cold-start graphs of the HTTP functions', () => {
  it('public: the handler reaches baking, CLR, pages, the verifier and the OpenAPI document only through import()', async () => {
    // Prepare + Act
    const modules = await eagerModules('public');

    // Assess: the graph is real (the handler and the middlewares are in it), and the heavy route code is not.
    expect(modules).toContain('functions/http/create-handler.ts');
    expect(
      matching(modules, [
        /functions\/domain\/baking\//,
        /functions\/domain\/clr\.ts$/,
        /functions\/features\/clr\//,
        /functions\/http\/pages\//,
        /functions\/features\/verify\//,
        /functions\/http\/openapi\.ts$/,
        /node_modules\/(jsonld|ajv|iconv-lite)\//,
      ]),
    ).toEqual([]);
  });

  it('api: the handler reaches issuing, baking, the CLR, PD reports and bulk jobs only through import()', async () => {
    const modules = await eagerModules('api');

    expect(modules).toContain('functions/http/create-handler.ts');
    expect(
      matching(modules, [
        /functions\/domain\/baking\//,
        /functions\/domain\/clr\.ts$/,
        /functions\/features\/clr\//,
        /functions\/features\/pd-report\//,
        /functions\/features\/bulk\//,
        /functions\/features\/credentials\/issue\.ts$/,
      ]),
    ).toEqual([]);
  });

  it('no function bundles ajv: the JSON Schemas are compiled ahead of time (scripts/compile-schemas.ts), only the format checks ship', async () => {
    // Prepare + Act
    const inputs = await Promise.all(functionNames.map(async (name) => [name, Object.keys((await bundleMetafile(name)).inputs)] as const));

    // Assess: the precompiled validator is in the public bundle (so the check below looks at a real graph), ajv in none.
    const publicInputs = inputs.find(([name]) => name === 'public')?.[1] ?? [];
    expect(publicInputs).toContain('functions/domain/ob3/validate-achievement-credential.generated.js');
    expect(matching(publicInputs, [/node_modules\/ajv-formats\/dist\/formats\.js$/])).toHaveLength(1);
    expect(
      inputs.map(([name, files]) => [name, matching(files, [/node_modules\/ajv\//, /node_modules\/ajv-formats\/dist\/index\.js$/])]),
    ).toEqual(functionNames.map((name) => [name, []]));
  });

  it('no function bundles an HTTP client for jsonld.js: its Node document loader gets lib/bundling/no-http-client.ts', async () => {
    // Prepare + Act
    const inputs = await Promise.all(functionNames.map(async (name) => [name, Object.keys((await bundleMetafile(name)).inputs)] as const));

    // Assess: jsonld.js's Node loader is bundled (so the check is about a real graph), its client and undici are not.
    expect(
      matching(inputs.find(([name]) => name === 'bulk-issue')?.[1] ?? [], [
        /node_modules\/jsonld\/lib\/documentLoaders\/node\.js$/,
        /lib\/bundling\/no-http-client\.ts$/,
      ]),
    ).toHaveLength(2);
    expect(
      inputs.map(([name, files]) => [name, matching(files, [/node_modules\/undici\//, /node_modules\/@digitalbazaar\/http-client\//])]),
    ).toEqual(functionNames.map((name) => [name, []]));
  });
});
