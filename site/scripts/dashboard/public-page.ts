/**
 * The dashboard's public summary, /dashboard/, open to everyone: the year
 * picker (kept in the query string as ?year=YYYY), the public metrics of one
 * ended calendar year nationally and by state, and the busiest routes between
 * states in that year. Signed-in dashboard viewers also get links to the
 * views of their role.
 */
import type { PublicSummaryResponse } from '../../../api/dashboard/contract';
import { callApi } from '../account/api';
import { showStatus } from '../account/form-feedback';
import { formatDateTime, stateNames } from '../account/labels';
import { fetchSession, type SessionPerson } from '../account/session';
import { createElement, findRequired } from '../plans/dom';
import type { StateCode } from '../../../api/shared/states';
import { showPageError } from './public-errors';
import {
  describePeriod,
  renderCorridors,
  renderNationalMetrics,
  renderNationalTable,
  renderStatesTable,
} from './public-tables';

interface PageElements {
  form: HTMLFormElement;
  yearSelect: HTMLSelectElement;
  status: HTMLElement;
  alert: HTMLElement;
  results: HTMLElement;
}

/** Query parameters of the page's address that the API reads, passed on as typed so the API reports a bad one. */
const forwardedParameters = ['year', 'from', 'to'] as const;

/** Counts loads, so a slow response to an earlier choice never replaces a later one. */
let latestLoad = 0;

export async function startPublicPage(): Promise<void> {
  const elements: PageElements = {
    form: findRequired<HTMLFormElement>('[data-year-form]'),
    yearSelect: findRequired<HTMLSelectElement>('#public-year'),
    status: findRequired<HTMLElement>('[data-public-status]'),
    alert: findRequired<HTMLElement>('[data-public-alert]'),
    results: findRequired<HTMLElement>('[data-public-results]'),
  };

  elements.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const year = elements.yearSelect.value;
    if (!/^\d{4}$/.test(year)) return;
    const parameters = new URLSearchParams({ year });
    history.pushState(null, '', `?${parameters.toString()}`);
    void loadSummary(elements, parameters, true);
  });
  window.addEventListener('popstate', () => void loadSummary(elements, readAddressParameters(), true));

  void showStaffLinks();
  await loadSummary(elements, readAddressParameters(), false);
}

/**
 * Reads the parameters of the page's address. A malformed year, or a
 * period from an old link, goes to the API unchanged, so the page shows why
 * it cannot be used instead of quietly showing another year.
 */
function readAddressParameters(): URLSearchParams {
  const address = new URLSearchParams(window.location.search);
  const parameters = new URLSearchParams();
  for (const name of forwardedParameters) {
    const value = address.get(name);
    if (value !== null) parameters.set(name, value);
  }
  return parameters;
}

async function loadSummary(elements: PageElements, parameters: URLSearchParams, announce: boolean): Promise<void> {
  latestLoad += 1;
  const load = latestLoad;
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
    showPageError(elements.alert, error, {
      href: '/dashboard/',
      text: 'Show the figures of the latest year that has ended',
    });
    return;
  }
  if (load !== latestLoad) return;

  elements.alert.replaceChildren();
  fillYearChoices(elements, summary);
  // Shown before drawing, because each chart is drawn at its card's width.
  elements.results.hidden = false;
  renderSummary(summary);
  elements.results.removeAttribute('aria-busy');
  showStatus(elements.status, announce ? `Showing the figures ${describePeriod(summary)}.` : '', 'info');
}

function fillYearChoices(elements: PageElements, summary: PublicSummaryResponse): void {
  const shownYear = summary.year;
  const years = summary.years.includes(shownYear) ? summary.years : [shownYear, ...summary.years];
  elements.yearSelect.replaceChildren(
    ...years.map((year) => {
      const option = createElement('option', { text: String(year), attributes: { value: String(year) } });
      option.selected = year === shownYear;
      return option;
    }),
  );
  elements.form.hidden = false;
}

function renderSummary(summary: PublicSummaryResponse): void {
  const year = String(summary.year);
  findRequired<HTMLElement>('[data-public-period]').textContent = describeFreshness(summary);
  findRequired<HTMLAnchorElement>('[data-public-export]').href =
    `/api/dashboard/public/export?${new URLSearchParams({ year }).toString()}`;
  findRequired<HTMLAnchorElement>('[data-corridors-export]').href =
    `/api/dashboard/public/export?${new URLSearchParams({ year, table: 'corridors' }).toString()}`;

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
