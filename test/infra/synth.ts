import { readFileSync } from 'node:fs';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { addMeritStack } from '#lib/merit-app';
import type { MeritStack } from '#lib/merit-stack';

/** The `context` of cdk.json: the defaults and feature flags `npx cdk synth` uses. */
export const cdkJsonContext: Record<string, unknown> = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;

export interface SynthOptions {
  /** Context on top of cdk.json's, like `-c key=value`. */
  context?: Record<string, unknown>;
  /** Bundle the handlers with esbuild (slower; proves they bundle). Off: CDK stages placeholder assets. */
  bundle?: boolean;
}

export interface Synthesized {
  app: App;
  stack: MeritStack;
  template: Template;
  /** The logical id CloudFormation knows a construct's resource by. */
  logicalId(construct: IConstruct): string;
}

/**
 * Builds the app the way bin/merit.ts does (same `addMeritStack`, same cdk.json context) and synthesizes it once.
 * Call it in `beforeAll`: synthesis (and bundling) is the slow part of the infra suite.
 */
export const synthMerit = (options: SynthOptions = {}): Synthesized => {
  const app = new App({
    context: {
      ...cdkJsonContext,
      ...(options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
      ...options.context,
    },
  });
  const stack = addMeritStack(app);
  const template = Template.fromStack(stack);
  const logicalId = (construct: IConstruct): string => {
    const element = construct instanceof CfnElement ? construct : construct.node.defaultChild;
    if (!(element instanceof CfnElement)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
    return Stack.of(element).resolve(element.logicalId) as string;
  };
  return { app, stack, template, logicalId };
};
