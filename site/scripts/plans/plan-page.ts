/**
 * The strategic-plan page, /plans/. It shows the current plan of the
 * person's state, or of the state an agent or admin chooses (?state=XX), or
 * one plan by id (?plan=ID, used for earlier plans). People who may edit the
 * state's plan get the editing controls of plan-editing.ts and the form that
 * starts a new plan.
 */
import { callApi } from '../account/api';
import { showErrorAlert, showStatus } from '../account/form-feedback';
import { describeState, isNationalRole, stateNames } from '../account/labels';
import { openGatedPage, type SessionPerson } from '../account/session';
import { createElement, findRequired } from './dom';
import { formatDay, formatPeriod, formatTimeAsDay, originLabels } from './labels';
import { startNewPlanForm, type NewPlanForm } from './new-plan-form';
import { startPlanEditing, type SaveResult } from './plan-editing';
import { renderGoals, renderStatus } from './plan-tree';
import type { PlanSummary, PlanView } from './types';

export interface PlanPage {
  person: SessionPerson;
  /** The state whose plans are shown, such as "TX"; undefined until an agent or admin chooses one. */
  state: string | undefined;
  plans: PlanSummary[];
  view: PlanView | undefined;
  elements: PageElements;
  newPlanForm: NewPlanForm;
}

interface PageElements {
  heading: HTMLElement;
  status: HTMLElement;
  alert: HTMLElement;
  plan: HTMLElement;
  planTitle: HTMLElement;
  goals: HTMLElement;
  earlierNote: HTMLElement;
  currentPlanLink: HTMLAnchorElement;
  editTools: HTMLElement;
  addGoalTools: HTMLElement;
  noPlan: HTMLElement;
  noPlanText: HTMLElement;
  newPlan: HTMLElement;
  earlierPlans: HTMLElement;
  earlierPlanList: HTMLElement;
  noEarlierPlans: HTMLElement;
}

export async function startPlanPage(): Promise<void> {
  const session = await openGatedPage();
  if (!session) return;

  const elements = findElements();
  const params = new URLSearchParams(window.location.search);
  const planId = readPlanId(params.get('plan'));
  const chosenState = readStateCode(params.get('state'));
  const page: PlanPage = {
    person: session.person,
    state: chosenState ?? session.person.state ?? undefined,
    plans: [],
    view: undefined,
    elements,
    newPlanForm: startNewPlanForm({
      onCreated: (plan, summary) => openCreatedPlan(page, plan, summary),
    }),
  };

  if (isNationalRole(session.person.role)) startStateChooser(page);
  startPlanEditing({
    root: elements.plan,
    status: elements.status,
    getView: () => page.view,
    refresh: (options) => refreshPlan(page, options),
  });

  try {
    await loadPage(page, planId);
  } catch (error) {
    showErrorAlert(elements.alert, error);
    return;
  }
  focusFragmentTarget();
}

function findElements(): PageElements {
  return {
    heading: findRequired('[data-plan-page-heading]'),
    status: findRequired('[data-plans-status]'),
    alert: findRequired('[data-plans-alert]'),
    plan: findRequired('[data-plan]'),
    planTitle: findRequired('[data-plan-title]'),
    goals: findRequired('[data-plan-goals]'),
    earlierNote: findRequired('[data-earlier-note]'),
    currentPlanLink: findRequired('[data-current-plan-link]'),
    editTools: findRequired('[data-plan-edit-tools]'),
    addGoalTools: findRequired('[data-add-goal-tools]'),
    noPlan: findRequired('[data-no-plan]'),
    noPlanText: findRequired('[data-no-plan-text]'),
    newPlan: findRequired('[data-new-plan]'),
    earlierPlans: findRequired('[data-earlier-plans]'),
    earlierPlanList: findRequired('[data-earlier-plan-list]'),
    noEarlierPlans: findRequired('[data-no-earlier-plans]'),
  };
}

function readPlanId(value: string | null): number | undefined {
  if (!value || !/^\d{1,9}$/.test(value)) return undefined;
  const id = Number(value);
  return id > 0 ? id : undefined;
}

function readStateCode(value: string | null): string | undefined {
  const code = value?.trim().toUpperCase();
  return code && /^[A-Z]{2}$/.test(code) ? code : undefined;
}

/** Agents and admins choose the state; the form reloads the page with ?state=XX. */
function startStateChooser(page: PlanPage): void {
  const tools = findRequired<HTMLElement>('[data-national-tools]');
  const form = findRequired<HTMLFormElement>('[data-state-chooser]', tools);
  const select = findRequired<HTMLSelectElement>('select[name="state"]', form);
  tools.hidden = false;
  if (page.state) select.value = page.state;

  form.addEventListener('submit', (event) => {
    if (select.value) return;
    event.preventDefault();
    select.focus();
    showStatus(page.elements.status, 'Choose a state first, then select Show the plan.', 'info');
  });
}

/** Loads the plan by id, or the chosen state's current plan, and the list of the state's plans. */
async function loadPage(page: PlanPage, planId: number | undefined): Promise<void> {
  if (planId !== undefined) {
    page.view = await fetchPlan(planId);
    page.state = page.view.plan.state;
  }
  if (!page.state) {
    page.elements.noPlan.hidden = true;
    showStatus(page.elements.status, 'Choose a state to see its plan.', 'info');
    return;
  }

  page.plans = await fetchPlanList(page.state);
  if (planId === undefined) {
    const current = page.plans.find((plan) => plan.isCurrent);
    page.view = current ? await fetchPlan(current.id) : undefined;
  }
  render(page);
}

function fetchPlan(id: number): Promise<PlanView> {
  return callApi<PlanView>('GET', `/api/plans/${id}`);
}

async function fetchPlanList(state: string): Promise<PlanSummary[]> {
  const { plans } = await callApi<{ plans: PlanSummary[] }>('GET', `/api/plans?state=${encodeURIComponent(state)}`);
  return plans;
}

function stateName(page: PlanPage): string {
  if (page.view) return page.view.plan.stateName;
  return stateNames[page.state as keyof typeof stateNames] ?? page.state ?? '';
}

/** Coordinators edit their own state and admins every state; the API applies the same rule. */
function canEditState(person: SessionPerson, state: string): boolean {
  return person.role === 'admin' || (person.role === 'state_coordinator' && person.state === state);
}

function render(page: PlanPage): void {
  const { elements, view } = page;
  const name = stateName(page);
  elements.heading.textContent = `${name} strategic plan`;
  document.title = `${name} strategic plan | MSIX Assist`;

  const canStartPlan = page.state !== undefined && (view ? view.canEdit : canEditState(page.person, page.state));
  elements.plan.hidden = !view;
  elements.noPlan.hidden = Boolean(view);
  if (view) renderPlan(page, view);
  else renderNoPlan(page, name, canStartPlan);

  elements.newPlan.hidden = !canStartPlan;
  if (canStartPlan && page.state) page.newPlanForm.prepare(page.state, name, page.plans);
  renderEarlierPlans(page);
}

function renderPlan(page: PlanPage, view: PlanView): void {
  const { elements } = page;
  const { plan } = view;
  const editable = view.canEdit && plan.isCurrent;

  elements.planTitle.textContent = plan.title;
  elements.earlierNote.hidden = plan.isCurrent;
  elements.currentPlanLink.href = `/plans/?state=${encodeURIComponent(plan.state)}`;
  setField('state', describeState(plan.state));
  setField('period', formatPeriod(plan.periodStart, plan.periodEnd));
  document.querySelector('[data-plan-field="status"]')?.replaceChildren(renderStatus(plan));
  setField('percent', `${plan.percentComplete}%`);
  setField('updated', `${formatTimeAsDay(plan.updatedAt)} (the plan was ${originLabels[plan.origin]})`);
  setField('rule', view.rollupRule);
  setLink('print', `/plans/print/?plan=${plan.id}`);
  setLink('csv', `/api/plans/${plan.id}/export`);
  setLink('sessions', `/plans/sessions/?state=${encodeURIComponent(plan.state)}`);
  setLink('crosswalk', `/plans/crosswalk/?state=${encodeURIComponent(plan.state)}`);

  elements.editTools.hidden = !editable;
  elements.addGoalTools.hidden = !editable;
  const openHistories = new Set(
    [...elements.goals.querySelectorAll<HTMLDetailsElement>('details[open]')].map((details) => details.id),
  );
  elements.goals.replaceChildren(renderGoals(view.goals, { goalLevel: 3, editable, history: 'disclosure' }));
  for (const id of openHistories) {
    const details = document.getElementById(id);
    if (details instanceof HTMLDetailsElement) details.open = true;
  }
}

function setField(name: string, text: string): void {
  const element = document.querySelector<HTMLElement>(`[data-plan-field="${name}"]`);
  if (element) element.textContent = text;
}

function setLink(name: string, href: string): void {
  const link = document.querySelector<HTMLAnchorElement>(`[data-plan-link="${name}"]`);
  if (link) link.href = href;
}

function renderNoPlan(page: PlanPage, name: string, canStartPlan: boolean): void {
  const ended = page.plans.length > 0 ? ' Its earlier plans are listed below.' : '';
  page.elements.noPlanText.textContent = canStartPlan
    ? `${name} has no current plan.${ended} Start one below: from the TA template, as a copy of an earlier plan, or blank.`
    : `${name} has no current plan.${ended} When the state coordinator starts one, it appears here.`;
}

function renderEarlierPlans(page: PlanPage): void {
  const { elements } = page;
  const earlier = page.plans.filter((plan) => !plan.isCurrent);
  elements.earlierPlans.hidden = !page.state;
  elements.noEarlierPlans.hidden = earlier.length > 0;
  elements.earlierPlanList.replaceChildren(
    ...earlier.map((plan) => {
      const viewing = page.view?.plan.id === plan.id;
      const link = createElement('a', {
        className: 'usa-link',
        text: plan.title,
        attributes: { href: `/plans/?plan=${plan.id}`, ...(viewing ? { 'aria-current': 'page' } : {}) },
      });
      return createElement('li', {}, [
        link,
        ` (${formatDay(plan.periodStart)} to ${formatDay(plan.periodEnd)})`,
        viewing ? ', shown above' : '',
      ]);
    }),
  );
}

/** Reloads the plan after a change, then moves focus and announces the result. */
async function refreshPlan(page: PlanPage, options: SaveResult): Promise<void> {
  const { view } = page;
  if (!view) return;
  page.elements.alert.replaceChildren();
  let reloaded: PlanView;
  try {
    reloaded = await fetchPlan(view.plan.id);
    page.view = reloaded;
    if (page.state) page.plans = await fetchPlanList(page.state);
    render(page);
  } catch (error) {
    showErrorAlert(page.elements.alert, error);
    return;
  }
  showStatus(page.elements.status, typeof options.message === 'string' ? options.message : options.message(reloaded));
  focusById(options.focusId ?? page.elements.planTitle.id);
}

async function openCreatedPlan(page: PlanPage, plan: PlanSummary, summary: (view: PlanView) => string): Promise<void> {
  const url = new URL(window.location.href);
  url.search = `?state=${encodeURIComponent(plan.state)}`;
  url.hash = '';
  window.history.replaceState(window.history.state, '', url);

  page.view = await fetchPlan(plan.id);
  page.plans = await fetchPlanList(plan.state);
  render(page);
  showStatus(page.elements.status, summary(page.view));
  page.elements.planTitle.focus();
}

function focusById(id: string): void {
  const target = document.getElementById(id);
  if (target) target.focus();
}

/** Links from the roll-up end in #milestone-ID; focus that milestone once it is on the page. */
function focusFragmentTarget(): void {
  const id = decodeURIComponent(window.location.hash.slice(1));
  if (!/^(goal|objective|milestone)-\d+$/.test(id)) return;
  const target = document.getElementById(id);
  if (!target) return;
  target.focus();
  target.scrollIntoView({ block: 'start' });
}
