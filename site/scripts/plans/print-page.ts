/**
 * The printable plan, /plans/print/?plan=ID: the whole plan with every
 * progress update and no editing controls. Without ?plan it shows the
 * current plan of ?state=XX or of the person's own state.
 */
import { callApi } from '../account/api';
import { showErrorAlert, showStatus } from '../account/form-feedback';
import { describeState } from '../account/labels';
import { openGatedPage } from '../account/session';
import { findRequired } from './dom';
import { formatPeriod, formatTimeAsDay } from './labels';
import { renderGoals, renderStatus } from './plan-tree';
import type { PlanSummary, PlanView } from './types';

export async function startPrintPage(): Promise<void> {
  const session = await openGatedPage();
  if (!session) return;

  const heading = findRequired<HTMLElement>('[data-print-heading]');
  const status = findRequired<HTMLElement>('[data-print-status]');
  const alert = findRequired<HTMLElement>('[data-print-alert]');
  const container = findRequired<HTMLElement>('[data-print-plan]');
  findRequired<HTMLButtonElement>('[data-print-button]').addEventListener('click', () => window.print());

  const params = new URLSearchParams(window.location.search);
  const state = (params.get('state') ?? session.person.state ?? '').toUpperCase();
  let view: PlanView | undefined;
  try {
    const planId = Number(params.get('plan'));
    if (Number.isInteger(planId) && planId > 0) view = await fetchPlan(planId);
    else if (/^[A-Z]{2}$/.test(state)) view = await fetchCurrentPlan(state);
  } catch (error) {
    showErrorAlert(alert, error);
    return;
  }
  if (!view) {
    showStatus(
      status,
      'There is no plan to print. Open the plan from the strategic-plan page and choose Printable plan.',
      'info',
    );
    return;
  }

  const { plan } = view;
  heading.textContent = plan.title;
  document.title = `${plan.title} | MSIX Assist`;
  setField('state', describeState(plan.state));
  setField('period', formatPeriod(plan.periodStart, plan.periodEnd));
  document.querySelector('[data-plan-field="status"]')?.replaceChildren(renderStatus(plan));
  setField('percent', `${plan.percentComplete}%`);
  setField('printed', formatTimeAsDay(new Date().toISOString()));
  setField('rule', view.rollupRule);
  findRequired<HTMLAnchorElement>('[data-back-link]').href = `/plans/?plan=${plan.id}`;
  findRequired<HTMLElement>('[data-plan-goals]', container).replaceChildren(
    renderGoals(view.goals, { goalLevel: 2, editable: false, history: 'list' }),
  );
  container.hidden = false;
}

function fetchPlan(id: number): Promise<PlanView> {
  return callApi<PlanView>('GET', `/api/plans/${id}`);
}

async function fetchCurrentPlan(state: string): Promise<PlanView | undefined> {
  const { plans } = await callApi<{ plans: PlanSummary[] }>('GET', `/api/plans?state=${encodeURIComponent(state)}`);
  const current = plans.find((plan) => plan.isCurrent);
  return current ? fetchPlan(current.id) : undefined;
}

function setField(name: string, text: string): void {
  const element = document.querySelector<HTMLElement>(`[data-plan-field="${name}"]`);
  if (element) element.textContent = text;
}
