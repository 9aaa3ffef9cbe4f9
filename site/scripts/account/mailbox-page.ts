/**
 * The console's mailbox page, for admins: the messages in the local mailbox
 * folder, newest first, and one message's headers and plain-text body. The
 * HTML part is never rendered, because it is untrusted markup. The open
 * message's id is kept in the address as `?message=`, so a reload shows it again.
 */
import { callApi } from './api';
import { showErrorAlert, showStatus } from './form-feedback';
import { formatDateTime } from './labels';
import { openGatedPage } from './session';

interface MailboxSummary {
  id: string;
  date: string | null;
  to: string;
  subject: string;
}

interface MailboxMessage extends MailboxSummary {
  from: string;
  messageId: string | null;
  autoSubmitted: string | null;
  text: string;
}

/** Messages GET /api/mailbox returns when no limit is given. */
const listLimit = 50;

interface MailboxPage {
  status: HTMLElement;
  alert: HTMLElement;
  rows: HTMLTableSectionElement;
  count: HTMLElement;
  listHeading: HTMLElement;
  panel: HTMLElement;
  /** The id of the message on screen, to return focus to its row when it is closed. */
  openId: string | undefined;
}

export async function startMailboxPage(): Promise<void> {
  const session = await openGatedPage({ roles: ['admin'], audience: 'admins' });
  if (!session) return;

  const page = findPage();
  page.rows.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-message-id]');
    if (button?.dataset.messageId) void openMessage(page, button.dataset.messageId);
  });
  document.querySelector('[data-mailbox-reload]')?.addEventListener('click', () => void loadList(page, true));
  document.querySelector('[data-message-close]')?.addEventListener('click', () => closeMessage(page));
  page.panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeMessage(page);
  });

  await loadList(page, false);
  const requested = new URLSearchParams(window.location.search).get('message');
  if (requested) await openMessage(page, requested);
}

function findPage(): MailboxPage {
  const find = <T extends Element>(selector: string): T => {
    const element = document.querySelector<T>(selector);
    if (!element) throw new Error(`The mailbox page has no ${selector} element.`);
    return element;
  };
  return {
    status: find('[data-mailbox-status]'),
    alert: find('[data-mailbox-alert]'),
    rows: find('[data-mailbox-rows]'),
    count: find('[data-mailbox-count]'),
    listHeading: find('#messages-heading'),
    panel: find('[data-message-panel]'),
    openId: undefined,
  };
}

async function loadList(page: MailboxPage, announce: boolean): Promise<void> {
  page.alert.replaceChildren();
  try {
    const { messages, smtpConfigured } = await callApi<{ messages: MailboxSummary[]; smtpConfigured: boolean }>(
      'GET',
      '/api/mailbox',
    );
    const smtpNote = document.querySelector<HTMLElement>('[data-smtp-note]');
    if (smtpNote) smtpNote.hidden = !smtpConfigured;
    page.rows.replaceChildren(...messages.map(renderSummary));
    page.count.textContent = describeCount(messages.length);
    if (announce) showStatus(page.status, page.count.textContent, 'info');
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}

function describeCount(count: number): string {
  if (count === 0) return 'The mailbox is empty.';
  if (count >= listLimit) return `Showing the ${count} newest messages.`;
  return count === 1 ? '1 message, newest first.' : `${count} messages, newest first.`;
}

function renderSummary(message: MailboxSummary): HTMLTableRowElement {
  const row = document.createElement('tr');
  const date = document.createElement('td');
  date.textContent = formatDateTime(message.date);
  const to = document.createElement('td');
  to.textContent = message.to;

  const subject = document.createElement('td');
  const open = document.createElement('button');
  open.type = 'button';
  open.className = 'usa-button usa-button--unstyled';
  open.dataset.messageId = message.id;
  open.textContent = message.subject || '(no subject)';
  subject.append(open);

  row.append(date, to, subject);
  return row;
}

async function openMessage(page: MailboxPage, id: string): Promise<void> {
  page.alert.replaceChildren();
  try {
    const { message } = await callApi<{ message: MailboxMessage }>('GET', `/api/mailbox/${encodeURIComponent(id)}`);
    showMessage(page, message);
    writeOpenMessage(id);
  } catch (error) {
    showErrorAlert(page.alert, error);
    writeOpenMessage(undefined);
  }
}

function showMessage(page: MailboxPage, message: MailboxMessage): void {
  const fields: Record<string, string> = {
    from: message.from,
    to: message.to,
    date: formatDateTime(message.date),
    messageId: message.messageId ?? 'None',
    autoSubmitted: message.autoSubmitted ?? 'None',
  };
  for (const [name, value] of Object.entries(fields)) {
    const element = page.panel.querySelector<HTMLElement>(`[data-message-field="${name}"]`);
    if (element) element.textContent = value;
  }
  const subject = page.panel.querySelector<HTMLElement>('[data-message-subject]');
  const text = page.panel.querySelector<HTMLElement>('[data-message-text]');
  if (subject) subject.textContent = message.subject || '(no subject)';
  if (text) text.textContent = message.text || '(This message has no plain-text part.)';

  page.openId = message.id;
  page.panel.hidden = false;
  subject?.focus();
}

function closeMessage(page: MailboxPage): void {
  page.panel.hidden = true;
  writeOpenMessage(undefined);
  const button = [...page.rows.querySelectorAll<HTMLButtonElement>('button[data-message-id]')].find(
    (candidate) => candidate.dataset.messageId === page.openId,
  );
  (button ?? page.listHeading).focus();
  page.openId = undefined;
}

function writeOpenMessage(id: string | undefined): void {
  const url = new URL(window.location.href);
  if (id) url.searchParams.set('message', id);
  else url.searchParams.delete('message');
  window.history.replaceState(window.history.state, '', url);
}
