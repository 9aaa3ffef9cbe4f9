/** Move-notice figures for the national dashboard. */
import { and, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { moveNotices } from '../../../db/schema';

export interface MoveNoticeSummary {
  sent: number;
  acknowledged: number;
  /** Median hours from sending to acknowledging, over the acknowledged notices; null when there are none. */
  medianResponseHours: number | null;
}

/**
 * Counts the move notices sent in [from, to) and how many of them were
 * acknowledged, with the median response time. With `state`, only notices
 * sent to that state count, because the response time measures the
 * receiving state.
 */
export function summarizeMoveNotices(
  db: AppDatabase,
  options: { from: Date; to: Date; state?: string | undefined },
): MoveNoticeSummary {
  const conditions: SQL[] = [
    gte(moveNotices.sentAt, options.from.toISOString()),
    lt(moveNotices.sentAt, options.to.toISOString()),
  ];
  if (options.state) conditions.push(eq(moveNotices.toState, options.state));

  const rows = db
    .select({ status: moveNotices.status, responseMinutes: moveNotices.responseMinutes })
    .from(moveNotices)
    .where(and(...conditions))
    .all();
  const responseMinutes = rows
    .map((row) => row.responseMinutes)
    .filter((minutes): minutes is number => minutes !== null)
    .sort((a, b) => a - b);

  return {
    sent: rows.length,
    acknowledged: responseMinutes.length,
    medianResponseHours: responseMinutes.length === 0 ? null : roundHours(median(responseMinutes)),
  };
}

function median(sorted: number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function roundHours(minutes: number): number {
  return Math.round((minutes / 60) * 10) / 10;
}
