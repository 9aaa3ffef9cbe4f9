/**
 * The console's audit log page, for admins: filters kept in the address,
 * a table of entries newest first, previous and next pages by offset, and a
 * CSV download link that carries the same filters.
 */
import { ApiError, callApi, type FieldProblem } from './api';
import { clearFormErrors, showErrorAlert, showFieldProblems, showFormError, showStatus } from './form-feedback';
import { roleLabels, type Role } from './labels';
import { openGatedPage } from './session';

interface AuditEntry {
  id: number;
  occurredAt: string;
  actorId: number | null;
  actorEmail: string | null;
  actorRole: Role | null;
  ip: string;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: 'success' | 'failure' | 'denied';
  detail: string | null;
  requestId: string | null;
}

const filterNames = ['actor', 'action', 'outcome', 'from', 'to'] as const;
const pageSize = 50;

const outcomeLabels: Record<AuditEntry['outcome'], string> = {
  success: 'Success',
  failure: 'Failure',
  denied: 'Denied',
};

interface AuditPage {
  form: HTMLFormElement;
  status: HTMLElement;
  alert: HTMLElement;
  rows: HTMLTableSectionElement;
  count: HTMLElement;
  heading: HTMLElement;
  csvLink: HTMLAnchorElement;
  previous: HTMLButtonElement;
  next: HTMLButtonElement;
  /** The filters of the entries on screen, as sent to the API; the form may hold edits not yet applied. */
  applied: URLSearchParams;
  offset: number;
  /** Counts requests, so a slow answer to an earlier request never replaces a newer one. */
  requestNumber: number;
}

export async function startAuditPage(): Promise<void> {
  const session = await openGatedPage({ roles: ['admin'], audience: 'admins' });
  if (!session) return;

  const page = findPage();
  const params = new URLSearchParams(window.location.search);
  fillForm(page.form, params);
  page.applied = readFilters(page.form);
  page.offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);

  page.form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearFormErrors(page.form);
    if (!checkDates(page.form)) return;
    page.applied = readFilters(page.form);
    page.offset = 0;
    void showEntries(page, { announce: true, focusHeading: false });
  });
  page.previous.addEventListener('click', () => {
    page.offset = Math.max(0, page.offset - pageSize);
    void showEntries(page, { announce: true, focusHeading: true });
  });
  page.next.addEventListener('click', () => {
    page.offset += pageSize;
    void showEntries(page, { announce: true, focusHeading: true });
  });

  await showEntries(page, { announce: false, focusHeading: false });
}

function findPage(): AuditPage {
  const find = <T extends Element>(selector: string): T => {
    const element = document.querySelector<T>(selector);
    if (!element) throw new Error(`The audit page has no ${selector} element.`);
    return element;
  };
  return {
    form: find('[data-audit-filters]'),
    status: find('[data-audit-status]'),
    alert: find('[data-audit-alert]'),
    rows: find('[data-audit-rows]'),
    count: find('[data-audit-count]'),
    heading: find('#audit-results-heading'),
    csvLink: find('[data-audit-csv]'),
    previous: find('[data-audit-previous]'),
    next: find('[data-audit-next]'),
    applied: new URLSearchParams(),
    offset: 0,
    requestNumber: 0,
  };
}

function fillForm(form: HTMLFormElement, params: URLSearchParams): void {
  for (const name of filterNames) {
    const field = form.elements.namedItem(name);
    const value = params.get(name) ?? '';
    if (field instanceof HTMLInputElement) field.value = value;
    if (field instanceof HTMLSelectElement && [...field.options].some((option) => option.value === value)) {
      field.value = value;
    }
  }
}

function readFilters(form: HTMLFormElement): URLSearchParams {
  const data = new FormData(form);
  const filters = new URLSearchParams();
  for (const name of filterNames) {
    const value = String(data.get(name) ?? '').trim();
    if (value) filters.set(name, value);
  }
  return filters;
}

/** Rejects half-typed dates, which a date input reports as empty, and a "from" date after the "to" date. */
function checkDates(form: HTMLFormElement): boolean {
  const problems: FieldProblem[] = [];
  const from = form.elements.namedItem('from') as HTMLInputElement;
  const to = form.elements.namedItem('to') as HTMLInputElement;
  for (const input of [from, to]) {
    if (input.validity.badInput) {
      problems.push({
        field: input.name,
        message: `${input.labels?.[0]?.textContent ?? input.name}: enter a complete date.`,
      });
    }
  }
  if (problems.length === 0 && from.value && to.value && from.value > to.value) {
    problems.push({ field: 'to', message: 'To (UTC date) must be the same as or later than the From date.' });
  }
  if (problems.length === 0) return true;
  showFieldProblems(form, problems);
  return false;
}

async function showEntries(page: AuditPage, options: { announce: boolean; focusHeading: boolean }): Promise<void> {
  page.alert.replaceChildren();
  writeAddress(page);
  const filters = page.applied.toString();
  page.csvLink.href = `/api/audit/export${filters ? `?${filters}` : ''}`;

  // Requesting one entry more than a page shows whether a next page exists.
  const query = new URLSearchParams(page.applied);
  query.set('limit', String(pageSize + 1));
  query.set('offset', String(page.offset));
  const requestNumber = ++page.requestNumber;
  try {
    const { entries } = await callApi<{ entries: AuditEntry[] }>('GET', `/api/audit?${query}`);
    if (requestNumber !== page.requestNumber) return;
    const shown = entries.slice(0, pageSize);
    page.rows.replaceChildren(...shown.map(renderEntry));
    page.count.textContent = describeRange(page.offset, shown.length);
    page.previous.hidden = page.offset === 0;
    page.next.hidden = entries.length <= pageSize;
    if (options.announce) showStatus(page.status, page.count.textContent, 'info');
    if (options.focusHeading) page.heading.focus();
  } catch (error) {
    showApiError(page, error);
  }
}

/** Filter problems the API finds go on the form's fields; others go in the page's alert. */
function showApiError(page: AuditPage, error: unknown): void {
  const names: readonly string[] = filterNames;
  if (error instanceof ApiError && error.fields.some((problem) => names.includes(problem.field))) {
    showFormError(page.form, error);
    return;
  }
  showErrorAlert(page.alert, error);
}

function writeAddress(page: AuditPage): void {
  const query = new URLSearchParams(page.applied);
  if (page.offset > 0) query.set('offset', String(page.offset));
  const url = new URL(window.location.href);
  url.search = query.toString();
  window.history.replaceState(window.history.state, '', url);
}

function describeRange(offset: number, count: number): string {
  if (count === 0) return offset === 0 ? 'No entries match these filters.' : 'No more entries.';
  return `Showing entries ${offset + 1} to ${offset + count}, newest first.`;
}

function renderEntry(entry: AuditEntry): HTMLTableRowElement {
  const row = document.createElement('tr');
  const time = document.createElement('time');
  time.dateTime = entry.occurredAt;
  time.textContent = entry.occurredAt
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')
    .replace(/Z$/, '');
  const timeCell = document.createElement('td');
  timeCell.append(time);

  row.append(
    timeCell,
    cell(describeActor(entry)),
    cell(entry.action),
    cell([entry.objectType, entry.objectId].filter(Boolean).join(' ')),
    cell(outcomeLabels[entry.outcome] ?? entry.outcome),
    cell(entry.detail ?? ''),
    cell(entry.ip),
    cell(entry.requestId ?? ''),
  );
  return row;
}

function describeActor(entry: AuditEntry): string {
  if (!entry.actorEmail) return 'Not signed in';
  if (!entry.actorRole) return `${entry.actorEmail} (not signed in)`;
  return `${entry.actorEmail} (${roleLabels[entry.actorRole] ?? entry.actorRole})`;
}

function cell(text: string): HTMLTableCellElement {
  const element = document.createElement('td');
  element.textContent = text;
  return element;
}
