import { describe, expect, it } from 'vitest';
import { startBulkJob } from '#features/bulk/start';
import { seedDemoDistrict } from '#local/seed';
import { type ConnectedDependencies, connectedDependencies } from '#test/connected';

const drop = async (deps: ConnectedDependencies, key: string, body: string) => {
  await deps.blobs.put('drops', key, body, 'text/csv');
  const stored = await deps.blobs.get('drops', key);
  await startBulkJob(deps, { key, etag: stored?.etag ?? '' });
  await deps.bulkQueue.drained();
};

const total = (deps: ConnectedDependencies, name: string, dimensions: Record<string, string> = {}) =>
  deps.metrics.recorded
    .filter((metric) => metric.name === name && JSON.stringify(metric.dimensions) === JSON.stringify(dimensions))
    .reduce((sum, metric) => sum + metric.value, 0);

describe('bulk metrics, against DynamoDB Local and s3rver', () => {
  it('counts credentials issued once, and refused rows by a reason that names no cell value', async () => {
    // Prepare: two good rows, an unknown achievement, a date that does not exist
    const deps = await connectedDependencies({ clock: '2026-06-01T12:00:00Z' });
    await seedDemoDistrict(deps);
    const csv = [
      'student_id,first_name,last_name,achievement,issued_on,birth_date',
      'M1,Student,One,CS-PYTHON-1,2026-05-01,2009-04-04',
      'M2,Student,Two,CS-PYTHON-1,2026-05-01,2009-04-04',
      'M3,Student,Three,NO-SUCH-BADGE,2026-05-01,2009-04-04',
      'M4,Student,Four,CS-PYTHON-1,2026-13-45,2009-04-04',
    ].join('\r\n');

    // Act
    await drop(deps, 'drops/metrics.csv', csv);
    const afterFirst = {
      issued: total(deps, 'CredentialsIssued'),
      notFound: total(deps, 'RowsRefused', { reason: 'not_found' }),
      invalid: total(deps, 'RowsRefused', { reason: 'invalid_row' }),
    };
    await drop(deps, 'drops/metrics-again.csv', csv);

    // Assess: the second drop issues nothing new (duplicates), and refuses the same two rows again
    expect(afterFirst).toEqual({ issued: 2, notFound: 1, invalid: 1 });
    expect(total(deps, 'CredentialsIssued')).toBe(2);
    expect(total(deps, 'RowsRefused', { reason: 'not_found' })).toBe(2);
    expect(total(deps, 'RowsRefused', { reason: 'invalid_row' })).toBe(2);
    const dimensionValues = deps.metrics.recorded.flatMap((metric) => Object.values(metric.dimensions));
    expect(dimensionValues.every((value) => /^[a-z_]+$/.test(value))).toBe(true);
    expect(JSON.stringify(deps.metrics.recorded)).not.toMatch(/M[1-4]|Student|NO-SUCH-BADGE|2026-13-45/);
  });
});
