/** "Your tickets": the person's tickets and, for a state coordinator, every ticket of the state. */
import { callApi } from '../account/api';
import { showErrorAlert } from '../account/form-feedback';
import { describeState, formatDateTime } from '../account/labels';
import { openGatedPage } from '../account/session';
import { statusLabels, statusTagClasses } from './labels';

interface TicketSummary {
  id: number;
  subject: string;
  status: string;
  requesterName: string;
  updatedAt: string;
}

interface TicketList {
  scope: 'mine' | 'state';
  state: string | null;
  tickets: TicketSummary[];
}

function find<T extends HTMLElement>(selector: string): T {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`The page has no ${selector} element.`);
  return element;
}

export async function startMyTicketsPage(): Promise<void> {
  const session = await openGatedPage();
  if (!session) return;

  const scopeForm = find<HTMLFormElement>('[data-scope-form]');
  const status = find('[data-list-status]');
  const alert = find('[data-list-alert]');
  const table = find<HTMLTableElement>('[data-ticket-table]');
  const rows = find('[data-ticket-rows]');
  const caption = find('[data-table-caption]');
  const requesterColumn = find('[data-requester-column]');

  const coordinator = session.person.role === 'state_coordinator' && session.person.state !== null;
  if (coordinator) {
    find('[data-state-label]').textContent = `All tickets of ${describeState(session.person.state)}`;
    scopeForm.hidden = false;
  }

  const load = async (scope: 'mine' | 'state') => {
    status.textContent = 'Loading tickets…';
    alert.replaceChildren();
    try {
      const list = await callApi<TicketList>('GET', `/api/support/my-tickets?scope=${scope}`);
      const stateView = list.scope === 'state';
      requesterColumn.hidden = !stateView;
      caption.textContent = stateView ? `Tickets of ${describeState(list.state)}` : 'Your tickets';
      rows.replaceChildren(...list.tickets.map((ticket) => ticketRow(ticket, stateView)));
      table.hidden = list.tickets.length === 0;
      status.textContent =
        list.tickets.length === 0
          ? stateView
            ? 'Nobody in your state has asked the help desk yet.'
            : 'You have no tickets yet. To ask the help desk, use the button above.'
          : `${list.tickets.length === 1 ? 'One ticket' : `${list.tickets.length} tickets`}.`;
    } catch (error) {
      status.textContent = '';
      showErrorAlert(alert, error);
    }
  };

  scopeForm.addEventListener('change', () => {
    const selected = new FormData(scopeForm).get('scope') === 'state' ? 'state' : 'mine';
    void load(selected);
  });
  await load('mine');
}

function cell(label: string, content: Node | string): HTMLTableCellElement {
  const element = document.createElement('td');
  element.dataset.label = label;
  element.append(content);
  return element;
}

function ticketRow(ticket: TicketSummary, stateView: boolean): HTMLTableRowElement {
  const row = document.createElement('tr');
  const header = document.createElement('th');
  header.scope = 'row';
  header.dataset.label = 'Ticket';
  header.textContent = `#${ticket.id}`;

  const link = document.createElement('a');
  link.className = 'usa-link';
  link.href = `/support/ticket/?id=${ticket.id}`;
  link.textContent = ticket.subject;

  const tag = document.createElement('span');
  tag.className = statusTagClasses[ticket.status] ?? 'support-tag';
  tag.textContent = statusLabels[ticket.status] ?? ticket.status;

  row.append(header, cell('Subject', link));
  if (stateView) row.append(cell('Asked by', ticket.requesterName));
  row.append(cell('Status', tag), cell('Last update', formatDateTime(ticket.updatedAt)));
  return row;
}
