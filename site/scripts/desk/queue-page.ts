/**
 * The console's queue page at /desk/: queues with counts, filters, search,
 * a table of tickets with checkboxes and bulk actions, the availability
 * switch and "assign the next unassigned ticket to me". Search text is sent
 * in a POST body, never in the address, because it may name a student.
 */
import { callApi } from '../account/api';
import { showErrorAlert, showStatus, whileSubmitting } from '../account/form-feedback';
import { describeState } from '../account/labels';
import { openGatedPage, type SessionPerson } from '../account/session';
import { createElement, createScreenReaderText, findRequired } from '../plans/dom';
import {
  categoryLabels,
  formatShort,
  labelOf,
  priorityLabels,
  queueLabels,
  slaLabels,
  statusLabels,
  type QueueName,
} from './labels';
import type { BulkResult, QueueCounts, QueuePage, QueueRow, StaffMember } from './types';

const filterNames = ['q', 'status', 'priority', 'category', 'state', 'channel', 'assignee', 'sort'] as const;
const pageSize = 50;

interface Page {
  actor: SessionPerson;
  status: HTMLElement;
  alert: HTMLElement;
  filters: HTMLFormElement;
  rows: HTMLTableSectionElement;
  count: HTMLElement;
  heading: HTMLElement;
  more: HTMLButtonElement;
  selectAll: HTMLInputElement;
  bulk: HTMLFormElement;
  selectedCount: HTMLElement;
  queue: QueueName;
  tickets: QueueRow[];
  cursor: string | null;
  /** Counts list requests, so a slow response to an earlier request never replaces a newer one. */
  requestNumber: number;
}

export async function startQueuePage(): Promise<void> {
  const session = await openGatedPage({ roles: ['agent', 'admin'], audience: 'help desk agents and admins' });
  if (!session) return;

  const page: Page = {
    actor: session.person,
    status: findRequired('[data-desk-status]'),
    alert: findRequired('[data-desk-alert]'),
    filters: findRequired('[data-queue-filters]'),
    rows: findRequired('[data-ticket-rows]'),
    count: findRequired('[data-result-count]'),
    heading: findRequired('[data-results-heading]'),
    more: findRequired('[data-more]'),
    selectAll: findRequired('[data-select-all]'),
    bulk: findRequired('[data-bulk-form]'),
    selectedCount: findRequired('[data-selected-count]'),
    queue: readQueueFromAddress(),
    tickets: [],
    cursor: null,
    requestNumber: 0,
  };

  page.filters.addEventListener('submit', (event) => {
    event.preventDefault();
    void loadTickets(page, { append: false, focusHeading: true });
  });
  findRequired<HTMLButtonElement>('[data-clear-filters]').addEventListener('click', () => {
    page.filters.reset();
    void loadTickets(page, { append: false, focusHeading: true });
  });
  page.more.addEventListener('click', () => void loadTickets(page, { append: true, focusHeading: false }));
  page.selectAll.addEventListener('change', () => {
    for (const box of page.rows.querySelectorAll<HTMLInputElement>('input[data-ticket-id]')) {
      box.checked = page.selectAll.checked;
    }
    updateSelectedCount(page);
  });
  page.rows.addEventListener('change', () => updateSelectedCount(page));
  page.bulk.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(page.bulk, () => runBulkAction(page));
  });
  startAvailability(page);
  findRequired<HTMLButtonElement>('[data-assign-next]').addEventListener('click', () => void assignNext(page));

  await Promise.all([loadStaff(page), loadCounts(page), loadTickets(page, { append: false, focusHeading: false })]);
}

/** Reads the queue from `?queue=`, so a reload or a bookmark opens the same queue; the default is Unassigned. */
function readQueueFromAddress(): QueueName {
  const name = new URLSearchParams(window.location.search).get('queue') ?? '';
  return name in queueLabels ? (name as QueueName) : 'unassigned';
}

/** Writes the queue name, and only it, into the address: filters and search text stay out of it. */
function writeQueueToAddress(queue: QueueName): void {
  const url = new URL(window.location.href);
  url.search = queue === 'unassigned' ? '' : `?queue=${queue}`;
  window.history.replaceState(null, '', url);
}

function readFilters(page: Page): Record<string, string> {
  const data = new FormData(page.filters);
  const filters: Record<string, string> = {};
  for (const name of filterNames) {
    const value = String(data.get(name) ?? '').trim();
    if (value !== '') filters[name] = value;
  }
  return filters;
}

async function loadTickets(page: Page, options: { append: boolean; focusHeading: boolean }): Promise<void> {
  const requestNumber = ++page.requestNumber;
  const body: Record<string, unknown> = { ...readFilters(page), queue: page.queue, limit: pageSize };
  if (options.append && page.cursor) body.cursor = page.cursor;
  try {
    const result = await callApi<QueuePage>('POST', '/api/desk/queue/search', body);
    if (requestNumber !== page.requestNumber) return;
    page.tickets = options.append ? [...page.tickets, ...result.tickets] : result.tickets;
    page.cursor = result.nextCursor;
    renderTickets(page, options.append ? result.tickets : page.tickets, options.append);
    page.alert.replaceChildren();
    if (options.focusHeading) page.heading.focus();
  } catch (error) {
    if (requestNumber === page.requestNumber) showErrorAlert(page.alert, error);
  }
}

async function loadCounts(page: Page): Promise<void> {
  try {
    const counts = await callApi<QueueCounts>('GET', '/api/desk/queue/counts');
    renderQueueList(page, counts);
    renderFacetList(
      findRequired('[data-state-list]'),
      counts.byState.map((row) => ({
        label: row.state === 'none' ? 'No state' : describeState(row.state),
        count: row.count,
        value: row.state,
      })),
      (value) => applyFacet(page, 'state', value === 'none' ? '' : value),
    );
    renderFacetList(
      findRequired('[data-category-list]'),
      counts.byCategory.map((row) => ({
        label: labelOf(categoryLabels, row.category),
        count: row.count,
        value: row.category,
      })),
      (value) => applyFacet(page, 'category', value),
    );
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}

function renderQueueList(page: Page, counts: QueueCounts): void {
  const list = findRequired<HTMLUListElement>('[data-queue-list]');
  const names: QueueName[] = ['unassigned', 'mine', 'breaching', 'pending', 'open', 'all'];
  list.replaceChildren(
    ...names.map((name) => {
      const count = name === 'all' ? null : counts.queues[name];
      const button = createElement(
        'button',
        { attributes: { type: 'button', 'aria-pressed': String(name === page.queue), 'data-queue': name } },
        [
          createElement('span', { text: queueLabels[name] }),
          count === null ? null : createElement('span', { className: 'desk-count', text: String(count) }),
        ],
      );
      button.addEventListener('click', () => {
        page.queue = name;
        writeQueueToAddress(name);
        for (const other of list.querySelectorAll('button')) {
          other.setAttribute('aria-pressed', String(other.dataset.queue === name));
        }
        void loadTickets(page, { append: false, focusHeading: true });
      });
      return createElement('li', {}, [button]);
    }),
  );
}

function renderFacetList(
  list: HTMLElement,
  entries: { label: string; count: number; value: string }[],
  choose: (value: string) => void,
): void {
  if (entries.length === 0) {
    list.replaceChildren(createElement('li', { className: 'padding-1', text: 'No open tickets.' }));
    return;
  }
  list.replaceChildren(
    ...entries.map((entry) => {
      const button = createElement('button', { attributes: { type: 'button' } }, [
        createElement('span', { text: entry.label }),
        createElement('span', { className: 'desk-count', text: String(entry.count) }),
      ]);
      button.addEventListener('click', () => choose(entry.value));
      return createElement('li', {}, [button]);
    }),
  );
}

/** Shows the open tickets of one state or category: clears the other filters and the search. */
function applyFacet(page: Page, name: 'state' | 'category', value: string): void {
  page.filters.reset();
  const select = page.filters.elements.namedItem(name);
  if (select instanceof HTMLSelectElement) select.value = value;
  page.queue = 'open';
  writeQueueToAddress('open');
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-queue-list] button')) {
    button.setAttribute('aria-pressed', String(button.dataset.queue === 'open'));
  }
  void loadTickets(page, { append: false, focusHeading: true });
}

function renderTickets(page: Page, rows: QueueRow[], append: boolean): void {
  const created = rows.map((row) => renderRow(row));
  if (append) page.rows.append(...created);
  else page.rows.replaceChildren(...created);
  if (!append) page.selectAll.checked = false;

  const title = queueLabels[page.queue];
  page.heading.textContent = title;
  const shown = page.tickets.length;
  page.count.textContent =
    shown === 0
      ? 'No tickets match. Choose another queue or clear the filters.'
      : `Showing ${shown} ${shown === 1 ? 'ticket' : 'tickets'}${page.cursor ? '; more are available' : ''}.`;
  page.more.hidden = page.cursor === null;
  updateSelectedCount(page);
}

function renderRow(row: QueueRow): HTMLTableRowElement {
  const checkboxId = `select-ticket-${row.id}`;
  const checkbox = createElement('div', { className: 'usa-checkbox' }, [
    createElement('input', {
      className: 'usa-checkbox__input',
      attributes: { type: 'checkbox', id: checkboxId, 'data-ticket-id': String(row.id) },
    }),
    createElement('label', { className: 'usa-checkbox__label', attributes: { for: checkboxId } }, [
      createScreenReaderText(`Select ticket #${row.id}`),
    ]),
  ]);
  const link = createElement('a', { className: 'usa-link', attributes: { href: `/desk/ticket/?id=${row.id}` } }, [
    `#${row.id} `,
    row.subject,
  ]);
  const due = createElement('td', {}, [
    row.nextDueAt ? createElement('span', { text: formatShort(row.nextDueAt) }) : null,
    row.sla
      ? createElement('span', {
          className: `desk-badge desk-badge--${row.sla} margin-left-1`,
          text: slaLabels[row.sla],
        })
      : null,
  ]);
  return createElement('tr', {}, [
    createElement('td', {}, [checkbox]),
    createElement('th', { attributes: { scope: 'row' } }, [link]),
    createElement('td', {}, [
      createElement('span', { text: row.requesterName }),
      createElement('br'),
      createElement('span', { className: 'text-base', text: row.requesterEmail }),
    ]),
    createElement('td', { text: row.state ?? '' }),
    createElement('td', { text: labelOf(categoryLabels, row.category) }),
    createElement('td', { text: labelOf(priorityLabels, row.priority) }),
    createElement('td', { text: labelOf(statusLabels, row.status) }),
    createElement('td', { text: row.assignee?.name ?? 'Unassigned' }),
    createElement('td', { text: formatShort(row.updatedAt) }),
    due,
  ]);
}

function selectedIds(page: Page): number[] {
  return [...page.rows.querySelectorAll<HTMLInputElement>('input[data-ticket-id]:checked')].map((box) =>
    Number(box.dataset.ticketId),
  );
}

function updateSelectedCount(page: Page): void {
  const count = selectedIds(page).length;
  page.selectedCount.textContent =
    count === 0 ? 'No tickets selected.' : `${count} ${count === 1 ? 'ticket' : 'tickets'} selected.`;
}

async function runBulkAction(page: Page): Promise<void> {
  const ticketIds = selectedIds(page);
  const choice = findRequired<HTMLSelectElement>('[data-bulk-action]', page.bulk).value;
  if (ticketIds.length === 0 || choice === '') {
    showStatus(page.status, 'Select at least one ticket and choose an action first.', 'info');
    return;
  }
  const [action, value] = choice.split(':') as [string, string | undefined];
  const body: Record<string, unknown> = { ticketIds };
  if (action === 'auto_assign') body.action = 'auto_assign';
  else if (action === 'assign')
    Object.assign(body, { action: 'assign', assigneeId: value === 'none' ? null : Number(value) });
  else if (action === 'status') Object.assign(body, { action: 'status', status: value });
  else Object.assign(body, { action: 'priority', priority: value });

  try {
    const { results } = await callApi<{ results: BulkResult[] }>('POST', '/api/desk/bulk', body);
    page.alert.replaceChildren();
    showStatus(page.status, describeBulkResults(results), 'success');
    await Promise.all([loadCounts(page), loadTickets(page, { append: false, focusHeading: false })]);
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}

/** Describes the whole action in one sentence, then each ticket that did not change as requested. */
function describeBulkResults(results: BulkResult[]): string {
  const changed = results.filter((result) => result.outcome === 'changed').length;
  const parts = [`${changed} of ${results.length} ${results.length === 1 ? 'ticket' : 'tickets'} changed.`];
  for (const result of results) {
    if (result.outcome !== 'changed' && result.message) parts.push(`#${result.ticketId}: ${result.message}`);
    else if (result.outcome === 'unchanged') parts.push(`#${result.ticketId}: already set.`);
  }
  return parts.join(' ');
}

async function loadStaff(page: Page): Promise<void> {
  try {
    const { agents } = await callApi<{ agents: StaffMember[] }>('GET', '/api/desk/agents');
    const me = agents.find((agent) => agent.id === page.actor.id);
    findRequired<HTMLInputElement>('[data-availability]').checked = me?.available ?? false;

    const filter = findRequired<HTMLSelectElement>('#filter-assignee');
    const group = findRequired<HTMLOptGroupElement>('[data-bulk-assignees]');
    for (const agent of agents) {
      const label = agent.id === page.actor.id ? `${agent.name} (me)` : agent.name;
      filter.append(createElement('option', { text: label, attributes: { value: String(agent.id) } }));
      group.append(
        createElement('option', { text: `Assign to ${label}`, attributes: { value: `assign:${agent.id}` } }),
      );
    }
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}

function startAvailability(page: Page): void {
  const box = findRequired<HTMLInputElement>('[data-availability]');
  box.addEventListener('change', async () => {
    try {
      const member = await callApi<StaffMember>('POST', '/api/desk/availability', { available: box.checked });
      box.checked = member.available;
      showStatus(
        page.status,
        member.available
          ? `You are available: round-robin can give you tickets until you hold ${member.openTicketCap} open tickets.`
          : 'You are not available: round-robin gives you no new tickets.',
      );
    } catch (error) {
      box.checked = !box.checked;
      showErrorAlert(page.alert, error);
    }
  });
}

async function assignNext(page: Page): Promise<void> {
  try {
    const result = await callApi<{ ticketId: number | null; message?: string }>('POST', '/api/desk/assign-next');
    if (result.ticketId === null) {
      showStatus(page.status, result.message ?? 'No unassigned open ticket is waiting.', 'info');
      return;
    }
    window.location.assign(`/desk/ticket/?id=${result.ticketId}`);
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}
