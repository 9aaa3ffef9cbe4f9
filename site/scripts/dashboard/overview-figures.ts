/**
 * The figures of the national overview and the state pages: a section per
 * metric group with a card per metric, and the table of every figure by
 * quarter, which is the accessible equivalent of the cards' charts.
 */
import type { FiguresResponse } from '../../../api/dashboard/contract';
import { metricGroupLabels, metricGroups } from '../../../api/dashboard/metrics';
import { describeQuarter } from '../../../api/dashboard/quarters';
import { createElement } from '../plans/dom';
import { chartWidthFor, renderLineChart, type LineSeries } from './charts';
import { describePeriod, shortQuarterLabel } from './filters';
import { formatFigure, formatNumber } from '../../../api/dashboard/format';

/** The figures of one page: the page's scope, and for a state page the nation as well. */
export interface OverviewFigures {
  main: FiguresResponse;
  national?: FiguresResponse;
}

type MetricFigures = FiguresResponse['metrics'][number];

/**
 * Draws a section per metric group, each with a card per metric, into the
 * container. Returns a function that redraws the charts at the cards' width.
 */
export function renderMetricGroups(container: HTMLElement, figures: OverviewFigures): () => void {
  const { main, national } = figures;
  const chartSlots: Array<{ slot: HTMLElement; metric: MetricFigures; nation?: MetricFigures }> = [];
  const sections = metricGroups.flatMap((group) => {
    const metrics = main.metrics.filter((metric) => metric.group === group);
    if (metrics.length === 0) return [];
    const headingId = `dashboard-group-${group}`;
    const cards = metrics.map((metric) => {
      const nation = national?.metrics.find((candidate) => candidate.metric === metric.metric);
      const slot = createElement('div', {
        className: 'dashboard-card__chart',
        attributes: { 'data-chart': metric.metric },
      });
      chartSlots.push({ slot, metric, nation });
      return renderCard(main, national?.scopeName ?? '', metric, nation, slot);
    });
    return [
      createElement('section', { className: 'dashboard-group', attributes: { 'aria-labelledby': headingId } }, [
        createElement('h2', { text: metricGroupLabels[group], attributes: { id: headingId } }),
        createElement('ul', { className: 'dashboard-cards' }, cards),
      ]),
    ];
  });
  container.replaceChildren(...sections);

  const draw = () => {
    for (const { slot, metric, nation } of chartSlots) {
      slot.replaceChildren(renderCardChart(main, national?.scopeName ?? '', metric, nation, chartWidthFor(slot)));
    }
  };
  draw();
  return draw;
}

function renderCard(
  response: FiguresResponse,
  nationName: string,
  metric: MetricFigures,
  nation: MetricFigures | undefined,
  chartSlot: HTMLElement,
): HTMLLIElement {
  const headingId = `dashboard-metric-${metric.metric}`;
  return createElement(
    'li',
    { className: 'dashboard-card', attributes: { 'aria-labelledby': headingId, 'data-metric': metric.metric } },
    [
      createElement('h3', { className: 'dashboard-card__title', text: metric.label, attributes: { id: headingId } }),
      createElement('p', {
        className: 'dashboard-card__figure',
        text: formatFigure(metric.period, metric.unit),
        attributes: { 'data-period-figure': '' },
      }),
      createElement('p', { className: 'dashboard-card__context', text: describeCombination(response, metric) }),
      nation &&
        createElement('p', {
          className: 'dashboard-card__context',
          text: `${nationName}: ${formatFigure(nation.period, nation.unit)}`,
          attributes: { 'data-national-figure': '' },
        }),
      chartSlot,
      createElement('p', { className: 'dashboard-card__summary', text: metric.summary }),
      createElement('p', { className: 'dashboard-card__description', text: metric.description }),
    ],
  );
}

/** Describes in plain words how the period figure combines the quarters: a total, the last quarter, or an average. */
function describeCombination(response: FiguresResponse, metric: MetricFigures): string {
  const period = describePeriod(response.from, response.to, response.periods.currentQuarter);
  if (metric.combine === 'sum') return `${response.scopeName}, total for ${period}`;
  if (metric.combine === 'last') return `${response.scopeName}, latest quarter with a figure in ${period}`;
  if (response.from === response.to) return `${response.scopeName}, ${period}`;
  // The API weights each quarter by how many items it rests on, so a busy quarter counts for more.
  if (metric.unit === 'hours' || metric.unit === 'days') {
    return `${response.scopeName}, ${period}: the typical time over the whole period, busier quarters counting for more`;
  }
  return `${response.scopeName}, ${period}: the average over the whole period, busier quarters counting for more`;
}

/**
 * Tells whether a state page draws the nation's line in a metric's chart.
 * Counts are not: the nation's totals are many times a state's, so on a
 * shared axis the state's line would lie flat near zero. Rates, scores,
 * ratings and durations share a scale, so both lines are drawn.
 */
export function drawsNationBeside(metric: MetricFigures): boolean {
  return metric.unit !== 'count';
}

function renderCardChart(
  response: FiguresResponse,
  nationName: string,
  metric: MetricFigures,
  nation: MetricFigures | undefined,
  width: number,
): SVGSVGElement {
  const series: LineSeries[] = [{ name: response.scopeName, values: metric.values.map((figure) => figure.value) }];
  const nationDrawn = nation !== undefined && drawsNationBeside(metric);
  if (nationDrawn) series.push({ name: nationName, values: nation.values.map((figure) => figure.value) });
  const summary = nationDrawn ? `${metric.summary} ${nationName}: ${nation.summary}` : metric.summary;
  return renderLineChart({
    categories: response.quarters.map((quarter) => describeQuarter(quarter, response.periods.currentQuarter)),
    tickLabels: response.quarters.map(shortQuarterLabel),
    series,
    yAxisTitle: unitTitle(metric),
    formatValue: (value) => formatNumber(value, metric.unit),
    summary,
    width,
    compact: true,
    zeroBased: metric.unit === 'count' || metric.unit === 'percent',
  });
}

function unitTitle(metric: MetricFigures): string {
  switch (metric.unit) {
    case 'count':
      return 'Number';
    case 'percent':
      return 'Percent';
    case 'score':
      return 'Score';
    case 'hours':
      return 'Hours';
    case 'days':
      return 'Days';
    case 'rating':
      return 'Rating';
  }
}

/**
 * Fills the table of every figure by quarter: a row per metric (two on a
 * state page: the state and the nation), a column per quarter and one for
 * the whole period.
 */
export function renderFigureTable(table: HTMLTableElement, figures: OverviewFigures): void {
  const { main, national } = figures;
  const head = createElement('thead', {}, [
    createElement('tr', {}, [
      createElement('th', { text: 'Metric', attributes: { scope: 'col' } }),
      ...main.quarters.map((quarter) =>
        createElement('th', {
          className: 'dashboard-numeric',
          text: describeQuarter(quarter, main.periods.currentQuarter),
          attributes: { scope: 'col' },
        }),
      ),
      createElement('th', { className: 'dashboard-numeric', text: 'Whole period', attributes: { scope: 'col' } }),
    ]),
  ]);
  const rows = main.metrics.flatMap((metric) => {
    const nation = national?.metrics.find((candidate) => candidate.metric === metric.metric);
    if (!nation || !national) return [renderTableRow(metric.label, metric)];
    return [
      renderTableRow(`${metric.label} (${main.scopeName})`, metric),
      renderTableRow(`${metric.label} (${national.scopeName})`, nation),
    ];
  });
  for (const part of table.querySelectorAll('thead, tbody')) part.remove();
  table.append(head, createElement('tbody', {}, rows));
}

function renderTableRow(label: string, metric: MetricFigures): HTMLTableRowElement {
  return createElement('tr', { attributes: { 'data-metric-row': metric.metric } }, [
    createElement('th', { text: label, attributes: { scope: 'row' } }),
    ...metric.values.map((figure) =>
      createElement('td', { className: 'dashboard-numeric', text: formatFigure(figure, metric.unit) }),
    ),
    createElement('td', { className: 'dashboard-numeric', text: formatFigure(metric.period, metric.unit) }),
  ]);
}
