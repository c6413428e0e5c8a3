import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { AwsCall } from '#local/aws-calls';
import { checkParity, describeDenials } from './iam-parity';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where test files write the AWS calls their local stacks recorded (one JSON-lines file per stack). */
    awsCallsDir: string;
  }
}

let directory: string | undefined;

/**
 * The IAM parity check (DESIGN §5a), as a global setup of the suites that run the local stack: every AWS call a
 * function made during the suite is simulated against that function's role in the synthesized template. A call the
 * role would deny fails the run (teardown throws, so vitest exits non-zero), naming the function, route and call.
 */
export function setup(project: TestProject): void {
  directory = mkdtempSync(join(tmpdir(), 'merit-aws-calls-'));
  project.provide('awsCallsDir', directory);
}

export async function teardown(): Promise<void> {
  if (!directory) return;
  const calls: AwsCall[] = readdirSync(directory)
    .filter((file) => file.endsWith('.jsonl'))
    .flatMap((file) =>
      readFileSync(join(directory!, file), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AwsCall),
    );
  rmSync(directory, { recursive: true, force: true });
  if (calls.length === 0) return;
  const { denials, silent, checked } = await checkParity(calls);
  const problems = [
    ...(denials.length > 0
      ? [`IAM parity: ${denials.length} call(s) the function's role in the template would deny:\n${describeDenials(denials)}`]
      : []),
    ...(silent.length > 0 ? [`IAM parity: ${silent.join(', ')} ran but recorded no AWS call (is the recorder wired?)`] : []),
  ];
  if (problems.length > 0) {
    // vitest reports an error thrown here but keeps the exit code of the tests: set it ourselves.
    process.exitCode = 1;
    throw new Error(problems.join('\n'));
  }
  console.info(
    `IAM parity: ${checked} distinct calls of ${new Set(calls.map((call) => call.function)).size} functions allowed by their roles.`,
  );
}
