/**
 * CSV versions of the dashboard views, one row per figure, for the /export
 * routes. Cells go through renderCsv, which keeps spreadsheet formulas inert.
 * Suppressed figures (public summary only) leave value and sample empty. The
 * suppressed column gives the reason: "fewer than 10", or "withheld" for a
 * figure hidden so that a small one beside it cannot be worked out from a total.
 * Values of metrics other than counts are rounded to two decimals.
 */
import { renderCsv } from '../../shared/csv';
import type { CompareResponse, FigureValue, FiguresResponse, FlowsResponse, PublicSummaryResponse } from '../contract';
import { nationalScope, type MetricUnit } from '../metrics';
import { roundTo } from './combine';
import { nationalName, scopeName } from './names';

/** Leaving-state name of children who came from another country or an unknown state. */
export const outsideName = 'Another country or unknown state';

export interface CsvFile {
  fileName: string;
  csv: string;
}

/** msix-dashboard-figures-TX-2026-Q1-to-2026-Q4.csv: one row per metric and quarter. */
export function figuresCsv(view: FiguresResponse): CsvFile {
  const header = ['metric', 'metric_label', 'unit', 'state', 'state_name', 'quarter', 'value', 'sample'];
  const rows = view.metrics.flatMap((metric) =>
    view.quarters.map((quarter, index) => {
      const figure = metric.values[index] ?? { value: null, sample: 0 };
      return [
        metric.metric,
        metric.label,
        metric.unit,
        view.scope,
        view.scopeName,
        quarter,
        csvValue(figure.value, metric.unit),
        figure.sample,
      ];
    }),
  );
  return {
    fileName: `msix-dashboard-figures-${view.scope}-${view.from}-to-${view.to}.csv`,
    csv: renderCsv(header, rows),
  };
}

/** msix-dashboard-compare-searches-2026-Q1-to-2026-Q4.csv: the national row, then the states in rank order. */
export function comparisonCsv(view: CompareResponse): CsvFile {
  const header = [
    'metric',
    'metric_label',
    'state',
    'state_name',
    'from_quarter',
    'to_quarter',
    'value',
    'sample',
    'baseline_from_quarter',
    'baseline_to_quarter',
    'baseline_value',
    'baseline_sample',
    'change_percent',
    'rank',
  ];
  const rows = [view.national, ...view.states].map((row) => [
    view.metric.metric,
    view.metric.label,
    row.scope,
    row.name,
    view.from,
    view.to,
    csvValue(row.period.value, view.metric.unit),
    row.period.sample,
    view.baselineFrom,
    view.baselineTo,
    csvValue(row.baseline.value, view.metric.unit),
    row.baseline.sample,
    row.changePercent,
    row.rank,
  ]);
  return {
    fileName: `msix-dashboard-compare-${view.metric.metric}-${view.from}-to-${view.to}.csv`,
    csv: renderCsv(header, rows),
  };
}

/** msix-dashboard-flows-2026.csv (msix-dashboard-flows-TX-2026.csv for a coordinator): one row per route. */
export function flowsCsv(view: FlowsResponse): CsvFile {
  const header = ['year', 'kind', 'from_state', 'from_state_name', 'to_state', 'to_state_name', 'children'];
  const rows = [
    ...view.flows.map((route) => [
      view.year,
      'between_states',
      route.from,
      route.fromName,
      route.to,
      route.toName,
      route.children,
    ]),
    ...view.withinStates.map((row) => [
      view.year,
      'within_state',
      row.state,
      row.name,
      row.state,
      row.name,
      row.children,
    ]),
    ...view.fromOutside.map((row) => [view.year, 'from_outside', '', outsideName, row.state, row.name, row.children]),
  ];
  const own = view.viewer.reach === 'state' ? view.viewer.scopes.find((scope) => scope !== nationalScope) : undefined;
  return {
    fileName: `msix-dashboard-flows-${own ? `${own}-` : ''}${view.year}.csv`,
    csv: renderCsv(header, rows),
  };
}

/**
 * msix-dashboard-public-2025.csv: the national figure of each public metric
 * by quarter and for the year, then each state's figure for the year.
 */
export function publicFiguresCsv(view: PublicSummaryResponse): CsvFile {
  const header = [
    'metric',
    'metric_label',
    'state',
    'state_name',
    'from_quarter',
    'to_quarter',
    'value',
    'sample',
    'suppressed',
  ];
  const rows: (string | number | null)[][] = [];
  for (const metric of view.national) {
    view.quarters.forEach((quarter, index) => {
      rows.push([
        metric.metric,
        metric.label,
        nationalScope,
        nationalName,
        quarter,
        quarter,
        ...publicCells(metric.values[index], metric.unit),
      ]);
    });
    rows.push([
      metric.metric,
      metric.label,
      nationalScope,
      nationalName,
      view.from,
      view.to,
      ...publicCells(metric.period, metric.unit),
    ]);
  }
  for (const metric of view.national) {
    for (const state of view.states) {
      const figure = state.figures[metric.metric];
      rows.push([
        metric.metric,
        metric.label,
        state.state,
        scopeName(state.state),
        view.from,
        view.to,
        ...publicCells(figure, metric.unit),
      ]);
    }
  }
  return {
    fileName: `msix-dashboard-public-${view.year}.csv`,
    csv: renderCsv(header, rows),
  };
}

/** msix-dashboard-public-corridors-2025.csv: the busiest routes between states in the year shown. */
export function publicCorridorsCsv(view: PublicSummaryResponse): CsvFile {
  const header = ['year', 'from_state', 'from_state_name', 'to_state', 'to_state_name', 'children', 'suppressed'];
  const year = view.corridors.year;
  const rows = view.corridors.routes.map((route) => {
    const [children, , suppressed] = publicCells(route.children, 'count');
    return [year, route.from, route.fromName, route.to, route.toName, children, suppressed];
  });
  return {
    fileName: `msix-dashboard-public-corridors-${year ?? 'none'}.csv`,
    csv: renderCsv(header, rows),
  };
}

/** Returns the value, sample and suppressed cells of a public figure. A suppressed figure leaves value and sample empty. */
function publicCells(figure: FigureValue | undefined, unit: MetricUnit): [number | null, number | null, string] {
  if (!figure) return [null, null, 'no'];
  if (figure.suppressed)
    return [null, null, figure.suppressedReason === 'complementary' ? 'withheld' : 'fewer than 10'];
  return [csvValue(figure.value, unit), figure.sample, 'no'];
}

/** Rounds a value for its cell: counts stay as they are, other units get two decimals (85.87, not 85.8666…). */
function csvValue(value: number | null, unit: MetricUnit): number | null {
  if (value === null || unit === 'count') return value;
  return roundTo(value, 2);
}
