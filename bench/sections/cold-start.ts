/**
 * cold-start: each Lambda handler bundled with the options lib/functions.ts gives NodejsFunction (esbuild's API, no
 * synth), then a cold `import()` of it in fresh `node` processes, with and without `--enable-source-maps`; beside
 * them, in the same run, a bundle of the bare signing/verification libraries measured the same way. Then the public
 * function's verify path: import + the first `POST /verify` of a did:key credential, against the bare bundle's
 * import + first verification of the same credential.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build, type Platform } from 'esbuild';
import { LocalSigner } from '#adapters/signing/local-signer';
import type { FunctionName } from '#config/topology';
import { buildCredential } from '#domain/credential/build';
import type { JsonObject } from '#domain/proof/document-loader';
import { signCredential } from '#domain/proof/sign';
import { functionBundleAliases, functionBundling, functionSourceMapsAtRuntime } from '#lib/functions';
import { fullCredentialInput } from '../../test/fixtures/ob3/credential-input';
import { fmt, fmtInt, type Row, type Section, verdict } from '../lib/report';
import { median } from '../lib/stats';

export interface ColdStartOptions {
  /** Fresh processes per figure (the median is reported). */
  runs: number;
}

const root = join(import.meta.dirname, '..', '..');
const handlers: readonly FunctionName[] = ['api', 'public', 'bulk-start', 'bulk-issue', 'expiry-alerts', 'retention'];

/** lib/functions.ts's bundling, as esbuild options (what NodejsFunction turns it into on the command line). */
export const cdkEsbuildOptions = (): BuildOptions => ({
  bundle: true,
  platform: functionBundling.platform as Platform,
  target: functionBundling.target,
  format: functionBundling.format === 'esm' ? 'esm' : 'cjs',
  minify: functionBundling.minify,
  sourcemap: functionBundling.sourceMap,
  sourcesContent: functionBundling.sourcesContent,
  mainFields: functionBundling.mainFields,
  alias: functionBundleAliases,
  banner: { js: functionBundling.banner },
  ...('keepNames' in functionBundling ? { keepNames: functionBundling.keepNames as boolean } : {}),
  logLevel: 'silent',
});

/**
 * The bare libraries a minimal verifier needs, and nothing of Merit: Data Integrity + eddsa-rdfc-2022, Multikey,
 * jsonld, the contexts. `verify` checks one did:key-signed credential with a static loader.
 */
const bareEntry = `
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import jsigs from 'jsonld-signatures';
import jsonld from 'jsonld';
import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import obContext from './functions/domain/ob3/context-3.0.3.json' with { type: 'json' };
import obContextPlain from './functions/domain/ob3/context.json' with { type: 'json' };
import obExtensions from './functions/domain/ob3/extensions.json' with { type: 'json' };
const contexts = new Map([...credentialsContexts, ...dataIntegrityContexts, ...multikeyContexts,
  ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', obContext], ['https://purl.imsglobal.org/spec/ob/v3p0/context.json', obContextPlain],
  ['https://purl.imsglobal.org/spec/ob/v3p0/extensions.json', obExtensions]]);
const documentLoader = async (url) => {
  if (contexts.has(url)) return { contextUrl: null, documentUrl: url, document: contexts.get(url) };
  if (url.startsWith('did:key:')) {
    const [did, fragment] = url.split('#');
    const key = await Ed25519Multikey.from({ '@context': 'https://w3id.org/security/multikey/v1', type: 'Multikey', id: did + '#' + did.slice(8), controller: did, publicKeyMultibase: did.slice(8) });
    const method = await key.export({ publicKey: true, includeContext: true });
    const document = fragment ? method : { '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'], id: did, verificationMethod: [method], assertionMethod: [method.id] };
    return { contextUrl: null, documentUrl: url, document };
  }
  throw new Error('not bundled: ' + url);
};
export const verify = async (credential) => {
  const result = await jsigs.verify(credential, { suite: new DataIntegrityProof({ cryptosuite }), purpose: new jsigs.purposes.AssertionProofPurpose(), documentLoader });
  return { verified: result.verified, error: result.error ? (result.error.errors ?? [result.error]).map(String).join('; ') : undefined };
};
export { jsonld };
`;

/**
 * Runs in the fresh process: times `import()` of the bundle, then (with a credential file) the first verification:
 * the handler's `POST /verify`, or the bare bundle's `verify`. The figure goes to a file: stdout is the handler's
 * (its logs and EMF metric lines), as in Lambda.
 */
const probeScript = `
import { readFileSync, writeFileSync } from 'node:fs';
const [resultFile, bundle, credentialFile] = process.argv.slice(2);
const started = performance.now();
const module = await import(bundle);
const importMs = performance.now() - started;
let verifyMs, verified, failure;
if (credentialFile) {
  const credential = readFileSync(credentialFile, 'utf8');
  const verifyStarted = performance.now();
  if (module.handler) {
    const event = { version: '2.0', routeKey: 'POST /verify', rawPath: '/verify', rawQueryString: '', headers: { 'content-type': 'application/json' },
      requestContext: { http: { method: 'POST', path: '/verify', sourceIp: '192.0.2.1', protocol: 'HTTP/1.1', userAgent: 'bench' }, routeKey: 'POST /verify', requestId: 'bench', stage: '$default', timeEpoch: Date.now() },
      body: credential, isBase64Encoded: false };
    const result = await module.handler(event, { functionName: 'public', awsRequestId: 'bench', getRemainingTimeInMillis: () => 29000 });
    const report = JSON.parse(result.body);
    verified = report.verified === true;
    if (!verified) failure = JSON.stringify(report.checks ?? report);
  } else {
    const result = await module.verify(JSON.parse(credential));
    verified = result.verified === true;
    failure = result.error;
  }
  verifyMs = performance.now() - verifyStarted;
}
writeFileSync(resultFile, JSON.stringify({ importMs, verifyMs, verified, failure }));
`;

/** Dummy values for the handlers' environment: enough to build their dependencies, nothing that calls AWS at import. */
export const handlerEnv = (sourceMaps: boolean): NodeJS.ProcessEnv => ({
  PATH: process.env['PATH'],
  HOME: process.env['HOME'],
  TABLE_NAME: 'merit-bench',
  IMAGES_BUCKET: 'merit-bench-images',
  DROPS_BUCKET: 'merit-bench-drops',
  REPORTS_BUCKET: 'merit-bench-reports',
  SIGNING_KEY_ID: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  PUBLIC_BASE_URL: 'https://credentials.district.example',
  DISTRICT_NAME: 'Bench District',
  CONTINUATION_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111122223333/merit-bench-continuations',
  BULK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111122223333/merit-bench-bulk',
  IDENTIFIER_PEPPER_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:merit-bench-pepper',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  ...(sourceMaps ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
});

interface Probe {
  importMs: number;
  verifyMs?: number;
  verified?: boolean;
  /** Why the verification failed, when it did. */
  failure?: string;
}

const probeOnce = (probe: string, bundle: string, sourceMaps: boolean, credentialFile?: string): Promise<Probe> =>
  new Promise((resolve, reject) => {
    const resultFile = join(dirname(probe), 'probe-result.json');
    rmSync(resultFile, { force: true });
    const child = spawn(process.execPath, [probe, resultFile, pathToFileURL(bundle).href, ...(credentialFile ? [credentialFile] : [])], {
      env: handlerEnv(sourceMaps),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`cold import of ${bundle} exited ${code}: ${err.slice(-800)}`));
      try {
        resolve(JSON.parse(readFileSync(resultFile, 'utf8')) as Probe);
      } catch {
        reject(new Error(`cold import of ${bundle} wrote no figure: ${err.slice(-400)}`));
      }
    });
  });

/** Medians over `runs` fresh processes. */
const probeMedian = async (runs: number, ...args: Parameters<typeof probeOnce>) => {
  const results: Probe[] = [];
  for (let i = 0; i < runs; i++) results.push(await probeOnce(...args));
  return {
    importMs: median(results.map((result) => result.importMs)),
    pathMs: median(results.map((result) => result.importMs + (result.verifyMs ?? 0))),
    failure:
      results.find((result) => result.verified === false)?.failure ??
      (results.some((result) => result.verified === false) ? 'not verified' : undefined),
  };
};

const kib = (bytes: number) => `${fmtInt(bytes / 1024)} KiB`;

/** Bytes of the entry chunk and of all chunks (they differ once code is split). */
const bundleBytes = (outdir: string, outputs: Record<string, { bytes: number; entryPoint?: string }>) => {
  const js = Object.entries(outputs).filter(([file]) => file.endsWith('.mjs'));
  const entry = js.find(([, output]) => output.entryPoint)?.[1].bytes ?? 0;
  return { entry, total: js.reduce((total, [, output]) => total + output.bytes, 0), chunks: js.length, outdir };
};

export const runColdStart = async (options: ColdStartOptions): Promise<Section> => {
  const section: Section = {
    name: 'cold-start',
    title: 'cold-start — Lambda bundles vs the bare signing libraries (cold import, fresh processes)',
    status: 'ran',
    rows: [],
    notes: [],
    details: {},
  };
  const rows: Row[] = section.rows;
  const work = mkdtempSync(join(tmpdir(), 'merit-bench-cold-'));
  try {
    const probe = join(work, 'probe.mjs');
    writeFileSync(probe, probeScript);

    // Prepare: a did:key-signed credential (no status list, no network): the verify path needs no AWS call.
    const signer = LocalSigner.generate();
    const issuerDid = `did:key:${signer.keyId}`;
    const input = fullCredentialInput('lincoln-high');
    const { credentialStatus: _status, ...unsigned } = buildCredential({
      ...input,
      issuer: { ...input.issuer, id: issuerDid },
    }) as unknown as JsonObject;
    const credentialFile = join(work, 'credential.json');
    writeFileSync(credentialFile, JSON.stringify(await signCredential(unsigned, signer, { issuerDid })));

    const esbuildOptions = cdkEsbuildOptions();
    const bareDir = join(work, 'bare');
    await build({
      ...esbuildOptions,
      stdin: { contents: bareEntry, resolveDir: root, loader: 'js', sourcefile: 'bare-verifier.js' },
      outdir: bareDir,
      outExtension: { '.js': '.mjs' },
      metafile: true,
    });
    const bareFile = join(bareDir, 'stdin.mjs');
    const bareBytes = statSync(bareFile).size;
    const bareMaps = await probeMedian(options.runs, probe, bareFile, true);
    const bareNoMaps = await probeMedian(options.runs, probe, bareFile, false);
    const barePath = await probeMedian(options.runs, probe, bareFile, false, credentialFile);
    if (barePath.failure) throw new Error(`cold-start: the bare bundle did not verify the credential: ${barePath.failure}`);
    rows.push(
      { metric: 'bare libraries: bundle', value: kib(bareBytes), raw: bareBytes, verdict: 'no budget' },
      {
        metric: 'bare libraries: cold import (maps on / off)',
        value: `${fmtInt(bareMaps.importMs)} / ${fmtInt(bareNoMaps.importMs)} ms`,
        raw: bareNoMaps.importMs,
        verdict: 'no budget',
      },
      {
        metric: 'bare libraries: import + first verify',
        value: `${fmtInt(barePath.pathMs)} ms`,
        raw: barePath.pathMs,
        verdict: 'no budget',
      },
    );

    // The runtime flag the functions are deployed with decides which bare figure a handler is held against.
    const deployedWithMaps = functionSourceMapsAtRuntime;
    const details: Record<string, unknown> = {
      bare: { bytes: bareBytes, importMs: { maps: bareMaps.importMs, noMaps: bareNoMaps.importMs }, verifyPathMs: barePath.pathMs },
    };
    for (const name of handlers) {
      const outdir = join(work, name);
      const result = await build({
        ...esbuildOptions,
        entryPoints: { index: join(root, 'functions', 'handlers', `${name}.ts`) },
        outdir,
        outExtension: { '.js': '.mjs' },
        metafile: true,
      });
      const bytes = bundleBytes(outdir, result.metafile.outputs);
      const file = join(outdir, 'index.mjs');
      const withMaps = await probeMedian(options.runs, probe, file, true);
      const withoutMaps = await probeMedian(options.runs, probe, file, false);
      const deployed = deployedWithMaps ? withMaps : withoutMaps;
      const bareImport = deployedWithMaps ? bareMaps.importMs : bareNoMaps.importMs;
      const ratio = deployed.importMs / bareImport;
      rows.push(
        {
          metric: `${name}: bundle${bytes.chunks > 1 ? ` (entry / all ${bytes.chunks} chunks)` : ''}`,
          value: bytes.chunks > 1 ? `${kib(bytes.entry)} / ${kib(bytes.total)}` : kib(bytes.entry),
          raw: bytes.entry,
          verdict: 'no budget',
        },
        {
          metric: `${name}: cold import, maps on / off`,
          value: `${fmtInt(withMaps.importMs)} / ${fmtInt(withoutMaps.importMs)} ms`,
          raw: deployed.importMs,
          verdict: 'no budget',
        },
        {
          metric: `${name}: cold import / bare (as deployed${deployedWithMaps ? ', maps on' : ', maps off'})`,
          value: `${fmt(ratio, 2)}×`,
          raw: ratio,
          budget: '≤ 2.00×',
          verdict: verdict(ratio <= 2),
        },
      );
      const entry: Record<string, unknown> = { bytes, importMs: { maps: withMaps.importMs, noMaps: withoutMaps.importMs }, ratio };
      if (name === 'public') {
        const path = await probeMedian(options.runs, probe, file, !!deployedWithMaps, credentialFile);
        if (path.failure) throw new Error(`cold-start: the public handler did not verify the credential: ${path.failure}`);
        const pathRatio = path.pathMs / barePath.pathMs;
        rows.push({
          metric: 'public: import + first POST /verify / bare import + verify',
          value: `${fmtInt(path.pathMs)} ms · ${fmt(pathRatio, 2)}×`,
          raw: pathRatio,
          budget: '≤ 1.50×',
          verdict: verdict(pathRatio <= 1.5),
        });
        entry['verifyPathMs'] = path.pathMs;
        entry['verifyPathRatio'] = pathRatio;
      }
      details[name] = entry;
    }
    section.details = details;
    section.notes.push(
      `Median of ${options.runs} fresh \`node ${process.version}\` processes per figure; "import" = \`await import(bundle)\` (dummy env, no AWS call); bundles built with lib/functions.ts's bundling options through esbuild's API. The bare bundle is built with the same options, lib/functions.ts functionBundleAliases included.`,
      `The bare bundle is measured with the flag the functions are deployed with (${deployedWithMaps ? '--enable-source-maps' : 'no --enable-source-maps'}); its verify path uses the same did:key credential as /verify.`,
      'Lambda runs Node 22 on arm64 with ~0.6 vCPU at 1024 MB: absolute figures differ there, ratios carry over.',
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return section;
};
