/**
 * What each HTTP function evaluates at a cold start: the modules reachable from its handler through static imports
 * in the bundle lib/functions.ts deploys (esbuild's metafile). Route groups are imported on first use
 * (functions/http/operations/lazy.ts), so the heavy ones must stay out of the eager graph. Structure only: the
 * timings are the bench's (`npm run bench -- --only=cold-start`).
 */
import { join } from 'node:path';
import { build, type Metafile, type Platform } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { functionBundling } from '#lib/functions';

const root = join(import.meta.dirname, '..', '..');

const eagerModules = async (handler: 'public' | 'api'): Promise<string[]> => {
  const entry = `functions/handlers/${handler}.ts`;
  const { metafile } = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    write: false,
    outdir: 'out',
    platform: functionBundling.platform as Platform,
    target: functionBundling.target,
    format: 'esm',
    mainFields: functionBundling.mainFields,
    metafile: true,
    logLevel: 'silent',
  });
  return staticallyReachable(metafile, entry);
};

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
    expect(matching(modules, [/functions\/domain\/baking\//, /functions\/domain\/clr\.ts$/, /functions\/features\/clr\//, /functions\/http\/pages\//, /functions\/features\/verify\//, /functions\/http\/openapi\.ts$/, /node_modules\/(jsonld|ajv|iconv-lite)\//])).toEqual([]);
  });

  it('api: the handler reaches issuing, baking, the CLR, PD reports and bulk jobs only through import()', async () => {
    const modules = await eagerModules('api');

    expect(modules).toContain('functions/http/create-handler.ts');
    expect(matching(modules, [/functions\/domain\/baking\//, /functions\/domain\/clr\.ts$/, /functions\/features\/clr\//, /functions\/features\/pd-report\//, /functions\/features\/bulk\//, /functions\/features\/credentials\/issue\.ts$/])).toEqual([]);
  });
});
