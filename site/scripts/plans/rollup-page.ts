/**
 * The national roll-up, /plans/rollup/, for agents and admins: headline
 * figures, the tile map, the sortable table of states, and the lists of
 * overdue and stale milestones with links into each plan.
 */
import { callApi } from '../account/api';
import { showErrorAlert } from '../account/form-feedback';
import { describeState } from '../account/labels';
import { openGatedPage } from '../account/session';
import { createElement, findRequired } from './dom';
import { formatDay, formatTimeAsDay, milestoneStatuses, statusLabels } from './labels';
import { startRollupTable } from './rollup-table';
import { renderTileMap } from './tile-map';
import type { Rollup } from './types';

export async function startRollupPage(): Promise<void> {
  const session = await openGatedPage({ roles: ['agent', 'admin'], audience: 'help-desk agents and admins' });
  if (!session) return;

  const alert = findRequired<HTMLElement>('[data-rollup-alert]');
  let rollup: Rollup;
  try {
    rollup = await callApi<Rollup>('GET', '/api/plans/rollup');
  } catch (error) {
    showErrorAlert(alert, error);
    return;
  }

  findRequired<HTMLElement>('[data-rollup-intro]').textContent =
    `Figures over each state's current plan, as of ${formatDay(rollup.asOf)}. ` +
    'A plan stops counting as current when its period ends.';
  renderFigures(rollup);
  findRequired<HTMLElement>('[data-rollup-map]').replaceChildren(...renderTileMap(rollup.states));
  startRollupTable(
    findRequired<HTMLTableElement>('[data-rollup-table]'),
    rollup.states,
    findRequired<HTMLElement>('[data-rollup-status]'),
  );
  renderOverdue(rollup);
  renderStale(rollup);
  findRequired<HTMLElement>('[data-rollup]').hidden = false;
}

function renderFigures(rollup: Rollup): void {
  setFigure('plans', `${rollup.statesWithCurrentPlan} of ${rollup.participatingStates}`);
  setFigure('overdue', String(rollup.overdueCount));
  setFigure('stale', String(rollup.staleCount));
  findRequired<HTMLElement>('[data-status-counts]').replaceChildren(
    ...milestoneStatuses.map((status) =>
      createElement('div', { className: 'plan-counts__item' }, [
        createElement('dt', { className: `plan-status plan-status--${status}`, text: statusLabels[status] }),
        createElement('dd', { text: String(rollup.milestoneStatusCounts[status]) }),
      ]),
    ),
  );
}

function setFigure(name: string, text: string): void {
  findRequired<HTMLElement>(`[data-figure="${name}"]`).textContent = text;
}

function milestoneLink(planId: number, milestoneId: number, title: string): HTMLAnchorElement {
  return createElement('a', {
    className: 'usa-link',
    text: title,
    attributes: { href: `/plans/?plan=${planId}#milestone-${milestoneId}` },
  });
}

/** Describes a list that the API may cut short, such as "3 in all, listed by due date, earliest first." */
function describeListed(listedCount: number, total: number, none: string, order: string): string {
  if (total === 0) return none;
  if (listedCount < total) {
    return `Showing the first ${listedCount} of ${total}, listed ${order}. Open each state's plan to see the rest.`;
  }
  return `${total} in all, listed ${order}.`;
}

function renderOverdue(rollup: Rollup): void {
  findRequired<HTMLElement>('[data-overdue-note]').textContent = describeListed(
    rollup.overdueItems.length,
    rollup.overdueCount,
    'No milestone of a current plan is overdue.',
    'by due date, earliest first',
  );
  findRequired<HTMLElement>('[data-overdue-list]').replaceChildren(
    ...rollup.overdueItems.map((item) =>
      createElement('li', {}, [
        milestoneLink(item.planId, item.milestoneId, item.title),
        `, ${describeState(item.state)}. Due ${formatDay(item.dueDate)}; owner: ${item.owner}; status: ${statusLabels[item.status]}.`,
      ]),
    ),
  );
}

function renderStale(rollup: Rollup): void {
  findRequired<HTMLElement>('[data-stale-note]').textContent = describeListed(
    rollup.staleItems.length,
    rollup.staleCount,
    'Every milestone of a current plan that is not done has had progress in the past 90 days.',
    'by last progress, oldest first',
  );
  findRequired<HTMLElement>('[data-stale-list]').replaceChildren(
    ...rollup.staleItems.map((item) =>
      createElement('li', {}, [
        milestoneLink(item.planId, item.milestoneId, item.title),
        `, ${describeState(item.state)}. Last progress ${formatTimeAsDay(item.lastProgressAt)}; status: ${statusLabels[item.status]}.`,
      ]),
    ),
  );
}
