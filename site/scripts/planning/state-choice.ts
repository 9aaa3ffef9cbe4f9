/**
 * The state a planning page shows: ?state=XX, or the signed-in person's own
 * state. Agents and admins belong to no state, so they get a form that
 * reloads the page with the state they choose.
 */
import { showStatus } from '../account/form-feedback';
import { isNationalRole, stateNames } from '../account/labels';
import type { SessionPerson } from '../account/session';
import { findRequired } from '../plans/dom';

/** Returns ?state=XX as an upper-case USPS code, or the person's own state; undefined for national roles without one. */
export function chooseState(person: SessionPerson): string | undefined {
  const value = new URLSearchParams(window.location.search).get('state')?.trim().toUpperCase();
  if (value && /^[A-Z]{2}$/.test(value)) return value;
  return person.state ?? undefined;
}

/** Reads a positive whole-number id from the query, such as ?session=12. */
export function readIdParam(name: string): number | undefined {
  const value = new URLSearchParams(window.location.search).get(name);
  if (!value || !/^\d{1,9}$/.test(value)) return undefined;
  const id = Number(value);
  return id > 0 ? id : undefined;
}

export function describeStateName(code: string): string {
  return stateNames[code as keyof typeof stateNames] ?? code;
}

/**
 * Shows the state form (StateChooser.astro) to agents and admins, set to the
 * current state. Submitting it without a state moves focus to the select and
 * shows what to do in the status region.
 */
export function startStateChooser(person: SessionPerson, state: string | undefined, status: HTMLElement): void {
  if (!isNationalRole(person.role)) return;
  const form = findRequired<HTMLFormElement>('[data-state-chooser]');
  const select = findRequired<HTMLSelectElement>('select[name="state"]', form);
  const submitLabel = form.querySelector('button[type="submit"]')?.textContent?.trim() ?? 'Show';
  form.hidden = false;
  if (state) select.value = state;

  form.addEventListener('submit', (event) => {
    if (select.value) return;
    event.preventDefault();
    select.focus();
    showStatus(status, `Choose a state first, then select ${submitLabel}.`, 'info');
  });
}
