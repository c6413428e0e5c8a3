import { MetricUnit, Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import { type Metrics, metricNames } from '#ports/metrics';

/** Powertools Metrics (CloudWatch embedded metric format) in the `Merit` namespace, one service per function. */
export const createPowertoolsMetrics = (serviceName: string): PowertoolsMetrics =>
  new PowertoolsMetrics({ namespace: 'Merit', serviceName });

/**
 * The Metrics port over Powertools. Counts without dimensions are stored and flushed once per invocation; a count
 * with a dimension goes out as a single metric at once, so its dimension does not stick to the others.
 */
export const emfMetrics = (metrics: PowertoolsMetrics): Metrics => {
  const withDimension = (name: string, dimension: string, value: string, count: number) => {
    const single = metrics.singleMetric();
    single.addDimension(dimension, value);
    single.addMetric(name, MetricUnit.Count, count);
  };
  return {
    credentialsIssued: (count) => metrics.addMetric(metricNames.credentialsIssued, MetricUnit.Count, count),
    rowsRefused: (reason, count) => withDimension(metricNames.rowsRefused, 'reason', reason, count),
    verification: (outcome) => withDimension(metricNames.verifications, 'outcome', outcome, 1),
  };
};

/**
 * Flushes what an invocation stored, when it stored anything (Powertools' `logMetrics` warns on every invocation
 * that has none, which is most of them here).
 */
export const flushMetrics = (metrics: PowertoolsMetrics): MiddlewareObj => {
  const flush = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
};
