/**
 * Migratory patterns, /dashboard/flows/, for admins, agents and state
 * coordinators: the year picker (kept in the query string as ?year=YYYY),
 * the totals, the flow map, the top 10 corridors, the sortable table of every
 * route, moves within a state and arrivals from outside the United States.
 */
import type { FlowsResponse } from '../../../api/dashboard/contract';
import type { StateCode } from '../../../api/shared/states';
import { callApi } from '../account/api';
import { showStatus } from '../account/form-feedback';
import { formatDateTime, stateNames } from '../account/labels';
import { openGatedPage } from '../account/session';
import { createElement, findRequired } from '../plans/dom';
import { formatNumber } from '../../../api/dashboard/format';
import { mappedRouteCount, renderFlowMap } from './flows-map';
import { fillTable, startRoutesTable, type RoutesTableUpdate } from './flows-table';
import { showPageError } from './public-errors';

interface PageElements {
  form: HTMLFormElement;
  yearSelect: HTMLSelectElement;
  status: HTMLElement;
  alert: HTMLElement;
  empty: HTMLElement;
  results: HTMLElement;
  setRoutes: (update: RoutesTableUpdate) => void;
  /** A coordinator's state, whose tile the map outlines. */
  ownState?: StateCode;
}

/** Counts loads, so a slow response to an earlier year never replaces a later one. */
let latestLoad = 0;

export async function startFlowsPage(): Promise<void> {
  const session = await openGatedPage({
    roles: ['admin', 'agent', 'state_coordinator'],
    audience: 'admins, help-desk agents and state coordinators',
  });
  if (!session) return;

  const elements: PageElements = {
    form: findRequired<HTMLFormElement>('[data-year-form]'),
    yearSelect: findRequired<HTMLSelectElement>('#flows-year'),
    status: findRequired<HTMLElement>('[data-flows-status]'),
    alert: findRequired<HTMLElement>('[data-flows-alert]'),
    empty: findRequired<HTMLElement>('[data-flows-empty]'),
    results: findRequired<HTMLElement>('[data-flows-results]'),
    setRoutes: startRoutesTable({
      table: findRequired<HTMLTableElement>('[data-routes-table]'),
      filter: findRequired<HTMLInputElement>('[data-route-filter]'),
      count: findRequired<HTMLElement>('[data-route-count]'),
      status: findRequired<HTMLElement>('[data-route-sort-status]'),
    }),
    ownState: session.person.role === 'state_coordinator' ? (session.person.state as StateCode) : undefined,
  };

  elements.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const year = elements.yearSelect.value;
    if (!/^\d{4}$/.test(year)) return;
    history.pushState(null, '', `?${new URLSearchParams({ year }).toString()}`);
    void loadFlows(elements, year, true);
  });
  window.addEventListener('popstate', () => void loadFlows(elements, readYearFromAddress(), true));

  await loadFlows(elements, readYearFromAddress(), false);
}

/**
 * Reads the year from the query string. A malformed one goes to the API
 * unchanged, so the page shows why it cannot be used instead of quietly
 * showing the latest year.
 */
function readYearFromAddress(): string | undefined {
  return new URLSearchParams(window.location.search).get('year') ?? undefined;
}

async function loadFlows(elements: PageElements, year: string | undefined, announce: boolean): Promise<void> {
  latestLoad += 1;
  const load = latestLoad;
  const query = year ? `?${new URLSearchParams({ year }).toString()}` : '';
  elements.results.setAttribute('aria-busy', 'true');
  if (announce) showStatus(elements.status, 'Loading the moves…', 'info');

  let flows: FlowsResponse;
  try {
    flows = await callApi<FlowsResponse>('GET', `/api/dashboard/flows${query}`);
  } catch (error) {
    if (load !== latestLoad) return;
    elements.results.removeAttribute('aria-busy');
    elements.results.hidden = true;
    showStatus(elements.status, '');
    showPageError(elements.alert, error, { href: '/dashboard/flows/', text: 'Show the latest year' });
    return;
  }
  if (load !== latestLoad) return;

  elements.alert.replaceChildren();
  elements.results.removeAttribute('aria-busy');
  describeReach(flows);
  if (flows.years.length === 0) {
    elements.form.hidden = true;
    elements.results.hidden = true;
    elements.empty.hidden = false;
    showStatus(elements.status, '');
    return;
  }

  fillYearChoices(elements, flows);
  renderFlows(elements, flows);
  elements.empty.hidden = true;
  elements.results.hidden = false;
  showStatus(elements.status, announce ? `Showing the moves of ${flows.year}.` : '', 'info');
}

function fillYearChoices(elements: PageElements, flows: FlowsResponse): void {
  // A year requested in the address may have no moves on file, but it must still be the one selected.
  const years = flows.years.includes(flows.year) ? flows.years : [...flows.years, flows.year].sort((a, b) => b - a);
  elements.yearSelect.replaceChildren(
    ...years.map((year) => {
      const option = createElement('option', { text: String(year), attributes: { value: String(year) } });
      option.selected = year === flows.year;
      return option;
    }),
  );
  elements.form.hidden = false;
}

/** Tells a coordinator which part of the figures they see. */
function describeReach(flows: FlowsResponse): void {
  const note = findRequired<HTMLElement>('[data-flows-reach]');
  const state = flows.viewer.scopes.find((scope): scope is StateCode => scope !== 'US');
  if (flows.viewer.reach !== 'state' || !state) {
    note.hidden = true;
    return;
  }
  note.textContent =
    `As a state coordinator, you see the routes into or out of ${stateNames[state]}. ` +
    'The totals at the top are national.';
  note.hidden = false;
}

function renderFlows(elements: PageElements, flows: FlowsResponse): void {
  findRequired<HTMLElement>('[data-flows-freshness]').textContent =
    flows.refreshedAt === null
      ? 'The figures have not been computed yet. Try again in a few minutes.'
      : `Last updated ${formatDateTime(flows.refreshedAt)}; the figures are updated every five minutes.`;
  findRequired<HTMLElement>('[data-totals-heading]').textContent = `Children who moved in ${flows.year}`;
  for (const key of ['betweenStates', 'withinStates', 'fromOutside'] as const) {
    findRequired<HTMLElement>(`[data-total="${key}"]`).textContent = formatNumber(flows.totals[key], 'count');
  }
  findRequired<HTMLElement>('[data-flows-summary]').textContent = flows.summary;
  findRequired<HTMLAnchorElement>('[data-flows-export]').href =
    `/api/dashboard/flows/export?${new URLSearchParams({ year: String(flows.year) }).toString()}`;

  renderMap(flows, elements.ownState);
  renderTopRoutes(flows, elements.ownState);
  elements.setRoutes({ routes: flows.flows, year: flows.year, ownState: elements.ownState });
  renderStateList(
    'within',
    flows.withinStates,
    `No child moved within a state in ${flows.year}.`,
    `Children who moved from one place to another within the same state in ${flows.year}.`,
  );
  renderStateList(
    'outside',
    flows.fromOutside,
    `No child arrived from outside the United States in ${flows.year}.`,
    `Children who arrived in ${flows.year} from another country, or from a state that was not recorded, by the state they arrived in.`,
  );
}

/** Number of routes in the top table. */
const topRouteCount = 10;

/**
 * Fills the table of the busiest routes. A coordinator gets only the routes
 * into or out of their state, so the heading and the text name that state and
 * do not read as the national top ten.
 */
function renderTopRoutes(flows: FlowsResponse, ownState: StateCode | undefined): void {
  const ownName = ownState ? stateNames[ownState] : undefined;
  const heading = ownName ? `Busiest routes into or out of ${ownName}` : `Top ${topRouteCount} corridors`;
  const place = ownName ? `into or out of ${ownName}` : 'between states';
  const routes = flows.flows.slice(0, topRouteCount);

  findRequired<HTMLElement>('[data-top-heading]').textContent = heading;
  findRequired<HTMLElement>('[data-top-container]').setAttribute('aria-label', `Table of the ${heading.toLowerCase()}`);
  findRequired<HTMLElement>('[data-top-caption]').textContent =
    `The ${topRouteCount} routes ${place} with the most children in ${flows.year}`;
  const note = findRequired<HTMLElement>('[data-top-note]');
  if (routes.length === 0) note.textContent = `No children moved ${place} in ${flows.year}.`;
  else if (flows.flows.length === 1) note.textContent = `The only route ${place} in ${flows.year}.`;
  else if (flows.flows.length <= topRouteCount) {
    note.textContent = `All ${flows.flows.length} routes ${place} in ${flows.year}, busiest first.`;
  } else {
    note.textContent = `The ${topRouteCount} routes ${place} with the most children in ${flows.year}, busiest first.`;
  }
  findRequired<HTMLElement>('[data-top-container]').hidden = routes.length === 0;
  fillTable(
    findRequired<HTMLTableElement>('[data-top-table]'),
    ['Rank', 'From', 'To', 'Children'],
    routes.map((route, index) => [
      String(index + 1),
      route.fromName,
      route.toName,
      formatNumber(route.children, 'count'),
    ]),
    { numericColumns: [0, 3], rowHeaderColumn: 1 },
  );
}

function renderMap(flows: FlowsResponse, ownState: StateCode | undefined): void {
  const mappedCount = Math.min(flows.flows.length, mappedRouteCount);
  const note = findRequired<HTMLElement>('[data-flow-map-note]');
  note.textContent =
    mappedCount === 0
      ? `No child moved from one state to another in ${flows.year}.`
      : `Each arrow runs from the state children left to the state they moved to; thicker arrows mean more children. ` +
        `The map shows the ${mappedCount === 1 ? 'only route' : `${mappedCount} busiest routes`}; the tables below list every route.`;
  if (ownState && mappedCount > 0) note.append(` The tile of ${stateNames[ownState]} has a heavy outline.`);
  findRequired<HTMLElement>('[data-flow-map]').replaceChildren(renderFlowMap(flows, ownState));
}

function renderStateList(
  name: 'within' | 'outside',
  rows: FlowsResponse['withinStates'],
  emptyNote: string,
  note: string,
): void {
  findRequired<HTMLElement>(`[data-${name}-note]`).textContent = rows.length === 0 ? emptyNote : note;
  findRequired<HTMLElement>(`[data-${name}-container]`).hidden = rows.length === 0;
  fillTable(
    findRequired<HTMLTableElement>(`[data-${name}-table]`),
    ['State', 'Children'],
    rows.map((row) => [row.name, formatNumber(row.children, 'count')]),
    { numericColumns: [1] },
  );
}
