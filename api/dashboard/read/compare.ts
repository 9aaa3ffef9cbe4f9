/**
 * GET /api/dashboard/compare: one metric for the nation and every state over
 * a period against a baseline, with the states ranked by their change.
 */
import type { AppDatabase } from '../../../db/client';
import type { Actor } from '../../auth/actor';
import { stateCodes, type StateCode } from '../../shared/states';
import { formatChange } from '../format';
import type { ComparedScope, CompareResponse, DashboardScope } from '../contract';
import { metrics, nationalScope, rankingMinimumSample, type MetricDefinition } from '../metrics';
import type { Quarter } from '../quarters';
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
      periods.currentQuarter,
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
 * by the period's figure. A state is ranked only when each figure it is ranked
 * on rests on at least `rankingMinimumSample` items, so a change from 2
 * searches to 6 cannot top the list. Ranked rows come first in rank order, then
 * unranked rows with a figure (best first), then those without, each by name on ties.
 */
function rankStates(rows: ComparedScope[], definition: MetricDefinition): ComparedScope[] {
  const byChange = rows.some((row) => row.changePercent !== null);
  const reasons = rows.map((row) => unrankedReason(row, byChange));
  const keys = rows.map((row, index) => {
    if (reasons[index] !== undefined) return { key: null };
    return { key: byChange ? row.changePercent : row.period.value };
  });
  const ranks = rankBy(keys, definition.better);
  const rankedRows = rows.map((row, index): ComparedScope => {
    const reason = reasons[index];
    return reason === undefined ? { ...row, rank: ranks[index] ?? null } : { ...row, rank: null, unranked: reason };
  });

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

/** Returns why a state is not ranked, or undefined when it is. Ranking by value needs no baseline. */
function unrankedReason(row: ComparedScope, byChange: boolean): ComparedScope['unranked'] {
  if (byChange) {
    if (row.changePercent === null) return 'no_change';
    if (row.period.sample < rankingMinimumSample || row.baseline.sample < rankingMinimumSample) return 'too_few';
    return undefined;
  }
  if (row.period.value === null) return 'no_change';
  if (row.period.sample < rankingMinimumSample) return 'too_few';
  return undefined;
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
  currentQuarter: Quarter,
): string {
  const nationalSentence = describeChange(
    definition,
    null,
    { from: baseline.from, to: baseline.to, figure: national.baseline },
    { from: period.from, to: period.to, figure: national.period },
    currentQuarter,
  );
  const byChange = ranked.some((row) => row.changePercent !== null);
  const rankedCount = ranked.filter((row) => row.rank !== null).length;
  const scopeOfRanking = byChange ? '' : ' by their figure for the period, because no state has a baseline figure';

  if (own === null) return nationalSentence;
  if (own !== 'all') {
    const row = ranked.find((candidate) => candidate.scope === own);
    const name = stateName(own);
    if (!row || row.rank === null) {
      return `${name} is not ranked: ${describeUnranked(definition, row, byChange)}. ${nationalSentence}`;
    }
    const detail = byChange ? ` (${formatChange(row.changePercent)})` : '';
    return `${name} ${describeRank(row.rank, rankedCount)}${scopeOfRanking}${detail}. ${nationalSentence}`;
  }

  const tooFew = ranked.filter((row) => row.unranked === 'too_few').length;
  const notComparable = ranked.filter((row) => row.unranked === 'no_change').length;
  const tooFewSentence =
    (tooFew === 0
      ? ''
      : ` ${countStates(tooFew)} ${tooFew === 1 ? 'is' : 'are'} not ranked because ${describeTooFew(definition, byChange, tooFew === 1 ? 'one' : 'several')}.`) +
    (notComparable === 0
      ? ''
      : ` ${countStates(notComparable)} ${notComparable === 1 ? 'has' : 'have'} no figures to compare.`);
  const best = ranked[0];
  if (!best || best.rank === null) return `${nationalSentence} No state is ranked.${tooFewSentence}`;

  const leaders = ranked.filter((row) => row.rank === 1).map((row) => row.name);
  const detail = byChange ? ` (${formatChange(best.changePercent)})` : '';
  const leaderText =
    leaders.length === 1
      ? `${leaders[0]} ${describeRank(1, rankedCount)}`
      : `${joinNames(leaders)} share 1st of the ${countStates(rankedCount)} ranked`;
  return `${nationalSentence} ${leaderText}${scopeOfRanking}${detail}.${tooFewSentence}`;
}

/** "ranks 3rd of the 41 states ranked", or "is the only state ranked". */
function describeRank(rank: number, rankedCount: number): string {
  if (rankedCount === 1) return 'is the only state ranked';
  return `ranks ${ordinal(rank)} of the ${countStates(rankedCount)} ranked`;
}

/** Describes why a coordinator's state is not ranked, to follow "Texas is not ranked: ". */
function describeUnranked(definition: MetricDefinition, row: ComparedScope | undefined, byChange: boolean): string {
  if (row?.unranked === 'too_few') return describeTooFew(definition, byChange);
  if (!row || row.period.value === null) return 'it has no figure for the period';
  return 'its baseline is 0 or has no data, so there is no change to compare';
}

/**
 * Describes the missing items of states too small to rank. Without `subject` it
 * follows "Texas is not ranked: " ("fewer than 20 searches in the period or the
 * baseline"); with one it is a "because" clause ("they had fewer than 20 searches …").
 */
function describeTooFew(definition: MetricDefinition, byChange: boolean, subject?: 'one' | 'several'): string {
  const when = byChange ? 'in the period or the baseline' : 'in the period';
  if (definition.unit === 'count') {
    let had = '';
    if (subject === 'one') had = 'it had ';
    if (subject === 'several') had = 'they had ';
    const noun = countedThings[definition.id] ?? definition.label.toLowerCase();
    return `${had}fewer than ${rankingMinimumSample} ${noun} ${when}`;
  }
  const figure = subject === 'several' ? 'their figures rest' : 'its figure rests';
  return `${figure} on fewer than ${rankingMinimumSample} items ${when}`;
}

/** The things a count metric counts, where its label is not a plural noun that reads right after "fewer than 20". */
const countedThings: Partial<Record<MetricDefinition['id'], string>> = {
  campaign_reach: 'messages sent to subscribers',
  webinar_attendance: 'webinar attendees',
};

function joinNames(names: readonly string[]): string {
  if (names.length <= 2) return names.join(' and ');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
