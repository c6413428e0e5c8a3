/** Default alert thresholds, in days before `validUntil` (DESIGN §6); configurable per deployment. */
export const defaultAlertThresholds: readonly number[] = [90, 30, 7];

const dayMs = 86_400_000;

/** Whole days left until `validUntil`, rounded up: anything expiring later today counts as 1 day left. */
export const daysLeft = (validUntil: string, now: Date): number => Math.ceil((Date.parse(validUntil) - now.getTime()) / dayMs);

/**
 * The alert due now: the tightest threshold the credential has entered. One alert per run per credential — a
 * credential first seen 5 days out gets the 7-day alert, not three alerts at once. Expired: none.
 */
export const dueThreshold = (left: number, thresholds: readonly number[]): number | undefined => {
  if (left <= 0) return undefined;
  const entered = thresholds.filter((threshold) => left <= threshold);
  return entered.length > 0 ? Math.min(...entered) : undefined;
};

export const parseThresholds = (value: string | undefined): readonly number[] => {
  if (!value) return defaultAlertThresholds;
  const thresholds = value.split(',').map((part) => Number(part.trim()));
  if (thresholds.some((days) => !Number.isInteger(days) || days <= 0)) throw new Error(`Alert thresholds must be whole days: ${value}`);
  return thresholds;
};
