/** Small statistics helpers of the desk reports. */

/**
 * Returns the p-th quantile (0 to 1) of the values, interpolating linearly
 * between neighbours as spreadsheets' PERCENTILE.INC does, so the 0.5
 * quantile is the usual median. Null for an empty list.
 */
export function quantile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const value = sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (rank - lower);
  return Math.round(value * 10) / 10;
}

/** ISO 8601 week of a calendar date, such as "2026-W49", and the Monday that starts it. */
export function isoWeekOf(year: number, month: number, day: number): { week: string; weekStart: string } {
  const dayMs = 86_400_000;
  const date = Date.UTC(year, month - 1, day);
  const weekdayFromMonday = (new Date(date).getUTCDay() + 6) % 7;
  const monday = date - weekdayFromMonday * dayMs;
  // The week belongs to the year of its Thursday.
  const weekYear = new Date(monday + 3 * dayMs).getUTCFullYear();
  const january4 = Date.UTC(weekYear, 0, 4);
  const firstMonday = january4 - ((new Date(january4).getUTCDay() + 6) % 7) * dayMs;
  const week = 1 + Math.round((monday - firstMonday) / (7 * dayMs));
  return {
    week: `${weekYear}-W${String(week).padStart(2, '0')}`,
    weekStart: new Date(monday).toISOString().slice(0, 10),
  };
}

/** Share as a percentage with one decimal, or null when nothing counts. */
export function percentage(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}
