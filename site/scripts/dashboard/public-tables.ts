/**
 * The public summary's content built from the API: one card per national
 * metric (figure, chart and summary sentence), the national figures by
 * quarter, the figures by state and the busiest routes between states, all for one
 * calendar year.
 * Suppressed figures read "fewer than 10", never the number.
 */
import type { PublicSummaryResponse } from '../../../api/dashboard/contract';
import { describeQuarter, type Quarter } from '../../../api/dashboard/quarters';
import { createElement } from '../plans/dom';
import { chartWidthFor, renderLineChart } from './charts';
import { formatFigure, formatNumber } from '../../../api/dashboard/format';
import type { MetricUnit } from '../../../api/dashboard/metrics';

type NationalMetric = PublicSummaryResponse['national'][number];

/** "in 2025", or "in 2026 so far" while no year on file has ended and the running year is shown. */
export function describePeriod(summary: Pick<PublicSummaryResponse, 'year' | 'yearEnded'>): string {
  return summary.yearEnded ? `in ${summary.year}` : `in ${summary.year} so far`;
}

function describePeriodFigure(metric: NationalMetric, summary: PublicSummaryResponse): string {
  if (metric.combine === 'last') return `at the end of ${describeQuarter(summary.to, summary.periods.currentQuarter)}`;
  if (metric.combine === 'weighted') return `on average ${describePeriod(summary)}`;
  return `in all ${describePeriod(summary)}`;
}

/**
 * Title of a card chart's y axis: the unit, because the card's heading just
 * above names the metric. The rotated title must be shorter than the plot is
 * tall (about 90 px in a card), or it runs over the card's text.
 */
const unitAxisTitles: Record<MetricUnit, string> = {
  count: 'Number',
  percent: 'Percent',
  score: 'Score',
  hours: 'Hours',
  days: 'Days',
  rating: 'Rating',
};

/**
 * Fills the container, which must be on screen, with one card per metric.
 * Each chart is drawn at its card's width, so its text keeps its real size.
 */
export function renderNationalMetrics(container: HTMLElement, summary: PublicSummaryResponse): void {
  container.replaceChildren();
  for (const metric of summary.national) {
    const chartHolder = createElement('div', { className: 'dash-metric__chart' });
    container.append(
      createElement('section', { className: 'dash-metric' }, [
        createElement('h3', { className: 'dash-metric__label', text: metric.label }),
        createElement('p', { className: 'dash-metric__figure' }, [
          createElement('span', {
            className: 'dash-metric__value',
            text: formatFigure(metric.period, metric.unit),
            attributes: { 'data-metric-period': metric.metric },
          }),
          ` ${describePeriodFigure(metric, summary)}`,
        ]),
        createElement('p', { className: 'dash-metric__description', text: metric.description }),
        chartHolder,
        createElement('p', {
          className: 'dash-metric__summary',
          text: metric.summary,
          attributes: { 'data-metric-summary': metric.metric },
        }),
      ]),
    );
    chartHolder.append(
      renderLineChart({
        categories: summary.quarters.map((quarter) => describeQuarter(quarter)),
        tickLabels: summary.quarters.map(shortQuarter),
        // A suppressed quarter breaks the line like a quarter without data. The table shows which of the two it is.
        series: [{ name: 'Nation', values: metric.values.map((figure) => (figure.suppressed ? null : figure.value)) }],
        yAxisTitle: unitAxisTitles[metric.unit],
        formatValue: (value) => formatNumber(value, metric.unit),
        summary: `Line chart of ${metric.label.toLowerCase()} nationally by quarter. The sentence below describes it.`,
        width: chartWidthFor(chartHolder),
        compact: true,
      }),
    );
  }
}

/** "Q4 2026", short enough for a chart's x axis. */
function shortQuarter(quarter: Quarter): string {
  const [year, number] = quarter.split('-');
  return `${number} ${year}`;
}

/** Fills the table with a row per metric and a column per quarter, so a long period scrolls sideways. */
export function renderNationalTable(table: HTMLTableElement, summary: PublicSummaryResponse): void {
  const head = createElement('thead', {}, [
    createElement('tr', {}, [
      createElement('th', { text: 'Figure', attributes: { scope: 'col' } }),
      ...summary.quarters.map((quarter) =>
        createElement('th', { text: describeQuarter(quarter), attributes: { scope: 'col' } }),
      ),
    ]),
  ]);
  const body = createElement(
    'tbody',
    {},
    summary.national.map((metric) =>
      createElement('tr', {}, [
        createElement('th', { text: metric.label, attributes: { scope: 'row' } }),
        ...metric.values.map((figure) =>
          createElement('td', { className: 'dash-number', text: formatFigure(figure, metric.unit) }),
        ),
      ]),
    ),
  );
  replaceTableParts(table, head, body);
}

/** Fills the table with one row per state and one column per public metric, each the figure of the whole year. */
export function renderStatesTable(table: HTMLTableElement, summary: PublicSummaryResponse): void {
  const head = createElement('thead', {}, [
    createElement('tr', {}, [
      createElement('th', { text: 'State', attributes: { scope: 'col' } }),
      ...summary.national.map((metric) => createElement('th', { text: metric.label, attributes: { scope: 'col' } })),
    ]),
  ]);
  const body = createElement(
    'tbody',
    {},
    summary.states.map((row) =>
      createElement('tr', { attributes: { 'data-state-row': row.state } }, [
        createElement('th', { text: row.name, attributes: { scope: 'row' } }),
        ...summary.national.map((metric) => {
          const figure = row.figures[metric.metric] ?? { value: null, sample: 0 };
          return createElement('td', {
            className: 'dash-number',
            text: formatFigure(figure, metric.unit),
            attributes: { 'data-metric': metric.metric },
          });
        }),
      ]),
    ),
  );
  replaceTableParts(table, head, body);
}

/** Fills the routes table and returns the sentence above it. The table stays empty when the year has no moves. */
export function renderCorridors(table: HTMLTableElement, summary: PublicSummaryResponse): string {
  const routes = summary.corridors.routes;
  const year = summary.corridors.year ?? summary.year;
  if (routes.length === 0) {
    replaceTableParts(table, createElement('thead'), createElement('tbody'));
    return `No children moved between states in ${year}.`;
  }

  const head = createElement('thead', {}, [
    createElement(
      'tr',
      {},
      ['Rank', 'From', 'To', 'Children'].map((label) =>
        createElement('th', { text: label, attributes: { scope: 'col' } }),
      ),
    ),
  ]);
  const body = createElement(
    'tbody',
    {},
    routes.map((route, index) =>
      createElement('tr', {}, [
        createElement('td', { className: 'dash-number', text: String(index + 1) }),
        createElement('th', { text: route.fromName, attributes: { scope: 'row' } }),
        createElement('td', { text: route.toName }),
        createElement('td', { className: 'dash-number', text: formatFigure(route.children, 'count') }),
      ]),
    ),
  );
  replaceTableParts(table, head, body);
  const routeWords = routes.length === 1 ? 'the busiest route' : `the ${routes.length} busiest routes`;
  return (
    `Children who moved from one state to another in ${year}, on ${routeWords}. A child counts once on each route. ` +
    'Routes with fewer than 10 children are not listed, to protect their privacy.'
  );
}

function replaceTableParts(table: HTMLTableElement, head: HTMLElement, body: HTMLElement): void {
  for (const part of table.querySelectorAll('thead, tbody')) part.remove();
  table.append(head, body);
}
