import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BulkJob } from '#domain/bulk-jobs';
import { freePort } from '#local/ports';
import { type LocalStack, startLocalStack } from '#local/stack';
import { startTestStack } from '#test/local-stack';

/** The listening TCP sockets of this machine (Linux /proc/net/tcp and tcp6), by port: their local addresses in hex. */
const listeningAddresses = (port: number): string[] =>
  ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[3] === '0A' && Number.parseInt(fields[1]!.split(':')[1]!, 16) === port)
      .map((fields) => fields[1]!.split(':')[0]!),
  );
/** 127.0.0.1 as /proc writes it in tcp (little-endian) and in tcp6 (IPv4-mapped); ::1. */
const loopbackHex = new Set(['0100007F', '0000000000000000FFFF00000100007F', '00000000000000000000000001000000']);

const portOf = (url: string) => Number(new URL(url).port);

describe('the local stack listens on loopback only', () => {
  it('gives 127.0.0.1 endpoints, and none of its listeners (API, DynamoDB Local, S3) is on every interface', async () => {
    // Prepare
    const stack = await startTestStack();
    try {
      // Act
      const config = (await (await stack.call('/local/config')).json()) as Record<string, string>;
      const listeners: Record<string, string[]> = Object.fromEntries(
        [
          ['api', stack.url],
          ['dynamodb', config['dynamoEndpoint']!],
          ['s3', config['s3Endpoint']!],
        ].map(([name, url]) => [name, listeningAddresses(portOf(url!))]),
      );

      // Assess
      expect(config['dynamoEndpoint']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(config['s3Endpoint']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      for (const [name, addresses] of Object.entries(listeners)) {
        expect(addresses.length, name).toBeGreaterThan(0);
        for (const address of addresses) expect(loopbackHex.has(address), `${name} listens on ${address}`).toBe(true);
      }
    } finally {
      await stack.dispose();
    }
  });
});

describe('a restart of the local stack on the same state directory', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'merit-restart-'));
  const running: LocalStack[] = [];
  afterAll(async () => {
    for (const stack of running) await stack.stop().catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
  });

  const client = (stack: LocalStack) => {
    const call = (path: string, init: RequestInit & { token?: string } = {}) => {
      const { token, headers, ...rest } = init;
      return fetch(`${stack.url}${path}`, {
        ...rest,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(headers as Record<string, string> | undefined) },
      });
    };
    const json = async <T>(path: string, init: RequestInit & { token?: string } = {}) => (await (await call(path, init)).json()) as T;
    const token = async () =>
      (
        await json<{ token: string }>('/local/token', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sub: 'restart-admin', role: 'admin' }),
        })
      ).token;
    return { call, json, token };
  };

  it('keeps the public base URL under another PORT, still verifies what it issued, and finishes a drop a stop interrupted', async () => {
    // Prepare: a first process issues a credential and is stopped in the middle of a 1,500-row drop
    const first = await startLocalStack({ port: await freePort(), stateDir });
    running.push(first);
    const a = client(first);
    const adminA = await a.token();
    const achievement = (
      await a.json<{ items: Array<{ id: string; code?: string }> }>('/achievements?limit=100', { token: adminA })
    ).items.find((item) => item.code === 'PD-CPR')!;
    const learner = await a.json<{ id: string }>('/learners', {
      method: 'POST',
      token: adminA,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sourcedId: 'RESTART-1',
        givenName: 'Ana',
        familyName: 'Lima',
        role: 'staff',
        email: 'ana.lima@district.example.org',
      }),
    });
    const issued = await a.json<{ id: string; credential: Record<string, unknown> }>('/credentials', {
      method: 'POST',
      token: adminA,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ learnerId: learner.id, achievementId: achievement.id, source: 'restart-test' }),
    });

    const rows = Array.from(
      { length: 1500 },
      (_, i) => `R${i}\tFirst\tLast${i}\tr${i}@district.example.org\tstaff\tPD-CPR\t2026-03-02\t\t6`,
    );
    const drop = ['staff_id\tfirst_name\tlast_name\temail\trole\tachievement\tissued_on\texpires_on\tcredits', ...rows].join('\n');
    const upload = await a.json<{ uploadUrl: string; key: string; contentType: string }>('/bulk-jobs/uploads', {
      method: 'POST',
      token: adminA,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fileName: 'restart.csv' }),
    });
    expect((await fetch(upload.uploadUrl, { method: 'PUT', headers: { 'content-type': upload.contentType }, body: drop })).status).toBe(
      200,
    );
    let before: BulkJob | undefined;
    for (let attempt = 0; attempt < 2400 && !(before && before.done > 0); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      before = (await a.json<{ items: BulkJob[] }>('/bulk-jobs', { token: adminA })).items.find((job) => job.sourceKey === upload.key);
    }
    await first.stop();
    running.pop();

    // Act: a second process on another port, same state
    const second = await startLocalStack({ port: await freePort(), stateDir });
    running.push(second);
    const b = client(second);
    const adminB = await b.token();
    const verified = await b.json<{ verified: boolean; checks: unknown[] }>('/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(issued.credential),
    });
    let after: BulkJob | undefined;
    for (let attempt = 0; attempt < 2400 && after?.status !== 'completed' && after?.status !== 'failed'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await b.json<BulkJob>(`/bulk-jobs/${before!.id}`, { token: adminB });
    }

    // Assess: the drop was interrupted (not vacuously finished before the stop)
    expect(before).toMatchObject({ status: 'running' });
    expect(before!.done).toBeLessThan(1500);
    expect(second.url).not.toBe(first.url);
    expect(second.publicBaseUrl).toBe(first.publicBaseUrl);
    expect(first.publicBaseUrl).toBe(first.url);
    expect(verified.verified, JSON.stringify(verified.checks)).toBe(true);
    expect(second.resumedJobIds).toContain(before!.id);
    // Every row once: those issued before the stop are recognised as this drop's own, not as duplicates
    expect(after).toMatchObject({ status: 'completed', total: 1500, done: 1500, issued: 1500, duplicates: 0, errors: 0 });
  });
});
