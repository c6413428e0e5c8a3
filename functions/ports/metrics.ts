import type { ErrorKind } from '#domain/errors';

/**
 * Why a drop row was refused, as a bounded set (a metric dimension): never the row's text or the learner's data.
 * `invalid_row`: the row did not parse; `not_in_scope`: outside the schools the drop acts for; else the AppError kind.
 */
export type RefusalReason = 'invalid_row' | 'not_in_scope' | ErrorKind;

/** How a verification ended: `unreadable` when what was presented could not be read as a credential at all. */
export type VerificationOutcome = 'verified' | 'not_verified' | 'unreadable';

/** The business metrics (CloudWatch EMF in AWS, a list in the local stack and tests). */
export interface Metrics {
  credentialsIssued(count: number): void;
  rowsRefused(reason: RefusalReason, count: number): void;
  verification(outcome: VerificationOutcome): void;
}

/** Metric names and their dimensions, shared by the adapters so AWS and the local stack report the same. */
export const metricNames = { credentialsIssued: 'CredentialsIssued', rowsRefused: 'RowsRefused', verifications: 'Verifications' } as const;
