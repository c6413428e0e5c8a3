/** Calendar dates as ISO `YYYY-MM-DD` strings (no time zone games for birthdays and expiry days). */
export const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

export const isRealIsoDate = (value: string): boolean => {
  if (!isoDatePattern.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

export const toIsoDate = (instant: Date): string => instant.toISOString().slice(0, 10);

/** The same calendar day `years` later; 29 February becomes 1 March in a non-leap year. */
export const addYears = (isoDate: string, years: number): string => {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return toIsoDate(new Date(Date.UTC(y + years, m - 1, d)));
};

export const addDays = (instant: Date, days: number): Date => new Date(instant.getTime() + days * 86_400_000);
