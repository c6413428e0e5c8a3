import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createPowertoolsMetrics, flushMetrics } from '#adapters/cloudwatch/emf-metrics';
import { createAwsDependencies } from './aws-dependencies';
import type { Dependencies } from './dependencies';

/** One Lambda's dependencies and its Powertools Metrics (EMF), built once per execution environment. */
export interface AwsFunction {
  deps: Dependencies;
  powertoolsMetrics: PowertoolsMetrics;
}

export const createAwsFunction = (env: NodeJS.ProcessEnv = process.env): AwsFunction => {
  const powertoolsMetrics = createPowertoolsMetrics(env['POWERTOOLS_SERVICE_NAME'] ?? 'merit');
  return { deps: createAwsDependencies(env, powertoolsMetrics), powertoolsMetrics };
};

/** A Lambda handler with its context in every log line (request id, cold start) and its metrics flushed per invocation. */
export const observedHandler = <Event, Result>(fn: AwsFunction, handler: (event: Event, context: Context) => Promise<Result>) =>
  middy(handler).use(injectLambdaContext(fn.deps.logger)).use(flushMetrics(fn.powertoolsMetrics));
