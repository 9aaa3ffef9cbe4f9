/**
 * The dashboard API's responses, shared by the routes (api/dashboard/read)
 * and the pages (site/scripts/dashboard). Figures are numbers, or null when
 * there is no data. In the public summary a suppressed figure is null with
 * `suppressed: true`, so a page shows "fewer than 10" instead of a number.
 */
import type { StateCode } from '../shared/states';
import type { MetricCombine, MetricGroup, MetricId, MetricUnit } from './metrics';
import type { Quarter } from './quarters';

/** "US" for the nation, or a state. */
export type DashboardScope = 'US' | StateCode;

export interface MetricInfo {
  metric: MetricId;
  group: MetricGroup;
  label: string;
  description: string;
  unit: MetricUnit;
  combine: MetricCombine;
  better: 'higher' | 'lower';
}

export interface FigureValue {
  value: number | null;
  /** Items the figure rests on. */
  sample: number;
  /** Public summary only: the figure is hidden, and `suppressedReason` gives the reason. */
  suppressed?: boolean;
  /**
   * small: a count under 10, or a figure resting on fewer than 10 items.
   * complementary: not small itself, but hidden so that a small one in the same
   * row or column cannot be worked out from a total.
   */
  suppressedReason?: 'small' | 'complementary';
}

/** The scopes the signed-in viewer may open, so pages offer only those choices. */
export interface DashboardViewer {
  /** national: admins and agents (every state); state: a coordinator (own state and the nation). */
  reach: 'national' | 'state';
  /** The scopes the viewer may open: "US" and every state, or "US" and their own. */
  scopes: DashboardScope[];
}

/** Period choices: the first quarter with data, the current quarter, and the defaults. */
export interface DashboardPeriods {
  firstQuarter: Quarter;
  currentQuarter: Quarter;
  /** The last four whole quarters, ending with the one before the current quarter. */
  defaultFrom: Quarter;
  defaultTo: Quarter;
}

/** GET /api/dashboard/figures?scope=US|XX&from=YYYY-Qn&to=YYYY-Qn */
export interface FiguresResponse {
  scope: DashboardScope;
  scopeName: string;
  from: Quarter;
  to: Quarter;
  quarters: Quarter[];
  /** UTC ISO time of the last refresh of the figures; null before the first. */
  refreshedAt: string | null;
  viewer: DashboardViewer;
  periods: DashboardPeriods;
  metrics: Array<
    MetricInfo & {
      /** One per quarter, in the order of `quarters`. */
      values: FigureValue[];
      /** The whole period, combined by the metric's `combine` rule. */
      period: FigureValue;
      /** One plain sentence describing the series, for screen readers and the text summary. */
      summary: string;
    }
  >;
}

/** GET /api/dashboard/compare?metric=&from=&to=&baselineFrom=&baselineTo= */
export interface CompareResponse {
  metric: MetricInfo;
  from: Quarter;
  to: Quarter;
  /** The baseline period; by default the same number of quarters just before `from`. */
  baselineFrom: Quarter;
  baselineTo: Quarter;
  refreshedAt: string | null;
  viewer: DashboardViewer;
  periods: DashboardPeriods;
  national: ComparedScope;
  /** Ranked: best change first (or best value when there is no change to rank); unranked rows last. Coordinators get their own state only. */
  states: ComparedScope[];
  summary: string;
}

export interface ComparedScope {
  scope: DashboardScope;
  name: string;
  period: FigureValue;
  baseline: FigureValue;
  /** Percentage change from the baseline to the period, rounded to one decimal; null when the baseline is 0 or missing. */
  changePercent: number | null;
  /** 1 is best; null when the scope is not ranked, and `unranked` gives the reason. */
  rank: number | null;
  /**
   * no_change: no percentage change (no baseline, a baseline of 0, or no figure).
   * too_few: the period or the baseline rests on fewer than `rankingMinimumSample` items.
   * Absent on ranked rows and on the national row.
   */
  unranked?: 'no_change' | 'too_few';
}

/** GET /api/dashboard/flows?year=YYYY */
export interface FlowsResponse {
  year: number;
  /** Years with qualifying moves on file, newest first. */
  years: number[];
  refreshedAt: string | null;
  viewer: DashboardViewer;
  totals: {
    /** Children who moved from one state to another. */
    betweenStates: number;
    /** Children who moved within one state. */
    withinStates: number;
    /** Children who arrived from another country or an unknown state. */
    fromOutside: number;
  };
  /** Moves between two different states, most children first. Coordinators get the routes into or out of their state. */
  flows: Array<{ from: StateCode; fromName: string; to: StateCode; toName: string; children: number }>;
  /** Moves within one state, most children first. */
  withinStates: Array<{ state: StateCode; name: string; children: number }>;
  /** Arrivals from another country or an unknown state, by receiving state. */
  fromOutside: Array<{ state: StateCode; name: string; children: number }>;
  summary: string;
}

/**
 * GET /api/dashboard/public?year=YYYY : visitors and everyone else; counts under 10
 * suppressed. It shows one whole calendar year, never a chosen run of quarters,
 * so a hidden count cannot be worked out by comparing two overlapping periods.
 */
export interface PublicSummaryResponse {
  /** The calendar year shown: by default the latest one that has ended. */
  year: number;
  /** The years a visitor may choose, newest first: from the first year on file to the latest that has ended. */
  years: number[];
  /**
   * False only when no calendar year on file has ended yet: then `year` is the
   * running year, `to` is the current quarter, and the figures are still growing.
   */
  yearEnded: boolean;
  /** YYYY-Q1 of `year`. */
  from: Quarter;
  /** YYYY-Q4 of `year` (the current quarter when `yearEnded` is false). */
  to: Quarter;
  quarters: Quarter[];
  refreshedAt: string | null;
  periods: DashboardPeriods;
  /** The public metrics, national, by quarter. */
  national: Array<MetricInfo & { values: FigureValue[]; period: FigureValue; summary: string }>;
  /** The public metrics by state for the whole year. */
  states: Array<{ state: StateCode; name: string; figures: Partial<Record<MetricId, FigureValue>> }>;
  /** The busiest routes between states in `year` (empty when there were none), with children under 10 suppressed. */
  corridors: {
    /** Equal to `year`. The type still allows null, which the API no longer returns. */
    year: number | null;
    routes: Array<{ from: StateCode; fromName: string; to: StateCode; toName: string; children: FigureValue }>;
  };
}
