/**
 * GET /api/dashboard/compare: one metric for the nation and every state over
 * a period against a baseline, with the states ranked by their change.
 */
import type { AppDatabase } from '../../../db/client';
import type { Actor } from '../../auth/actor';
import { stateCodes, type StateCode } from '../../shared/states';
import { formatChange } from '../format';
import type { ComparedScope, CompareResponse, DashboardScope } from '../contract';
import { metrics, nationalScope, type MetricDefinition } from '../metrics';
import { combineQuarters, percentChange, rankBy } from './combine';
import { loadViewContext, metricInfo } from './context';
import { scopeName, stateName } from './names';
import { parseBaseline, parseMetric, parsePeriod, type DashboardQuery, type Period } from './query';
import { loadFigures, seriesOf, type FigureTable } from './store';
import { countStates, describeChange, ordinal } from './summaries';
import { describeViewer, restrictedState } from './viewer';

/**
 * Reads one metric for the period and the baseline. States are ranked among
 * all states, best first, but a coordinator receives only their own state's row.
 */
export function readComparison(db: AppDatabase, actor: Actor, query: DashboardQuery, now: Date): CompareResponse {
  const viewer = describeViewer(actor);
  const definition = metrics[parseMetric(query)];
  const { periods, refreshedAt } = loadViewContext(db, now);
  const period = parsePeriod(query, periods);
  const baseline = parseBaseline(query, period, periods.currentQuarter);

  const from = period.from < baseline.from ? period.from : baseline.from;
  const to = period.to > baseline.to ? period.to : baseline.to;
  const table = loadFigures(db, { metrics: [definition.id], from, to });

  const national = compareScope(table, definition, nationalScope, period, baseline);
  const ranked = rankStates(
    stateCodes.map((state) => compareScope(table, definition, state, period, baseline)),
    definition,
  );
  const own = restrictedState(viewer);
  const states = viewer.reach === 'national' ? ranked : ranked.filter((row) => row.scope === own);

  return {
    metric: metricInfo(definition),
    from: period.from,
    to: period.to,
    baselineFrom: baseline.from,
    baselineTo: baseline.to,
    refreshedAt,
    viewer,
    periods,
    national,
    states,
    summary: summarizeComparison(
      definition,
      national,
      ranked,
      viewer.reach === 'national' ? 'all' : own,
      period,
      baseline,
    ),
  };
}

function compareScope(
  table: FigureTable,
  definition: MetricDefinition,
  scope: DashboardScope,
  period: Period,
  baseline: Period,
): ComparedScope {
  const periodFigure = combineQuarters(definition, seriesOf(table, definition.id, scope, period.quarters));
  const baselineFigure = combineQuarters(definition, seriesOf(table, definition.id, scope, baseline.quarters));
  return {
    scope,
    name: scopeName(scope),
    period: periodFigure,
    baseline: baselineFigure,
    changePercent: percentChange(periodFigure, baselineFigure),
    rank: null,
  };
}

/**
 * Ranks by change when any state has one; otherwise (no state has a baseline)
 * by the period's figure. Ranked rows come first in rank order, then unranked
 * rows with a figure (best first), then those without, each by name on ties.
 */
function rankStates(rows: ComparedScope[], definition: MetricDefinition): ComparedScope[] {
  const byChange = rows.some((row) => row.changePercent !== null);
  const ranks = rankBy(
    rows.map((row) => ({ key: byChange ? row.changePercent : row.period.value })),
    definition.better,
  );
  const rankedRows = rows.map((row, index) => ({ ...row, rank: ranks[index] ?? null }));

  const direction = definition.better === 'higher' ? -1 : 1;
  return rankedRows.sort((a, b) => {
    if (a.rank !== null && b.rank !== null) return a.rank - b.rank || a.name.localeCompare(b.name);
    if (a.rank !== null) return -1;
    if (b.rank !== null) return 1;
    if (a.period.value !== null && b.period.value !== null) {
      return direction * (a.period.value - b.period.value) || a.name.localeCompare(b.name);
    }
    if (a.period.value !== null) return -1;
    if (b.period.value !== null) return 1;
    return a.name.localeCompare(b.name);
  });
}

/**
 * Writes the comparison's summary. `own` is 'all' for national viewers, and a
 * coordinator's state (or null without one), whose sentence names no other state.
 */
function summarizeComparison(
  definition: MetricDefinition,
  national: ComparedScope,
  ranked: readonly ComparedScope[],
  own: StateCode | 'all' | null,
  period: Period,
  baseline: Period,
): string {
  const nationalSentence = describeChange(
    definition,
    null,
    { from: baseline.from, to: baseline.to, figure: national.baseline },
    { from: period.from, to: period.to, figure: national.period },
  );
  const rankedCount = ranked.filter((row) => row.rank !== null).length;
  const byChange = ranked.some((row) => row.changePercent !== null);
  const basis = byChange ? 'with a change to rank' : 'with a figure';

  if (own === null) return nationalSentence;
  if (own !== 'all') {
    const row = ranked.find((candidate) => candidate.scope === own);
    const name = stateName(own);
    if (!row || row.rank === null) {
      const reason = !byChange
        ? 'no figure to rank'
        : row?.period.value === null
          ? 'no change to rank, because it has no figure for the period'
          : 'no change to rank, because its baseline is 0 or missing';
      return `${name} has ${reason}. ${nationalSentence}`;
    }
    const detail = byChange ? ` (${formatChange(row.changePercent)})` : '';
    return `${name} ranks ${ordinal(row.rank)} of ${countStates(rankedCount)} ${basis}${detail}. ${nationalSentence}`;
  }

  const best = ranked[0];
  if (!best || best.rank === null) return `${nationalSentence} No state has a figure to rank.`;
  const leaders = ranked.filter((row) => row.rank === 1).map((row) => row.name);
  const detail = byChange ? ` (${formatChange(best.changePercent)})` : '';
  const leaderText = leaders.length === 1 ? `${leaders[0]} ranks` : `${joinNames(leaders)} share`;
  return `${nationalSentence} ${leaderText} 1st of ${countStates(rankedCount)} ${basis}${detail}.`;
}

function joinNames(names: readonly string[]): string {
  if (names.length <= 2) return names.join(' and ');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
