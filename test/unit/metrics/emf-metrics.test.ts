import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPowertoolsMetrics, emfMetrics, flushMetrics } from '#adapters/cloudwatch/emf-metrics';

interface EmfLine {
  _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  [key: string]: unknown;
}

/** What the real Powertools Metrics writes to stdout (one EMF JSON object a line), captured. */
const captureEmf = () => {
  const lines: EmfLine[] = [];
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    for (const line of text.split('\n').filter(Boolean)) {
      const parsed = (() => {
        try {
          return JSON.parse(line) as EmfLine;
        } catch {
          return undefined;
        }
      })();
      if (parsed?._aws) lines.push(parsed);
      else write(`${line}\n`);
    }
    return true;
  });
  return lines;
};

const metricOf = (line: EmfLine) => line._aws.CloudWatchMetrics[0]!;

describe('Metrics port over Powertools (EMF)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes credentials issued in the Merit namespace with the function as service, flushed once per invocation', async () => {
    // Prepare
    const emf = captureEmf();
    const powertools = createPowertoolsMetrics('bulk-issue');
    const metrics = emfMetrics(powertools);
    const flush = flushMetrics(powertools);

    // Act: one invocation that issues three credentials, then one that emits nothing
    metrics.credentialsIssued(1);
    metrics.credentialsIssued(2);
    await flush.after!({} as never);
    await flush.after!({} as never);

    // Assess
    expect(emf).toHaveLength(1);
    const line = emf[0]!;
    expect(metricOf(line).Namespace).toBe('Merit');
    expect(metricOf(line).Dimensions).toEqual([['service']]);
    expect(metricOf(line).Metrics).toEqual([{ Name: 'CredentialsIssued', Unit: 'Count' }]);
    expect(line['service']).toBe('bulk-issue');
    expect(line['CredentialsIssued']).toEqual([1, 2]);
  });

  it('writes rows refused by reason and verifications by outcome, each with its own dimension only', () => {
    // Prepare
    const emf = captureEmf();
    const metrics = emfMetrics(createPowertoolsMetrics('public'));

    // Act
    metrics.rowsRefused('invalid_row', 4);
    metrics.verification('not_verified');

    // Assess
    expect(emf).toHaveLength(2);
    const [refused, verification] = emf as [EmfLine, EmfLine];
    expect(metricOf(refused).Namespace).toBe('Merit');
    expect(metricOf(refused).Dimensions).toEqual([['service', 'reason']]);
    expect(metricOf(refused).Metrics).toEqual([{ Name: 'RowsRefused', Unit: 'Count' }]);
    expect(refused).toMatchObject({ service: 'public', reason: 'invalid_row', RowsRefused: 4 });
    expect(metricOf(verification).Dimensions).toEqual([['service', 'outcome']]);
    expect(verification).toMatchObject({ service: 'public', outcome: 'not_verified', Verifications: 1 });
    expect(verification).not.toHaveProperty('reason');
  });
});
