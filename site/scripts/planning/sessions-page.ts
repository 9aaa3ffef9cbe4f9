/**
 * The planning-sessions page, /plans/sessions/?state=XX, with &session=ID to
 * open one session. It lists the state's sessions, shows the open session
 * with its recommendations, and gives people who may edit the state's plan
 * the form that records or changes a session and the forms that turn
 * recommendations into milestones.
 */
import { callApi } from '../account/api';
import { showErrorAlert, showStatus } from '../account/form-feedback';
import { openGatedPage } from '../account/session';
import { createElement, findRequired } from '../plans/dom';
import { plural } from '../../lib/plural';
import { formatDay } from '../plans/labels';
import type { PlanSummary, PlanView } from '../plans/types';
import { startMilestoneForms, type ConvertedMilestone } from './milestone-form';
import { startSessionForm, type SaveKind, type SessionForm } from './session-form';
import { describeSession, recommendationTextId, renderSession, type PlanContext } from './session-view';
import { chooseState, describeStateName, readIdParam, startStateChooser } from './state-choice';
import type { Recommendation, SessionList, SessionSummary, SessionView } from './types';

interface PageElements {
  heading: HTMLElement;
  status: HTMLElement;
  alert: HTMLElement;
  content: HTMLElement;
  recordLink: HTMLElement;
  session: HTMLElement;
  sessionHeading: HTMLElement;
  recommendations: HTMLElement;
  listHeading: HTMLElement;
  count: HTMLElement;
  table: HTMLElement;
  rows: HTMLElement;
  formSection: HTMLElement;
}

interface SessionsPage {
  state: string;
  list: SessionList | undefined;
  /** The open session, from ?session=ID or the one just recorded. */
  view: SessionView | undefined;
  plan: PlanContext;
  elements: PageElements;
  form: SessionForm | undefined;
}

export async function startSessionsPage(): Promise<void> {
  const signedIn = await openGatedPage();
  if (!signedIn) return;

  const elements = findElements();
  const sessionId = readIdParam('session');
  let opened: SessionView | undefined;
  if (sessionId !== undefined) {
    try {
      opened = await fetchSession(sessionId);
    } catch (error) {
      // The list of sessions still shows below the message, so people can pick another one.
      showErrorAlert(elements.alert, error);
    }
  }

  // A session link carries its state, but the session itself decides which state the page shows.
  const state = opened?.session.state ?? chooseState(signedIn.person);
  startStateChooser(signedIn.person, state, elements.status);
  if (!state) {
    showStatus(elements.status, 'Choose a state to see its planning sessions.', 'info');
    return;
  }

  try {
    const page = createPage(state, elements);
    page.list = await fetchList(state);
    if (opened) await showSession(page, opened);
    renderPage(page);
    startEditing(page);
    elements.content.hidden = false;
    if (opened) elements.sessionHeading.focus();
  } catch (error) {
    showErrorAlert(elements.alert, error);
  }
}

function findElements(): PageElements {
  return {
    heading: findRequired('[data-sessions-heading]'),
    status: findRequired('[data-sessions-status]'),
    alert: findRequired('[data-sessions-alert]'),
    content: findRequired('[data-sessions-content]'),
    recordLink: findRequired('[data-record-link]'),
    session: findRequired('[data-session]'),
    sessionHeading: findRequired('[data-session-heading]'),
    recommendations: findRequired('[data-recommendations]'),
    listHeading: findRequired('#sessions-list-heading'),
    count: findRequired('[data-sessions-count]'),
    table: findRequired('[data-sessions-table]'),
    rows: findRequired('[data-sessions-rows]'),
    formSection: findRequired('[data-session-form-section]'),
  };
}

function createPage(state: string, elements: PageElements): SessionsPage {
  const stateName = describeStateName(state);
  return {
    state,
    list: undefined,
    view: undefined,
    plan: { state, stateName, current: undefined, view: undefined },
    elements,
    form: undefined,
  };
}

function fetchList(state: string): Promise<SessionList> {
  return callApi<SessionList>('GET', `/api/planning-sessions?state=${encodeURIComponent(state)}`);
}

function fetchSession(id: number): Promise<SessionView> {
  return callApi<SessionView>('GET', `/api/planning-sessions/${id}`);
}

/** Loads what the session view needs to know about the current plan, then renders the session. */
async function showSession(page: SessionsPage, view: SessionView): Promise<void> {
  page.view = view;
  await loadPlanContext(page, view);
  renderSession(page.elements.session, view, page.plan);
  page.elements.session.hidden = false;
}

/**
 * Finds the state's current plan, for the links to converted milestones. Its
 * goals and objectives are loaded only when the person may turn an open
 * recommendation into a milestone, because only the form needs them.
 */
async function loadPlanContext(page: SessionsPage, view: SessionView): Promise<void> {
  const { plans } = await callApi<{ plans: PlanSummary[] }>(
    'GET',
    `/api/plans?state=${encodeURIComponent(page.state)}`,
  );
  page.plan.current = plans.find((plan) => plan.isCurrent);
  page.plan.view = undefined;
  const open = view.recommendations.some((recommendation) => recommendation.milestoneId === null);
  if (view.canEdit && open && page.plan.current) {
    page.plan.view = await callApi<PlanView>('GET', `/api/plans/${page.plan.current.id}`);
  }
}

function renderPage(page: SessionsPage): void {
  const { elements, plan } = page;
  elements.heading.textContent = `${plan.stateName} planning sessions`;
  document.title = `${plan.stateName} planning sessions | MSIX Assist`;
  const query = `?state=${encodeURIComponent(page.state)}`;
  setLink('plan', `/plans/${query}`);
  setLink('crosswalk', `/plans/crosswalk/${query}`);
  renderList(page);
}

function setLink(name: string, href: string): void {
  findRequired<HTMLAnchorElement>(`[data-page-link="${name}"]`).href = href;
}

function renderList(page: SessionsPage): void {
  const { elements } = page;
  const sessions = page.list?.sessions ?? [];
  const canEdit = page.list?.canEdit ?? false;
  elements.table.hidden = sessions.length === 0;
  if (sessions.length === 0) {
    elements.count.textContent = canEdit
      ? `No planning sessions are recorded for ${page.plan.stateName} yet. Record the first one below.`
      : `No planning sessions are recorded for ${page.plan.stateName} yet.`;
  } else {
    elements.count.textContent = `${plural(sessions.length, 'session')}, newest first.`;
  }
  elements.rows.replaceChildren(...sessions.map((session) => renderRow(page, session)));
}

function renderRow(page: SessionsPage, session: SessionSummary): HTMLTableRowElement {
  const isOpen = page.view?.session.id === session.id;
  const href = `/plans/sessions/?state=${encodeURIComponent(page.state)}&session=${session.id}`;
  const link = createElement('a', {
    className: 'usa-link',
    text: formatDay(session.sessionDate),
    attributes: { href, ...(isOpen ? { 'aria-current': 'true' } : {}) },
  });
  return createElement('tr', { attributes: { 'data-session-id': String(session.id) } }, [
    createElement('th', { attributes: { scope: 'row' } }, [link, isOpen ? ' (shown above)' : '']),
    createElement('td', { text: session.place }),
    createElement('td', { text: session.participants.join(', ') }),
    createElement('td', { text: describeCounts(session.recommendationCount, session.convertedCount) }),
  ]);
}

/** "None", "3, none a milestone yet", "3, 1 now a milestone", "3, all now milestones" */
function describeCounts(total: number, converted: number): string {
  if (total === 0) return 'None';
  if (converted === 0) return `${total}, none a milestone yet`;
  if (converted === total) return total === 1 ? '1, now a milestone' : `${total}, all now milestones`;
  return `${total}, ${converted} now ${converted === 1 ? 'a milestone' : 'milestones'}`;
}

/** Starts the forms that people who may edit the state's plan get: record, change and convert. */
function startEditing(page: SessionsPage): void {
  const { elements } = page;
  if (!page.list?.canEdit) return;

  elements.recordLink.hidden = false;
  elements.formSection.hidden = false;
  const form = startSessionForm({
    state: page.state,
    onSaved: (view, kind) => openSaved(page, view, kind),
    onCancelled: () => {
      const change = elements.session.querySelector<HTMLButtonElement>('[data-session-change]');
      if (page.view && change) change.focus();
      else elements.listHeading.focus();
    },
  });
  page.form = form;

  findRequired('[data-session-change]', elements.session).addEventListener('click', () => {
    if (page.view) form.openChange(page.view);
  });
  startMilestoneForms({
    root: elements.recommendations,
    getPlan: () => page.plan.view,
    getRecommendation: (id) => page.view?.recommendations.find((recommendation) => recommendation.id === id),
    onConverted: (recommendation, milestone) => showConverted(page, recommendation, milestone),
  });
}

/** Shows a session just recorded or changed, with its address in the browser's location bar. */
async function openSaved(page: SessionsPage, view: SessionView, kind: SaveKind): Promise<void> {
  const { elements } = page;
  elements.alert.replaceChildren();
  const url = new URL(window.location.href);
  url.search = `?state=${encodeURIComponent(page.state)}&session=${view.session.id}`;
  url.hash = '';
  window.history.replaceState(window.history.state, '', url);

  try {
    page.list = await fetchList(page.state);
    await showSession(page, view);
    renderList(page);
  } catch (error) {
    showErrorAlert(elements.alert, error);
    return;
  }
  const count = plural(view.recommendations.length, 'recommendation');
  showStatus(
    elements.status,
    kind === 'recorded'
      ? `Recorded the ${lowerFirst(describeSession(view))}, with ${count}.`
      : `Saved the changes to the ${lowerFirst(describeSession(view))}.`,
  );
  elements.sessionHeading.focus();
}

/** Reloads the session after a conversion, announces the new milestone and focuses its recommendation. */
async function showConverted(
  page: SessionsPage,
  recommendation: Recommendation,
  milestone: ConvertedMilestone,
): Promise<void> {
  const { elements } = page;
  const planTitle = page.plan.view?.plan.title ?? 'the current plan';
  elements.alert.replaceChildren();
  try {
    const view = await fetchSession(recommendation.sessionId);
    page.list = await fetchList(page.state);
    await showSession(page, view);
    renderList(page);
  } catch (error) {
    showErrorAlert(elements.alert, error);
    return;
  }
  showStatus(
    elements.status,
    `“${recommendation.text}” is now a milestone of “${planTitle}”, due ${formatDay(milestone.dueDate)}. The link below it opens the plan.`,
  );
  document.getElementById(recommendationTextId(recommendation.id))?.focus();
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
