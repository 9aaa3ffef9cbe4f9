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

/**
 * Describes a period for people: "Oct–Dec 2026", or "Jan–Mar 2026 to Oct–Dec 2026".
 * Given the current quarter, that quarter reads "Oct–Dec 2026 (so far)".
 */
export function describePeriod(from: Quarter, to: Quarter, currentQuarter?: Quarter): string {
  const last = describeQuarter(to, currentQuarter);
  return from === to ? last : `${describeQuarter(from, currentQuarter)} to ${last}`;
}

/**
 * Names a period as briefly as people say it: "Jan–Dec 2026" for a run of
 * quarters within one year, otherwise as describePeriod does.
 */
export function describePeriodBriefly(from: Quarter, to: Quarter, currentQuarter?: Quarter): string {
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  if (!sameYear || from === to) return describePeriod(from, to, currentQuarter);
  const first = describeQuarter(from).slice(0, 3);
  return `${first}–${describeQuarter(to, currentQuarter).slice(4)}`;
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
      option.textContent = describeQuarter(quarter, periods.currentQuarter);
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

/** Names of the query parameters as the filters label them, for error messages. */
const parameterLabels: Record<string, string> = {
  from: 'First quarter',
  to: 'Last quarter',
  baselineFrom: 'Baseline: first quarter',
  baselineTo: 'Baseline: last quarter',
  metric: 'Metric',
  scope: 'State',
  map: 'Metric on the map',
};

/**
 * Rewrites an API error message for people: the parameter names that start
 * it ("from:" or "from to to:") become the filters' labels, and quarter codes
 * such as 2026-Q1 become "Jan–Mar 2026".
 */
export function describeApiMessage(message: string): string {
  const prefix = /^([A-Za-z]+)(?: to ([A-Za-z]+))?: /.exec(message);
  let text = message;
  if (prefix && prefix[1]! in parameterLabels && (prefix[2] === undefined || prefix[2] in parameterLabels)) {
    const names = [prefix[1]!, ...(prefix[2] === undefined ? [] : [prefix[2]])].map((name) => parameterLabels[name]);
    text = `${names.join(' to ')}: ${message.slice(prefix[0].length)}`;
  }
  // NOTE: the parameter names inside the sentence are rewritten only in the period messages' known wording.
  text = text
    .replace(/\bbefore (?:from|baselineFrom) /g, 'before the first quarter, ')
    .replace(
      /\bChoose an? (?:to|baselineTo) quarter the same as or after (?:from|baselineFrom)\./g,
      'Choose a last quarter the same as or after the first.',
    );
  return text.replace(/\b(\d{4})-Q([1-4])\b/g, (code) => describeQuarter(code as Quarter));
}

/**
 * Lists the query parameters that are present but malformed, such as
 * from=2026Q1, so the page can say so instead of quietly showing the default.
 */
export function findMalformedParameters(quarterNames: string[], metricNames: string[] = []): string[] {
  const query = new URLSearchParams(window.location.search);
  const malformed: string[] = [];
  for (const name of quarterNames) {
    const value = query.get(name);
    if (value !== null && value !== '' && !isQuarter(value)) {
      malformed.push(
        `${parameterLabels[name] ?? name}: “${value.slice(0, 20)}” is not a quarter. Quarters are written like 2026-Q1 (Jan–Mar 2026).`,
      );
    }
  }
  for (const name of metricNames) {
    const value = query.get(name);
    if (value !== null && value !== '' && !isMetricId(value)) {
      malformed.push(`${parameterLabels[name] ?? name}: “${value.slice(0, 40)}” is not a metric of the dashboard.`);
    }
  }
  return malformed;
}

/** Shows problems with the page's address, with a link to the page's default view. */
export function showAddressProblems(container: HTMLElement, problems: string[]): void {
  showErrorAlert(
    container,
    new ApiError(400, 'invalid_address', `The address of this page is not valid. ${problems.join(' ')}`),
  );
  appendDefaultViewLink(container);
}

/**
 * Shows an API error in the container, in plain words. A 400 comes from the
 * query string (such as a last quarter before the first), so the alert also
 * links to the page without it, which shows the default view.
 */
export function showLoadError(container: HTMLElement, error: unknown): void {
  if (!(error instanceof ApiError)) {
    showErrorAlert(container, error);
    return;
  }
  showErrorAlert(
    container,
    new ApiError(error.status, error.code, describeApiMessage(error.message), error.fields, error.requestId),
  );
  if (error.status === 400) appendDefaultViewLink(container);
}

function appendDefaultViewLink(container: HTMLElement): void {
  const link = document.createElement('a');
  link.className = 'usa-link';
  link.href = window.location.pathname;
  link.textContent = 'Show the default view instead';
  link.setAttribute('data-default-view', '');
  const paragraph = document.createElement('p');
  paragraph.className = 'usa-alert__text';
  paragraph.append(link);
  container.querySelector('.usa-alert__body')?.append(paragraph);
}
