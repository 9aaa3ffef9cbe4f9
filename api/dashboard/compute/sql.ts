/**
 * SQL helpers of the figure computation: the calendar quarter (UTC) of a
 * stored time, and grouped aggregates by state and quarter with the national
 * figure computed from its own rows.
 */
import { nationalScope, type MetricId } from '../metrics';
import { quarterEnd, quarterStart } from '../quarters';
import type { ComputedFigure, GroupContext } from './types';

/**
 * SQL for the calendar quarter, such as "2026-Q4", of a column holding a UTC
 * ISO time or a YYYY-MM-DD date. It matches `quarterOf` in quarters.ts and the
 * trigger that keeps `usage_counts`.
 */
export function quarterSql(column: string): string {
  return `(substr(${column}, 1, 4) || '-Q' || ((CAST(substr(${column}, 6, 2) AS INTEGER) + 2) / 3))`;
}

/**
 * Builds the named parameters every item query may use. `@start` and `@end`
 * bound the period as UTC ISO times ([start, end)), and `@startDate` and
 * `@endDate` as YYYY-MM-DD dates. `@from` and `@to` are quarters, `@now` is
 * the current time, and `@quarterEnds` is a JSON array of `{quarter, end}` for
 * every quarter.
 */
export function periodParameters(context: GroupContext) {
  const start = quarterStart(context.from);
  const end = quarterEnd(context.to);
  return {
    start,
    end,
    startDate: start.slice(0, 10),
    endDate: end.slice(0, 10),
    from: context.from,
    to: context.to,
    now: context.now.toISOString(),
    quarterEnds: JSON.stringify(context.quarters.map((quarter) => ({ quarter, end: quarterEnd(quarter) }))),
  };
}

/**
 * The aggregate that turns the items of one state and quarter into a figure:
 * - count: the number of items.
 * - sum: the sum of `value`.
 * - mean: the average of the non-null values; the sample is how many there are.
 * - median: the exact median of the non-null values (the mean of the two middle
 *   values when their number is even).
 * - ratio: sum(value) / sum(weight) x 100; the sample is sum(weight).
 */
export type Aggregate = 'count' | 'sum' | 'mean' | 'median' | 'ratio';

export interface ItemQueries {
  /**
   * A SELECT returning the columns `state`, `quarter`, `value` and `weight`,
   * one row per item and state the item counts for, with the period's
   * parameters already applied (see periodParameters).
   */
  byState: string;
  /**
   * The same for the nation, one row per item (its `state` is ignored). By
   * default the nation counts every row of `byState`, including rows whose
   * state is null or empty, such as actions by national staff.
   */
  national?: string;
}

const aggregateSql: Record<Exclude<Aggregate, 'median'>, string> = {
  count: 'SELECT scope, quarter, count(*) AS value, count(*) AS sample FROM scoped GROUP BY scope, quarter',
  sum: 'SELECT scope, quarter, total(value) AS value, total(value) AS sample FROM scoped GROUP BY scope, quarter',
  mean: `SELECT scope, quarter, avg(value) AS value, count(*) AS sample
           FROM scoped WHERE value IS NOT NULL GROUP BY scope, quarter`,
  ratio: `SELECT scope, quarter,
                 CASE WHEN total(weight) > 0 THEN total(value) * 100.0 / total(weight) END AS value,
                 total(weight) AS sample
            FROM scoped GROUP BY scope, quarter`,
};

// Each group's values are numbered in order; the median is the middle row, or the mean of the two middle rows.
const medianSql = `
  SELECT scope, quarter, avg(value) AS value, max(n) AS sample
    FROM (SELECT scope, quarter, value,
                 row_number() OVER (PARTITION BY scope, quarter ORDER BY value) AS position,
                 count(*) OVER (PARTITION BY scope, quarter) AS n
            FROM scoped WHERE value IS NOT NULL)
   WHERE position IN ((n + 1) / 2, (n + 2) / 2)
   GROUP BY scope, quarter`;

/** Runs one metric's item queries and returns its figures by state and quarter, plus "US" when the context includes the nation. */
export function aggregateByState(
  context: GroupContext,
  metric: MetricId,
  queries: ItemQueries,
  aggregate: Aggregate,
): ComputedFigure[] {
  const parts: string[] = [];
  if (context.states.length > 0) {
    parts.push(
      `SELECT state AS scope, quarter, value, weight FROM state_items
        WHERE state IN (SELECT value FROM json_each(@states))`,
    );
  }
  if (context.national) {
    parts.push(`SELECT '${nationalScope}' AS scope, quarter, value, weight FROM national_items`);
  }
  if (parts.length === 0) return [];

  const statement = `
    WITH state_items AS (${queries.byState}),
         national_items AS (${queries.national ?? 'SELECT * FROM state_items'}),
         scoped AS (${parts.join(' UNION ALL ')})
    ${aggregate === 'median' ? medianSql : aggregateSql[aggregate]}`;
  const rows = context.sqlite
    .prepare(statement)
    .all({ ...periodParameters(context), states: JSON.stringify(context.states) }) as Array<{
    scope: string;
    quarter: string;
    value: number | null;
    sample: number;
  }>;
  return rows.map((row) => ({ metric, state: row.scope, quarter: row.quarter, value: row.value, sample: row.sample }));
}
