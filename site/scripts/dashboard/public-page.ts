/**
 * The dashboard's public summary, /dashboard/, open to everyone: the period
 * filter (kept in the query string as ?from=YYYY-Qn&to=YYYY-Qn), the public
 * metrics nationally and by state, and the busiest routes between states.
 * Signed-in dashboard viewers also get links to the views of their role.
 */
import type { PublicSummaryResponse } from '../../../api/dashboard/contract';
import { describeQuarter, isQuarter, quartersBetween, type Quarter } from '../../../api/dashboard/quarters';
import { maxPeriodQuarters } from '../../../api/dashboard/read/query';
import { callApi } from '../account/api';
import { clearFormErrors, showErrorAlert, showFieldProblems, showStatus } from '../account/form-feedback';
import { formatDateTime, stateNames } from '../account/labels';
import { fetchSession, type SessionPerson } from '../account/session';
import { createElement, findRequired } from '../plans/dom';
import type { StateCode } from '../../../api/shared/states';
import {
  describePeriod,
  renderCorridors,
  renderNationalMetrics,
  renderNationalTable,
  renderStatesTable,
} from './public-tables';

interface Period {
  from?: Quarter;
  to?: Quarter;
}

interface PageElements {
  form: HTMLFormElement;
  fromSelect: HTMLSelectElement;
  toSelect: HTMLSelectElement;
  status: HTMLElement;
  alert: HTMLElement;
  results: HTMLElement;
}

/** Counts loads, so a slow response to an earlier choice never replaces a later one. */
let latestLoad = 0;

export async function startPublicPage(): Promise<void> {
  const elements: PageElements = {
    form: findRequired<HTMLFormElement>('[data-period-form]'),
    fromSelect: findRequired<HTMLSelectElement>('#period-from'),
    toSelect: findRequired<HTMLSelectElement>('#period-to'),
    status: findRequired<HTMLElement>('[data-public-status]'),
    alert: findRequired<HTMLElement>('[data-public-alert]'),
    results: findRequired<HTMLElement>('[data-public-results]'),
  };

  elements.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const period = readChosenPeriod(elements);
    if (!period) return;
    history.pushState(null, '', `?${new URLSearchParams({ from: period.from, to: period.to }).toString()}`);
    void loadSummary(elements, period, true);
  });
  window.addEventListener('popstate', () => void loadSummary(elements, readPeriodFromAddress(), true));

  void showStaffLinks();
  await loadSummary(elements, readPeriodFromAddress(), false);
}

/** Reads the period from the query string. A value that is not a quarter is left out, so the API uses its default. */
function readPeriodFromAddress(): Period {
  const parameters = new URLSearchParams(window.location.search);
  const from = parameters.get('from') ?? '';
  const to = parameters.get('to') ?? '';
  return { from: isQuarter(from) ? from : undefined, to: isQuarter(to) ? to : undefined };
}

function readChosenPeriod(elements: PageElements): Required<Period> | undefined {
  clearFormErrors(elements.form);
  const from = elements.fromSelect.value;
  const to = elements.toSelect.value;
  if (!isQuarter(from) || !isQuarter(to)) return undefined;
  if (to < from) {
    showFieldProblems(elements.form, [
      { field: 'to', message: `Last quarter: choose ${describeQuarter(from)} or a later quarter.` },
    ]);
    return undefined;
  }
  if (quartersBetween(from, to).length > maxPeriodQuarters) {
    showFieldProblems(elements.form, [
      {
        field: 'to',
        message: `Last quarter: choose at most ${maxPeriodQuarters} quarters (five years) from the first.`,
      },
    ]);
    return undefined;
  }
  return { from, to };
}

async function loadSummary(elements: PageElements, period: Period, announce: boolean): Promise<void> {
  latestLoad += 1;
  const load = latestLoad;
  const parameters = new URLSearchParams();
  if (period.from) parameters.set('from', period.from);
  if (period.to) parameters.set('to', period.to);
  const query = parameters.toString() ? `?${parameters.toString()}` : '';

  elements.results.setAttribute('aria-busy', 'true');
  if (announce) showStatus(elements.status, 'Loading the figures…', 'info');

  let summary: PublicSummaryResponse;
  try {
    summary = await callApi<PublicSummaryResponse>('GET', `/api/dashboard/public${query}`);
  } catch (error) {
    if (load !== latestLoad) return;
    elements.results.removeAttribute('aria-busy');
    showStatus(elements.status, '');
    elements.results.hidden = true;
    showErrorAlert(elements.alert, error);
    elements.alert.append(
      createElement('p', {}, [
        createElement('a', {
          className: 'usa-link',
          text: 'Show the figures of the last four quarters that have ended',
          attributes: { href: '/dashboard/' },
        }),
      ]),
    );
    return;
  }
  if (load !== latestLoad) return;

  elements.alert.replaceChildren();
  fillPeriodChoices(elements, summary);
  // Shown before drawing, because each chart is drawn at its card's width.
  elements.results.hidden = false;
  renderSummary(summary);
  elements.results.removeAttribute('aria-busy');
  showStatus(elements.status, announce ? `Showing the figures ${describePeriod(summary)}.` : '', 'info');
}

function fillPeriodChoices(elements: PageElements, summary: PublicSummaryResponse): void {
  // The default period can start before the first quarter on file, and the choices must include it.
  const first = summary.from < summary.periods.firstQuarter ? summary.from : summary.periods.firstQuarter;
  const quarters = quartersBetween(first, summary.periods.currentQuarter);
  const options = (selected: Quarter) =>
    quarters.map((quarter) => {
      const option = createElement('option', { text: describeQuarter(quarter), attributes: { value: quarter } });
      option.selected = quarter === selected;
      return option;
    });
  elements.fromSelect.replaceChildren(...options(summary.from));
  elements.toSelect.replaceChildren(...options(summary.to));
  elements.form.hidden = false;
}

function renderSummary(summary: PublicSummaryResponse): void {
  findRequired<HTMLElement>('[data-public-period]').textContent = describeFreshness(summary);
  findRequired<HTMLAnchorElement>('[data-public-export]').href =
    `/api/dashboard/public/export?${new URLSearchParams({ from: summary.from, to: summary.to }).toString()}`;

  renderNationalMetrics(findRequired<HTMLElement>('[data-national-metrics]'), summary);
  renderNationalTable(findRequired<HTMLTableElement>('[data-national-table]'), summary);
  renderStatesTable(findRequired<HTMLTableElement>('[data-states-table]'), summary);

  const corridorsNote = renderCorridors(findRequired<HTMLTableElement>('[data-corridors-table]'), summary);
  findRequired<HTMLElement>('[data-corridors-note]').textContent = corridorsNote;
  const noRoutes = summary.corridors.routes.length === 0;
  findRequired<HTMLElement>('[data-corridors-container]').hidden = noRoutes;
  findRequired<HTMLElement>('[data-corridors-download]').hidden = noRoutes;
}

function describeFreshness(summary: PublicSummaryResponse): string {
  const period = `Figures ${describePeriod(summary)}.`;
  if (summary.refreshedAt === null) {
    return `${period} The figures have not been computed yet, so they read as no data. Try again in a few minutes.`;
  }
  return `${period} Last updated ${formatDateTime(summary.refreshedAt)}; the figures are updated every five minutes.`;
}

/** Links to the signed-in dashboard pages, for the roles that may open them. */
async function showStaffLinks(): Promise<void> {
  let person: SessionPerson;
  try {
    const session = await fetchSession();
    if (!session.signedIn || session.rulesOfBehaviorRequired) return;
    person = session.person;
  } catch {
    // The public summary works without the session, because the links are only an extra for staff.
    return;
  }

  const links = describeStaffLinks(person);
  if (links.length === 0) return;
  findRequired<HTMLElement>('[data-staff-link-list]').replaceChildren(
    ...links.map((link) =>
      createElement('li', {}, [
        createElement('a', { className: 'usa-link', text: link.label, attributes: { href: link.href } }),
        `: ${link.description}`,
      ]),
    ),
  );
  findRequired<HTMLElement>('[data-staff-links]').hidden = false;
}

interface StaffLink {
  href: string;
  label: string;
  description: string;
}

function describeStaffLinks(person: SessionPerson): StaffLink[] {
  const national = person.role === 'admin' || person.role === 'agent';
  if (!national && person.role !== 'state_coordinator') return [];

  const links: StaffLink[] = [
    {
      href: '/dashboard/national/',
      label: 'National overview',
      description: 'every metric nationally, quarter by quarter, with no figure hidden',
    },
  ];
  const stateName = person.state ? stateNames[person.state as StateCode] : undefined;
  if (!national && person.state && stateName) {
    links.push({
      href: `/dashboard/states/${person.state.toLowerCase()}/`,
      label: stateName,
      description: 'every metric for your state',
    });
  }
  links.push(
    {
      href: '/dashboard/compare/',
      label: 'Compare states',
      description: national
        ? 'growth of any metric against a baseline period, with the states ranked'
        : 'growth of any metric in your state against a baseline period',
    },
    {
      href: '/dashboard/flows/',
      label: 'Migratory patterns',
      description: national
        ? 'where children moved, by year and route'
        : 'where children moved into or out of your state, by year',
    },
  );
  return links;
}
