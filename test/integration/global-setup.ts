import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type RunningDynamo, startDynamoLocal } from '#local/dynamodb-local';
import { type RunningS3, startS3Local } from '#local/s3-local';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
  }
}

let dynamo: RunningDynamo | undefined;
let s3: RunningS3 | undefined;
let s3Directory: string | undefined;

/** Starts DynamoDB Local (in memory) and s3rver on free loopback ports for the connected tests. */
export async function setup(project: TestProject): Promise<void> {
  s3Directory = mkdtempSync(join(tmpdir(), 'merit-s3-'));
  [dynamo, s3] = await Promise.all([
    startDynamoLocal(),
    startS3Local({ directory: s3Directory, buckets: ['test-images', 'test-drops', 'test-reports'] }),
  ]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('s3Endpoint', s3.endpoint);
}

export async function teardown(): Promise<void> {
  await Promise.all([dynamo?.stop(), s3?.stop()]);
  if (s3Directory) rmSync(s3Directory, { recursive: true, force: true });
}
