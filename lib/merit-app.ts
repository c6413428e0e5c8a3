import type { App } from 'aws-cdk-lib';
import { readConfig } from './config';
import { MeritStack } from './merit-stack';

/**
 * Adds the Merit stack to an app, configured from the app's context. bin/merit.ts and the infra tests both build
 * the stack through this one function, so what the tests check is what `cdk deploy` deploys.
 */
export const addMeritStack = (app: App): MeritStack => {
  const config = readConfig(app.node);
  // Environment-agnostic unless the CLI knows the account and region (it does with credentials; offline it does not).
  const account = process.env['CDK_DEFAULT_ACCOUNT'];
  const region = process.env['CDK_DEFAULT_REGION'];
  return new MeritStack(app, config.stackName, {
    config,
    description: 'Merit: Open Badges 3.0 credentials for a K-12 district',
    ...(account && region ? { env: { account, region } } : {}),
  });
};
