/**
 * Editing on the plan page: add, rename and delete goals and objectives,
 * add, edit and delete milestones, record progress updates, and change the
 * plan's title and period.
 *
 * Each button opens a small form right after the button's row, or a
 * confirmation for deletes, one at a time. Escape or Cancel closes it and
 * returns focus to the button. After a change the page reloads the plan,
 * moves focus to the changed item and announces the result in the page's
 * role="status" region.
 */
import { callApi, type FieldProblem } from '../account/api';
import {
  checkRequiredFields,
  clearFormErrors,
  showErrorAlert,
  showFieldProblems,
  showFormError,
  showStatus,
  whileSubmitting,
} from '../account/form-feedback';
import { cloneTemplate, findRequired } from './dom';
import { plural } from '../../lib/plural';
import { describeProgress, statusLabels, todayInBrowser } from './labels';
import { goalHeadingId, milestoneHeadingId, objectiveHeadingId, type PlanAction } from './plan-tree';
import type { Goal, Milestone, MilestoneStatus, Objective, PlanView } from './types';

export interface EditingOptions {
  /** The plan section; buttons with data-plan-action inside it open the forms. */
  root: HTMLElement;
  status: HTMLElement;
  getView: () => PlanView | undefined;
  /** Reloads and redraws the plan, then focuses the element with focusId and announces the message. */
  refresh: (options: SaveResult) => Promise<void>;
}

export interface SaveResult {
  focusId?: string;
  /** The announcement, or a function that writes it from the reloaded plan. */
  message: string | ((view: PlanView) => string);
}

type EditAction = PlanAction | 'add-goal' | 'edit-plan';

interface OpenPanel {
  element: HTMLElement;
  action: EditAction;
  itemId: number;
}

interface Editor {
  options: EditingOptions;
  open: OpenPanel | undefined;
  counter: number;
}

export function startPlanEditing(options: EditingOptions): void {
  const editor: Editor = { options, open: undefined, counter: 0 };
  options.root.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-plan-action]');
    if (!button) return;
    openPanel(editor, button, button.dataset.planAction as EditAction, Number(button.dataset.itemId ?? 0));
  });
  options.root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && editor.open?.element.contains(event.target as Node)) closePanel(editor, true);
  });
}

function openPanel(editor: Editor, button: HTMLButtonElement, action: EditAction, itemId: number): void {
  const view = editor.options.getView();
  if (!view) return;
  closePanel(editor, false);
  showStatus(editor.options.status, '');

  const panel = buildPanel(editor, view, action, itemId);
  if (!panel) return;
  // The form goes right after the row of buttons it came from.
  const row = button.closest('.plan-actions') ?? button;
  row.after(panel.element);
  editor.open = { element: panel.element, action, itemId };
  panel.focus.focus();
}

/** Removes the open form; with returnFocus, focus goes back to the button that opened it. */
function closePanel(editor: Editor, returnFocus: boolean): void {
  const open = editor.open;
  if (!open) return;
  open.element.remove();
  editor.open = undefined;
  if (!returnFocus) return;
  const selector = `button[data-plan-action="${open.action}"]${open.itemId ? `[data-item-id="${open.itemId}"]` : ''}`;
  editor.options.root.querySelector<HTMLButtonElement>(selector)?.focus();
}

interface Panel {
  element: HTMLElement;
  /** The element that receives focus when the panel opens. */
  focus: HTMLElement;
}

function buildPanel(editor: Editor, view: PlanView, action: EditAction, itemId: number): Panel | undefined {
  const planId = view.plan.id;
  switch (action) {
    case 'edit-plan':
      return buildPlanDetailsPanel(editor, view);
    case 'add-goal':
      return buildTitlePanel(editor, {
        heading: 'Add a goal to the plan',
        label: 'Goal',
        submitLabel: 'Add the goal',
        save: async (title) => {
          const { goal } = await callApi<{ goal: { id: number } }>('POST', `/api/plans/${planId}/goals`, { title });
          return { focusId: goalHeadingId(goal.id), message: `Added the goal “${title}”.` };
        },
      });
    case 'rename-goal': {
      const goal = findGoal(view, itemId);
      if (!goal) return undefined;
      return buildTitlePanel(editor, {
        heading: `Rename the goal “${goal.title}”`,
        label: 'New title of the goal',
        value: goal.title,
        focusId: goalHeadingId(goal.id),
        submitLabel: 'Save the title',
        save: async (title) => {
          await callApi('PATCH', `/api/goals/${goal.id}`, { title });
          return { focusId: goalHeadingId(goal.id), message: `Renamed the goal to “${title}”.` };
        },
      });
    }
    case 'add-objective': {
      const goal = findGoal(view, itemId);
      if (!goal) return undefined;
      return buildTitlePanel(editor, {
        heading: `Add an objective to “${goal.title}”`,
        label: 'Objective',
        submitLabel: 'Add the objective',
        save: async (title) => {
          const { objective } = await callApi<{ objective: { id: number } }>(
            'POST',
            `/api/goals/${goal.id}/objectives`,
            { title },
          );
          return { focusId: objectiveHeadingId(objective.id), message: `Added the objective “${title}”.` };
        },
      });
    }
    case 'rename-objective': {
      const objective = findObjective(view, itemId);
      if (!objective) return undefined;
      return buildTitlePanel(editor, {
        heading: `Rename the objective “${objective.title}”`,
        label: 'New title of the objective',
        value: objective.title,
        focusId: objectiveHeadingId(objective.id),
        submitLabel: 'Save the title',
        save: async (title) => {
          await callApi('PATCH', `/api/objectives/${objective.id}`, { title });
          return { focusId: objectiveHeadingId(objective.id), message: `Renamed the objective to “${title}”.` };
        },
      });
    }
    case 'add-milestone': {
      const objective = findObjective(view, itemId);
      if (!objective) return undefined;
      return buildMilestonePanel(editor, objective, undefined);
    }
    case 'edit-milestone': {
      const milestone = findMilestone(view, itemId);
      if (!milestone) return undefined;
      return buildMilestonePanel(editor, undefined, milestone);
    }
    case 'add-update': {
      const milestone = findMilestone(view, itemId);
      if (!milestone) return undefined;
      return buildProgressPanel(editor, view, milestone);
    }
    case 'delete-goal':
    case 'delete-objective':
    case 'delete-milestone':
      return buildDeletePanel(editor, view, action, itemId);
  }
}

function nextPrefix(editor: Editor): string {
  editor.counter += 1;
  return `plan-panel-${editor.counter}`;
}

/** Runs a form's save, then reloads the plan; errors stay on the form. */
function submitPanel(editor: Editor, form: HTMLFormElement, save: () => Promise<SaveResult | undefined>): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(form, async () => {
      clearFormErrors(form);
      let result: SaveResult | undefined;
      try {
        result = await save();
      } catch (error) {
        showFormError(form, error);
        return;
      }
      if (!result) return;
      closePanel(editor, false);
      await editor.options.refresh(result);
    });
  });
  form.querySelector('[data-panel-cancel]')?.addEventListener('click', () => closePanel(editor, true));
}

function cloneForm(editor: Editor, templateId: string, heading: string): HTMLFormElement {
  const fragment = cloneTemplate(templateId, nextPrefix(editor));
  const form = findRequired<HTMLFormElement>('form', fragment);
  const headingElement = form.querySelector<HTMLElement>('[data-panel-heading]');
  if (headingElement) headingElement.textContent = heading;
  return form;
}

function field<T extends HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
  form: HTMLFormElement,
  name: string,
): T {
  return findRequired<T>(`[name="${name}"]`, form);
}

/** Checks a text field's trimmed length; the API rejects titles shorter than 3 characters. */
function checkLength(form: HTMLFormElement, name: string, min: number, message: string): FieldProblem[] {
  return field(form, name).value.trim().length < min ? [{ field: name, message }] : [];
}

interface TitlePanelOptions {
  heading: string;
  label: string;
  value?: string;
  /** The heading of the item being renamed, focused when nothing changed. */
  focusId?: string;
  submitLabel: string;
  save: (title: string) => Promise<SaveResult>;
}

function buildTitlePanel(editor: Editor, options: TitlePanelOptions): Panel {
  const form = cloneForm(editor, 'plan-title-form', options.heading);
  const input = field<HTMLInputElement>(form, 'title');
  const label = input.labels?.[0];
  if (label) label.textContent = options.label;
  input.value = options.value ?? '';
  findRequired<HTMLButtonElement>('[data-submit-label]', form).textContent = options.submitLabel;

  submitPanel(editor, form, async () => {
    if (!checkRequiredFields(form)) return undefined;
    const problems = checkLength(form, 'title', 3, `${options.label} needs at least 3 characters.`);
    if (problems.length > 0) {
      showFieldProblems(form, problems);
      return undefined;
    }
    const title = input.value.trim();
    if (title === options.value)
      return { focusId: options.focusId, message: 'Nothing to save: the title is unchanged.' };
    return options.save(title);
  });
  return { element: form, focus: input };
}

function buildPlanDetailsPanel(editor: Editor, view: PlanView): Panel {
  const { plan } = view;
  const form = cloneForm(editor, 'plan-details-form', 'Change the title or period of the plan');
  const title = field<HTMLInputElement>(form, 'title');
  const start = field<HTMLInputElement>(form, 'periodStart');
  const end = field<HTMLInputElement>(form, 'periodEnd');
  title.value = plan.title;
  start.value = plan.periodStart;
  end.value = plan.periodEnd;

  submitPanel(editor, form, async () => {
    if (!checkRequiredFields(form)) return undefined;
    const problems = [...checkLength(form, 'title', 3, 'The plan title needs at least 3 characters.')];
    if (end.value <= start.value) {
      problems.push({ field: 'periodEnd', message: 'The last day of the plan must be after its first day.' });
    }
    if (problems.length > 0) {
      showFieldProblems(form, problems);
      return undefined;
    }

    const changes: Record<string, string> = {};
    if (title.value.trim() !== plan.title) changes.title = title.value.trim();
    if (start.value !== plan.periodStart) changes.periodStart = start.value;
    if (end.value !== plan.periodEnd) changes.periodEnd = end.value;
    if (Object.keys(changes).length === 0) return { message: 'Nothing to save: the title and period are unchanged.' };

    await callApi('PATCH', `/api/plans/${plan.id}`, changes);
    return { message: 'Saved the title and period of the plan.' };
  });
  return { element: form, focus: title };
}

/** Adds a milestone to `objective`, or edits `milestone`. */
function buildMilestonePanel(
  editor: Editor,
  objective: Objective | undefined,
  milestone: Milestone | undefined,
): Panel {
  const heading = milestone
    ? `Edit the milestone “${milestone.title}”`
    : `Add a milestone to “${objective?.title ?? ''}”`;
  const form = cloneForm(editor, 'plan-milestone-form', heading);
  const title = field<HTMLInputElement>(form, 'title');
  const owner = field<HTMLInputElement>(form, 'ownerRole');
  const due = field<HTMLInputElement>(form, 'dueDate');
  findRequired<HTMLButtonElement>('[data-submit-label]', form).textContent = milestone
    ? 'Save the milestone'
    : 'Add the milestone';

  // A milestone owned by a person keeps that owner unless a role is typed in.
  const ownedByPerson = milestone?.ownerPersonId != null;
  if (milestone) {
    title.value = milestone.title;
    owner.value = milestone.ownerRole ?? '';
    due.value = milestone.dueDate;
  }
  if (ownedByPerson && milestone) {
    owner.required = false;
    const hint = form.querySelector<HTMLElement>(`#${owner.id}-hint`);
    if (hint)
      hint.textContent = `Now owned by ${milestone.owner}. Leave empty to keep that owner, or enter a role to give it to the role.`;
  }

  submitPanel(editor, form, async () => {
    if (!checkRequiredFields(form)) return undefined;
    const problems = [
      ...checkLength(form, 'title', 3, 'The milestone needs at least 3 characters.'),
      ...(owner.value.trim() ? checkLength(form, 'ownerRole', 3, 'The owner needs at least 3 characters.') : []),
    ];
    if (problems.length > 0) {
      showFieldProblems(form, problems);
      return undefined;
    }

    const values = { title: title.value.trim(), ownerRole: owner.value.trim(), dueDate: due.value };
    if (!milestone) {
      const { milestone: added } = await callApi<{ milestone: { id: number } }>(
        'POST',
        `/api/objectives/${objective?.id ?? 0}/milestones`,
        values,
      );
      return { focusId: milestoneHeadingId(added.id), message: `Added the milestone “${values.title}”.` };
    }

    const changes: Record<string, string> = {};
    if (values.title !== milestone.title) changes.title = values.title;
    if (values.ownerRole && values.ownerRole !== milestone.ownerRole) changes.ownerRole = values.ownerRole;
    if (values.dueDate !== milestone.dueDate) changes.dueDate = values.dueDate;
    if (Object.keys(changes).length === 0) {
      return { focusId: milestoneHeadingId(milestone.id), message: 'Nothing to save: the milestone is unchanged.' };
    }
    await callApi('PATCH', `/api/milestones/${milestone.id}`, changes);
    return { focusId: milestoneHeadingId(milestone.id), message: `Saved the milestone “${values.title}”.` };
  });
  return { element: form, focus: title };
}

function buildProgressPanel(editor: Editor, view: PlanView, milestone: Milestone): Panel {
  const form = cloneForm(editor, 'plan-progress-form', `Add a progress update for “${milestone.title}”`);
  const date = field<HTMLInputElement>(form, 'updateDate');
  const narrative = field<HTMLTextAreaElement>(form, 'narrative');
  const status = field<HTMLSelectElement>(form, 'status');
  const percent = field<HTMLInputElement>(form, 'percentComplete');
  date.value = todayInBrowser();
  status.value = milestone.status;
  percent.value = String(milestone.percentComplete);
  const planBefore = view.plan.percentComplete;
  const saved = (progress: string) => (after: PlanView) =>
    `Saved the progress update for “${milestone.title}”: ${progress}. ` +
    `The plan is now ${after.plan.percentComplete}% complete (it was ${planBefore}%), with the status ${statusLabels[after.plan.status]}.`;

  submitPanel(editor, form, async () => {
    if (!checkRequiredFields(form)) return undefined;
    const problems = [...checkLength(form, 'narrative', 3, 'Describe the progress in at least 3 characters.')];
    const percentValue = Number(percent.value);
    const statusValue = status.value as MilestoneStatus;
    if (!Number.isInteger(percentValue) || percentValue < 0 || percentValue > 100) {
      problems.push({ field: 'percentComplete', message: 'Percent complete must be a whole number from 0 to 100.' });
    } else if (statusValue === 'done' && percentValue !== 100) {
      problems.push({ field: 'percentComplete', message: 'A milestone that is Done must be 100 percent complete.' });
    } else if (statusValue !== 'done' && percentValue === 100) {
      problems.push({
        field: 'status',
        message: 'A milestone that is 100 percent complete must have the status Done.',
      });
    }
    if (problems.length > 0) {
      showFieldProblems(form, problems);
      return undefined;
    }

    await callApi('POST', `/api/milestones/${milestone.id}/updates`, {
      updateDate: date.value,
      narrative: narrative.value.trim(),
      status: statusValue,
      percentComplete: percentValue,
    });
    return {
      focusId: milestoneHeadingId(milestone.id),
      message: saved(describeProgress({ status: statusValue, percentComplete: percentValue })),
    };
  });
  return { element: form, focus: narrative };
}

type DeleteAction = 'delete-goal' | 'delete-objective' | 'delete-milestone';

function buildDeletePanel(editor: Editor, view: PlanView, action: DeleteAction, itemId: number): Panel | undefined {
  const target = describeDeletion(view, action, itemId);
  if (!target) return undefined;

  const fragment = cloneTemplate('plan-delete-confirmation', nextPrefix(editor));
  const element = findRequired<HTMLElement>('.plan-panel', fragment);
  const heading = findRequired<HTMLElement>('[data-panel-heading]', element);
  const alert = findRequired<HTMLElement>('[data-confirm-alert]', element);
  const confirm = findRequired<HTMLButtonElement>('[data-confirm-delete]', element);
  heading.textContent = `Delete the ${target.kind} “${target.title}”?`;
  findRequired<HTMLElement>('[data-confirm-text]', element).textContent = target.consequence;
  confirm.textContent = `Delete the ${target.kind}`;

  let running = false;
  confirm.addEventListener('click', () => {
    if (running) return;
    running = true;
    alert.replaceChildren();
    void callApi('DELETE', target.path)
      .then(async () => {
        closePanel(editor, false);
        await editor.options.refresh({
          focusId: target.focusAfter,
          message: `Deleted the ${target.kind} “${target.title}”.`,
        });
      })
      .catch((error: unknown) => showErrorAlert(alert, error))
      .finally(() => {
        running = false;
      });
  });
  element.querySelector('[data-panel-cancel]')?.addEventListener('click', () => closePanel(editor, true));
  return { element, focus: heading };
}

interface DeletionTarget {
  kind: 'goal' | 'objective' | 'milestone';
  title: string;
  consequence: string;
  path: string;
  /** The heading above the deleted item, which receives focus afterwards. */
  focusAfter: string | undefined;
}

function describeDeletion(view: PlanView, action: DeleteAction, itemId: number): DeletionTarget | undefined {
  const permanent = 'This cannot be undone.';
  if (action === 'delete-goal') {
    const goal = findGoal(view, itemId);
    if (!goal) return undefined;
    const milestones = goal.objectives.flatMap((objective) => objective.milestones);
    return {
      kind: 'goal',
      title: goal.title,
      consequence:
        goal.objectives.length === 0
          ? `It has no objectives. ${permanent}`
          : `Deleting it also deletes ${plural(goal.objectives.length, 'objective')}, ${plural(milestones.length, 'milestone')} and every progress update recorded on them. ${permanent}`,
      path: `/api/goals/${goal.id}`,
      focusAfter: undefined,
    };
  }
  if (action === 'delete-objective') {
    const objective = findObjective(view, itemId);
    const goal = view.goals.find((candidate) => candidate.objectives.some((item) => item.id === itemId));
    if (!objective || !goal) return undefined;
    return {
      kind: 'objective',
      title: objective.title,
      consequence:
        objective.milestones.length === 0
          ? `It has no milestones. ${permanent}`
          : `Deleting it also deletes ${plural(objective.milestones.length, 'milestone')} and every progress update recorded on ${objective.milestones.length === 1 ? 'it' : 'them'}. ${permanent}`,
      path: `/api/objectives/${objective.id}`,
      focusAfter: goalHeadingId(goal.id),
    };
  }
  const milestone = findMilestone(view, itemId);
  const objective = view.goals
    .flatMap((goal) => goal.objectives)
    .find((candidate) => candidate.milestones.some((item) => item.id === itemId));
  if (!milestone || !objective) return undefined;
  return {
    kind: 'milestone',
    title: milestone.title,
    consequence:
      milestone.updates.length === 0
        ? `It has no progress updates. ${permanent}`
        : `Deleting it also deletes ${plural(milestone.updates.length, 'progress update')}. ${permanent}`,
    path: `/api/milestones/${milestone.id}`,
    focusAfter: objectiveHeadingId(objective.id),
  };
}

function findGoal(view: PlanView, id: number): Goal | undefined {
  return view.goals.find((goal) => goal.id === id);
}

function findObjective(view: PlanView, id: number): Objective | undefined {
  return view.goals.flatMap((goal) => goal.objectives).find((objective) => objective.id === id);
}

function findMilestone(view: PlanView, id: number): Milestone | undefined {
  return view.goals
    .flatMap((goal) => goal.objectives)
    .flatMap((objective) => objective.milestones)
    .find((milestone) => milestone.id === id);
}
