/**
 * The console's ticket page at /desk/ticket/?id=N: facts and SLA due times,
 * the conversation with internal notes set apart, the reply box with canned
 * responses, fields and assignment, followers, merge and split, and history.
 * Every text from the ticket is set as text, so markup in it shows as typed.
 */
import { callApi } from '../account/api';
import {
  checkRequiredFields,
  clearFormErrors,
  showErrorAlert,
  showFieldProblems,
  showFormError,
  showStatus,
  whileSubmitting,
} from '../account/form-feedback';
import { describeState } from '../account/labels';
import { openGatedPage, type SessionPerson } from '../account/session';
import { createElement, createScreenReaderText, findRequired } from '../plans/dom';
import { renderMessageBody } from '../support/quoted-text';
import { checkFiles, uploadFiles } from '../support/uploads';
import {
  categoryLabels,
  channelLabels,
  describeHistory,
  formatShort,
  labelOf,
  priorityLabels,
  statusLabels,
} from './labels';
import type { CannedResponse, FieldChange, StaffMember } from './types';

interface Attachment {
  id: number;
  ticketMessageId: number | null;
  fileName: string;
  contentType: string;
  sizeBytes: number;
}

interface TicketDetail {
  ticket: {
    id: number;
    subject: string;
    requester: { id: number | null; name: string; email: string };
    state: string | null;
    category: string;
    priority: string;
    status: string;
    channel: string;
    assignee: { id: number; name: string } | null;
    mergedIntoId: number | null;
    createdAt: string;
    updatedAt: string;
  };
  sla: {
    firstResponseDueAt: string | null;
    resolutionDueAt: string | null;
    firstResponse: DueState;
    resolution: DueState;
  };
  messages: {
    id: number;
    visibility: 'public' | 'internal';
    authorType: 'requester' | 'agent' | 'system';
    authorName: string;
    authorEmail: string | null;
    channel: string;
    bodyText: string;
    createdAt: string;
    attachments: Attachment[];
  }[];
  participants: { id: number; email: string; role: 'requester' | 'follower'; name: string | null }[];
  history: {
    id: number;
    type: string;
    fromValue: string | null;
    toValue: string | null;
    createdAt: string;
    actorName: string | null;
  }[];
  mergedFrom: { id: number; subject: string }[];
}

type DueState = 'none' | 'paused' | 'breached' | 'soon' | 'running';

const dueWords: Record<DueState, string> = {
  none: '',
  paused: 'paused while pending on the requester',
  breached: 'breached',
  soon: 'due within 2 business hours',
  running: 'on time',
};

interface Page {
  actor: SessionPerson;
  ticketId: number;
  detail: TicketDetail | undefined;
  status: HTMLElement;
  alert: HTMLElement;
  heading: HTMLElement;
  fields: HTMLFormElement;
  reply: HTMLFormElement;
  followers: HTMLFormElement;
  merge: HTMLFormElement;
}

export async function startTicketPage(): Promise<void> {
  const session = await openGatedPage({ roles: ['agent', 'admin'], audience: 'help desk agents and admins' });
  if (!session) return;

  const page: Page = {
    actor: session.person,
    ticketId: readTicketId(),
    detail: undefined,
    status: findRequired('[data-ticket-status]'),
    alert: findRequired('[data-ticket-alert]'),
    heading: findRequired('[data-ticket-heading]'),
    fields: findRequired('[data-fields-form]'),
    reply: findRequired('[data-reply-form]'),
    followers: findRequired('[data-follower-form]'),
    merge: findRequired('[data-merge-form]'),
  };
  if (!Number.isSafeInteger(page.ticketId) || page.ticketId < 1) {
    showErrorAlert(page.alert, new Error('the address has no ticket number; open the ticket from the queue'));
    return;
  }

  startFieldsForm(page);
  startReplyForm(page);
  startFollowers(page);
  startMerge(page);
  findRequired('[data-messages]').addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-split]');
    if (button) void splitMessage(page, Number(button.dataset.split));
  });

  await Promise.all([loadStaff(page), loadCannedResponses(page), loadTicket(page)]);
}

function readTicketId(): number {
  const raw = new URLSearchParams(window.location.search).get('id') ?? '';
  return /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : Number.NaN;
}

async function loadTicket(page: Page): Promise<void> {
  try {
    page.detail = await callApi<TicketDetail>('GET', `/api/desk/tickets/${page.ticketId}`);
    renderTicket(page, page.detail);
    findRequired<HTMLElement>('[data-ticket-content]').hidden = false;
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}

function renderTicket(page: Page, detail: TicketDetail): void {
  const { ticket } = detail;
  page.heading.textContent = `Ticket #${ticket.id}: ${ticket.subject}`;
  document.title = `Ticket #${ticket.id} | MSIX Assist`;

  const merged = findRequired<HTMLElement>('[data-merged-note]');
  merged.hidden = ticket.mergedIntoId === null;
  if (ticket.mergedIntoId !== null) {
    const link = findRequired<HTMLAnchorElement>('[data-merged-link]');
    link.href = `/desk/ticket/?id=${ticket.mergedIntoId}`;
    link.textContent = `ticket #${ticket.mergedIntoId}`;
  }

  const facts: [string, string | Node][] = [
    ['Requester', `${ticket.requester.name} <${ticket.requester.email}>`],
    ['State', describeState(ticket.state)],
    ['Channel', labelOf(channelLabels, ticket.channel)],
    ['Created', formatShort(ticket.createdAt)],
    ['First response due', describeDue(detail.sla.firstResponseDueAt, detail.sla.firstResponse)],
    ['Resolution due', describeDue(detail.sla.resolutionDueAt, detail.sla.resolution)],
  ];
  if (detail.mergedFrom.length > 0) {
    facts.push(['Merged from', detail.mergedFrom.map((entry) => `#${entry.id}`).join(', ')]);
  }
  findRequired('[data-ticket-facts]').replaceChildren(
    ...facts.flatMap(([term, value]) => [createElement('dt', { text: term }), createElement('dd', {}, [value])]),
  );

  renderMessages(page, detail);
  renderFollowers(page, detail);
  findRequired('[data-history]').replaceChildren(
    ...detail.history.map((event) =>
      createElement('li', { text: `${formatShort(event.createdAt)}: ${describeHistoryLine(event, ticket)}` }),
    ),
  );

  setSelect(page.fields, 'status', ticket.status);
  setSelect(page.fields, 'priority', ticket.priority);
  setSelect(page.fields, 'category', ticket.category);
  setSelect(page.fields, 'state', ticket.state ?? '');
  setSelect(page.fields, 'assigneeId', ticket.assignee ? String(ticket.assignee.id) : '');
}

/** History events without a person behind them that the requester caused, by replying or answering the survey. */
const requesterEvents = new Set(['requester_replied', 'survey_answered']);

/** Describes one history row with who did it, such as "Alex Agent: Status changed: New → Open". */
function describeHistoryLine(event: TicketDetail['history'][number], ticket: TicketDetail['ticket']): string {
  if (event.type === 'created') {
    const channel = event.toValue ?? ticket.channel;
    if (channel === 'email') return `Created by email from ${ticket.requester.email}`;
    if (channel === 'phone') return `Logged from a phone call${event.actorName ? ` by ${event.actorName}` : ''}`;
    return `Created on the web form by ${event.actorName ?? `${ticket.requester.name} <${ticket.requester.email}>`}`;
  }
  if (event.actorName) return `${event.actorName}: ${describeHistory(event)}`;
  if (requesterEvents.has(event.type)) return `${ticket.requester.name} (requester): ${describeHistory(event)}`;
  return `Automatic: ${describeHistory(event)}`;
}

/** Says where a message was written: staff replies typed in the console are "in the help desk", not on the web form. */
function describeMessageChannel(message: TicketDetail['messages'][number]): string {
  if (message.channel === 'email') return 'by email';
  if (message.channel === 'phone') return 'by phone';
  return message.authorType === 'requester' ? 'on the web form' : 'in the help desk';
}

function describeDue(due: string | null, state: DueState): Node {
  if (!due) return document.createTextNode('Not set');
  const wrapper = createElement('span', { text: formatShort(due) });
  if (state === 'breached' || state === 'soon' || state === 'paused') {
    wrapper.append(' ', createElement('span', { className: `desk-badge desk-badge--${state}`, text: dueWords[state] }));
  } else if (state === 'running') {
    wrapper.append(`, ${dueWords[state]}`);
  }
  return wrapper;
}

function setSelect(form: HTMLFormElement, name: string, value: string): void {
  const select = form.elements.namedItem(name);
  if (select instanceof HTMLSelectElement) select.value = value;
}

function renderMessages(page: Page, detail: TicketDetail): void {
  const firstId = detail.messages[0]?.id;
  findRequired('[data-messages]').replaceChildren(
    ...detail.messages.map((message) => {
      const internal = message.visibility === 'internal';
      let kind = 'requester';
      let label = 'From the requester';
      if (internal) {
        kind = 'internal';
        label = 'Internal note';
      } else if (message.authorType === 'agent') {
        kind = 'agent';
        label = 'Public reply';
      }
      const article = createElement('article', {
        className: `desk-message desk-message--${kind}`,
        attributes: { 'aria-label': `${label} by ${message.authorName}` },
      });
      article.append(
        createElement('p', { className: 'desk-message__meta' }, [
          createElement('strong', { text: label }),
          ` by ${message.authorName}`,
          message.authorEmail && message.authorType !== 'agent' ? ` <${message.authorEmail}>` : '',
          `, ${formatShort(message.createdAt)}, ${describeMessageChannel(message)}`,
        ]),
        ...renderMessageBody(message.bodyText, 'desk-message__body'),
      );
      if (message.attachments.length > 0) {
        article.append(
          createElement(
            'ul',
            { className: 'usa-list margin-top-1' },
            message.attachments.map((file) =>
              createElement('li', {}, [
                createElement('a', {
                  className: 'usa-link',
                  text: file.fileName,
                  attributes: { href: `/api/tickets/${page.ticketId}/attachments/${file.id}`, download: file.fileName },
                }),
                ` (${formatSize(file.sizeBytes)})`,
              ]),
            ),
          ),
        );
      }
      if (message.id !== firstId && detail.ticket.mergedIntoId === null) {
        article.append(
          createElement('div', { className: 'desk-message__actions' }, [
            createElement('button', {
              className: 'usa-button usa-button--unstyled',
              text: 'Split into a new ticket',
              attributes: { type: 'button', 'data-split': String(message.id) },
            }),
          ]),
        );
      }
      return article;
    }),
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function renderFollowers(page: Page, detail: TicketDetail): void {
  findRequired('[data-followers]').replaceChildren(
    ...detail.participants.map((participant) => {
      const item = createElement('li', { className: 'margin-bottom-1' }, [
        createElement('span', {
          text: `${participant.name ? `${participant.name}, ` : ''}${participant.email}${participant.role === 'requester' ? ' (requester)' : ''}`,
        }),
      ]);
      if (participant.role === 'follower') {
        const remove = createElement(
          'button',
          {
            className: 'usa-button usa-button--unstyled margin-left-1',
            attributes: { type: 'button' },
          },
          ['Remove', createScreenReaderText(` ${participant.email}`)],
        );
        remove.addEventListener('click', () => void removeFollower(page, participant.id, participant.email));
        item.append(remove);
      }
      return item;
    }),
  );
}

async function loadStaff(page: Page): Promise<void> {
  try {
    const { agents } = await callApi<{ agents: StaffMember[] }>('GET', '/api/desk/agents');
    const select = findRequired<HTMLSelectElement>('#field-assignee');
    for (const agent of agents) {
      const label = `${agent.name}${agent.id === page.actor.id ? ' (me)' : ''}, ${agent.openTickets} open`;
      select.append(createElement('option', { text: label, attributes: { value: String(agent.id) } }));
    }
    if (page.detail?.ticket.assignee) select.value = String(page.detail.ticket.assignee.id);
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}

async function loadCannedResponses(page: Page): Promise<void> {
  try {
    const { responses } = await callApi<{ responses: CannedResponse[] }>('GET', '/api/desk/canned-responses');
    const select = findRequired<HTMLSelectElement>('#reply-canned');
    // Without any canned responses the picker would insert nothing, so it gives way to a pointer to the editor.
    findRequired<HTMLElement>('[data-canned-picker]').hidden = responses.length === 0;
    findRequired<HTMLElement>('[data-canned-empty]').hidden = responses.length > 0;
    for (const response of responses) {
      select.append(createElement('option', { text: response.title, attributes: { value: String(response.id) } }));
    }
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}

/** Reloads the ticket after a change and announces the result. */
async function afterChange(page: Page, message: string): Promise<void> {
  await loadTicket(page);
  showStatus(page.status, message);
}

function describeChanges(changes: FieldChange[]): string {
  if (changes.length === 0) return 'Nothing changed: the fields already had those values.';
  const labels: Record<string, Record<string, string>> = {
    status: statusLabels,
    priority: priorityLabels,
    category: categoryLabels,
  };
  const parts = changes.map((change) => {
    const words = labels[change.field] ?? {};
    return `${change.field} ${labelOf(words, change.from) || 'none'} → ${labelOf(words, change.to) || 'none'}`;
  });
  return `Saved: ${parts.join('; ')}.`;
}

function startFieldsForm(page: Page): void {
  page.fields.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(page.fields, async () => {
      const data = new FormData(page.fields);
      const assignee = String(data.get('assigneeId') ?? '');
      const state = String(data.get('state') ?? '');
      try {
        const result = await callApi<{ changes: FieldChange[] }>('PATCH', `/api/desk/tickets/${page.ticketId}`, {
          status: data.get('status'),
          priority: data.get('priority'),
          category: data.get('category'),
          state: state === '' ? null : state,
          assigneeId: assignee === '' ? null : Number(assignee),
        });
        clearFormErrors(page.fields);
        await afterChange(page, describeChanges(result.changes));
      } catch (error) {
        showFormError(page.fields, error);
      }
    });
  });
  findRequired<HTMLButtonElement>('[data-assign-me]').addEventListener('click', async () => {
    try {
      const result = await callApi<{ changes: FieldChange[] }>('PATCH', `/api/desk/tickets/${page.ticketId}`, {
        assigneeId: page.actor.id,
      });
      await afterChange(
        page,
        result.changes.length > 0 ? 'The ticket is assigned to you.' : 'The ticket was already yours.',
      );
    } catch (error) {
      showErrorAlert(page.alert, error);
    }
  });
  findRequired<HTMLButtonElement>('[data-auto-assign]').addEventListener('click', async () => {
    try {
      const result = await callApi<{ assignee: { name: string } | null; message?: string }>(
        'POST',
        `/api/desk/tickets/${page.ticketId}/auto-assign`,
      );
      await afterChange(
        page,
        result.assignee
          ? `Round-robin assigned the ticket to ${result.assignee.name}.`
          : (result.message ?? 'The ticket stays unassigned.'),
      );
    } catch (error) {
      showErrorAlert(page.alert, error);
    }
  });
}

function startReplyForm(page: Page): void {
  const body = findRequired<HTMLTextAreaElement>('#reply-body');
  findRequired<HTMLButtonElement>('[data-insert-canned]').addEventListener('click', async () => {
    const choice = findRequired<HTMLSelectElement>('#reply-canned').value;
    if (choice === '') {
      showFieldProblems(page.reply, [{ field: 'canned', message: 'Choose a canned response to insert.' }]);
      return;
    }
    try {
      const expanded = await callApi<{ text: string; title: string }>(
        'GET',
        `/api/desk/tickets/${page.ticketId}/canned-responses/${choice}`,
      );
      const start = body.selectionStart ?? body.value.length;
      const end = body.selectionEnd ?? body.value.length;
      body.setRangeText(expanded.text, start, end, 'end');
      clearFormErrors(page.reply);
      body.focus();
      showStatus(page.status, `Inserted the canned response "${expanded.title}" into the reply.`, 'info');
    } catch (error) {
      showFormError(page.reply, error);
    }
  });

  const fileInput = findRequired<HTMLInputElement>('#reply-attachments');
  const progress = findRequired<HTMLElement>('[data-reply-progress]');
  page.reply.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!checkRequiredFields(page.reply)) return;
    const files = Array.from(fileInput.files ?? []);
    const fileProblem = checkFiles(files);
    if (fileProblem) {
      showFieldProblems(page.reply, [{ field: 'attachments', message: fileProblem }]);
      return;
    }
    void whileSubmitting(page.reply, async () => {
      const data = new FormData(page.reply);
      const visibility = String(data.get('visibility') ?? 'public');
      const status = String(data.get('status') ?? '');
      try {
        if (files.length > 0) progress.textContent = 'Uploading the files…';
        const attachments = await uploadFiles(files);
        progress.textContent = '';
        await callApi('POST', `/api/desk/tickets/${page.ticketId}/messages`, {
          visibility,
          bodyText: body.value,
          ...(status ? { status } : {}),
          ...(attachments.length > 0 ? { attachments } : {}),
        });
        page.reply.reset();
        clearFormErrors(page.reply);
        await afterChange(page, describeSent(visibility, attachments.length));
      } catch (error) {
        progress.textContent = '';
        showFormError(page.reply, error);
      }
    });
  });
}

function describeSent(visibility: string, fileCount: number): string {
  const files = fileCount === 0 ? '' : ` with ${fileCount === 1 ? '1 file' : `${fileCount} files`}`;
  return visibility === 'public'
    ? `Your reply${files} was sent to the requester.`
    : `Your internal note${files} was added.`;
}

function startFollowers(page: Page): void {
  page.followers.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!checkRequiredFields(page.followers)) return;
    void whileSubmitting(page.followers, async () => {
      const email = String(new FormData(page.followers).get('email') ?? '');
      try {
        await callApi('POST', `/api/desk/tickets/${page.ticketId}/followers`, { email });
        page.followers.reset();
        clearFormErrors(page.followers);
        await afterChange(page, `${email} now follows this ticket.`);
      } catch (error) {
        showFormError(page.followers, error);
      }
    });
  });
}

async function removeFollower(page: Page, participantId: number, email: string): Promise<void> {
  try {
    await callApi('DELETE', `/api/desk/tickets/${page.ticketId}/followers/${participantId}`);
    await afterChange(page, `${email} no longer follows this ticket.`);
    findRequired<HTMLInputElement>('#follower-email').focus();
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}

function startMerge(page: Page): void {
  const confirm = findRequired<HTMLElement>('[data-merge-confirm]');
  const question = findRequired<HTMLElement>('[data-merge-question]');
  let targetId = 0;

  page.merge.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!checkRequiredFields(page.merge)) return;
    const raw = String(new FormData(page.merge).get('targetId') ?? '')
      .replace(/^#/, '')
      .trim();
    if (!/^[1-9]\d{0,15}$/.test(raw)) {
      showFieldProblems(page.merge, [{ field: 'targetId', message: 'Enter a ticket number, such as 125.' }]);
      return;
    }
    clearFormErrors(page.merge);
    targetId = Number(raw);
    question.textContent = `Merge ticket #${page.ticketId} into ticket #${targetId}? Its messages, files and followers move to ticket #${targetId}, and ticket #${page.ticketId} closes. This cannot be undone.`;
    confirm.hidden = false;
    question.focus();
  });
  findRequired<HTMLButtonElement>('[data-merge-no]').addEventListener('click', () => {
    confirm.hidden = true;
    findRequired<HTMLInputElement>('#merge-target').focus();
  });
  findRequired<HTMLButtonElement>('[data-merge-yes]').addEventListener('click', async () => {
    try {
      await callApi('POST', `/api/desk/tickets/${page.ticketId}/merge`, { targetId });
      confirm.hidden = true;
      page.merge.reset();
      await afterChange(page, `Ticket #${page.ticketId} was merged into ticket #${targetId}.`);
      page.heading.focus();
    } catch (error) {
      confirm.hidden = true;
      showFormError(page.merge, error);
    }
  });
}

async function splitMessage(page: Page, messageId: number): Promise<void> {
  try {
    const result = await callApi<{ ticketId: number }>('POST', `/api/desk/messages/${messageId}/split`, {});
    await loadTicket(page);
    const link = createElement('a', {
      className: 'usa-link',
      text: `Open ticket #${result.ticketId}`,
      attributes: { href: `/desk/ticket/?id=${result.ticketId}` },
    });
    showStatus(page.status, `The message moved to the new ticket #${result.ticketId}.`);
    page.status.querySelector('.usa-alert__body')?.append(link);
    link.focus();
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}
