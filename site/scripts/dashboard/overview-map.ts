/**
 * The map of the states on the national overview, for admins and agents:
 * one metric's period figure per state (from /api/dashboard/compare), drawn
 * on the tile map, with a sortable table of the same figures. The chosen
 * metric is kept in the query string as `map`.
 */
import type { CompareResponse, ComparedScope, FiguresResponse } from '../../../api/dashboard/contract';
import { metricList, type MetricId } from '../../../api/dashboard/metrics';
import type { StateCode } from '../../../api/shared/states';
import { callApi } from '../account/api';
import { createElement, findRequired } from '../plans/dom';
import {
  buildPath,
  describePeriod,
  pushQuery,
  readMetricParameter,
  readQuarterParameter,
  showLoadError,
} from './filters';
import { formatFigure, formatNumber } from '../../../api/dashboard/format';
import { renderValueMap, statePagePath } from './map';
import { startSortableTable } from './sortable-table';

const defaultMapMetric: MetricId = 'searches';

/** The map section's controls: `load` draws it for the overview's figures; `queryParameters` gives its query parameter. */
export interface OverviewMap {
  load: (figures: FiguresResponse) => Promise<void>;
  queryParameters: () => Record<string, string | undefined>;
}

/** Prepares the map section; it stays hidden for viewers who do not see every state. */
export function startOverviewMap(): OverviewMap {
  const section = findRequired<HTMLElement>('[data-dashboard-map-section]');
  const form = findRequired<HTMLFormElement>('[data-dashboard-map-form]');
  const select = findRequired<HTMLSelectElement>('#dashboard-map-metric');
  const mapContainer = findRequired<HTMLElement>('[data-dashboard-map]');
  const alert = findRequired<HTMLElement>('[data-dashboard-map-alert]');
  const table = findRequired<HTMLTableElement>('[data-dashboard-map-table]');
  const caption = findRequired<HTMLElement>('[data-dashboard-map-caption]');
  const status = findRequired<HTMLElement>('[data-dashboard-status]');
  let lastFigures: FiguresResponse | undefined;

  select.replaceChildren(
    ...metricList.map((metric) => createElement('option', { text: metric.label, attributes: { value: metric.id } })),
  );

  const load = async (figures: FiguresResponse) => {
    lastFigures = figures;
    if (figures.viewer.reach !== 'national' || figures.refreshedAt === null) {
      section.hidden = true;
      return;
    }
    const metric = readMetricParameter('map') ?? defaultMapMetric;
    select.value = metric;
    let comparison: CompareResponse;
    try {
      comparison = await callApi<CompareResponse>(
        'GET',
        buildPath('/api/dashboard/compare', { metric, from: figures.from, to: figures.to }),
      );
    } catch (error) {
      section.hidden = false;
      showLoadError(alert, error);
      return;
    }
    alert.replaceChildren();
    section.hidden = false;
    drawMap(comparison, mapContainer);
    caption.textContent = `${comparison.metric.label} by state, ${describePeriod(comparison.from, comparison.to, comparison.periods.currentQuarter)}`;
    startSortableTable({
      table,
      status,
      rows: comparison.states,
      columns: [
        {
          key: 'state',
          label: 'State',
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
          key: 'figure',
          label: comparison.metric.label,
          numeric: true,
          sortValue: (row) => row.period.value,
          render: (row) => formatFigure(row.period, comparison.metric.unit),
        },
      ],
      initialSort: { key: 'state', direction: 'ascending' },
      footerRows: [comparison.national],
    });
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    pushQuery({ from: readQuarterParameter('from'), to: readQuarterParameter('to'), map: select.value });
    if (lastFigures) void load(lastFigures);
  });

  return { load, queryParameters: () => ({ map: readMetricParameter('map') }) };
}

function drawMap(comparison: CompareResponse, container: HTMLElement): void {
  const unit = comparison.metric.unit;
  container.replaceChildren(
    renderValueMap({
      values: comparison.states.map((row) => ({
        state: row.scope as StateCode,
        value: row.period.value,
        valueText: formatFigure(row.period, unit),
      })),
      formatValue: (value) => formatNumber(value, unit),
      summary: summarizeMap(comparison),
      legendTitle: `${comparison.metric.label}, ${describePeriod(comparison.from, comparison.to, comparison.periods.currentQuarter)}`,
    }),
  );
}

/** Writes the map's aria-label: the highest and lowest states and how many have no figure. */
function summarizeMap(comparison: CompareResponse): string {
  const unit = comparison.metric.unit;
  const withValue = comparison.states.filter(
    (row): row is ComparedScope & { period: { value: number } } => row.period.value !== null,
  );
  const missing = comparison.states.length - withValue.length;
  const intro = `Map of the states by ${comparison.metric.label.toLowerCase()}, ${describePeriod(comparison.from, comparison.to, comparison.periods.currentQuarter)}.`;
  const missingText = missing === 0 ? '' : ` ${missing} ${missing === 1 ? 'state has' : 'states have'} no figure.`;
  if (withValue.length === 0) return `${intro} No state has a figure. The table below gives the same information.`;
  const sorted = [...withValue].sort((left, right) => right.period.value - left.period.value);
  const highest = sorted[0]!;
  const lowest = sorted[sorted.length - 1]!;
  return (
    `${intro} Highest: ${highest.name}, ${formatFigure(highest.period, unit)}. ` +
    `Lowest: ${lowest.name}, ${formatFigure(lowest.period, unit)}.${missingText} The table below gives the same figures.`
  );
}
