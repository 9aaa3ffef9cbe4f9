/**
 * The console's subscribers page, for admins: the filtered list of
 * subscribers with its CSV export, the CSV import with its report, and the
 * suppression list.
 *
 * Addresses and names stay out of every URL. The status, state, role and
 * topic filters go to the API and into the page address. The "address or
 * name contains" filter is applied in the browser to the rows the API
 * returned, because the API reads it only from the query string.
 */
import { callApi } from '../account/api';
import {
  checkRequiredFields,
  clearFormErrors,
  showErrorAlert,
  showFormError,
  showStatus,
  whileSubmitting,
} from '../account/form-feedback';
import { formatDateTime } from '../account/labels';
import { openGatedPage } from '../account/session';
import { createElement, findRequired } from '../plans/dom';
import { readCsvFile, showImportReport, type ReportProblem } from './csv-upload';
import {
  describeRole,
  describeSubscriberState,
  describeTopics,
  subscriberStatusLabels,
  suppressionReasonLabels,
} from './labels';

const serverFilters = ['status', 'state', 'role', 'topic'] as const;

interface Subscriber {
  id: number;
  email: string;
  name: string | null;
  state: string | null;
  role: string | null;
  topics: string[];
  status: keyof typeof subscriberStatusLabels;
  suppressed: keyof typeof suppressionReasonLabels | null;
}

interface SubscriberList {
  subscribers: Subscriber[];
  total: number;
  limit: number;
}

interface Suppression {
  id: number;
  email: string;
  reason: keyof typeof suppressionReasonLabels;
  createdAt: string;
}

interface ImportReport {
  imported: number;
  updated: number;
  unchanged: number;
  skipped: number;
  errors: ReportProblem[];
  errorCount: number;
  warnings: ReportProblem[];
}

interface SubscribersPage {
  filters: HTMLFormElement;
  status: HTMLElement;
  alert: HTMLElement;
  rows: HTMLTableSectionElement;
  count: HTMLElement;
  csvLink: HTMLAnchorElement;
  /** Counts list requests, so a slow response to an earlier request never replaces a newer one. */
  requestNumber: number;
}

export async function startSubscribersPage(): Promise<void> {
  const session = await openGatedPage({ roles: ['admin'], audience: 'admins' });
  if (!session) return;

  const page: SubscribersPage = {
    filters: findRequired('[data-subscriber-filters]'),
    status: findRequired('[data-subscribers-status]'),
    alert: findRequired('[data-subscribers-alert]'),
    rows: findRequired('[data-subscriber-rows]'),
    count: findRequired('[data-subscribers-count]'),
    csvLink: findRequired('[data-subscribers-csv]'),
    requestNumber: 0,
  };
  readFiltersFromAddress(page.filters);
  page.filters.addEventListener('submit', (event) => {
    event.preventDefault();
    writeFiltersToAddress(page.filters);
    void loadSubscribers(page, true);
  });
  startImportForm(page);
  startSuppressionForm();

  await Promise.all([loadSubscribers(page, false), loadSuppressions()]);
}

function readServerQuery(filters: HTMLFormElement): URLSearchParams {
  const data = new FormData(filters);
  const query = new URLSearchParams();
  for (const name of serverFilters) {
    const value = String(data.get(name) ?? '');
    if (value) query.set(name, value);
  }
  return query;
}

function readFiltersFromAddress(filters: HTMLFormElement): void {
  const params = new URLSearchParams(window.location.search);
  for (const name of serverFilters) {
    const field = filters.elements.namedItem(name);
    const value = params.get(name);
    if (value && field instanceof HTMLSelectElement && [...field.options].some((option) => option.value === value)) {
      field.value = value;
    }
  }
}

function writeFiltersToAddress(filters: HTMLFormElement): void {
  const url = new URL(window.location.href);
  url.search = readServerQuery(filters).toString();
  window.history.replaceState(window.history.state, '', url);
}

async function loadSubscribers(page: SubscribersPage, announce: boolean): Promise<void> {
  page.requestNumber += 1;
  const requestNumber = page.requestNumber;
  page.alert.replaceChildren();

  const query = readServerQuery(page.filters).toString();
  page.csvLink.href = `/api/subscribers/export${query ? `?${query}` : ''}`;
  try {
    const list = await callApi<SubscriberList>('GET', `/api/subscribers${query ? `?${query}` : ''}`);
    if (requestNumber !== page.requestNumber) return;

    const search = String(new FormData(page.filters).get('search') ?? '')
      .trim()
      .toLowerCase();
    const shown = search
      ? list.subscribers.filter(
          (subscriber) => subscriber.email.includes(search) || (subscriber.name ?? '').toLowerCase().includes(search),
        )
      : list.subscribers;
    page.rows.replaceChildren(...shown.map(renderSubscriber));
    page.count.textContent = describeCount(shown.length, list, search !== '');
    if (announce) showStatus(page.status, page.count.textContent, 'info');
  } catch (error) {
    if (requestNumber === page.requestNumber) showErrorAlert(page.alert, error);
  }
}

function describeCount(shown: number, list: SubscriberList, searched: boolean): string {
  const noun = (count: number) => (count === 1 ? '1 subscriber' : `${count} subscribers`);
  if (list.total === 0) return 'No subscriber matches these filters.';
  if (!searched) {
    if (list.total > list.subscribers.length) {
      return `${noun(list.total)} match; the first ${list.subscribers.length} by address are shown. Narrow the filters to see the others, or download the CSV file.`;
    }
    return `${noun(list.total)}.`;
  }
  const truncated = list.total > list.subscribers.length;
  const searchedPart = truncated ? `the first ${list.subscribers.length} of ${list.total}` : `${list.total}`;
  const result = `${shown === 0 ? 'No subscriber' : noun(shown)} of ${searchedPart} matching the other filters ${shown === 1 ? 'contains' : 'contain'} the search text.`;
  return truncated ? `${result} Narrow the other filters so that the search covers every match.` : result;
}

function renderSubscriber(subscriber: Subscriber): HTMLTableRowElement {
  return createElement('tr', {}, [
    createElement('td', { className: 'outreach-table__address', text: subscriber.email }),
    createElement('td', { text: subscriber.name ?? '' }),
    createElement('td', { text: describeSubscriberState(subscriber.state) }),
    createElement('td', { text: describeRole(subscriber.role) }),
    createElement('td', { text: describeTopics(subscriber.topics) }),
    createElement('td', { text: subscriberStatusLabels[subscriber.status] ?? subscriber.status }),
    createElement('td', { text: subscriber.suppressed ? suppressionReasonLabels[subscriber.suppressed] : 'No' }),
  ]);
}

function startImportForm(page: SubscribersPage): void {
  const form = findRequired<HTMLFormElement>('[data-import-form]');
  const fileInput = findRequired<HTMLInputElement>('#import-file');
  const report = findRequired<HTMLElement>('[data-import-report]');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(form, async () => {
      clearFormErrors(form);
      report.replaceChildren();
      if (!checkRequiredFields(form)) return;
      const csv = await readCsvFile(form, fileInput);
      if (csv === undefined) return;

      const consent = new FormData(form).get('consentConfirmed') === 'true';
      try {
        const result = await callApi<ImportReport>('POST', '/api/subscribers/import', {
          csv,
          confirmed: consent,
          ...(consent ? { consentConfirmed: true } : {}),
        });
        showSubscriberImport(report, result);
        form.reset();
        await loadSubscribers(page, false);
      } catch (error) {
        showFormError(form, error);
      }
    });
  });
}

function showSubscriberImport(container: HTMLElement, result: ImportReport): void {
  const summary = [
    `${result.imported} new subscribers imported.`,
    `${result.updated} existing subscribers updated.`,
    `${result.unchanged} rows matched subscribers without changing anything.`,
    `${result.skipped} rows skipped: see the problems below.`,
  ];
  if (result.errorCount > result.errors.length) {
    summary.push(`Only the first ${result.errors.length} of ${result.errorCount} problems are listed.`);
  }
  showImportReport(container, {
    heading: 'Import finished',
    headingLevel: 3,
    summary,
    problems: [...result.errors, ...result.warnings],
    problemsCaption: 'Problems in the subscriber file',
  });
}

function startSuppressionForm(): void {
  const form = findRequired<HTMLFormElement>('[data-suppression-form]');
  const status = findRequired<HTMLElement>('[data-suppression-status]');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(form, async () => {
      clearFormErrors(form);
      showStatus(status, '');
      if (!checkRequiredFields(form)) return;
      const data = new FormData(form);
      try {
        const result = await callApi<{ outcome: 'created' | 'updated' | 'unchanged'; suppression: Suppression }>(
          'POST',
          '/api/suppressions',
          { email: String(data.get('email') ?? '').trim(), reason: String(data.get('reason') ?? '') },
        );
        form.reset();
        showStatus(status, describeSuppressionOutcome(result.outcome, result.suppression));
        await loadSuppressions();
      } catch (error) {
        showFormError(form, error);
      }
    });
  });
}

function describeSuppressionOutcome(outcome: 'created' | 'updated' | 'unchanged', suppression: Suppression): string {
  const reason = suppressionReasonLabels[suppression.reason] ?? suppression.reason;
  if (outcome === 'created') return `${suppression.email} is on the suppression list (${reason}).`;
  if (outcome === 'updated')
    return `${suppression.email} was on the list as unsubscribed; its reason is now: ${reason}.`;
  return `${suppression.email} was already on the suppression list (${reason}); nothing changed.`;
}

async function loadSuppressions(): Promise<void> {
  const rows = findRequired<HTMLTableSectionElement>('[data-suppression-rows]');
  const count = findRequired<HTMLElement>('[data-suppressions-count]');
  try {
    const list = await callApi<{ suppressions: Suppression[]; total: number; limit: number }>(
      'GET',
      '/api/suppressions',
    );
    rows.replaceChildren(
      ...list.suppressions.map((entry) =>
        createElement('tr', {}, [
          createElement('td', { className: 'outreach-table__address', text: entry.email }),
          createElement('td', { text: suppressionReasonLabels[entry.reason] ?? entry.reason }),
          createElement('td', { text: formatDateTime(entry.createdAt) }),
        ]),
      ),
    );
    if (list.total === 0) count.textContent = 'The suppression list is empty.';
    else if (list.total > list.suppressions.length)
      count.textContent = `${list.total} addresses; the ${list.suppressions.length} oldest are shown.`;
    else count.textContent = list.total === 1 ? '1 address.' : `${list.total} addresses.`;
  } catch (error) {
    showErrorAlert(findRequired('[data-subscribers-alert]'), error);
  }
}
