/**
 * How the pieces are wired, as plain data (no CDK, no SDK): the CDK constructs (lib/bulk-issuance.ts, lib/api.ts)
 * and the local stack (functions/local/stack.ts) both read it, so a drop, a retry or a route behaves the same on the
 * laptop and in the district's account (DESIGN §5a). The route/authorizer table is `functions/http/routes.ts`.
 */

/** The six Lambda functions, one handler file each in functions/handlers/, each with its own role. */
export const functionNames = ['api', 'public', 'bulk-start', 'bulk-issue', 'expiry-alerts', 'retention'] as const;
export type FunctionName = (typeof functionNames)[number];

/** Which S3 keys of the drops bucket start a bulk job (DESIGN §4, "Limits and leftovers"). */
export const dropNotification = {
  prefix: 'drops/',
  /** One S3 notification filter per suffix: S3 allows one suffix per filter. */
  suffixes: ['.csv', '.tsv', '.txt'],
} as const;

/** Does this key of the drops bucket start a job? The local stack's s3rver event filter, as S3's filter decides. */
export const startsBulkJob = (key: string): boolean =>
  key.startsWith(dropNotification.prefix) && dropNotification.suffixes.some((suffix) => key.endsWith(suffix));

/** The bulk queue (SQS in AWS, InProcessQueue locally) and its consumer, bulk-issue. */
export const bulkQueueSettings = {
  /** Deliveries before a chunk goes to the dead-letter queue (the redrive policy's maxReceiveCount). */
  maxReceiveCount: 5,
  /** Messages per bulk-issue invocation (default of the `bulkBatchSize` context value). */
  batchSize: 1,
  /** Concurrent bulk-issue invocations (default of the `bulkMaxConcurrency` context value), sized for KMS's Sign quota. */
  maxConcurrency: 20,
  /**
   * bulk-issue's timeout. The queue's visibility timeout is six times it (AWS's advice, so a chunk is not delivered
   * again while it still runs); it also outlasts the report claim (`bulkLeases.reportClaimMs`).
   */
  consumerTimeoutSeconds: 120,
  visibilityTimeoutSeconds: 6 * 120,
  /**
   * Locally, a failed chunk is delivered again after this wait instead of the visibility timeout: the same retry,
   * without a laptop waiting twelve minutes.
   */
  localRedeliveryDelayMs: 2_000,
} as const;

/** bulk-start reads a whole drop in one invocation. */
export const bulkStartSettings = {
  timeoutSeconds: 5 * 60,
} as const;

/**
 * The leases of a bulk job, derived from the timeouts they must outlast (or fit in), so that changing a timeout
 * moves its lease with it.
 */
export const bulkLeases = {
  /** A reading of a drop this old without a total died: one minute longer than bulk-start may run. */
  readingLeaseMs: (bulkStartSettings.timeoutSeconds + 60) * 1000,
  /**
   * A report writer that died mid-way loses its claim after this long: longer than bulk-issue may run, shorter than
   * the queue's visibility timeout, so the redelivered chunk finds the claim lapsed and writes the report.
   */
  reportClaimMs: Math.min(bulkQueueSettings.consumerTimeoutSeconds * 2.5, bulkQueueSettings.visibilityTimeoutSeconds / 2) * 1000,
} as const;
