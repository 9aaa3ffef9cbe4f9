/** Helpers shared by the worklist, merge and split, and move-notice pages. */
import type { SignedInSession } from '../account/session';
import { describeHowToGetRecordsAccess } from './record-format';

export { plural } from '../../lib/plural';

/**
 * Shows the page gate's denial message unless the person holds
 * data-administrator records access, a grant on the person rather than a
 * role. Returns whether the person may use the page.
 */
export function requireDataAdministratorOnPage(session: SignedInSession): boolean {
  if (session.person.recordsAccess === 'data_administrator') return true;
  const content = document.querySelector<HTMLElement>('[data-gate-content]');
  const denied = document.querySelector<HTMLElement>('[data-gate-denied]');
  const deniedText = document.querySelector<HTMLElement>('[data-gate-denied-text]');
  if (content) content.hidden = true;
  if (deniedText) {
    deniedText.replaceChildren(
      'This page is for data administrators: people with data-administrator records access, a separate grant on ' +
        'the account. ',
      ...describeHowToGetRecordsAccess(session),
    );
  }
  if (denied) denied.hidden = false;
  return false;
}

/** Finds an element the page's markup must contain, or throws naming it. */
export function findElement<T extends Element>(selector: string, root: ParentNode = document): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`The page has no ${selector} element.`);
  return element;
}

/** Creates an element with an optional class and text. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (className) created.className = className;
  if (text !== undefined) created.textContent = text;
  return created;
}

/** Formats an ISO timestamp as a date and time in the reader's time zone, such as "Dec 4, 2026, 3:00 PM". */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return '';
  const parsed = new Date(iso);
  return Number.isNaN(parsed.getTime())
    ? iso
    : parsed.toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * Builds a labelled textarea in the U.S. Web Design System's form-group
 * layout, with the error element form-feedback.ts fills in.
 */
export function textareaGroup(options: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  required?: boolean;
  missing?: string;
}): HTMLDivElement {
  const group = element('div', 'usa-form-group');
  const label = element('label', 'usa-label', options.label);
  label.htmlFor = options.id;
  group.append(label);
  const describedBy: string[] = [];
  if (options.hint) {
    const hint = element('span', 'usa-hint', options.hint);
    hint.id = `${options.id}-hint`;
    describedBy.push(hint.id);
    group.append(hint);
  }
  const error = element('span', 'usa-error-message');
  error.id = `${options.id}-error`;
  error.hidden = true;
  const textarea = element('textarea', 'usa-input usa-textarea records-textarea');
  textarea.id = options.id;
  textarea.name = options.name;
  textarea.rows = 3;
  textarea.maxLength = 2000;
  textarea.required = options.required ?? false;
  if (options.missing) textarea.dataset.missing = options.missing;
  if (describedBy.length > 0) textarea.setAttribute('aria-describedby', describedBy.join(' '));
  group.append(error, textarea);
  return group;
}
