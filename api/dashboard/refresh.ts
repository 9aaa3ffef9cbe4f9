/**
 * Rebuilds the dashboard's rollups (dashboard_figures, dashboard_flows) from
 * the product's own tables. api/start.ts runs it at start and every five
 * minutes; the dashboard's views read only the rollups.
 */
import type { AppDatabase } from '../../db/client';
import { connectionOf } from '../records/search/connection';
import { computeFigures, computeFlows } from './compute';
import { findFirstQuarter } from './compute/first-quarter';
import { readFlowsSourceMarker } from './compute/flows';
import { addQuarters, quarterOf, quartersBetween } from './quarters';

export interface RefreshOptions {
  now: Date;
  /** Recompute the flows even when no qualifying move changed since the last refresh. */
  forceFlows?: boolean;
  /**
   * Recompute only the current and the previous quarter, where nearly every
   * change lands, and keep the older figures. It takes about a quarter of the
   * time of a full refresh with a million students on file.
   */
  recentOnly?: boolean;
}

export interface RefreshResult {
  /** Quarters recomputed: from the first quarter with data (or, for a recent-only refresh, the previous quarter) to the current one. */
  quarters: number;
  /** Rows written to dashboard_figures. */
  figures: number;
  flowsRebuilt: boolean;
  tookMs: number;
}

/** `app_meta` key of the time of the last refresh, a UTC ISO time. */
export const refreshedAtKey = 'dashboard_refreshed_at';

/** `app_meta` key of the qualifying moves' fingerprint when the flows were last rebuilt. */
export const flowsSourceKey = 'dashboard_flows_source';

/**
 * Recomputes every figure from the first quarter with data to the current
 * one, and the flows when forced or when the qualifying moves changed. Writes
 * them in one transaction, so readers see either the old rollups or the new
 * ones. Stores `now` under `dashboard_refreshed_at`.
 */
export function refreshDashboard(db: AppDatabase, options: RefreshOptions): RefreshResult {
  const started = performance.now();
  const sqlite = connectionOf(db);
  const now = options.now.toISOString();

  // The flows read every qualifying move, which takes seconds with a million students, so they are computed
  // before the write lock is taken. The fingerprint is read first: if moves change meanwhile, the stored
  // fingerprint is already out of date and the next refresh rebuilds the flows again.
  const marker = readFlowsSourceMarker(sqlite);
  const flows =
    options.forceFlows === true || readMeta(sqlite, flowsSourceKey) !== marker ? computeFlows(db) : undefined;

  // IMMEDIATE takes the write lock first, so the figures are read and written with no other writer between.
  const refresh = sqlite.transaction(() => {
    const firstQuarter = findFirstQuarter(db, options.now);
    const to = quarterOf(now);
    const previousQuarter = addQuarters(to, -1);
    const from = options.recentOnly && previousQuarter > firstQuarter ? previousQuarter : firstQuarter;
    const figures = computeFigures(db, { from, to, now: options.now, usageSource: 'counts' });

    if (from === firstQuarter) sqlite.prepare('DELETE FROM dashboard_figures').run();
    else sqlite.prepare('DELETE FROM dashboard_figures WHERE quarter >= ?').run(from);
    const insertFigure = sqlite.prepare(
      'INSERT INTO dashboard_figures (metric, state, quarter, value, sample) VALUES (?, ?, ?, ?, ?)',
    );
    for (const figure of figures) {
      insertFigure.run(figure.metric, figure.state, figure.quarter, figure.value, figure.sample);
    }

    if (flows) {
      sqlite.prepare('DELETE FROM dashboard_flows').run();
      const insertFlow = sqlite.prepare(
        'INSERT INTO dashboard_flows (year, from_state, to_state, children) VALUES (?, ?, ?, ?)',
      );
      for (const flow of flows) insertFlow.run(flow.year, flow.fromState, flow.toState, flow.children);
      writeMeta(sqlite, flowsSourceKey, marker, now);
    }

    writeMeta(sqlite, refreshedAtKey, now, now);
    return { quarters: quartersBetween(from, to).length, figures: figures.length, flowsRebuilt: flows !== undefined };
  });

  const result = refresh.immediate();
  return { ...result, tookMs: Math.round(performance.now() - started) };
}

function readMeta(sqlite: ReturnType<typeof connectionOf>, key: string): string | undefined {
  const row = sqlite.prepare('SELECT value FROM app_meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

function writeMeta(sqlite: ReturnType<typeof connectionOf>, key: string, value: string, at: string): void {
  sqlite
    .prepare(
      `INSERT INTO app_meta (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    )
    .run(key, value, at);
}
