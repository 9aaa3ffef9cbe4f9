/**
 * One ticket at /support/ticket/?id=N: the public conversation with its
 * files, a reply form and a close button. Everything people typed is set as
 * text, never parsed as HTML.
 */
import { callApi } from '../account/api';
import { clearFormErrors, showErrorAlert, showFieldProblems, showFormError } from '../account/form-feedback';
import { formatDateTime } from '../account/labels';
import { openGatedPage } from '../account/session';
import { categoryLabels, formatFileSize, statusLabels, statusTagClasses } from './labels';
import { renderMessageBody } from './quoted-text';
import { checkFiles, uploadFiles } from './uploads';

interface Attachment {
  id: number;
  fileName: string;
  contentType: string;
  sizeBytes: number;
}

interface Message {
  id: number;
  visibility: 'public' | 'internal';
  authorType: 'requester' | 'agent' | 'system';
  authorName: string;
  channel: string;
  bodyText: string;
  createdAt: string;
  attachments: Attachment[];
}

interface TicketView {
  ticket: {
    id: number;
    subject: string;
    status: string;
    category: string;
    createdAt: string;
    mergedIntoId: number | null;
  };
  messages: Message[];
  canReply: boolean;
  canClose: boolean;
}

function find<T extends HTMLElement>(selector: string): T {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`The page has no ${selector} element.`);
  return element;
}

function readTicketId(): number | undefined {
  const raw = new URLSearchParams(window.location.search).get('id') ?? '';
  return /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : undefined;
}

export async function startTicketPage(): Promise<void> {
  const session = await openGatedPage();
  if (!session) return;

  const heading = find('[data-ticket-heading]');
  const status = find('[data-ticket-status]');
  const alert = find('[data-ticket-alert]');
  const content = find('[data-ticket-content]');
  const replyForm = find<HTMLFormElement>('[data-reply-form]');
  const replyFiles = find<HTMLInputElement>('#reply-attachments');
  const replySubmit = find<HTMLButtonElement>('[data-reply-submit]');
  const replyStatus = find('[data-reply-status]');

  const id = readTicketId();
  if (id === undefined) {
    status.textContent = '';
    showErrorAlert(alert, new Error('the address has no ticket number. Open the ticket from your ticket list'));
    return;
  }

  const show = (view: TicketView) => {
    document.title = `Ticket #${view.ticket.id} | MSIX Assist`;
    heading.textContent = `Ticket #${view.ticket.id}: ${view.ticket.subject}`;
    const tag = find('[data-ticket-state-tag]');
    tag.className = statusTagClasses[view.ticket.status] ?? 'support-tag';
    tag.textContent = statusLabels[view.ticket.status] ?? view.ticket.status;
    find('[data-ticket-category]').textContent = categoryLabels[view.ticket.category] ?? view.ticket.category;
    find('[data-ticket-opened]').textContent = formatDateTime(view.ticket.createdAt);
    find('[data-conversation]').replaceChildren(
      ...view.messages.map((message) => messageItem(view.ticket.id, message)),
    );
    find('[data-reply-section]').hidden = !view.canReply;
    find('[data-closed-note]').hidden = view.canReply;
    find('[data-close-section]').hidden = !view.canClose;
    content.hidden = false;
  };

  const load = async () => {
    try {
      const view = await callApi<TicketView>('GET', `/api/tickets/${id}`);
      status.textContent = '';
      show(view);
    } catch (error) {
      status.textContent = '';
      showErrorAlert(alert, error);
    }
  };

  let sending = false;
  replyForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return;
    clearFormErrors(replyForm);
    const bodyText = (replyForm.elements.namedItem('bodyText') as HTMLTextAreaElement).value;
    const files = Array.from(replyFiles.files ?? []);
    const problems = [];
    if (bodyText.trim() === '') problems.push({ field: 'bodyText', message: 'Write your reply.' });
    const fileProblem = checkFiles(files);
    if (fileProblem) problems.push({ field: 'attachments', message: fileProblem });
    if (problems.length > 0) {
      showFieldProblems(replyForm, problems);
      return;
    }
    sending = true;
    replySubmit.disabled = true;
    replyStatus.textContent = 'Sending your reply…';
    try {
      const attachments = await uploadFiles(files);
      await callApi('POST', `/api/tickets/${id}/messages`, { bodyText, attachments });
      replyForm.reset();
      await load();
      replyStatus.textContent = 'Your reply was added to the conversation.';
    } catch (error) {
      replyStatus.textContent = '';
      showFormError(replyForm, error);
    } finally {
      sending = false;
      replySubmit.disabled = false;
    }
  });

  const closeStart = find<HTMLButtonElement>('[data-close-start]');
  const closeConfirm = find('[data-close-confirm]');
  closeStart.addEventListener('click', () => {
    closeConfirm.hidden = false;
    closeStart.hidden = true;
    find('[data-close-question]').focus();
  });
  find('[data-close-cancel]').addEventListener('click', () => {
    closeConfirm.hidden = true;
    closeStart.hidden = false;
    closeStart.focus();
  });
  find('[data-close-confirm-button]').addEventListener('click', async () => {
    try {
      await callApi('POST', `/api/tickets/${id}/close`);
      closeConfirm.hidden = true;
      closeStart.hidden = false;
      await load();
      status.textContent = 'The ticket is closed.';
      heading.focus();
    } catch (error) {
      showErrorAlert(alert, error);
    }
  });

  await load();
}

function messageItem(ticketId: number, message: Message): HTMLLIElement {
  const item = document.createElement('li');
  const fromDesk = message.authorType !== 'requester';
  item.className = `support-message${message.visibility === 'internal' ? ' support-message--note' : fromDesk ? ' support-message--desk' : ''}`;

  const meta = document.createElement('p');
  meta.className = 'support-message__meta';
  const author = document.createElement('strong');
  author.textContent = fromDesk ? `${message.authorName} (help desk)` : message.authorName;
  const kind = message.visibility === 'internal' ? ', internal note' : '';
  meta.append(
    author,
    `${kind}, ${formatDateTime(message.createdAt)}${message.channel === 'email' ? ', by email' : ''}`,
  );

  item.append(meta, ...renderMessageBody(message.bodyText, 'support-message__body'));

  if (message.attachments.length > 0) {
    const list = document.createElement('ul');
    list.className = 'usa-list margin-top-1';
    for (const attachment of message.attachments) {
      const entry = document.createElement('li');
      const link = document.createElement('a');
      link.className = 'usa-link';
      link.href = `/api/tickets/${ticketId}/attachments/${attachment.id}`;
      link.setAttribute('download', '');
      link.textContent = attachment.fileName;
      entry.append(link, ` (${formatFileSize(attachment.sizeBytes)})`);
      list.append(entry);
    }
    item.append(list);
  }
  return item;
}
