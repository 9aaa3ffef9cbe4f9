/**
 * The SLA targets page. It shows agents and admins the targets of each
 * priority in business hours, and lets admins change them. Saving sends one
 * PUT /api/desk/sla-targets/{priority} for each priority whose values changed.
 */
import { callApi, type FieldProblem } from '../account/api';
import {
  clearFormErrors,
  showFieldProblems,
  showFormError,
  showStatus,
  whileSubmitting,
} from '../account/form-feedback';
import { openGatedPage } from '../account/session';

interface SlaTarget {
  priority: string;
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

const priorityLabels: Record<string, string> = { urgent: 'Urgent', high: 'High', normal: 'Normal', low: 'Low' };

/** Maximum target the API accepts, in business minutes. */
const maximumMinutes = 150_000;

export async function startSlaTargetsPage(): Promise<void> {
  const session = await openGatedPage({ roles: ['admin', 'agent'], audience: 'help desk agents and admins' });
  if (!session) return;

  const form = document.querySelector<HTMLFormElement>('[data-targets-form]')!;
  const status = document.querySelector<HTMLElement>('[data-targets-status]')!;
  const isAdmin = session.person.role === 'admin';

  let saved: SlaTarget[];
  try {
    saved = (await callApi<{ targets: SlaTarget[] }>('GET', '/api/desk/sla-targets')).targets;
  } catch (error) {
    showFormError(form, error);
    return;
  }
  fillForm(form, saved);

  if (!isAdmin) {
    document.querySelector<HTMLElement>('[data-targets-read-only]')!.hidden = false;
    document.querySelector<HTMLElement>('[data-targets-save]')!.hidden = true;
    for (const input of form.querySelectorAll('input')) input.readOnly = true;
    return;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(form, async () => {
      showStatus(status, '');
      const { targets, problems } = readForm(form);
      if (problems.length > 0) {
        showFieldProblems(form, problems);
        return;
      }
      clearFormErrors(form);

      const changed = targets.filter((target) => {
        const before = saved.find((entry) => entry.priority === target.priority);
        return (
          before?.firstResponseMinutes !== target.firstResponseMinutes ||
          before?.resolutionMinutes !== target.resolutionMinutes
        );
      });
      try {
        for (const target of changed) {
          await callApi('PUT', `/api/desk/sla-targets/${target.priority}`, {
            firstResponseMinutes: target.firstResponseMinutes,
            resolutionMinutes: target.resolutionMinutes,
          });
          saved = saved.map((entry) => (entry.priority === target.priority ? target : entry));
        }
      } catch (error) {
        showFormError(form, error);
        return;
      }
      showStatus(
        status,
        changed.length === 0
          ? 'Nothing changed, so nothing was saved.'
          : `Saved the new targets (${changed.map((target) => priorityLabels[target.priority]).join(', ')}).`,
      );
    });
  });
}

function input(form: HTMLFormElement, name: string): HTMLInputElement {
  return form.elements.namedItem(name) as HTMLInputElement;
}

function fillForm(form: HTMLFormElement, targets: SlaTarget[]): void {
  for (const target of targets) {
    input(form, `${target.priority}.firstResponseHours`).value = String(target.firstResponseMinutes / 60);
    input(form, `${target.priority}.resolutionHours`).value = String(target.resolutionMinutes / 60);
  }
}

/** Reads the hours from the form as whole minutes, with a problem for each invalid field. */
function readForm(form: HTMLFormElement): { targets: SlaTarget[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const targets = Object.keys(priorityLabels).map((priority) => {
    const label = priorityLabels[priority]!;
    const minutes = (name: string, what: string) => {
      const text = input(form, name).value.trim();
      const value = Math.round(Number(text) * 60);
      if (text === '' || !Number.isFinite(value) || value < 1 || value > maximumMinutes) {
        problems.push({
          field: name,
          message: `Enter the ${label.toLowerCase()} priority's ${what} target in business hours, from 0.25 to ${maximumMinutes / 60}.`,
        });
      }
      return value;
    };
    const problemsBefore = problems.length;
    const firstResponseMinutes = minutes(`${priority}.firstResponseHours`, 'first-response');
    const resolutionMinutes = minutes(`${priority}.resolutionHours`, 'resolution');
    if (problems.length === problemsBefore && resolutionMinutes < firstResponseMinutes) {
      problems.push({
        field: `${priority}.resolutionHours`,
        message: `The ${label.toLowerCase()} priority's resolution target must be at least its first-response target.`,
      });
    }
    return { priority, firstResponseMinutes, resolutionMinutes };
  });
  return { targets, problems };
}
