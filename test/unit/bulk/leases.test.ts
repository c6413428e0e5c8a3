import { describe, expect, it } from 'vitest';
import { bulkLeases, bulkQueueSettings, bulkStartSettings } from '#config/topology';

describe('bulk leases follow the timeouts they depend on', () => {
  it('a reading lease outlasts bulk-start', () => {
    expect(bulkLeases.readingLeaseMs).toBeGreaterThan(bulkStartSettings.timeoutSeconds * 1000);
  });

  it('a report claim outlasts bulk-issue and lapses before the chunk is delivered again', () => {
    expect(bulkLeases.reportClaimMs).toBeGreaterThan(bulkQueueSettings.consumerTimeoutSeconds * 1000);
    expect(bulkLeases.reportClaimMs).toBeLessThan(bulkQueueSettings.visibilityTimeoutSeconds * 1000);
  });
});
