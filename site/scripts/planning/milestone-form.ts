/**
 * "Make it a milestone": the button under an open recommendation opens a
 * form (MilestoneFormTemplate.astro) right below it, one at a time, to pick
 * the objective of the current plan, the due date and the owner. Submitting
 * sends POST /api/recommendations/:id/milestone, which creates the milestone
 * and links it to the recommendation in one step. Escape or Cancel closes
 * the form and returns focus to its button.
 */
import { callApi, type FieldProblem } from '../account/api';
import {
  checkRequiredFields,
  clearFormErrors,
  showFieldProblems,
  showFormError,
  whileSubmitting,
} from '../account/form-feedback';
import { cloneTemplate, createElement, findRequired } from '../plans/dom';
import type { PlanView } from '../plans/types';
import type { Recommendation } from './types';

export interface ConvertedMilestone {
  id: number;
  title: string;
  dueDate: string;
}

export interface MilestoneFormOptions {
  /** The list of recommendations; buttons with data-make-milestone inside it open the forms. */
  root: HTMLElement;
  getPlan: () => PlanView | undefined;
  getRecommendation: (id: number) => Recommendation | undefined;
  /** Shows the result: reloads the session, announces the milestone and moves focus. */
  onConverted: (recommendation: Recommendation, milestone: ConvertedMilestone) => Promise<void>;
}

interface OpenForm {
  form: HTMLFormElement;
  button: HTMLButtonElement;
}

export function startMilestoneForms(options: MilestoneFormOptions): void {
  let open: OpenForm | undefined;

  const close = (returnFocus: boolean) => {
    if (!open) return;
    const { form, button } = open;
    form.remove();
    button.setAttribute('aria-expanded', 'false');
    open = undefined;
    if (returnFocus && button.isConnected) button.focus();
  };

  options.root.addEventListener('click', (event) => {
    const target = event.target as Element;
    if (target.closest('[data-panel-cancel]')) {
      close(true);
      return;
    }
    const button = target.closest<HTMLButtonElement>('button[data-make-milestone]');
    if (!button) return;
    const wasOpen = open?.button === button;
    close(false);
    if (wasOpen) return;

    const plan = options.getPlan();
    const recommendation = options.getRecommendation(Number(button.dataset.makeMilestone));
    if (!plan || !recommendation) return;
    const form = buildForm(plan, recommendation, button.getAttribute('aria-controls') ?? '');
    form.addEventListener('submit', (submitEvent) => {
      submitEvent.preventDefault();
      void whileSubmitting(form, () => convert(form, recommendation, options, () => close(false)));
    });
    (button.closest('.plan-actions') ?? button).after(form);
    button.setAttribute('aria-expanded', 'true');
    open = { form, button };
    findRequired<HTMLSelectElement>('select[name="objectiveId"]', form).focus();
  });

  options.root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && open?.form.contains(event.target as Node)) close(true);
  });
}

function buildForm(plan: PlanView, recommendation: Recommendation, formId: string): HTMLFormElement {
  const fragment = cloneTemplate('recommendation-milestone-form', formId);
  const form = findRequired<HTMLFormElement>('form', fragment);
  form.id = formId;
  const select = findRequired<HTMLSelectElement>('select[name="objectiveId"]', form);
  select.replaceChildren(
    createElement('option', { text: '- Choose an objective -', attributes: { value: '' } }),
    ...plan.goals
      .filter((goal) => goal.objectives.length > 0)
      .map((goal) =>
        createElement(
          'optgroup',
          { attributes: { label: goal.title } },
          goal.objectives.map((objective) =>
            createElement('option', { text: objective.title, attributes: { value: String(objective.id) } }),
          ),
        ),
      ),
  );
  const heading = findRequired('[data-panel-heading]', form);
  heading.textContent = `Make “${shorten(recommendation.text)}” a milestone of “${plan.plan.title}”`;
  return form;
}

/** Shortens a long recommendation for the form's heading; the full text stays right above the form. */
function shorten(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 77).trimEnd()}…`;
}

async function convert(
  form: HTMLFormElement,
  recommendation: Recommendation,
  options: MilestoneFormOptions,
  closeForm: () => void,
): Promise<void> {
  clearFormErrors(form);
  if (!checkRequiredFields(form)) return;
  const data = new FormData(form);
  const ownerRole = String(data.get('ownerRole') ?? '').trim();
  if (ownerRole.length < 3) {
    const problem: FieldProblem = { field: 'ownerRole', message: "The owner's role needs at least 3 characters." };
    showFieldProblems(form, [problem]);
    return;
  }

  try {
    const { milestone } = await callApi<{ milestone: ConvertedMilestone }>(
      'POST',
      `/api/recommendations/${recommendation.id}/milestone`,
      { objectiveId: Number(data.get('objectiveId')), dueDate: String(data.get('dueDate') ?? ''), ownerRole },
    );
    closeForm();
    await options.onConverted(recommendation, milestone);
  } catch (error) {
    showFormError(form, error);
  }
}
