/** Types shared by the dashboard's figure and flow computations. */
import type { Database } from 'better-sqlite3';
import type { DashboardScope } from '../contract';
import type { MetricId } from '../metrics';
import type { Quarter } from '../quarters';

/** One figure: a metric for one state (or "US") in one quarter, as stored in `dashboard_figures`. */
export interface FigureRow {
  metric: MetricId;
  state: string;
  quarter: Quarter;
  value: number | null;
  sample: number;
}

/** Children on one route in one year, as stored in `dashboard_flows`. */
export interface FlowRow {
  year: number;
  fromState: string;
  toState: string;
  children: number;
}

/**
 * The source of the searches, views and prints. `counts` reads the
 * `usage_counts` rollup that a trigger keeps. `events` counts the raw
 * `usage_events` rows, as the benchmark's baseline does.
 */
export type UsageSource = 'counts' | 'events';

export interface ComputeOptions {
  from: Quarter;
  to: Quarter;
  now: Date;
  usageSource: UsageSource;
  /** Only this scope ("US" or a state); every state and "US" when omitted. */
  scope?: DashboardScope;
}

/** The input of each metric group's computation. */
export interface GroupContext {
  sqlite: Database;
  from: Quarter;
  to: Quarter;
  quarters: Quarter[];
  now: Date;
  usageSource: UsageSource;
  /** The states to compute; empty when only the national figure is wanted. */
  states: readonly string[];
  /** Whether to compute the national ("US") figures. */
  national: boolean;
}

/** A figure a group computed; the quarter comes from SQL, so it is a plain string here. */
export interface ComputedFigure {
  metric: MetricId;
  state: string;
  quarter: string;
  value: number | null;
  sample: number;
}
