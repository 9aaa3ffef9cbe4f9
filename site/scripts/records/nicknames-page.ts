/**
 * The nickname table page, for admins: lists the pairs record linking uses,
 * filters them as you type, adds a pair and deletes one. Results are
 * announced in a role="status" region; after a deletion, focus moves to the
 * list heading so keyboard users keep their place.
 */
import { callApi } from '../account/api';
import {
  checkRequiredFields,
  clearFormErrors,
  showErrorAlert,
  showFormError,
  showStatus,
  whileSubmitting,
} from '../account/form-feedback';
import { openGatedPage } from '../account/session';

interface Nickname {
  id: number;
  fullName: string;
  nickname: string;
  addedByAdmin: boolean;
  createdAt: string;
}

interface NicknamesPage {
  form: HTMLFormElement;
  filter: HTMLInputElement;
  rows: HTMLTableSectionElement;
  count: HTMLElement;
  status: HTMLElement;
  alert: HTMLElement;
  listHeading: HTMLElement;
  nicknames: Nickname[];
}

export async function startNicknamesPage(): Promise<void> {
  const session = await openGatedPage({ roles: ['admin'], audience: 'admins' });
  if (!session) return;

  const page = findPage();
  page.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void addNickname(page);
  });
  page.filter.form?.addEventListener('submit', (event) => event.preventDefault());
  page.filter.addEventListener('input', () => renderRows(page));
  page.rows.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-delete-id]');
    if (button) void deleteNickname(page, Number(button.dataset.deleteId));
  });
  await loadNicknames(page);
}

function findPage(): NicknamesPage {
  const find = <T extends HTMLElement>(selector: string): T => {
    const element = document.querySelector<T>(selector);
    if (!element) throw new Error(`The page has no ${selector}.`);
    return element;
  };
  return {
    form: find<HTMLFormElement>('[data-nickname-form]'),
    filter: find<HTMLInputElement>('#nickname-filter'),
    rows: find<HTMLTableSectionElement>('[data-nickname-rows]'),
    count: find('[data-nickname-count]'),
    status: find('[data-nickname-status]'),
    alert: find('[data-nickname-alert]'),
    listHeading: find('#list-heading'),
    nicknames: [],
  };
}

async function loadNicknames(page: NicknamesPage): Promise<void> {
  try {
    const { nicknames } = await callApi<{ nicknames: Nickname[] }>('GET', '/api/record-nicknames');
    page.nicknames = nicknames;
    page.alert.replaceChildren();
    renderRows(page);
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}

function renderRows(page: NicknamesPage): void {
  const filter = fold(page.filter.value);
  const shown = page.nicknames.filter(
    (pair) => !filter || pair.fullName.includes(filter) || pair.nickname.includes(filter),
  );
  page.rows.replaceChildren(...shown.map(renderRow));
  const total = page.nicknames.length;
  page.count.textContent =
    shown.length === total ? `${total} nickname pairs.` : `${shown.length} of ${total} nickname pairs match.`;
}

function renderRow(pair: Nickname): HTMLTableRowElement {
  const row = document.createElement('tr');
  const cell = (text: string) => {
    const element = document.createElement('td');
    element.textContent = text;
    return element;
  };
  const action = document.createElement('td');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'usa-button usa-button--unstyled';
  button.dataset.deleteId = String(pair.id);
  button.textContent = 'Delete';
  button.setAttribute(
    'aria-label',
    `Delete ${capitalize(pair.nickname)} as a nickname of ${capitalize(pair.fullName)}`,
  );
  action.append(button);
  row.append(
    cell(capitalize(pair.fullName)),
    cell(capitalize(pair.nickname)),
    cell(pair.addedByAdmin ? `Added by an admin on ${pair.createdAt.slice(0, 10)}` : 'Came with the product'),
    action,
  );
  return row;
}

async function addNickname(page: NicknamesPage): Promise<void> {
  clearFormErrors(page.form);
  showStatus(page.status, '');
  if (!checkRequiredFields(page.form)) return;
  const data = new FormData(page.form);
  await whileSubmitting(page.form, async () => {
    try {
      const { nickname } = await callApi<{ nickname: Nickname }>('POST', '/api/record-nicknames', {
        fullName: String(data.get('fullName') ?? ''),
        nickname: String(data.get('nickname') ?? ''),
      });
      page.nicknames = [...page.nicknames, nickname].sort(
        (left, right) => left.fullName.localeCompare(right.fullName) || left.nickname.localeCompare(right.nickname),
      );
      page.form.reset();
      renderRows(page);
      showStatus(
        page.status,
        `Added ${capitalize(nickname.nickname)} as a nickname of ${capitalize(nickname.fullName)}. Records linked from now on use it.`,
      );
    } catch (error) {
      showFormError(page.form, error);
    }
  });
}

async function deleteNickname(page: NicknamesPage, id: number): Promise<void> {
  const pair = page.nicknames.find((candidate) => candidate.id === id);
  if (!pair) return;
  showStatus(page.status, '');
  try {
    await callApi('DELETE', `/api/record-nicknames/${id}`);
    page.nicknames = page.nicknames.filter((candidate) => candidate.id !== id);
    renderRows(page);
    showStatus(
      page.status,
      `Deleted ${capitalize(pair.nickname)} as a nickname of ${capitalize(pair.fullName)}. Records already linked stay as they are.`,
    );
    page.listHeading.focus();
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}

/** Folds accents and case the way the table stores names. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

function capitalize(name: string): string {
  return name.replace(/(^|[\s-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}
