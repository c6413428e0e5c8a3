#!/usr/bin/env node
/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy` (cdk.json runs this file with tsx).
 * Settings come from CDK context (cdk.json, or `-c key=value`): see lib/config.ts and the README.
 *
 * The cdk-nag AwsSolutions checks run on every synth. cdk-nag 3 is a CDK policy-validation plugin (registered with
 * `Validations`, not `Aspects`): any unacknowledged finding, error or warning, fails the synth. Acknowledgements
 * (`Validations.of(construct).acknowledge`) sit next to the resource they concern, each with its reason.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addMeritStack } from '#lib/merit-app';

const app = new App();
addMeritStack(app);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
