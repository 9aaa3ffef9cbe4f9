/**
 * Renders one planning session: its date, place, participant roles and
 * findings, and its recommendations. A converted recommendation shows the
 * milestone it became, with a link into the plan. People who may edit the
 * state's plan get a "Make it a milestone" button under each open one.
 */
import { createElement, createScreenReaderText, findRequired } from '../plans/dom';
import { formatDay, statusLabels } from '../plans/labels';
import type { PlanSummary, PlanView } from '../plans/types';
import type { Recommendation, SessionView } from './types';

/** Facts about the state's current plan that the session view needs. */
export interface PlanContext {
  state: string;
  stateName: string;
  /** The state's current plan, when it has one. */
  current: PlanSummary | undefined;
  /** The current plan's goals and objectives; loaded only for people who may convert recommendations. */
  view: PlanView | undefined;
}

export function recommendationTextId(id: number): string {
  return `recommendation-${id}`;
}

export function describeSession(view: SessionView): string {
  return `Session of ${formatDay(view.session.sessionDate)} at ${view.session.place}`;
}

export function renderSession(root: HTMLElement, view: SessionView, plan: PlanContext): void {
  const { session } = view;
  findRequired('[data-session-heading]', root).textContent = describeSession(view);
  setField(root, 'date', formatDay(session.sessionDate));
  setField(root, 'place', session.place);
  findRequired(`[data-session-field="participants"]`, root).replaceChildren(
    createElement(
      'ul',
      { className: 'planning-participants' },
      session.participants.map((role) => createElement('li', { text: role })),
    ),
  );
  setField(root, 'findings', session.findings || 'No findings were recorded.');
  findRequired<HTMLElement>('[data-session-edit-tools]', root).hidden = !view.canEdit;

  const convertible = view.canEdit && canConvert(plan);
  findRequired('[data-plan-note]', root).replaceChildren(...renderPlanNote(view, plan));
  const list = findRequired<HTMLOListElement>('[data-recommendations]', root);
  list.replaceChildren(
    ...view.recommendations.map((recommendation, index) =>
      renderRecommendation(recommendation, index + 1, plan, convertible),
    ),
  );
  list.hidden = view.recommendations.length === 0;
}

function setField(root: HTMLElement, name: string, text: string): void {
  findRequired(`[data-session-field="${name}"]`, root).textContent = text;
}

/** True when the current plan has at least one objective to put a milestone under. */
function canConvert(plan: PlanContext): boolean {
  return Boolean(plan.view?.goals.some((goal) => goal.objectives.length > 0));
}

/** Explains an empty list, and why open recommendations cannot become milestones yet. */
function renderPlanNote(view: SessionView, plan: PlanContext): Node[] {
  if (view.recommendations.length === 0) {
    return [createElement('p', { className: 'plan-empty', text: 'This session has no recommendations.' })];
  }
  const open = view.recommendations.some((recommendation) => recommendation.milestoneId === null);
  if (!view.canEdit || !open) return [];

  const planLink = createElement('a', {
    className: 'usa-link',
    attributes: { href: `/plans/?state=${encodeURIComponent(plan.state)}` },
  });
  if (!plan.current) {
    planLink.textContent = `Start a strategic plan for ${plan.stateName}`;
    return [
      renderNote([
        `${plan.stateName} has no current strategic plan, so its recommendations cannot become milestones yet. `,
        planLink,
        '.',
      ]),
    ];
  }
  if (!canConvert(plan)) {
    planLink.textContent = 'Add an objective to the plan';
    return [
      renderNote([
        `The current plan, “${plan.current.title}”, has no objectives yet, and a milestone belongs to an objective. `,
        planLink,
        ', then come back here.',
      ]),
    ];
  }
  return [];
}

function renderNote(children: (Node | string)[]): HTMLElement {
  return createElement('div', { className: 'usa-alert usa-alert--info usa-alert--slim margin-bottom-2' }, [
    createElement('div', { className: 'usa-alert__body' }, [
      createElement('p', { className: 'usa-alert__text' }, children),
    ]),
  ]);
}

function renderRecommendation(
  recommendation: Recommendation,
  position: number,
  plan: PlanContext,
  convertible: boolean,
): HTMLLIElement {
  const text = createElement('p', {
    className: 'planning-recommendation__text',
    text: recommendation.text,
    attributes: { id: recommendationTextId(recommendation.id), tabindex: '-1' },
  });
  const item = createElement(
    'li',
    { className: 'planning-recommendation', attributes: { 'data-recommendation-id': String(recommendation.id) } },
    [text],
  );

  const { milestone } = recommendation;
  if (milestone) {
    item.append(renderMilestone(recommendation, position, plan));
    return item;
  }

  item.append(
    createElement('p', { className: 'planning-recommendation__state' }, [
      createElement('span', { className: 'usa-tag planning-tag planning-tag--open', text: 'Not yet a milestone' }),
    ]),
  );
  if (convertible) {
    const formId = `${recommendationTextId(recommendation.id)}-form`;
    item.append(
      createElement('div', { className: 'plan-actions' }, [
        createElement(
          'button',
          {
            className: 'usa-button usa-button--outline',
            attributes: {
              type: 'button',
              'aria-expanded': 'false',
              'aria-controls': formId,
              'data-make-milestone': String(recommendation.id),
            },
          },
          ['Make it a milestone', createScreenReaderText(`: recommendation ${position}`)],
        ),
      ]),
    );
  }
  return item;
}

function renderMilestone(recommendation: Recommendation, position: number, plan: PlanContext): HTMLElement {
  const milestone = recommendation.milestone!;
  // The plan page opens the state's current plan by state, and any other plan by id.
  const isCurrent = plan.current?.id === milestone.planId;
  const planAddress = isCurrent
    ? `/plans/?state=${encodeURIComponent(plan.state)}`
    : `/plans/?plan=${milestone.planId}`;
  const link = createElement(
    'a',
    { className: 'usa-link', attributes: { href: `${planAddress}#milestone-${milestone.id}` } },
    [
      isCurrent ? 'Open the milestone in the strategic plan' : 'Open the milestone in an earlier plan',
      createScreenReaderText(` (recommendation ${position})`),
    ],
  );

  return createElement('div', { className: 'planning-recommendation__state' }, [
    createElement('p', {}, [
      createElement('span', { className: 'usa-tag planning-tag planning-tag--milestone', text: 'Milestone' }),
      ` Due ${formatDay(milestone.dueDate)}, status `,
      createElement('span', {
        className: `plan-status plan-status--${milestone.status}`,
        text: statusLabels[milestone.status],
      }),
      '.',
    ]),
    createElement('p', {}, [link]),
  ]);
}
