/**
 * The dashboard's reads of its rollup tables (dashboard_figures,
 * dashboard_flows, app_meta). Views never read the product's raw tables, so
 * each stays fast however many events are on file.
 */
import { and, asc, desc, eq, gte, inArray, lte, min, ne } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { appMeta, dashboardFigures, dashboardFlows } from '../../../db/schema';
import type { DashboardScope, FigureValue } from '../contract';
import type { MetricId } from '../metrics';
import { isQuarter, type Quarter } from '../quarters';
import { refreshedAtKey } from '../refresh';

/** Stored figures keyed by metric, then scope, then quarter. */
export type FigureTable = Map<string, Map<string, Map<string, FigureValue>>>;

/** Reads the finish time of the last refresh, or null before the first. */
export function loadRefreshedAt(db: AppDatabase): string | null {
  const row = db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, refreshedAtKey)).get();
  return row?.value ?? null;
}

/** Finds the earliest quarter in dashboard_figures, or null when it is empty. */
export function loadFirstQuarter(db: AppDatabase): Quarter | null {
  const row = db
    .select({ first: min(dashboardFigures.quarter) })
    .from(dashboardFigures)
    .get();
  const first = row?.first ?? null;
  return first !== null && isQuarter(first) ? first : null;
}

/** Loads the figures of some metrics and scopes from `from` to `to`, both included. */
export function loadFigures(
  db: AppDatabase,
  options: { metrics: readonly MetricId[]; scopes?: readonly DashboardScope[]; from: Quarter; to: Quarter },
): FigureTable {
  const conditions = [
    inArray(dashboardFigures.metric, [...options.metrics]),
    gte(dashboardFigures.quarter, options.from),
    lte(dashboardFigures.quarter, options.to),
  ];
  if (options.scopes) conditions.push(inArray(dashboardFigures.state, [...options.scopes]));

  const rows = db
    .select()
    .from(dashboardFigures)
    .where(and(...conditions))
    .all();

  const table: FigureTable = new Map();
  for (const row of rows) {
    let byScope = table.get(row.metric);
    if (!byScope) table.set(row.metric, (byScope = new Map()));
    let byQuarter = byScope.get(row.state);
    if (!byQuarter) byScope.set(row.state, (byQuarter = new Map()));
    byQuarter.set(row.quarter, { value: row.value, sample: row.sample });
  }
  return table;
}

/** Returns one figure per quarter, in order. A quarter without a stored row has no data. */
export function seriesOf(
  table: FigureTable,
  metric: MetricId,
  scope: string,
  quarters: readonly Quarter[],
): FigureValue[] {
  const byQuarter = table.get(metric)?.get(scope);
  return quarters.map((quarter) => byQuarter?.get(quarter) ?? { value: null, sample: 0 });
}

export interface StoredFlow {
  fromState: string;
  toState: string;
  children: number;
}

/** Lists the years in dashboard_flows, newest first. */
export function loadFlowYears(db: AppDatabase): number[] {
  return db
    .selectDistinct({ year: dashboardFlows.year })
    .from(dashboardFlows)
    .orderBy(desc(dashboardFlows.year))
    .all()
    .map((row) => row.year);
}

/** Loads every route of one year, most children first. */
export function loadFlows(db: AppDatabase, year: number): StoredFlow[] {
  return db
    .select({ fromState: dashboardFlows.fromState, toState: dashboardFlows.toState, children: dashboardFlows.children })
    .from(dashboardFlows)
    .where(eq(dashboardFlows.year, year))
    .orderBy(desc(dashboardFlows.children), asc(dashboardFlows.fromState), asc(dashboardFlows.toState))
    .all();
}
