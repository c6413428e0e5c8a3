import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const sourceDir = join(import.meta.dirname, 'src');

/** The app's page: no inline script or style (the CSP allows neither), the hashed bundle names filled in. */
const indexHtml = (script: string, style: string | undefined) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Merit</title>
${style ? `<link rel="stylesheet" href="/app/${style}">\n` : ''}<script type="module" src="/app/${script}"></script>
</head>
<body><div id="app"></div><noscript>Merit needs JavaScript for this page. A shared credential's own page works without it.</noscript></body>
</html>
`;

/**
 * Builds the app into `outDir`: hashed bundle names (cached for a year) and an `index.html` naming them (never
 * cached). Synchronous, so that CDK synthesis can build it too. `config.json` is the deployment's: the local server and the CDK deployment write it, not the build.
 */
export const buildWebApp = (outDir: string): { files: string[] } => {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = buildSync({
    entryPoints: [join(sourceDir, 'main.tsx'), join(sourceDir, 'styles.css')],
    outdir: outDir,
    entryNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
  const script = outputs.find((file) => /^main-.*\.js$/.test(file));
  if (!script) throw new Error('The app build produced no main bundle');
  const style = outputs.find((file) => /^styles-.*\.css$/.test(file));
  writeFileSync(join(outDir, 'index.html'), indexHtml(script, style));
  return { files: [...outputs, 'index.html'] };
};

// `npx tsx web/build.ts [outDir]`: the deployable build (default web/dist, git-ignored), as `cdk deploy` uploads it.
if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const outDir = resolve(process.argv[2] ?? join(import.meta.dirname, 'dist'));
  const { files } = buildWebApp(outDir);
  console.log(`Built the app into ${relative(process.cwd(), outDir) || '.'}: ${files.join(', ')}`);
}
