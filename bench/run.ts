/**
 * `npm run bench [-- --quick] [--only=sign,verify,bulk,alerts] [--kms-rate=200] [--rows=3000] [--memory-rows=1000] [--fairness-rows=100000]`
 *
 * Measures, never asserts: every figure is printed with its budget and "within budget" / "OVER budget", the whole
 * report is also written to bench/results/latest.json, and the exit code is 0 unless something crashed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { renderSection, type Section } from './lib/report';

process.env['POWERTOOLS_LOG_LEVEL'] ??= 'WARN';
// The AWS SDK warns once that Node 20 support ends in 2027; not a bench finding.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
  if (type === 'NodeVersionSupportWarning' || /versions published after/.test(text)) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

const allSections = ['sign', 'verify', 'bulk', 'alerts', 'cold-start'] as const;
type SectionName = (typeof allSections)[number];

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);

const unknown = args.filter((arg) => !/^--(quick|only=.*|kms-rate=.*|rows=.*|memory-rows=.*|fairness-rows=.*)$/.test(arg));
if (unknown.length > 0) {
  console.error(
    `Unknown argument(s): ${unknown.join(' ')}\nUsage: npm run bench -- [--quick] [--only=${allSections.join(',')}] [--kms-rate=200] [--rows=10000]`,
  );
  process.exit(2);
}
const quick = flag('quick');
const only = (option('only')
  ?.split(',')
  .map((name) => name.trim())
  .filter(Boolean) ?? [...allSections]) as SectionName[];
const badSection = only.find((name) => !allSections.includes(name));
if (badSection) {
  console.error(`--only: unknown section "${badSection}" (sections: ${allSections.join(', ')})`);
  process.exit(2);
}
const kmsRate = Number(option('kms-rate') ?? 200);
if (!(kmsRate > 0)) {
  console.error('--kms-rate must be a positive number of signatures per second');
  process.exit(2);
}
const rowsOption = option('rows');

const started = performance.now();
const sections: Section[] = [];
console.log(
  `Merit bench — ${quick ? 'quick' : 'default'} run · sections: ${only.join(', ')} · node ${process.version} · ${cpus().length} cores · ${(totalmem() / 2 ** 30).toFixed(1)} GiB · load average ${loadavg()
    .map((load) => load.toFixed(1))
    .join(' ')}`,
);
const loadAtStart = loadavg();

const runSection = async (name: SectionName, title: string, run: () => Promise<Section>) => {
  if (!only.includes(name)) return;
  const sectionStarted = performance.now();
  let section: Section;
  try {
    section = await run();
  } catch (error) {
    // A crash in one section is reported and the run goes on; the exit code says something crashed.
    process.exitCode = 1;
    section = { name, title, status: 'failed', note: (error as Error).stack ?? String(error), rows: [], notes: [] };
  }
  section.seconds = (performance.now() - sectionStarted) / 1000;
  sections.push(section);
  console.log(renderSection(section));
};

await runSection('sign', 'sign', async () => {
  const { runSign } = await import('./sections/sign');
  return runSign({
    iterations: quick ? 50 : 200,
    warmup: quick ? 10 : 30,
    coldRuns: quick ? 3 : 5,
    handlers: ['api', 'bulk-issue', 'public'],
  });
});

await runSection('verify', 'verify', async () => {
  const { runVerify } = await import('./sections/verify');
  return runVerify({ iterations: quick ? 40 : 200, warmup: quick ? 10 : 20 });
});

await runSection('bulk', 'bulk', async () => {
  const { runBulk } = await import('./sections/bulk');
  return runBulk({
    // Several thousand rows: enough for CPU per row and rows/s to settle.
    rows: Number(rowsOption ?? (quick ? 1_000 : 3_000)),
    memoryRows: Number(option('memory-rows') ?? (quick ? 300 : 1_000)),
    kmsRate,
    parseRows: 100_000,
    fairnessRows: Number(option('fairness-rows') ?? 100_000),
    bareIterations: quick ? 50 : 200,
  });
});

await runSection('alerts', 'alerts', async () => {
  const { runAlerts } = await import('./sections/alerts');
  return runAlerts({ tables: quick ? [5_000, 500] : [50_000, 5_000], inWindowShare: 0.01 });
});

await runSection('cold-start', 'cold-start', async () => (await import('./sections/cold-start')).runColdStart({ runs: quick ? 3 : 7 }));

const totalSeconds = (performance.now() - started) / 1000;
const verdicts = sections.flatMap((section) => section.rows.map((row) => row.verdict));
const over = verdicts.filter((v) => v === 'OVER budget').length;
const within = verdicts.filter((v) => v === 'within budget').length;
console.log(
  `\nLoad average at the end: ${loadavg()
    .map((load) => load.toFixed(1))
    .join(' ')} (${cpus().length} cores; above ${cpus().length} means the figures shared the CPU with other work).`,
);
console.log(
  `Done in ${totalSeconds.toFixed(0)} s: ${within} figure(s) within budget, ${over} OVER budget${
    sections.some((s) => s.status !== 'ran')
      ? `, ${sections
          .filter((s) => s.status !== 'ran')
          .map((s) => `${s.name} ${s.status}`)
          .join(', ')}`
      : ''
  }.`,
);

const resultsDir = join(import.meta.dirname, 'results');
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, 'latest.json');
writeFileSync(
  file,
  `${JSON.stringify({ at: new Date().toISOString(), mode: quick ? 'quick' : 'default', node: process.version, cores: cpus().length, cpu: cpus()[0]?.model, loadAverage: { start: loadAtStart, end: loadavg() }, kmsRate, seconds: totalSeconds, sections }, null, 2)}\n`,
);
console.log(`Report written to ${file}`);
// Child processes (DynamoDB Local, s3rver) are stopped by the sections; don't let a stray handle hold the exit.
process.exit(process.exitCode ?? 0);
