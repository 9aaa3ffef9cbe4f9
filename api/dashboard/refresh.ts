/**
 * Rebuilds the dashboard's rollups (dashboard_figures, dashboard_flows) from
 * the product's own tables. STUB: helper H1 writes it.
 */
import type { AppDatabase } from '../../db/client';

export interface RefreshOptions {
  now: Date;
  /** Recompute the flows even when no qualifying move changed since the last refresh. */
  forceFlows?: boolean;
}

export interface RefreshResult {
  quarters: number;
  figures: number;
  flowsRebuilt: boolean;
  tookMs: number;
}

/** Recomputes every figure from the first quarter with data to the current one, in one transaction. */
export function refreshDashboard(db: AppDatabase, options: RefreshOptions): RefreshResult {
  void db;
  void options;
  return { quarters: 0, figures: 0, flowsRebuilt: false, tookMs: 0 };
}
