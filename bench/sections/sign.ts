/**
 * sign: our issuing path (`signCredential` with the LocalSigner) against the bare library (`@digitalbazaar/vc`
 * issue() with DataIntegrityProof + eddsa-rdfc-2022 and an ed25519-multikey signer), same credential, same static
 * document loader, one core, interleaved rounds. Then the Lambda bundles: size and cold import in fresh processes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { LocalSigner } from '#adapters/signing/local-signer';
import { buildCredential } from '#domain/credential/build';
import type { JsonObject } from '#domain/proof/document-loader';
import { verificationMethodId } from '#domain/proof/multikey';
import { signCredential } from '#domain/proof/sign';
import { functionSourceMapsAtRuntime } from '#lib/functions';
import { fullCredentialInput } from '../../test/fixtures/ob3/credential-input';
import { bareIssuer } from '../lib/bare-signing';
import { fmt, fmtInt, type Section, verdict } from '../lib/report';
import { median } from '../lib/stats';
import { cdkEsbuildOptions, handlerEnv } from './cold-start';

export interface SignOptions {
  iterations: number;
  warmup: number;
  coldRuns: number;
  handlers: string[];
}

const root = join(import.meta.dirname, '..', '..');

/** Bundled with the options lib/functions.ts gives NodejsFunction (bundleAwsSDK: nothing external). */
const bundleHandler = async (name: string, outdir: string) => {
  const outfile = join(outdir, name, 'index.mjs');
  await build({ ...cdkEsbuildOptions(), entryPoints: [join(root, 'functions', 'handlers', `${name}.ts`)], outfile });
  return outfile;
};

const probeScript = `const started = performance.now();
await import(process.argv[2]);
const importMs = performance.now() - started;
process.stdout.write(JSON.stringify({ importMs, sinceStartMs: performance.now() }));
`;

/** Cold import in a fresh process, by default with the source-map flag the functions are deployed with. */
const coldImport = (
  probe: string,
  bundle: string,
  sourceMaps = functionSourceMapsAtRuntime,
): Promise<{ importMs: number; processMs: number }> =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [probe, pathToFileURL(bundle).href], {
      env: handlerEnv(sourceMaps),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const processMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`cold import of ${bundle} exited ${code}: ${err.slice(-800)}`));
      try {
        const { importMs } = JSON.parse(out) as { importMs: number };
        resolve({ importMs, processMs });
      } catch {
        reject(new Error(`cold import of ${bundle} printed no figure: ${out.slice(0, 200)} ${err.slice(-400)}`));
      }
    });
  });

export const runSign = async (options: SignOptions): Promise<Section> => {
  const section: Section = {
    name: 'sign',
    title: 'sign — issuing path vs bare @digitalbazaar/vc, and Lambda bundles',
    status: 'ran',
    rows: [],
    notes: [],
    details: {},
  };

  // Prepare: one realistic credential (every optional field), our signer and the bare library's key pair.
  const input = fullCredentialInput('lincoln-high');
  const credential = buildCredential(input) as unknown as JsonObject;
  const issuerDid = input.issuer.id;
  const signer = LocalSigner.generate();
  const bareSign = await bareIssuer(issuerDid);

  const ours = () => signCredential(credential, signer, { issuerDid });
  const bare = () => bareSign(credential);
  const oursWithBuild = () => signCredential(buildCredential(input) as unknown as JsonObject, signer, { issuerDid });

  // Sanity: both produce one eddsa-rdfc-2022 proof naming the expected method.
  const signedOurs = await ours();
  const signedBare = await bare();
  const bareProof = signedBare['proof'] as { cryptosuite?: string };
  if (
    signedOurs.proof[0]?.verificationMethod !== verificationMethodId(issuerDid, signer.keyId) ||
    bareProof.cryptosuite !== 'eddsa-rdfc-2022'
  ) {
    throw new Error('sign: the two paths did not produce the expected proofs');
  }

  for (let i = 0; i < options.warmup; i++) {
    await ours();
    await bare();
    await oursWithBuild();
  }
  // Interleaved rounds so drift (GC, JIT, thermal) hits both sides alike; sequential, one core.
  const time = { ours: 0, bare: 0, oursWithBuild: 0 };
  const round = 25;
  for (let done = 0; done < options.iterations; done += round) {
    const n = Math.min(round, options.iterations - done);
    // Rotate who goes first each round: the first slot of a round pays for the previous round's garbage.
    const order = [
      ['ours', ours],
      ['bare', bare],
      ['oursWithBuild', oursWithBuild],
    ] as const;
    const shift = (done / round) % order.length;
    for (const [key, fn] of [...order.slice(shift), ...order.slice(0, shift)]) {
      const started = performance.now();
      for (let i = 0; i < n; i++) await fn();
      time[key] += performance.now() - started;
    }
  }
  const perOurs = time.ours / options.iterations;
  const perBare = time.bare / options.iterations;
  const perBuild = time.oursWithBuild / options.iterations;
  const ratio = perOurs / perBare;
  section.rows.push(
    {
      metric: 'ours: signCredential + LocalSigner',
      value: `${fmt(1000 / perOurs)} cred/s · ${fmt(perOurs, 2)} ms/cred`,
      raw: perOurs,
      budget: '',
      verdict: 'no budget',
    },
    {
      metric: 'bare: vc.issue + ed25519-multikey',
      value: `${fmt(1000 / perBare)} cred/s · ${fmt(perBare, 2)} ms/cred`,
      raw: perBare,
      budget: '',
      verdict: 'no budget',
    },
    {
      metric: 'ratio ours / bare (per credential)',
      value: `${fmt(ratio, 2)}×`,
      raw: ratio,
      budget: '≤ 1.20×',
      verdict: verdict(ratio <= 1.2),
    },
    {
      metric: 'ours incl. buildCredential (info)',
      value: `${fmt(1000 / perBuild)} cred/s · ${fmt(perBuild, 2)} ms/cred`,
      raw: perBuild,
      verdict: 'no budget',
    },
  );
  section.notes.push(
    `${options.iterations} signatures per path after ${options.warmup} warm-up, sequential on one core, interleaved in rounds of ${round} with the order rotated each round.`,
  );

  // Bundles, as the CDK builds them, and cold imports in fresh node processes.
  const outdir = mkdtempSync(join(tmpdir(), 'merit-bench-bundle-'));
  try {
    const probe = join(outdir, 'probe.mjs');
    writeFileSync(probe, probeScript);
    const bundles: Record<string, unknown> = {};
    for (const name of options.handlers) {
      const file = await bundleHandler(name, outdir);
      const bytes = statSync(file).size;
      const gzip = gzipSync(readFileSync(file), { level: 9 }).length;
      const runs: Array<{ importMs: number; processMs: number }> = [];
      for (let i = 0; i < options.coldRuns; i++) runs.push(await coldImport(probe, file));
      const importMs = median(runs.map((run) => run.importMs));
      const processMs = median(runs.map((run) => run.processMs));
      bundles[name] = { bytes, gzipBytes: gzip, importMs: runs.map((run) => run.importMs), processMs: runs.map((run) => run.processMs) };
      let otherMapsMs: number | undefined;
      if (name === options.handlers[0]) {
        const other: number[] = [];
        for (let i = 0; i < options.coldRuns; i++) other.push((await coldImport(probe, file, !functionSourceMapsAtRuntime)).importMs);
        otherMapsMs = median(other);
      }
      section.rows.push(
        {
          metric: `${name}.ts bundle size`,
          value: `${fmtInt(bytes / 1024)} KiB (gzip ${fmtInt(gzip / 1024)} KiB)`,
          raw: bytes,
          verdict: 'no budget',
        },
        {
          metric: `${name}.ts cold import, median of ${runs.length}`,
          value: `${fmtInt(importMs)} ms (process ${fmtInt(processMs)} ms)`,
          raw: importMs,
          budget: name === 'public' ? '< 400 ms (issuing bar, info)' : '< 400 ms',
          verdict: verdict(importMs < 400),
        },
        ...(otherMapsMs === undefined
          ? []
          : [
              {
                metric: `${name}.ts cold import ${functionSourceMapsAtRuntime ? 'without' : 'with'} --enable-source-maps (info)`,
                value: `${fmtInt(otherMapsMs)} ms`,
                raw: otherMapsMs,
                verdict: 'no budget' as const,
              },
            ]),
      );
    }
    section.details = { perCredentialMs: { ours: perOurs, bare: perBare, oursWithBuild: perBuild }, bundles };
    section.notes.push(
      `Bundles: esbuild ${'with'} the CDK's options (ESM, node22, minify, source maps, banner shim, AWS SDK bundled); cold import = time for \`await import(bundle)\` in a fresh \`node ${process.version}\` ${functionSourceMapsAtRuntime ? 'with' : 'without'} NODE_OPTIONS=--enable-source-maps (as deployed: lib/functions.ts functionSourceMapsAtRuntime) and dummy env (no AWS call); "process" = spawn to exit.`,
      'The Lambda runtime is Node 22 on arm64; this machine runs the figures above — a cold start in Lambda adds the runtime init and its own CPU share (1024 MB ≈ 0.6 vCPU), so treat these as relative.',
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  return section;
};
