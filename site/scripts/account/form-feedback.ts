/**
 * Error and success messages on forms, following the U.S. Web Design System:
 * an error alert with role="alert" at the top of the form that lists each
 * problem with a link to its field, and each invalid field marked with
 * usa-input--error and a usa-error-message tied to it by aria-describedby.
 *
 * Forms hold an empty `[data-form-alert]` container (see FormAlert.astro),
 * and each field has an error element whose id is the input's id plus
 * "-error" (see FormField.astro).
 */
import { ApiError, type FieldProblem } from './api';

type FieldElement = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface ErrorOptions {
  /** The field that a password_* error from the API refers to, such as "newPassword". */
  passwordField?: string;
}

/** API error codes that concern one field of the form, whatever the message. */
const fieldsByCode: Record<string, string> = {
  wrong_current_password: 'currentPassword',
  email_taken: 'email',
  email_retired: 'email',
};

interface ResolvedProblem {
  field: FieldElement;
  message: string;
}

/** Removes every error message and mark from the form. */
export function clearFormErrors(form: HTMLFormElement): void {
  findAlertContainer(form)?.replaceChildren();
  for (const field of form.querySelectorAll<FieldElement>('[aria-invalid="true"]')) markField(field, undefined);
}

/** Shows an error that belongs to no form, such as a failed row action, in the given container. */
export function showErrorAlert(container: HTMLElement, error: unknown): void {
  const alert = document.createElement('div');
  alert.className = 'usa-alert usa-alert--error margin-bottom-3';
  alert.setAttribute('role', 'alert');
  const body = document.createElement('div');
  body.className = 'usa-alert__body';
  body.append(paragraph(describeError(error)));
  alert.append(body);
  container.replaceChildren(alert);
}

function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `Something went wrong in this page: ${message}. Reload the page and try again.`;
}

/** Shows an error from callApi, or any other error, on the form. */
export function showFormError(form: HTMLFormElement, error: unknown, options: ErrorOptions = {}): void {
  if (!(error instanceof ApiError)) {
    showProblems(form, describeError(error), []);
    return;
  }
  showProblems(form, error.message, resolveProblems(form, error, options));
}

/** Shows problems found in the browser before anything is sent, in the same way as the server's. */
export function showFieldProblems(form: HTMLFormElement, problems: FieldProblem[]): void {
  const resolved = problems.flatMap((problem) => {
    const field = findField(form, problem.field);
    return field ? [{ field, message: problem.message }] : [];
  });
  showProblems(form, problems.map((problem) => problem.message).join(' '), resolved);
}

function showProblems(form: HTMLFormElement, message: string, problems: ResolvedProblem[]): void {
  clearFormErrors(form);
  const container = findAlertContainer(form);
  for (const problem of problems) markField(problem.field, problem.message);
  if (!container) return;

  const alert = document.createElement('div');
  alert.className = 'usa-alert usa-alert--error margin-bottom-3';
  alert.setAttribute('role', 'alert');
  alert.tabIndex = -1;
  const body = document.createElement('div');
  body.className = 'usa-alert__body';
  alert.append(body);

  if (problems.length === 0) {
    body.append(paragraph(message));
    container.replaceChildren(alert);
    return;
  }

  const heading = document.createElement(`h${container.dataset.headingLevel ?? '2'}`);
  heading.className = 'usa-alert__heading';
  heading.textContent = problems.length === 1 ? 'There is a problem' : `There are ${problems.length} problems`;
  const list = document.createElement('ul');
  list.className = 'usa-list usa-list--unstyled';
  for (const problem of problems) list.append(linkToField(problem));
  body.append(heading, list);
  container.replaceChildren(alert);

  // Keyboard and screen-reader users start from the list, whose links lead to each field.
  alert.focus();
}

function resolveProblems(form: HTMLFormElement, error: ApiError, options: ErrorOptions): ResolvedProblem[] {
  const problems: ResolvedProblem[] = [];
  for (const problem of error.fields) {
    const field = findField(form, problem.field);
    if (field) problems.push({ field, message: joinLabel(field, problem.message) });
  }
  if (problems.length > 0) return problems;

  // Some errors carry no `fields` list but name their field by code or by a "field: " prefix.
  const prefixed = /^([A-Za-z]+): (.+)$/s.exec(error.message);
  const fieldName =
    (error.code.startsWith('password_') ? options.passwordField : undefined) ??
    fieldsByCode[error.code] ??
    prefixed?.[1];
  const field = fieldName ? findField(form, fieldName) : undefined;
  if (!field) return [];

  const message = prefixed && prefixed[1] === fieldName ? joinLabel(field, prefixed[2] ?? '') : error.message;
  return [{ field, message }];
}

/** Turns "is required." into "Email address is required." and keeps a full sentence as it is. */
function joinLabel(field: FieldElement, message: string): string {
  const label = readLabel(field);
  if (/^[a-z]/.test(message)) return `${label} ${message}`;
  return `${label}: ${message}`;
}

function findField(form: HTMLFormElement, name: string): FieldElement | undefined {
  const element = form.elements.namedItem(name);
  if (
    element instanceof HTMLInputElement ||
    element instanceof HTMLSelectElement ||
    element instanceof HTMLTextAreaElement
  ) {
    return element;
  }
  return undefined;
}

function findAlertContainer(form: HTMLFormElement): HTMLElement | null {
  return form.querySelector<HTMLElement>('[data-form-alert]');
}

function readLabel(field: FieldElement): string {
  const label = field.labels?.[0];
  return (field.dataset.label ?? label?.textContent ?? field.name).replace(/\s+/g, ' ').trim();
}

/** Marks a field invalid with the message, or clears the mark when message is undefined. */
function markField(field: FieldElement, message: string | undefined): void {
  const errorId = `${field.id}-error`;
  const errorElement = document.getElementById(errorId);
  const group = field.closest('.usa-form-group');
  const describedBy = (field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((id) => id && id !== errorId);

  if (message === undefined) {
    field.removeAttribute('aria-invalid');
    field.classList.remove('usa-input--error');
    group?.classList.remove('usa-form-group--error');
    if (errorElement) {
      errorElement.textContent = '';
      errorElement.hidden = true;
    }
  } else {
    field.setAttribute('aria-invalid', 'true');
    field.classList.add('usa-input--error');
    group?.classList.add('usa-form-group--error');
    if (errorElement) {
      errorElement.textContent = message;
      errorElement.hidden = false;
      describedBy.unshift(errorId);
    }
  }

  if (describedBy.length > 0) field.setAttribute('aria-describedby', describedBy.join(' '));
  else field.removeAttribute('aria-describedby');
}

function linkToField(problem: ResolvedProblem): HTMLLIElement {
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.className = 'usa-link';
  link.href = `#${problem.field.id}`;
  link.textContent = problem.message;
  // Focus the field itself; following the fragment would only scroll, and would change the address.
  link.addEventListener('click', (event) => {
    event.preventDefault();
    problem.field.focus();
  });
  item.append(link);
  return item;
}

function paragraph(text: string): HTMLParagraphElement {
  const element = document.createElement('p');
  element.className = 'usa-alert__text';
  element.textContent = text;
  return element;
}

/**
 * Shows a success or information message in a live region (an element with
 * role="status", which must already be on the page for screen readers to
 * announce the change). An empty message clears it.
 */
export function showStatus(region: HTMLElement, message: string, kind: 'success' | 'info' = 'success'): void {
  if (!message) {
    region.replaceChildren();
    return;
  }
  const alert = document.createElement('div');
  alert.className = `usa-alert usa-alert--${kind} usa-alert--slim margin-bottom-3`;
  const body = document.createElement('div');
  body.className = 'usa-alert__body';
  body.append(paragraph(message));
  alert.append(body);
  region.replaceChildren(alert);
}

const pendingForms = new WeakSet<HTMLFormElement>();

/**
 * Runs a form's request unless one is already running, so a double click
 * sends it once. The buttons get aria-disabled rather than disabled, because
 * disabling the focused button would drop keyboard focus to the page.
 */
export async function whileSubmitting(form: HTMLFormElement, work: () => Promise<void>): Promise<void> {
  if (pendingForms.has(form)) return;
  pendingForms.add(form);
  const buttons = [...form.querySelectorAll<HTMLButtonElement>('button[type="submit"]')];
  for (const button of buttons) button.setAttribute('aria-disabled', 'true');
  form.setAttribute('aria-busy', 'true');
  try {
    await work();
  } finally {
    pendingForms.delete(form);
    for (const button of buttons) button.removeAttribute('aria-disabled');
    form.removeAttribute('aria-busy');
  }
}

/**
 * Checks the form's required fields before sending and shows a problem for
 * each empty one, using its `data-missing` message or "<label> is required.".
 * Returns true when all are filled in.
 */
export function checkRequiredFields(form: HTMLFormElement): boolean {
  const problems: FieldProblem[] = [];
  for (const field of form.querySelectorAll<FieldElement>('[required]')) {
    if (field.disabled || field.closest('[hidden]')) continue;
    const empty =
      field instanceof HTMLInputElement && field.type === 'checkbox' ? !field.checked : field.value.trim() === '';
    if (empty)
      problems.push({ field: field.name, message: field.dataset.missing ?? `${readLabel(field)} is required.` });
  }
  if (problems.length === 0) return true;
  showFieldProblems(form, problems);
  return false;
}
