/**
 * The filters of the signed-in dashboard pages: quarters and a metric, kept
 * in the query string so a view can be bookmarked, shared and reloaded. The
 * query string carries only quarters, metric ids and state codes, never
 * anything about a person.
 */
import type { DashboardPeriods } from '../../../api/dashboard/contract';
import { isMetricId, type MetricId } from '../../../api/dashboard/metrics';
import { describeQuarter, isQuarter, quartersBetween, type Quarter } from '../../../api/dashboard/quarters';
import { ApiError, type FieldProblem } from '../account/api';
import { showErrorAlert } from '../account/form-feedback';
import { formatDateTime } from '../account/labels';

/** Reads a quarter from the page's query string, or undefined when it is missing or not a quarter. */
export function readQuarterParameter(name: string): Quarter | undefined {
  const value = new URLSearchParams(window.location.search).get(name);
  return value !== null && isQuarter(value) ? value : undefined;
}

/** Reads a metric id from the page's query string, or undefined when it is missing or unknown. */
export function readMetricParameter(name: string): MetricId | undefined {
  const value = new URLSearchParams(window.location.search).get(name);
  return value !== null && isMetricId(value) ? value : undefined;
}

/** Builds a path with the given query parameters, leaving out the undefined ones. */
export function buildPath(path: string, parameters: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== '') query.set(name, value);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** Puts the parameters in the address bar as a new history entry, unless they are already there. */
export function pushQuery(parameters: Record<string, string | undefined>): void {
  const next = buildPath(window.location.pathname, parameters);
  if (next !== `${window.location.pathname}${window.location.search}`) window.history.pushState(null, '', next);
}

/** Formats a quarter as a short chart-axis label: "Q4 2026". */
export function shortQuarterLabel(quarter: Quarter): string {
  return `Q${quarter.slice(6)} ${quarter.slice(0, 4)}`;
}

/** Describes a period for people: "Oct–Dec 2026", or "Jan–Mar 2026 to Oct–Dec 2026". */
export function describePeriod(from: Quarter, to: Quarter): string {
  return from === to ? describeQuarter(from) : `${describeQuarter(from)} to ${describeQuarter(to)}`;
}

/**
 * Fills a select with every quarter from the first with data to the current
 * one, newest first, and selects `selected` (added when outside that range,
 * so the select always shows what the figures are for).
 */
export function fillQuarterSelect(select: HTMLSelectElement, periods: DashboardPeriods, selected: Quarter): void {
  const quarters = quartersBetween(periods.firstQuarter, periods.currentQuarter);
  if (!quarters.includes(selected)) quarters.push(selected);
  quarters.sort().reverse();
  select.replaceChildren(
    ...quarters.map((quarter) => {
      const option = document.createElement('option');
      option.value = quarter;
      option.textContent = describeQuarter(quarter);
      option.selected = quarter === selected;
      return option;
    }),
  );
}

/**
 * Checks that a period's first quarter is not after its last, and returns
 * the problem for the `to` field when it is.
 */
export function checkPeriodOrder(from: string, to: string, toField: string, periodName: string): FieldProblem[] {
  if (!isQuarter(from) || !isQuarter(to) || from <= to) return [];
  return [
    {
      field: toField,
      message: `The last quarter of the ${periodName} is before its first quarter. Choose ${describeQuarter(from)} or a later quarter.`,
    },
  ];
}

/** Describes when the figures were last refreshed, for the line under the filters. */
export function describeRefreshedAt(refreshedAt: string | null): string {
  if (refreshedAt === null) return 'The figures have not been computed yet.';
  return `Figures as of ${formatDateTime(refreshedAt)}. They are refreshed every five minutes.`;
}

/** Shown when the figures have never been computed. */
export const noFiguresYetText =
  'No figures yet: they appear after the first refresh, which runs when the server starts and then every five minutes.';

/**
 * Shows an API error in the container. A 400 comes from the query string
 * (such as a last quarter before the first), so the alert also links to the
 * page without it, which shows the default period.
 */
export function showLoadError(container: HTMLElement, error: unknown): void {
  showErrorAlert(container, error);
  if (!(error instanceof ApiError) || error.status !== 400) return;
  const link = document.createElement('a');
  link.className = 'usa-link';
  link.href = window.location.pathname;
  link.textContent = 'Show the default period instead';
  const paragraph = document.createElement('p');
  paragraph.className = 'usa-alert__text';
  paragraph.append(link);
  container.querySelector('.usa-alert__body')?.append(paragraph);
}
