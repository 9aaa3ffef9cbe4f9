/**
 * /records/move-notices/: the move notices a state received and sent, with
 * their status and response time. State coordinators of the receiving state
 * acknowledge received notices here. National staff choose the state.
 */
import { callApi } from '../account/api';
import { describeState } from '../account/labels';
import { clearFormErrors, showErrorAlert, showFormError, showStatus, whileSubmitting } from '../account/form-feedback';
import { openGatedPage } from '../account/session';
import { formatCalendarDate, recordPath } from './record-format';
import { element, findElement, formatTimestamp, plural } from './worklist-shared';

interface MoveNotice {
  id: number;
  msixId: string;
  fromState: string | null;
  toState: string;
  toCity: string | null;
  expectedArrivalDate: string;
  comment: string | null;
  status: 'sent' | 'acknowledged';
  sentAt: string;
  sentBy: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgementNote: string | null;
  responseMinutes: number | null;
  responseHours: number | null;
}

interface MoveNoticeLists {
  state: string;
  canAcknowledge: boolean;
  received: MoveNotice[];
  sent: MoveNotice[];
}

interface NoticesPage {
  state: string;
  lists: MoveNoticeLists | undefined;
  status: HTMLElement;
  alert: HTMLElement;
  panel: HTMLElement;
  form: HTMLFormElement;
  selected: MoveNotice | undefined;
  /** The button that opened the acknowledgement panel, which gets focus back on cancel. */
  opener: HTMLElement | undefined;
}

export async function startMoveNoticesPage(): Promise<void> {
  const session = await openGatedPage();
  if (!session) return;
  const person = session.person;
  const national = person.state === null;
  if (!national && person.role !== 'state_coordinator' && person.recordsAccess === 'none') {
    findElement<HTMLElement>('[data-gate-content]').hidden = true;
    findElement('[data-gate-denied-text]').textContent =
      'Move notices are for state coordinators and people with records access. If you need them for your work, ask your state coordinator or an admin.';
    findElement<HTMLElement>('[data-gate-denied]').hidden = false;
    return;
  }

  const page: NoticesPage = {
    state: person.state ?? 'TX',
    lists: undefined,
    status: findElement('[data-notices-status]'),
    alert: findElement('[data-notices-alert]'),
    panel: findElement('[data-acknowledge-panel]'),
    form: findElement('[data-acknowledge-form]'),
    selected: undefined,
    opener: undefined,
  };

  if (national) {
    const scope = findElement<HTMLFormElement>('[data-notices-scope]');
    scope.hidden = false;
    const select = findElement<HTMLSelectElement>('#notices-state', scope);
    select.value = page.state;
    scope.addEventListener('submit', (event) => {
      event.preventDefault();
      page.state = select.value;
      void loadNotices(page, true);
    });
  }
  findElement('[data-received-table]').addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-acknowledge-id]');
    if (button) openPanel(page, Number(button.dataset.acknowledgeId), button);
  });
  findElement('[data-acknowledge-cancel]').addEventListener('click', () => closePanel(page));
  page.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void acknowledge(page);
  });

  await loadNotices(page, false);
}

async function loadNotices(page: NoticesPage, announce: boolean): Promise<void> {
  findElement('[data-notices-intro]').textContent =
    `Move notices ${describeState(page.state)} received from other states and sent to them. A notice is acknowledged by a state coordinator of the receiving state; the response time runs from sending to acknowledging.`;
  try {
    page.lists = await callApi<MoveNoticeLists>('GET', `/api/move-notices?state=${encodeURIComponent(page.state)}`);
  } catch (error) {
    showErrorAlert(page.alert, error);
    return;
  }
  page.alert.replaceChildren();
  const { received, sent, canAcknowledge } = page.lists;
  const waiting = received.filter((notice) => notice.status === 'sent').length;
  const acknowledgement = waiting === 0 ? 'all acknowledged' : `${waiting} not acknowledged yet`;
  findElement('[data-received-count]').textContent =
    received.length === 0
      ? 'No move notice received.'
      : `${plural(received.length, 'notice')}, ${acknowledgement}. Newest first.`;
  findElement('[data-sent-count]').textContent =
    sent.length === 0 ? 'No move notice sent.' : `${plural(sent.length, 'notice')}, newest first.`;
  findElement('[data-received-table]').replaceChildren(renderTable(received, 'received', canAcknowledge));
  findElement('[data-sent-table]').replaceChildren(renderTable(sent, 'sent', false));
  if (announce) showStatus(page.status, `Showing the move notices of ${describeState(page.state)}.`, 'info');
}

function renderTable(notices: MoveNotice[], direction: 'received' | 'sent', canAcknowledge: boolean): HTMLElement {
  if (notices.length === 0) return element('div');
  const table = element('table', 'usa-table usa-table--borderless usa-table--stacked');
  table.append(
    element('caption', 'usa-sr-only', direction === 'received' ? 'Move notices received' : 'Move notices sent'),
  );
  const columns = [
    'MSIX ID',
    direction === 'received' ? 'From' : 'To',
    'Expected arrival',
    'Sent',
    'Comment',
    'Status',
  ];
  const head = element('thead');
  const headRow = element('tr');
  for (const column of columns) {
    const cell = element('th', undefined, column);
    cell.scope = 'col';
    headRow.append(cell);
  }
  head.append(headRow);

  const body = element('tbody');
  for (const notice of notices) {
    const row = element('tr');
    const msixCell = element('th');
    msixCell.scope = 'row';
    msixCell.dataset.label = 'MSIX ID';
    const link = element('a', 'usa-link', notice.msixId);
    link.href = recordPath(notice.msixId);
    msixCell.append(link);

    const place =
      direction === 'received'
        ? notice.fromState
          ? describeState(notice.fromState)
          : 'MSIX technical-assistance team'
        : [notice.toCity, describeState(notice.toState)].filter(Boolean).join(', ');
    const destination = direction === 'received' && notice.toCity ? ` (to ${notice.toCity})` : '';
    row.append(
      msixCell,
      cell(direction === 'received' ? 'From' : 'To', direction === 'received' ? `${place}${destination}` : place),
      cell('Expected arrival', formatCalendarDate(notice.expectedArrivalDate)),
      cell('Sent', `${formatTimestamp(notice.sentAt)} by ${notice.sentBy}`),
      cell('Comment', notice.comment ?? ''),
      statusCell(notice, direction === 'received' && canAcknowledge),
    );
    body.append(row);
  }
  table.append(head, body);
  return table;
}

function cell(label: string, text: string): HTMLTableCellElement {
  const created = element('td', undefined, text || '—');
  created.dataset.label = label;
  return created;
}

function statusCell(notice: MoveNotice, canAcknowledge: boolean): HTMLTableCellElement {
  const created = element('td');
  created.dataset.label = 'Status';
  if (notice.status === 'acknowledged') {
    created.append(
      element(
        'span',
        undefined,
        `Acknowledged ${formatTimestamp(notice.acknowledgedAt)} by ${notice.acknowledgedBy ?? ''}, after ${formatResponseTime(notice.responseMinutes ?? 0)}.`,
      ),
    );
    if (notice.acknowledgementNote)
      created.append(element('span', 'display-block', `Note: ${notice.acknowledgementNote}`));
    return created;
  }
  created.append(element('span', 'display-block', 'Not acknowledged yet.'));
  if (canAcknowledge) {
    const button = element('button', 'usa-button usa-button--outline usa-button--small margin-top-1', 'Acknowledge');
    button.type = 'button';
    button.dataset.acknowledgeId = String(notice.id);
    button.setAttribute('aria-label', `Acknowledge the move notice for MSIX ID ${notice.msixId}`);
    created.append(button);
  }
  return created;
}

function openPanel(page: NoticesPage, noticeId: number, opener: HTMLElement): void {
  page.selected = page.lists?.received.find((notice) => notice.id === noticeId);
  if (!page.selected) return;
  page.opener = opener;
  clearFormErrors(page.form);
  page.form.reset();
  findElement('[data-acknowledge-msix]').textContent = `MSIX ID ${page.selected.msixId}`;
  page.panel.hidden = false;
  findElement<HTMLElement>('#acknowledge-heading').focus();
}

function closePanel(page: NoticesPage): void {
  page.panel.hidden = true;
  page.selected = undefined;
  page.opener?.focus();
}

async function acknowledge(page: NoticesPage): Promise<void> {
  const notice = page.selected;
  if (!notice) return;
  await whileSubmitting(page.form, async () => {
    try {
      const note = new FormData(page.form).get('note')?.toString() ?? '';
      await callApi('POST', `/api/move-notices/${notice.id}/acknowledge`, { note });
      page.panel.hidden = true;
      page.selected = undefined;
      await loadNotices(page, false);
      showStatus(page.status, `Move notice for MSIX ID ${notice.msixId} acknowledged. The sending state sees it now.`);
      findElement<HTMLElement>('#received-heading').setAttribute('tabindex', '-1');
      findElement<HTMLElement>('#received-heading').focus();
    } catch (error) {
      showFormError(page.form, error);
    }
  });
}

/** Formats a response time as minutes under two hours, as hours under three days, and as days beyond. */
function formatResponseTime(minutes: number): string {
  if (minutes < 120) return plural(minutes, 'minute');
  if (minutes < 72 * 60) return plural(Math.round(minutes / 60), 'hour');
  return plural(Math.round(minutes / 1440), 'day');
}
