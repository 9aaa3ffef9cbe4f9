/**
 * The console's event registrations page, for admins: choose an event to see
 * its registrants and counts, download them as CSV, and import attendance
 * from the webinar platform's CSV with a report of rows that did not match.
 * The chosen event is kept in the address as `?event=<slug>`.
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
import { formatEventTime } from '../../lib/collections';
import { createElement, findRequired } from '../plans/dom';
import { readCsvFile, showImportReport, type ReportProblem } from './csv-upload';
import { describeRole, describeSubscriberState } from './labels';

interface Registrant {
  id: number;
  name: string;
  email: string;
  state: string | null;
  role: string | null;
  status: 'registered' | 'cancelled';
  attended: boolean | null;
  registeredAt: string;
  cancelledAt: string | null;
}

interface RegistrantList {
  event: { slug: string; title: string; start: string; end: string; timeZone: string; location: string };
  counts: { registered: number; cancelled: number; attended: number };
  registrations: Registrant[];
}

interface AttendanceReport {
  matched: number;
  unmatched: { line: number; email: string }[];
  errors: ReportProblem[];
}

interface RegistrationsPage {
  chooser: HTMLFormElement;
  status: HTMLElement;
  alert: HTMLElement;
  section: HTMLElement;
  heading: HTMLElement;
  /** The event on screen. */
  slug: string | undefined;
  requestNumber: number;
}

export async function startRegistrationsPage(): Promise<void> {
  const session = await openGatedPage({ roles: ['admin'], audience: 'admins' });
  if (!session) return;

  const page: RegistrationsPage = {
    chooser: findRequired('[data-event-chooser]'),
    status: findRequired('[data-registrations-status]'),
    alert: findRequired('[data-registrations-alert]'),
    section: findRequired('[data-registrants-section]'),
    heading: findRequired('#registrants-heading'),
    slug: undefined,
    requestNumber: 0,
  };
  const select = findRequired<HTMLSelectElement>('#choose-event');

  page.chooser.addEventListener('submit', (event) => {
    event.preventDefault();
    clearFormErrors(page.chooser);
    if (!checkRequiredFields(page.chooser)) return;
    writeEventToAddress(select.value);
    void loadRegistrants(page, select.value, true);
  });
  startAttendanceForm(page);

  const requested = new URLSearchParams(window.location.search).get('event');
  if (requested && [...select.options].some((option) => option.value === requested && requested !== '')) {
    select.value = requested;
    await loadRegistrants(page, requested, false);
  }
}

function writeEventToAddress(slug: string): void {
  const url = new URL(window.location.href);
  url.searchParams.set('event', slug);
  window.history.replaceState(window.history.state, '', url);
}

async function loadRegistrants(page: RegistrationsPage, slug: string, moveFocus: boolean): Promise<void> {
  page.requestNumber += 1;
  const requestNumber = page.requestNumber;
  page.alert.replaceChildren();
  try {
    const list = await callApi<RegistrantList>('GET', `/api/events/${encodeURIComponent(slug)}/registrations`);
    if (requestNumber !== page.requestNumber) return;
    showRegistrants(page, list);
    if (moveFocus) page.heading.focus();
  } catch (error) {
    if (requestNumber === page.requestNumber) showErrorAlert(page.alert, error);
  }
}

function showRegistrants(page: RegistrationsPage, list: RegistrantList): void {
  page.slug = list.event.slug;
  page.section.hidden = false;
  findRequired<HTMLElement>('[data-event-title]').textContent = list.event.title;
  findRequired<HTMLElement>('[data-event-when]').textContent =
    `${formatEventTime(new Date(list.event.start), list.event.timeZone)}, ${list.event.location}.`;
  findRequired<HTMLAnchorElement>('[data-registrations-csv]').href =
    `/api/events/${encodeURIComponent(list.event.slug)}/registrations/export`;

  const counts = findRequired<HTMLElement>('[data-registration-counts]');
  counts.replaceChildren(
    ...countItem('Registered', list.counts.registered),
    ...countItem('Cancelled', list.counts.cancelled),
    ...countItem('Attended', list.counts.attended),
  );

  const rows = findRequired<HTMLTableSectionElement>('[data-registrant-rows]');
  if (list.registrations.length === 0) {
    rows.replaceChildren(
      createElement('tr', {}, [
        createElement('td', { text: 'Nobody has registered yet.', attributes: { colspan: '7' } }),
      ]),
    );
    return;
  }
  rows.replaceChildren(...list.registrations.map(renderRegistrant));
}

function countItem(label: string, value: number): HTMLElement[] {
  return [
    createElement('div', { className: 'outreach-counts__item' }, [
      createElement('dt', { text: label }),
      createElement('dd', { text: String(value) }),
    ]),
  ];
}

function renderRegistrant(registrant: Registrant): HTMLTableRowElement {
  const status =
    registrant.status === 'cancelled' ? `Cancelled ${formatDateTime(registrant.cancelledAt)}` : 'Registered';
  let attended = 'Not recorded';
  if (registrant.attended === true) attended = 'Yes';
  if (registrant.attended === false) attended = 'No';
  return createElement('tr', {}, [
    createElement('td', { text: registrant.name }),
    createElement('td', { className: 'outreach-table__address', text: registrant.email }),
    createElement('td', { text: describeSubscriberState(registrant.state) }),
    createElement('td', { text: describeRole(registrant.role) }),
    createElement('td', { text: formatDateTime(registrant.registeredAt) }),
    createElement('td', { text: status }),
    createElement('td', { text: attended }),
  ]);
}

function startAttendanceForm(page: RegistrationsPage): void {
  const form = findRequired<HTMLFormElement>('[data-attendance-form]');
  const fileInput = findRequired<HTMLInputElement>('#attendance-file');
  const report = findRequired<HTMLElement>('[data-attendance-report]');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(form, async () => {
      clearFormErrors(form);
      report.replaceChildren();
      const slug = page.slug;
      if (!slug || !checkRequiredFields(form)) return;
      const csv = await readCsvFile(form, fileInput);
      if (csv === undefined) return;

      try {
        const result = await callApi<AttendanceReport>('POST', `/api/events/${encodeURIComponent(slug)}/attendance`, {
          csv,
        });
        form.reset();
        showAttendanceReport(report, result);
        await loadRegistrants(page, slug, false);
        showStatus(page.status, `Attendance imported: ${describeMatched(result.matched)}.`);
      } catch (error) {
        showFormError(form, error);
      }
    });
  });
}

function describeMatched(matched: number): string {
  return matched === 1 ? '1 registrant updated' : `${matched} registrants updated`;
}

function showAttendanceReport(container: HTMLElement, result: AttendanceReport): void {
  const unmatched: ReportProblem[] = result.unmatched.map((row) => ({
    line: row.line,
    column: 'email',
    value: row.email,
    problem: 'has no registration for this event, so nothing was recorded for it',
  }));
  const problems = [...result.errors, ...unmatched].sort((first, second) => first.line - second.line);
  showImportReport(container, {
    heading: 'Attendance import finished',
    headingLevel: 4,
    summary: [
      `${describeMatched(result.matched)} from the file.`,
      `${result.unmatched.length} addresses in the file have no registration for this event.`,
      `${result.errors.length} rows could not be read: see the problems below.`,
    ],
    problems,
    problemsCaption: 'Rows of the attendance file that were not recorded',
  });
}
