/**
 * The help desk reports page for agents and admins: reads the period and
 * filters from the address, loads GET /api/desk/reports, and renders each
 * section as a table with CSV download links. Every value is set as text, so
 * nothing from the API is read as markup.
 */
import { callApi } from '../account/api';
import { showErrorAlert, showStatus, whileSubmitting } from '../account/form-feedback';
import { stateNames } from '../account/labels';
import { openGatedPage } from '../account/session';
import { plural } from '../../lib/plural';
import { backlogBandLabels, backlogStatusLabels, categoryLabels, channelLabels } from './reports-labels';

const filterNames = ['from', 'to', 'state', 'category', 'channel'] as const;

interface CountRow {
  key: string;
  count: number;
}

interface TimeSummary {
  tickets: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

interface ComplianceSummary {
  counted: number;
  met: number;
  missed: number;
  percentMet: number | null;
}

interface DeskReport {
  filters: { from: string; to: string };
  volume: {
    total: number;
    byState: CountRow[];
    byCategory: CountRow[];
    byChannel: CountRow[];
    byWeek: Array<{ week: string; weekStart: string; count: number }>;
  };
  responseTimes: { firstResponse: TimeSummary; resolution: TimeSummary };
  compliance: { firstResponse: ComplianceSummary; resolution: ComplianceSummary };
  backlog: { total: number; rows: Array<{ band: string; byStatus: Record<string, number>; total: number }> };
  satisfaction: {
    surveysSent: number;
    answers: number;
    averageRating: number | null;
    distribution: Array<{ rating: number; count: number }>;
  };
  faqDeflections: { draftsWithOpenedSuggestion: number; filed: number; leftWithoutFiling: number };
}

type Cell = string | number | { bar: number; of: number };

export async function startReportsPage(): Promise<void> {
  const session = await openGatedPage({ roles: ['admin', 'agent'], audience: 'help desk agents and admins' });
  if (!session) return;

  const form = find<HTMLFormElement>('[data-report-filters]');
  const status = find<HTMLElement>('[data-report-status]');
  const alert = find<HTMLElement>('[data-report-alert]');
  const body = find<HTMLElement>('[data-report-body]');

  const params = new URLSearchParams(window.location.search);
  for (const name of filterNames) {
    const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
    if (field && params.get(name)) field.value = params.get(name)!;
  }

  const load = async (announce: boolean) => {
    const query = readQuery(form);
    alert.replaceChildren();
    try {
      const report = await callApi<DeskReport>('GET', `/api/desk/reports?${query}`);
      renderReport(report, query);
      body.hidden = false;
      // The server fills in the default period, so the form shows the dates the figures cover.
      (form.elements.namedItem('from') as HTMLInputElement).value = report.filters.from;
      (form.elements.namedItem('to') as HTMLInputElement).value = report.filters.to;
      if (announce) {
        showStatus(status, `Report updated for ${report.filters.from} to ${report.filters.to}.`, 'info');
      }
    } catch (error) {
      body.hidden = true;
      showStatus(status, '');
      showErrorAlert(alert, error);
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = readQuery(form);
    window.history.replaceState(null, '', query ? `?${query}` : window.location.pathname);
    void whileSubmitting(form, () => load(true));
  });

  await load(false);
}

function find<T extends Element>(selector: string): T {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`The reports page has no ${selector} element.`);
  return element;
}

/** Builds the query string from the filled-in filters only. */
function readQuery(form: HTMLFormElement): string {
  const query = new URLSearchParams();
  for (const name of filterNames) {
    const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
    if (field?.value) query.set(name, field.value);
  }
  return query.toString();
}

function renderReport(report: DeskReport, query: string): void {
  for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-csv-link]')) {
    link.href = `/api/desk/reports/${link.dataset.csvLink}/csv${query ? `?${query}` : ''}`;
  }

  const { compliance, responseTimes, volume, backlog, satisfaction, faqDeflections } = report;

  setTable(
    'compliance',
    'SLA compliance',
    ['Clock', 'Counted', 'Met', 'Missed', 'Met on time'],
    [
      ['First response', ...complianceCells(compliance.firstResponse)],
      ['Resolution', ...complianceCells(compliance.resolution)],
    ],
  );
  setTable(
    'times',
    'Business time to respond and to solve',
    ['Measure', 'Tickets', 'Median', '90th percentile'],
    [
      ['First response', responseTimes.firstResponse.tickets, ...timeCells(responseTimes.firstResponse)],
      ['Resolution', responseTimes.resolution.tickets, ...timeCells(responseTimes.resolution)],
    ],
  );

  find<HTMLElement>('[data-report-total]').textContent = String(volume.total);
  const weekMaximum = Math.max(1, ...volume.byWeek.map((row) => row.count));
  setTable(
    'weeks',
    'Tickets by week (ISO weeks, starting Monday)',
    ['Week', 'Tickets', 'Chart'],
    volume.byWeek.map((row) => [
      `${row.week}, from ${formatDay(row.weekStart)}`,
      row.count,
      { bar: row.count, of: weekMaximum },
    ]),
  );
  setTable('categories', 'By category', ['Category', 'Tickets'], labelled(volume.byCategory, categoryLabels));
  setTable('channels', 'By channel', ['Channel', 'Tickets'], labelled(volume.byChannel, channelLabels));
  setTable(
    'states',
    'By state',
    ['State', 'Tickets'],
    volume.byState.map((row) => [row.key === 'none' ? 'No state' : stateLabel(row.key), row.count]),
  );

  find<HTMLElement>('[data-report-backlog-total]').textContent = plural(backlog.total, 'open ticket');
  const statuses = Object.keys(backlogStatusLabels);
  setTable(
    'backlog',
    'Open tickets by age and status',
    ['Age', ...statuses.map((status) => backlogStatusLabels[status]!), 'Total'],
    backlog.rows.map((row) => [
      backlogBandLabels[row.band] ?? row.band,
      ...statuses.map((status) => row.byStatus[status] ?? 0),
      row.total,
    ]),
  );

  find<HTMLElement>('[data-report-satisfaction-summary]').textContent =
    satisfaction.answers === 0
      ? `No survey answers in this period. Surveys sent: ${satisfaction.surveysSent}.`
      : `${plural(satisfaction.answers, 'answer')}, average ${satisfaction.averageRating} out of 5. Surveys sent: ${satisfaction.surveysSent}.`;
  const ratingMaximum = Math.max(1, ...satisfaction.distribution.map((row) => row.count));
  setTable(
    'satisfaction',
    'Answers by rating (1 very dissatisfied, 5 very satisfied)',
    ['Rating', 'Answers', 'Chart'],
    satisfaction.distribution.map((row) => [String(row.rating), row.count, { bar: row.count, of: ratingMaximum }]),
  );

  find<HTMLElement>('[data-report-faq]').textContent =
    faqDeflections.draftsWithOpenedSuggestion === 0
      ? `No requester opened a suggested FAQ in this period. ${faqCountNote}`
      : `${plural(faqDeflections.draftsWithOpenedSuggestion, 'requester')} opened a suggested FAQ while writing a ticket. ` +
        `${faqDeflections.leftWithoutFiling.toLocaleString('en-US')} then left without filing and ` +
        `${faqDeflections.filed.toLocaleString('en-US')} filed a ticket anyway. ${faqCountNote}`;
}

/** Explains the FAQ figures, which the API counts apart from the filters and only once a requester had a day to file. */
const faqCountNote =
  'A requester is counted one day after opening the FAQ, to give them time to file. ' +
  'These figures include every state, category and channel, whatever the filters above.';

function labelled(rows: CountRow[], labels: Record<string, string>): Cell[][] {
  return rows.map((row) => [labels[row.key] ?? row.key, row.count]);
}

function stateLabel(code: string): string {
  const name = (stateNames as Record<string, string>)[code];
  return name ? `${name} (${code})` : code;
}

function complianceCells(summary: ComplianceSummary): Cell[] {
  return [
    summary.counted,
    summary.met,
    summary.missed,
    summary.percentMet === null ? 'Nothing counted yet' : `${summary.percentMet}%`,
  ];
}

function timeCells(summary: TimeSummary): Cell[] {
  return [formatMinutes(summary.medianMinutes), formatMinutes(summary.p90Minutes)];
}

/** Formats business minutes such as "2 h 30 min", or a dash when there are none. */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return 'No tickets';
  const rounded = Math.round(minutes);
  const hours = Math.floor(rounded / 60);
  const rest = rounded % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

function formatDay(date: string): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** Replaces the table in `[data-report-table=name]`. The first column contains row headers. */
function setTable(name: string, caption: string, headers: string[], rows: Cell[][]): void {
  const container = find<HTMLElement>(`[data-report-table="${name}"]`);
  const table = document.createElement('table');
  table.className = 'usa-table usa-table--borderless';
  const captionElement = table.createCaption();
  captionElement.textContent = caption;

  const headRow = table.createTHead().insertRow();
  headers.forEach((header, index) => {
    const cell = document.createElement('th');
    cell.scope = 'col';
    cell.textContent = header;
    if (index > 0 && header !== 'Chart') cell.className = 'report-number';
    headRow.append(cell);
  });

  const bodyElement = table.createTBody();
  for (const row of rows) {
    const tableRow = bodyElement.insertRow();
    row.forEach((value, index) => {
      const cell = document.createElement(index === 0 ? 'th' : 'td');
      if (index === 0) (cell as HTMLTableCellElement).scope = 'row';
      if (typeof value === 'object') {
        cell.append(bar(value.bar, value.of));
      } else {
        cell.textContent = String(value);
        if (index > 0) cell.className = 'report-number';
      }
      tableRow.append(cell);
    });
  }
  container.replaceChildren(table);
}

/** Draws a horizontal SVG bar, hidden from screen readers because the cell before it contains the number. */
function bar(value: number, maximum: number): SVGSVGElement {
  const namespace = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(namespace, 'svg');
  svg.setAttribute('class', 'report-bar');
  svg.setAttribute('viewBox', '0 0 100 10');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const rect = document.createElementNS(namespace, 'rect');
  rect.setAttribute('x', '0');
  rect.setAttribute('y', '0');
  rect.setAttribute('height', '10');
  rect.setAttribute('width', String(maximum === 0 ? 0 : (value / maximum) * 100));
  svg.append(rect);
  return svg;
}
