import { defineConfig } from 'vitest/config';

// Four projects, split as ElectroDB splits its suites: `unit` has no I/O; `integration` runs against the
// DynamoDB Local and s3rver that its global setup starts on free ports; `infra` synthesizes the CDK stack;
// `e2e` talks to the local server over HTTP (and Chromium for pages).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts', 'test/support/iam-parity-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      { test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 240_000, hookTimeout: 240_000 } },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Checks every AWS call the local stacks' functions made against their roles in the template (DESIGN §5a).
          globalSetup: ['test/support/iam-parity-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
