/**
 * The "Start a new plan" form: blank, from the TA template, or as a copy of
 * one of the state's earlier plans, with a title and a period. The new plan
 * becomes the state's current plan.
 */
import { callApi, type FieldProblem } from '../account/api';
import {
  checkRequiredFields,
  clearFormErrors,
  showFieldProblems,
  showFormError,
  whileSubmitting,
} from '../account/form-feedback';
import { createElement, findRequired } from './dom';
import { plural } from '../../lib/plural';
import { addYearsLessOneDay, formatDay, todayInBrowser } from './labels';
import type { PlanOrigin, PlanSummary, PlanView } from './types';

export interface NewPlanForm {
  /** Sets the state the form starts a plan for, and the plans it can copy. */
  prepare: (state: string, stateName: string, plans: PlanSummary[]) => void;
}

interface NewPlanOptions {
  /** Opens the new plan; `describe` gives the sentence announcing it once the plan is loaded. */
  onCreated: (plan: PlanSummary, describe: (view: PlanView) => string) => Promise<void>;
}

const planLengthYears = 3;

export function startNewPlanForm(options: NewPlanOptions): NewPlanForm {
  const form = findRequired<HTMLFormElement>('[data-new-plan-form]');
  const origin = findRequired<HTMLSelectElement>('select[name="origin"]', form);
  const copySelect = findRequired<HTMLSelectElement>('select[name="copyFromPlanId"]', form);
  const copyGroup = findRequired<HTMLElement>('[data-copy-group]', form);
  const copyOption = findRequired<HTMLOptionElement>('option[value="copy"]', origin);
  const stateLabel = findRequired<HTMLElement>('[data-new-plan-state]', form);
  const start = findRequired<HTMLInputElement>('input[name="periodStart"]', form);
  const end = findRequired<HTMLInputElement>('input[name="periodEnd"]', form);
  let state = '';
  let plans: PlanSummary[] = [];

  const showCopyChoice = () => {
    copyGroup.hidden = origin.value !== 'copy';
  };
  origin.addEventListener('change', showCopyChoice);
  // Suggest a three-year period whenever the first day changes and the last day is empty or no longer after it.
  start.addEventListener('change', () => {
    if (start.value && (!end.value || end.value <= start.value))
      end.value = addYearsLessOneDay(start.value, planLengthYears);
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(form, async () => {
      const input = readInput(form, state);
      if (!input) return;
      try {
        const { plan } = await callApi<{ plan: PlanSummary }>('POST', '/api/plans', input);
        const copied = plans.find((candidate) => candidate.id === input.copyFromPlanId);
        form.reset();
        fillDefaults(start, end);
        showCopyChoice();
        await options.onCreated(plan, (view) => describeCreated(view, input.origin, copied));
      } catch (error) {
        showFormError(form, error);
      }
    });
  });

  fillDefaults(start, end);
  return {
    prepare: (stateCode, stateName, statePlans) => {
      state = stateCode;
      plans = statePlans;
      stateLabel.textContent = stateName;
      copySelect.replaceChildren(
        createElement('option', { text: '- Choose a plan -', attributes: { value: '' } }),
        ...statePlans.map((plan) =>
          createElement('option', {
            text: `${plan.title} (${formatDay(plan.periodStart)} to ${formatDay(plan.periodEnd)})`,
            attributes: { value: String(plan.id) },
          }),
        ),
      );
      // A state without plans has nothing to copy.
      copyOption.disabled = statePlans.length === 0;
      copyOption.hidden = statePlans.length === 0;
      if (statePlans.length === 0 && origin.value === 'copy') origin.value = 'template';
      showCopyChoice();
    },
  };
}

function fillDefaults(start: HTMLInputElement, end: HTMLInputElement): void {
  start.value = todayInBrowser();
  end.value = addYearsLessOneDay(start.value, planLengthYears);
}

interface NewPlanInput {
  state: string;
  title: string;
  periodStart: string;
  periodEnd: string;
  origin: PlanOrigin;
  copyFromPlanId?: number;
}

/** Reads and checks the form; shows the problems and returns undefined when something is missing or wrong. */
function readInput(form: HTMLFormElement, state: string): NewPlanInput | undefined {
  clearFormErrors(form);
  if (!checkRequiredFields(form)) return undefined;

  const data = new FormData(form);
  const input: NewPlanInput = {
    state,
    title: String(data.get('title') ?? '').trim(),
    periodStart: String(data.get('periodStart') ?? ''),
    periodEnd: String(data.get('periodEnd') ?? ''),
    origin: String(data.get('origin') ?? 'template') as PlanOrigin,
  };
  if (input.origin === 'copy') input.copyFromPlanId = Number(data.get('copyFromPlanId'));

  const problems: FieldProblem[] = [];
  if (input.title.length < 3) problems.push({ field: 'title', message: 'The plan title needs at least 3 characters.' });
  if (input.periodEnd <= input.periodStart) {
    problems.push({ field: 'periodEnd', message: 'The last day of the plan must be after its first day.' });
  }
  if (problems.length > 0) {
    showFieldProblems(form, problems);
    return undefined;
  }
  return input;
}

function describeCreated(view: PlanView, origin: PlanOrigin, copied: PlanSummary | undefined): string {
  const objectives = view.goals.flatMap((goal) => goal.objectives);
  const milestones = objectives.flatMap((objective) => objective.milestones);
  const contents = `${plural(view.goals.length, 'goal')}, ${plural(objectives.length, 'objective')} and ${plural(milestones.length, 'milestone')}`;
  const title = `“${view.plan.title}”`;
  if (origin === 'template')
    return `Started ${title} from the TA template, with ${contents}. It is now the current plan.`;
  if (origin === 'copy') {
    return `Started ${title} as a copy of “${copied?.title ?? 'the earlier plan'}”, with ${contents}. It is now the current plan.`;
  }
  return `Started ${title} as a blank plan. It is now the current plan; add its first goal below.`;
}
