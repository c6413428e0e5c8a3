import type { Dependencies } from '#config/dependencies';
import type { AppError } from '#domain/errors';
import type { RefusalReason } from '#ports/metrics';

/** The metric's reason of a refused row: its error's kind, never its text (DESIGN §5.6). */
export const refusalReasonOf = (error: AppError): RefusalReason => (error.kind === 'forbidden' ? 'not_in_scope' : error.kind);

/** Counts refused rows by reason, once their outcomes are recorded. */
export const countRefusals = (deps: Dependencies, reasons: readonly RefusalReason[]): void => {
  const counts = new Map<RefusalReason, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  for (const [reason, count] of counts) deps.metrics.rowsRefused(reason, count);
};
