import { type Metrics, metricNames } from '#ports/metrics';

export interface RecordedMetric {
  name: string;
  value: number;
  dimensions: Record<string, string>;
}

/** The Metrics port of the local stack and the tests: every count kept in order, as EMF would report it. */
export const recordedMetrics = (): Metrics & { readonly recorded: readonly RecordedMetric[] } => {
  const recorded: RecordedMetric[] = [];
  return {
    recorded,
    credentialsIssued: (count) => void recorded.push({ name: metricNames.credentialsIssued, value: count, dimensions: {} }),
    rowsRefused: (reason, count) => void recorded.push({ name: metricNames.rowsRefused, value: count, dimensions: { reason } }),
    verification: (outcome) => void recorded.push({ name: metricNames.verifications, value: 1, dimensions: { outcome } }),
  };
};
