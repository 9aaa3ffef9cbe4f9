/**
 * Renders a plan's goals, objectives and milestones as nested lists with
 * headings, for the plan page and the printable plan. Status is always
 * written in words; colors only repeat it.
 */
import { createElement, createScreenReaderText } from './dom';
import { plural } from '../../lib/plural';
import { describeProgress, formatDay, statusLabels } from './labels';
import type { Goal, Milestone, Objective, Progress, ProgressUpdate } from './types';

export type PlanAction =
  | 'rename-goal'
  | 'delete-goal'
  | 'add-objective'
  | 'rename-objective'
  | 'delete-objective'
  | 'add-milestone'
  | 'add-update'
  | 'edit-milestone'
  | 'delete-milestone';

export interface TreeOptions {
  /** Heading level of goals; objectives and milestones take the next two levels. */
  goalLevel: 2 | 3;
  /** Shows the buttons that change the plan. */
  editable: boolean;
  /** "disclosure" puts earlier progress updates behind a <details>; "list" shows them all, for printing. */
  history: 'disclosure' | 'list';
}

export function goalHeadingId(id: number): string {
  return `goal-${id}`;
}

export function objectiveHeadingId(id: number): string {
  return `objective-${id}`;
}

export function milestoneHeadingId(id: number): string {
  return `milestone-${id}`;
}

export function renderGoals(goals: Goal[], options: TreeOptions): HTMLElement {
  if (goals.length === 0) return createElement('p', { className: 'plan-empty', text: 'This plan has no goals yet.' });
  return createElement(
    'ol',
    { className: 'plan-goals' },
    goals.map((goal) => renderGoal(goal, options)),
  );
}

function renderGoal(goal: Goal, options: TreeOptions): HTMLLIElement {
  const objectives =
    goal.objectives.length === 0
      ? createElement('p', { className: 'plan-empty', text: 'This goal has no objectives yet.' })
      : createElement(
          'ol',
          { className: 'plan-objectives' },
          goal.objectives.map((objective) => renderObjective(objective, options)),
        );

  return createElement('li', { className: 'plan-goal', attributes: { 'data-goal-id': String(goal.id) } }, [
    renderHeading(options.goalLevel, goalHeadingId(goal.id), goal.title, 'plan-goal__title'),
    renderProgressLine(goal, plural(goal.objectives.length, 'objective')),
    options.editable &&
      renderActions(goal.id, [
        { action: 'rename-goal', label: 'Rename goal', context: `: ${goal.title}` },
        { action: 'delete-goal', label: 'Delete goal', context: `: ${goal.title}` },
      ]),
    options.editable && createElement('div', { attributes: { 'data-panel-slot': '' } }),
    objectives,
    options.editable &&
      renderActions(goal.id, [
        { action: 'add-objective', label: 'Add an objective', context: ` to ${goal.title}`, prominent: true },
      ]),
  ]);
}

function renderObjective(objective: Objective, options: TreeOptions): HTMLLIElement {
  const level = options.goalLevel + 1;
  const milestones =
    objective.milestones.length === 0
      ? createElement('p', { className: 'plan-empty', text: 'This objective has no milestones yet.' })
      : createElement(
          'ol',
          { className: 'plan-milestones' },
          objective.milestones.map((milestone) => renderMilestone(milestone, options)),
        );

  return createElement(
    'li',
    { className: 'plan-objective', attributes: { 'data-objective-id': String(objective.id) } },
    [
      renderHeading(level, objectiveHeadingId(objective.id), objective.title, 'plan-objective__title'),
      renderProgressLine(objective, plural(objective.milestones.length, 'milestone')),
      options.editable &&
        renderActions(objective.id, [
          { action: 'rename-objective', label: 'Rename objective', context: `: ${objective.title}` },
          { action: 'delete-objective', label: 'Delete objective', context: `: ${objective.title}` },
        ]),
      options.editable && createElement('div', { attributes: { 'data-panel-slot': '' } }),
      milestones,
      options.editable &&
        renderActions(objective.id, [
          { action: 'add-milestone', label: 'Add a milestone', context: ` to ${objective.title}`, prominent: true },
        ]),
    ],
  );
}

function renderMilestone(milestone: Milestone, options: TreeOptions): HTMLLIElement {
  const level = options.goalLevel + 2;
  const [latest, ...earlier] = milestone.updates;

  return createElement(
    'li',
    { className: 'plan-milestone', attributes: { 'data-milestone-id': String(milestone.id) } },
    [
      renderHeading(level, milestoneHeadingId(milestone.id), milestone.title, 'plan-milestone__title'),
      renderFlags(milestone),
      renderFacts(milestone),
      latest
        ? renderUpdate(latest, 'Latest update', 'plan-update')
        : createElement('p', { className: 'plan-update plan-update--none', text: 'No progress updates yet.' }),
      earlier.length > 0 && renderHistory(milestone.id, earlier, options.history),
      options.editable &&
        renderActions(milestone.id, [
          { action: 'add-update', label: 'Add a progress update', context: ` for ${milestone.title}`, prominent: true },
          { action: 'edit-milestone', label: 'Edit milestone', context: `: ${milestone.title}` },
          { action: 'delete-milestone', label: 'Delete milestone', context: `: ${milestone.title}` },
        ]),
      options.editable && createElement('div', { attributes: { 'data-panel-slot': '' } }),
    ],
  );
}

function renderHeading(level: number, id: string, text: string, className: string): HTMLHeadingElement {
  const tag = `h${Math.min(level, 6)}` as 'h2';
  return createElement(tag, { className, text, attributes: { id, tabindex: '-1' } });
}

/** "Status: On track, 40% complete, 3 milestones" */
function renderProgressLine(progress: Progress, partCount: string): HTMLParagraphElement {
  return createElement('p', { className: 'plan-progress' }, [
    'Status: ',
    renderStatus(progress),
    `, ${progress.percentComplete}% complete, ${partCount}`,
  ]);
}

export function renderStatus(progress: Pick<Progress, 'status'>): HTMLSpanElement {
  return createElement('span', {
    className: `plan-status plan-status--${progress.status}`,
    text: statusLabels[progress.status],
  });
}

function renderFlags(milestone: Milestone): HTMLParagraphElement | null {
  if (!milestone.overdue && !milestone.stale) return null;
  return createElement('p', { className: 'plan-flags' }, [
    milestone.overdue && createElement('span', { className: 'usa-tag plan-tag plan-tag--overdue', text: 'Overdue' }),
    milestone.stale &&
      createElement('span', { className: 'usa-tag plan-tag plan-tag--stale', text: 'No update for 90 days' }),
  ]);
}

function renderFacts(milestone: Milestone): HTMLDListElement {
  const facts: [string, Node | string][] = [
    ['Status', renderStatus(milestone)],
    ['Percent complete', `${milestone.percentComplete}%`],
    ['Owner', milestone.owner || 'No owner'],
    ['Due', formatDay(milestone.dueDate)],
  ];
  return createElement(
    'dl',
    { className: 'plan-facts' },
    facts.map(([term, value]) =>
      createElement('div', { className: 'plan-facts__item' }, [
        createElement('dt', { text: term }),
        createElement('dd', {}, [value]),
      ]),
    ),
  );
}

function renderUpdate(update: ProgressUpdate, label: string, className: string): HTMLDivElement {
  return createElement('div', { className }, [
    createElement('p', { className: 'plan-update__heading' }, [
      createElement('strong', { text: `${label}, ${formatDay(update.updateDate)}:` }),
      ` ${describeProgress(update)}`,
    ]),
    createElement('p', { className: 'plan-update__text', text: update.narrative }),
  ]);
}

function renderHistory(milestoneId: number, updates: ProgressUpdate[], mode: TreeOptions['history']): HTMLElement {
  const list = createElement(
    'ol',
    { className: 'plan-history__list' },
    updates.map((update) =>
      createElement('li', {}, [renderUpdate(update, 'Update', 'plan-update plan-update--earlier')]),
    ),
  );
  const label = `Earlier updates (${updates.length})`;
  if (mode === 'list') {
    return createElement('div', { className: 'plan-history' }, [
      createElement('p', { className: 'plan-history__label', text: label }),
      list,
    ]);
  }
  return createElement(
    'details',
    { className: 'plan-history', attributes: { id: `${milestoneHeadingId(milestoneId)}-history` } },
    [createElement('summary', { text: label }), list],
  );
}

interface ActionButton {
  action: PlanAction;
  /** The visible words. */
  label: string;
  /** Words after the label for screen readers, naming the item, since many buttons look alike. */
  context: string;
  /** An outline button; the others look like links, so each item shows one main action. */
  prominent?: boolean;
}

function renderActions(itemId: number, buttons: ActionButton[]): HTMLDivElement {
  return createElement(
    'div',
    { className: 'plan-actions' },
    buttons.map((button) =>
      createElement(
        'button',
        {
          className: button.prominent
            ? 'usa-button usa-button--outline plan-action'
            : 'usa-button usa-button--unstyled plan-action',
          attributes: { type: 'button', 'data-plan-action': button.action, 'data-item-id': String(itemId) },
        },
        [button.label, createScreenReaderText(button.context)],
      ),
    ),
  );
}
