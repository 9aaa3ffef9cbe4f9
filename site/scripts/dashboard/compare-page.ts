/**
 * The comparison of states, /dashboard/compare/: one metric's change from a
 * baseline period to a later period, nationally and by state. It shows a bar
 * chart, a sortable ranking table, a summary sentence and, for viewers who
 * see every state, a map of the change. The filters are kept in the query
 * string: metric, from, to, baselineFrom and baselineTo.
 */
import type { CompareResponse, ComparedScope } from '../../../api/dashboard/contract';
import { metricList, rankingMinimumSample, type MetricId } from '../../../api/dashboard/metrics';
import { describeQuarter, type Quarter } from '../../../api/dashboard/quarters';
import type { StateCode } from '../../../api/shared/states';
import { callApi, type FieldProblem } from '../account/api';
import { clearFormErrors, showFieldProblems, showStatus } from '../account/form-feedback';
import { openGatedPage, type SignedInSession } from '../account/session';
import { createElement, findRequired } from '../plans/dom';
import { chartWidthFor, renderBarChart, type BarItem } from './charts';
import {
  buildPath,
  checkPeriodOrder,
  describePeriod,
  describePeriodBriefly,
  describeRefreshedAt,
  fillQuarterSelect,
  findMalformedParameters,
  noFiguresYetText,
  pushQuery,
  readMetricParameter,
  readQuarterParameter,
  showAddressProblems,
  showLoadError,
} from './filters';
import { formatChange, formatFigure } from '../../../api/dashboard/format';
import { renderValueMap, statePagePath } from './map';
import { dashboardAudience, dashboardRoles } from './overview-page';
import { startSortableTable } from './sortable-table';

const defaultMetric: MetricId = 'searches';
/** The baseline selects' first option, which lets the API take as many quarters as the period, just before it. */
const automaticBaselineLabel = 'Just before the period';
/** Below this chart width the bars are labelled with USPS codes instead of state names. */
const namedBarsMinimumWidth = 600;

interface CompareElements {
  status: HTMLElement;
  alert: HTMLElement;
  body: HTMLElement;
  form: HTMLFormElement;
  metricSelect: HTMLSelectElement;
  fromSelect: HTMLSelectElement;
  toSelect: HTMLSelectElement;
  baselineFromSelect: HTMLSelectElement;
  baselineToSelect: HTMLSelectElement;
  refreshed: HTMLElement;
  csvLink: HTMLAnchorElement;
  empty: HTMLElement;
  results: HTMLElement;
  summary: HTMLElement;
  chart: HTMLElement;
  table: HTMLTableElement;
  tableCaption: HTMLElement;
  tablePeriods: HTMLElement;
  rankingRule: HTMLElement;
  baselineHint: HTMLElement;
  mapSection: HTMLElement;
  map: HTMLElement;
}

function findElements(): CompareElements {
  return {
    status: findRequired('[data-compare-status]'),
    alert: findRequired('[data-compare-alert]'),
    body: findRequired('[data-compare-body]'),
    form: findRequired('[data-compare-filters]'),
    metricSelect: findRequired('#compare-metric'),
    fromSelect: findRequired('#compare-from'),
    toSelect: findRequired('#compare-to'),
    baselineFromSelect: findRequired('#compare-baseline-from'),
    baselineToSelect: findRequired('#compare-baseline-to'),
    refreshed: findRequired('[data-compare-refreshed]'),
    csvLink: findRequired('[data-compare-csv]'),
    empty: findRequired('[data-compare-empty]'),
    results: findRequired('[data-compare-results]'),
    summary: findRequired('[data-compare-summary]'),
    chart: findRequired('[data-compare-chart]'),
    table: findRequired('[data-compare-table]'),
    tableCaption: findRequired('[data-compare-table-caption]'),
    tablePeriods: findRequired('[data-compare-periods]'),
    rankingRule: findRequired('[data-compare-ranking-rule]'),
    baselineHint: findRequired('#compare-baseline-from-hint'),
    mapSection: findRequired('[data-compare-map-section]'),
    map: findRequired('[data-compare-map]'),
  };
}

/** The filters as the query string and the API take them. */
interface CompareQuery {
  metric: MetricId;
  from?: Quarter;
  to?: Quarter;
  baselineFrom?: Quarter;
  baselineTo?: Quarter;
}

function readQuery(): CompareQuery {
  return {
    metric: readMetricParameter('metric') ?? defaultMetric,
    from: readQuarterParameter('from'),
    to: readQuarterParameter('to'),
    baselineFrom: readQuarterParameter('baselineFrom'),
    baselineTo: readQuarterParameter('baselineTo'),
  };
}

function toParameters(query: CompareQuery): Record<string, string | undefined> {
  return { ...query };
}

export async function startComparePage(): Promise<void> {
  const session = await openGatedPage({ roles: dashboardRoles, audience: dashboardAudience });
  if (!session) return;

  const elements = findElements();
  elements.metricSelect.replaceChildren(
    ...metricList.map((metric) => createElement('option', { text: metric.label, attributes: { value: metric.id } })),
  );
  let redrawChart: (() => void) | undefined;

  const load = async (announce: boolean) => {
    const malformed = findMalformedParameters(['from', 'to', 'baselineFrom', 'baselineTo'], ['metric']);
    if (malformed.length > 0) {
      elements.body.hidden = true;
      showStatus(elements.status, '');
      showAddressProblems(elements.alert, malformed);
      return;
    }
    const query = readQuery();
    showStatus(elements.status, 'Loading the comparison…', 'info');
    let comparison: CompareResponse;
    try {
      comparison = await callApi<CompareResponse>('GET', buildPath('/api/dashboard/compare', toParameters(query)));
    } catch (error) {
      showStatus(elements.status, '');
      showLoadError(elements.alert, error);
      return;
    }
    elements.alert.replaceChildren();
    redrawChart = render(elements, comparison, query, session);
    showStatus(elements.status, announce ? `Showing ${describeComparison(comparison)}.` : '', 'info');
  };

  elements.form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearFormErrors(elements.form);
    const problems = checkFilters(elements);
    if (problems.length > 0) {
      showFieldProblems(elements.form, problems);
      return;
    }
    pushQuery({
      metric: elements.metricSelect.value,
      from: elements.fromSelect.value,
      to: elements.toSelect.value,
      baselineFrom: elements.baselineFromSelect.value || undefined,
      baselineTo: elements.baselineToSelect.value || undefined,
    });
    void load(true);
  });

  window.addEventListener('popstate', () => void load(true));
  let resizeTimer: number | undefined;
  window.addEventListener('resize', () => {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(() => redrawChart?.(), 250);
  });
  await load(false);
}

/** Names what is compared, as people say it: "Searches: Jan–Dec 2026 compared with Jan–Dec 2025". */
function describeComparison(comparison: CompareResponse): string {
  const current = comparison.periods.currentQuarter;
  const period = describePeriodBriefly(comparison.from, comparison.to, current);
  const baseline = describePeriodBriefly(comparison.baselineFrom, comparison.baselineTo, current);
  return `${comparison.metric.label}: ${period} compared with ${baseline}`;
}

function checkFilters(elements: CompareElements): FieldProblem[] {
  const baselineFrom = elements.baselineFromSelect.value;
  const baselineTo = elements.baselineToSelect.value;
  const problems = checkPeriodOrder(elements.fromSelect.value, elements.toSelect.value, 'to', 'period');
  if ((baselineFrom === '') !== (baselineTo === '')) {
    problems.push({
      field: baselineFrom === '' ? 'baselineFrom' : 'baselineTo',
      message: `Choose both quarters of the baseline period, or set both to “${automaticBaselineLabel}”.`,
    });
    return problems;
  }
  return [...problems, ...checkPeriodOrder(baselineFrom, baselineTo, 'baselineTo', 'baseline period')];
}

/** Draws the comparison and returns a function that redraws the bar chart at its container's new width. */
function render(
  elements: CompareElements,
  comparison: CompareResponse,
  query: CompareQuery,
  session: SignedInSession,
): () => void {
  fillFilters(elements, comparison, query);
  elements.refreshed.textContent = describeRefreshedAt(comparison.refreshedAt);
  elements.csvLink.href = buildPath('/api/dashboard/compare/export', {
    metric: comparison.metric.metric,
    from: comparison.from,
    to: comparison.to,
    baselineFrom: comparison.baselineFrom,
    baselineTo: comparison.baselineTo,
  });
  elements.body.hidden = false;

  const emptyText = describeWhyEmpty(comparison);
  elements.empty.hidden = emptyText === undefined;
  elements.empty.textContent = emptyText ?? '';
  elements.results.hidden = emptyText !== undefined;
  if (emptyText !== undefined) return () => undefined;

  elements.summary.textContent = comparison.summary;
  const ownState = session.person.role === 'state_coordinator' ? session.person.state : null;
  const drawChart = () =>
    elements.chart.replaceChildren(renderChangeChart(comparison, ownState, chartWidthFor(elements.chart)));
  drawChart();
  renderRanking(elements, comparison);

  const showMap = comparison.viewer.reach === 'national';
  elements.mapSection.hidden = !showMap;
  if (showMap) elements.map.replaceChildren(renderChangeMap(comparison));
  return drawChart;
}

/** Returns the one message shown instead of the results when there is nothing to compare, or undefined. */
function describeWhyEmpty(comparison: CompareResponse): string | undefined {
  if (comparison.refreshedAt === null) return noFiguresYetText;
  const first = comparison.periods.firstQuarter;
  if (comparison.baselineTo >= first) return undefined;
  const baseline = describePeriod(comparison.baselineFrom, comparison.baselineTo);
  return (
    `Nothing to compare: the baseline, ${baseline}, ends before the figures start in ${describeQuarter(first)}. ` +
    `Choose a baseline that starts in ${describeQuarter(first)} or later, and a period after it.`
  );
}

function fillFilters(elements: CompareElements, comparison: CompareResponse, query: CompareQuery): void {
  elements.baselineHint.textContent = `Figures start in ${describeQuarter(comparison.periods.firstQuarter)}.`;
  elements.metricSelect.value = comparison.metric.metric;
  fillQuarterSelect(elements.fromSelect, comparison.periods, comparison.from);
  fillQuarterSelect(elements.toSelect, comparison.periods, comparison.to);
  fillQuarterSelect(elements.baselineFromSelect, comparison.periods, comparison.baselineFrom);
  fillQuarterSelect(elements.baselineToSelect, comparison.periods, comparison.baselineTo);
  for (const select of [elements.baselineFromSelect, elements.baselineToSelect]) {
    select.prepend(createElement('option', { text: automaticBaselineLabel, attributes: { value: '' } }));
  }
  // The automatic choice stays selected until the viewer picks a baseline, so a new period gets a new baseline.
  if (query.baselineFrom === undefined || query.baselineTo === undefined) {
    elements.baselineFromSelect.value = '';
    elements.baselineToSelect.value = '';
  }
}

function rowLabel(row: ComparedScope, named: boolean): string {
  return named || row.scope === 'US' ? row.name : row.scope;
}

function renderChangeChart(comparison: CompareResponse, ownState: string | null, width: number): SVGSVGElement {
  const named = width >= namedBarsMinimumWidth;
  // Only ranked states are drawn, so the bars run best first; the table lists the others with the reason.
  const rows = [comparison.national, ...comparison.states.filter((row) => row.rank !== null || row.scope === ownState)];
  const items: BarItem[] = rows.map((row) => ({
    label: rowLabel(row, named),
    value: row.changePercent,
    valueText: formatChange(row.changePercent),
    highlighted: row.scope === 'US' || row.scope === ownState,
  }));
  return renderBarChart({
    items,
    labelAxisTitle: named ? 'State' : 'State (USPS code)',
    valueAxisTitle: `Change in ${comparison.metric.label.toLowerCase()} (%)`,
    formatValue: (value) => (value === 0 ? '0%' : formatChange(value)),
    summary: comparison.summary,
    width,
  });
}

function renderRanking(elements: CompareElements, comparison: CompareResponse): void {
  const unit = comparison.metric.unit;
  const current = comparison.periods.currentQuarter;
  const baseline = describePeriod(comparison.baselineFrom, comparison.baselineTo, current);
  const period = describePeriod(comparison.from, comparison.to, current);
  elements.tablePeriods.textContent = `Baseline: ${baseline}. Period: ${period}.`;
  elements.rankingRule.textContent =
    `A state is ranked only when its baseline and its period figures each rest on at least ${rankingMinimumSample} items, ` +
    'such as searches or tickets, so a change in a handful of items cannot top the ranking. ' +
    'States below that are listed last as “too few to rank”, and states without a figure in both periods as ' +
    '“not comparable”. The chart shows the ranked states only.';
  elements.tableCaption.textContent = `${comparison.metric.label}: states ranked by the change from ${baseline} to ${period}, with the nation in the last row`;
  startSortableTable<ComparedScope>({
    table: elements.table,
    status: elements.status,
    rows: comparison.states,
    footerRows: [comparison.national],
    initialSort: null,
    columns: [
      {
        key: 'rank',
        label: 'Rank',
        numeric: true,
        sortValue: (row) => row.rank,
        render: describeRank,
        directionWords: { ascending: 'best first', descending: 'worst first' },
      },
      {
        key: 'state',
        label: 'State',
        rowHeader: true,
        sortValue: (row) => row.name,
        render: (row) =>
          row.scope === 'US'
            ? row.name
            : createElement('a', {
                className: 'usa-link',
                text: row.name,
                attributes: { href: statePagePath(row.scope) },
              }),
      },
      {
        key: 'change',
        label: 'Change',
        numeric: true,
        sortValue: (row) => row.changePercent,
        render: (row) => formatChange(row.changePercent),
      },
      {
        key: 'baseline',
        label: 'Baseline',
        numeric: true,
        sortValue: (row) => row.baseline.value,
        render: (row) => formatFigure(row.baseline, unit),
      },
      {
        key: 'period',
        label: 'Period',
        numeric: true,
        sortValue: (row) => row.period.value,
        render: (row) => formatFigure(row.period, unit),
      },
    ],
  });
}

function describeRank(row: ComparedScope): string {
  if (row.scope === 'US') return '';
  if (row.rank !== null) return String(row.rank);
  if (row.unranked === 'too_few') return 'too few to rank';
  return 'not comparable';
}

function renderChangeMap(comparison: CompareResponse): HTMLElement {
  const current = comparison.periods.currentQuarter;
  const period = `${describePeriod(comparison.baselineFrom, comparison.baselineTo, current)} to ${describePeriod(comparison.from, comparison.to, current)}`;
  const comparable = comparison.states.filter((row) => row.changePercent !== null);
  const missing = comparison.states.length - comparable.length;
  return renderValueMap({
    values: comparison.states.map((row) => ({
      state: row.scope as StateCode,
      value: row.changePercent,
      valueText: formatChange(row.changePercent),
    })),
    formatValue: formatChange,
    legendTitle: `Change in ${comparison.metric.label.toLowerCase()}, ${period}`,
    summary:
      `Map of the states by their change in ${comparison.metric.label.toLowerCase()} from ${period}. ` +
      `${comparable.length} ${comparable.length === 1 ? 'state has' : 'states have'} a change to show` +
      (missing > 0 ? `, ${missing} ${missing === 1 ? 'has' : 'have'} none. ` : '. ') +
      'The ranking table gives the same figures.',
  });
}
