import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { Role } from '#domain/access';
import type { AwsCall } from '#local/aws-calls';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '#local/stack';

export interface TestStack extends LocalStack {
  /** A token from the local IdP for a member with this role (the membership is recorded too). */
  tokenFor(member: { sub: string; role: Role; schoolIds?: string[]; learnerId?: string; learnerIds?: string[] }): Promise<string>;
  /** fetch against the stack, with an optional Bearer token. */
  call(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  /** POSTs JSON with this token and reads the JSON answer; throws on any status of 300 or more. */
  postJson<T>(path: string, body: unknown, token: string): Promise<T>;
  /** Every AWS call the stack's functions made, in order (checked against their roles when the suite ends). */
  awsCalls: AwsCall[];
  dispose(): Promise<void>;
}

/** The embedded local stack on a free port with throw-away state, as `npm start` runs it. */
export const startTestStack = async (options: Partial<LocalStackOptions> = {}): Promise<TestStack> => {
  const stateDir = mkdtempSync(join(tmpdir(), 'merit-e2e-'));
  const awsCalls: AwsCall[] = [];
  const stack = await startLocalStack({ port: 0, stateDir, recordAwsCall: (call) => void awsCalls.push(call), ...options });
  const call: TestStack['call'] = (path, init = {}) => {
    const { token, headers, ...rest } = init;
    return fetch(`${stack.url}${path}`, {
      ...rest,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(headers as Record<string, string> | undefined) },
    });
  };
  return {
    ...stack,
    call,
    async postJson<T>(path: string, body: unknown, token: string): Promise<T> {
      const response = await call(path, {
        method: 'POST',
        token,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    awsCalls,
    async tokenFor(member) {
      const response = await call('/local/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(member),
      });
      if (response.status !== 200) throw new Error(`local token: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { token: string }).token;
    },
    async dispose() {
      await stack.stop();
      // For the suite's IAM parity check (test/support/iam-parity-setup.ts), when the suite runs it.
      const callsDir = inject('awsCallsDir');
      if (callsDir) writeFileSync(join(callsDir, `${randomUUID()}.jsonl`), awsCalls.map((call) => JSON.stringify(call)).join('\n'));
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
};
