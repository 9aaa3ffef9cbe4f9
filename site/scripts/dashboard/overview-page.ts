/**
 * The national overview, /dashboard/national/, and the state pages,
 * /dashboard/states/<xx>/: period filters kept in the query string, a card
 * per metric with its period figure, a small line chart and a summary
 * sentence, a table of every figure by quarter, and a CSV download. A state
 * page draws the nation beside the state. Admins and agents also get a map
 * of the states on the national page (overview-map.ts).
 */
import type { DashboardScope, FiguresResponse } from '../../../api/dashboard/contract';
import type { Quarter } from '../../../api/dashboard/quarters';
import type { StateCode } from '../../../api/shared/states';
import { ApiError, callApi } from '../account/api';
import { clearFormErrors, showFieldProblems, showStatus } from '../account/form-feedback';
import { stateNames } from '../account/labels';
import { openGatedPage, type SignedInSession } from '../account/session';
import { createElement, findRequired } from '../plans/dom';
import { statePagePath } from './map';
import {
  buildPath,
  checkPeriodOrder,
  describePeriod,
  describeRefreshedAt,
  fillQuarterSelect,
  findMalformedParameters,
  noFiguresYetText,
  pushQuery,
  readQuarterParameter,
  showAddressProblems,
  showLoadError,
} from './filters';
import { renderMetricGroups, renderFigureTable, type OverviewFigures } from './overview-figures';
import { startOverviewMap } from './overview-map';

/** Roles that may open the signed-in dashboard pages. */
export const dashboardRoles = ['admin', 'agent', 'state_coordinator'] as const;
export const dashboardAudience = 'admins, help-desk agents and state coordinators';

interface OverviewElements {
  root: HTMLElement;
  status: HTMLElement;
  alert: HTMLElement;
  forbidden: HTMLElement;
  body: HTMLElement;
  form: HTMLFormElement;
  fromSelect: HTMLSelectElement;
  toSelect: HTMLSelectElement;
  refreshed: HTMLElement;
  csvLink: HTMLAnchorElement;
  empty: HTMLElement;
  figures: HTMLElement;
  groups: HTMLElement;
  table: HTMLTableElement;
  tableCaption: HTMLElement;
  statePicker: HTMLFormElement;
  stateSelect: HTMLSelectElement;
}

function findElements(): OverviewElements {
  return {
    root: findRequired('[data-dashboard-scope]'),
    status: findRequired('[data-dashboard-status]'),
    alert: findRequired('[data-dashboard-alert]'),
    forbidden: findRequired('[data-dashboard-forbidden]'),
    body: findRequired('[data-dashboard-body]'),
    form: findRequired('[data-dashboard-filters]'),
    fromSelect: findRequired('#dashboard-from'),
    toSelect: findRequired('#dashboard-to'),
    refreshed: findRequired('[data-dashboard-refreshed]'),
    csvLink: findRequired('[data-dashboard-csv]'),
    empty: findRequired('[data-dashboard-empty]'),
    figures: findRequired('[data-dashboard-figures]'),
    groups: findRequired('[data-dashboard-groups]'),
    table: findRequired('[data-dashboard-table]'),
    tableCaption: findRequired('[data-dashboard-table-caption]'),
    statePicker: findRequired('[data-dashboard-state-picker]'),
    stateSelect: findRequired('#dashboard-state'),
  };
}

/** Starts the national overview or a state page, depending on the page's data-dashboard-scope. */
export async function startOverviewPage(): Promise<void> {
  const session = await openGatedPage({ roles: dashboardRoles, audience: dashboardAudience });
  if (!session) return;

  const elements = findElements();
  const scope = (elements.root.dataset.dashboardScope ?? 'US') as DashboardScope;
  if (isForbiddenState(session, scope)) {
    showForbidden(elements, session, scope);
    return;
  }

  const map = scope === 'US' ? startOverviewMap() : undefined;
  let redrawCharts: (() => void) | undefined;

  const load = async (announce: boolean) => {
    const malformed = findMalformedParameters(['from', 'to'], scope === 'US' ? ['map'] : []);
    if (malformed.length > 0) {
      elements.body.hidden = true;
      showStatus(elements.status, '');
      showAddressProblems(elements.alert, malformed);
      return;
    }
    const from = readQuarterParameter('from');
    const to = readQuarterParameter('to');
    showStatus(elements.status, 'Loading the figures…', 'info');
    let figures: OverviewFigures;
    try {
      figures = await fetchFigures(scope, from, to);
    } catch (error) {
      showStatus(elements.status, '');
      if (error instanceof ApiError && error.status === 403) {
        showForbidden(elements, session, scope);
        return;
      }
      showLoadError(elements.alert, error);
      return;
    }
    elements.alert.replaceChildren();
    redrawCharts = render(elements, figures);
    await map?.load(figures.main);
    showStatus(
      elements.status,
      announce
        ? `Showing the figures for ${describePeriod(figures.main.from, figures.main.to, figures.main.periods.currentQuarter)}.`
        : '',
      'info',
    );
  };

  elements.form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearFormErrors(elements.form);
    const problems = checkPeriodOrder(elements.fromSelect.value, elements.toSelect.value, 'to', 'period');
    if (problems.length > 0) {
      showFieldProblems(elements.form, problems);
      return;
    }
    pushQuery({ from: elements.fromSelect.value, to: elements.toSelect.value, ...map?.queryParameters() });
    void load(true);
  });

  elements.statePicker.addEventListener('submit', (event) => {
    event.preventDefault();
    const state = elements.stateSelect.value as StateCode;
    if (state) window.location.assign(buildPath(statePagePath(state), currentPeriodParameters()));
  });

  window.addEventListener('popstate', () => void load(true));
  window.addEventListener(
    'resize',
    debounce(() => redrawCharts?.(), 250),
  );
  await load(false);
}

function currentPeriodParameters(): Record<string, string | undefined> {
  return { from: readQuarterParameter('from'), to: readQuarterParameter('to') };
}

/** Checks whether a coordinator opened another state's page. Coordinators may open only the national page and their own state's. */
function isForbiddenState(session: SignedInSession, scope: DashboardScope): boolean {
  return scope !== 'US' && session.person.role === 'state_coordinator' && session.person.state !== scope;
}

async function fetchFigures(scope: DashboardScope, from?: Quarter, to?: Quarter): Promise<OverviewFigures> {
  const main = callApi<FiguresResponse>('GET', buildPath('/api/dashboard/figures', { scope, from, to }));
  if (scope === 'US') return { main: await main };
  const national = callApi<FiguresResponse>('GET', buildPath('/api/dashboard/figures', { scope: 'US', from, to }));
  return { main: await main, national: await national };
}

/** Draws the figures and returns a function that redraws the charts at the cards' new width. */
function render(elements: OverviewElements, figures: OverviewFigures): () => void {
  const { main } = figures;
  fillQuarterSelect(elements.fromSelect, main.periods, main.from);
  fillQuarterSelect(elements.toSelect, main.periods, main.to);
  fillStatePicker(elements.stateSelect, main);
  elements.refreshed.textContent = describeRefreshedAt(main.refreshedAt);
  elements.csvLink.href = buildPath('/api/dashboard/figures/export', {
    scope: main.scope,
    from: main.from,
    to: main.to,
  });
  elements.body.hidden = false;

  const empty = main.refreshedAt === null;
  elements.empty.hidden = !empty;
  elements.empty.textContent = noFiguresYetText;
  elements.figures.hidden = empty;
  if (empty) return () => undefined;

  const redraw = renderMetricGroups(elements.groups, figures);
  const period = describePeriod(main.from, main.to, main.periods.currentQuarter);
  elements.tableCaption.textContent = `Every figure of ${main.scopeName} by quarter, ${period}`;
  renderFigureTable(elements.table, figures);
  return redraw;
}

function fillStatePicker(select: HTMLSelectElement, response: FiguresResponse): void {
  const states = response.viewer.scopes.filter((scope): scope is StateCode => scope !== 'US');
  const current = response.scope === 'US' ? '' : response.scope;
  select.replaceChildren(
    ...states
      .map((state) => ({ state, name: stateNames[state] ?? state }))
      .sort((left, right) => left.name.localeCompare(right.name))
      .map(({ state, name }) => {
        const option = createElement('option', { text: name, attributes: { value: state } });
        option.selected = state === current;
        return option;
      }),
  );
}

function showForbidden(elements: OverviewElements, session: SignedInSession, scope: DashboardScope): void {
  elements.body.hidden = true;
  elements.status.replaceChildren();
  const requested = stateNames[scope as StateCode] ?? scope;
  const own = session.person.state as StateCode | null;
  const ownName = own ? (stateNames[own] ?? own) : undefined;
  const text = findRequired<HTMLElement>('[data-dashboard-forbidden-text]', elements.forbidden);
  text.textContent = ownName
    ? `As a state coordinator for ${ownName}, you can see the figures of ${ownName} and the national figures, but not those of ${requested}.`
    : `You can see the national figures, but not those of ${requested}.`;
  const links = findRequired<HTMLElement>('[data-dashboard-forbidden-links]', elements.forbidden);
  links.replaceChildren(
    ...(own
      ? [
          createElement('li', {}, [
            createElement('a', {
              className: 'usa-link',
              text: `Open the ${ownName} dashboard`,
              attributes: { href: statePagePath(own) },
            }),
          ]),
        ]
      : []),
    createElement('li', {}, [
      createElement('a', {
        className: 'usa-link',
        text: 'Open the national overview',
        attributes: { href: '/dashboard/national/' },
      }),
    ]),
  );
  elements.forbidden.hidden = false;
}

function debounce(work: () => void, milliseconds: number): () => void {
  let timer: number | undefined;
  return () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(work, milliseconds);
  };
}
