/**
 * The console's people page, for admins and state coordinators: a filterable
 * table of the accounts they manage with actions on each row, a panel to edit
 * one person, a confirmation step before the permanent deactivation, and the
 * invitation form. Results of actions are announced in a role="status" region,
 * and focus returns to the row the action came from.
 */
import { callApi } from './api';
import {
  checkRequiredFields,
  clearFormErrors,
  showErrorAlert,
  showFormError,
  showStatus,
  whileSubmitting,
} from './form-feedback';
import { describeState, isNationalRole, roleLabels, type Role } from './labels';
import { renderPeopleRows, type ManagedPerson, type RowAction } from './people-table';
import { openGatedPage, type SessionPerson } from './session';

const filterNames = ['search', 'role', 'state', 'status'] as const;

/** Most rows GET /api/people returns. */
const maxListedPeople = 500;

interface PeoplePage {
  actor: SessionPerson;
  isAdmin: boolean;
  filters: HTMLFormElement;
  status: HTMLElement;
  alert: HTMLElement;
  rows: HTMLTableSectionElement;
  count: HTMLElement;
  resultsHeading: HTMLElement;
  edit: { panel: HTMLElement; form: HTMLFormElement; heading: HTMLElement };
  deactivate: { panel: HTMLElement; heading: HTMLElement; alert: HTMLElement; confirm: HTMLButtonElement };
  invite: HTMLFormElement;
  people: ManagedPerson[];
  /** The person in the edit or deactivation panel. */
  selected: ManagedPerson | undefined;
  /** Counts list requests, so a slow answer to an earlier request never replaces a newer one. */
  requestNumber: number;
}

export async function startPeoplePage(): Promise<void> {
  const session = await openGatedPage({
    roles: ['admin', 'state_coordinator'],
    audience: 'admins and state coordinators',
  });
  if (!session) return;

  const page = findPage(session.person);
  limitToScope(page);
  readFiltersFromAddress(page.filters);

  page.filters.addEventListener('submit', (event) => {
    event.preventDefault();
    writeFiltersToAddress(page.filters);
    void loadPeople(page, { announce: true });
  });
  page.rows.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
    if (button) void runRowAction(page, button.dataset.action as RowAction, Number(button.dataset.personId));
  });
  startEditPanel(page);
  startDeactivatePanel(page);
  startInviteForm(page);

  await loadPeople(page, { announce: false });
}

function findPage(actor: SessionPerson): PeoplePage {
  const find = <T extends Element>(selector: string): T => {
    const element = document.querySelector<T>(selector);
    if (!element) throw new Error(`The people page has no ${selector} element.`);
    return element;
  };
  return {
    actor,
    isAdmin: actor.role === 'admin',
    filters: find('[data-people-filters]'),
    status: find('[data-people-status]'),
    alert: find('[data-people-alert]'),
    rows: find('[data-people-rows]'),
    count: find('[data-people-count]'),
    resultsHeading: find('#people-heading'),
    edit: { panel: find('[data-edit-panel]'), form: find('[data-edit-form]'), heading: find('#edit-heading') },
    deactivate: {
      panel: find('[data-deactivate-panel]'),
      heading: find('#deactivate-heading'),
      alert: find('[data-deactivate-alert]'),
      confirm: find('[data-deactivate-confirm]'),
    },
    invite: find('[data-invite-form]'),
    people: [],
    selected: undefined,
    requestNumber: 0,
  };
}

/** State coordinators manage state users and coordinators of their own state, so they choose neither a state nor another role. */
function limitToScope(page: PeoplePage): void {
  const intro = document.querySelector<HTMLElement>('[data-scope-intro]');
  if (page.isAdmin) {
    if (intro) intro.textContent = 'You manage every account: state staff of all states, help-desk agents and admins.';
    updateStateGroup(page.invite, page.isAdmin);
    return;
  }

  if (intro) {
    intro.textContent = `You manage the accounts of state users and state coordinators in ${describeState(page.actor.state)}.`;
  }
  for (const group of document.querySelectorAll<HTMLElement>('[data-admin-only], [data-state-group]')) group.remove();
  for (const option of document.querySelectorAll<HTMLOptionElement>('select[name="role"] option')) {
    if (option.value && isNationalRole(option.value as Role)) option.remove();
  }
}

function readFiltersFromAddress(filters: HTMLFormElement): void {
  const params = new URLSearchParams(window.location.search);
  for (const name of filterNames) {
    const field = filters.elements.namedItem(name);
    const value = params.get(name);
    if (!value) continue;
    if (field instanceof HTMLInputElement) field.value = value;
    if (field instanceof HTMLSelectElement && [...field.options].some((option) => option.value === value)) {
      field.value = value;
    }
  }
}

function writeFiltersToAddress(filters: HTMLFormElement): void {
  const url = new URL(window.location.href);
  url.search = readFilterQuery(filters).toString();
  window.history.replaceState(window.history.state, '', url);
}

function readFilterQuery(filters: HTMLFormElement): URLSearchParams {
  const query = new URLSearchParams();
  const data = new FormData(filters);
  for (const name of filterNames) {
    const value = String(data.get(name) ?? '').trim();
    if (value) query.set(name, value);
  }
  return query;
}

async function loadPeople(page: PeoplePage, options: { announce: boolean }): Promise<void> {
  page.alert.replaceChildren();
  const query = readFilterQuery(page.filters).toString();
  const requestNumber = ++page.requestNumber;
  try {
    const { people } = await callApi<{ people: ManagedPerson[] }>('GET', `/api/people${query ? `?${query}` : ''}`);
    if (requestNumber !== page.requestNumber) return;
    page.people = people;
    page.rows.replaceChildren(...renderPeopleRows(people, page.actor.id));
    page.count.textContent = describeCount(people.length);
    if (options.announce) showStatus(page.status, page.count.textContent, 'info');
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}

function describeCount(count: number): string {
  if (count === 0) return 'No accounts match these filters.';
  if (count >= maxListedPeople) return `Showing the first ${count} accounts. Narrow the filters to see the others.`;
  return count === 1 ? 'Showing 1 account.' : `Showing ${count} accounts.`;
}

async function runRowAction(page: PeoplePage, action: RowAction, personId: number): Promise<void> {
  const person = page.people.find((candidate) => candidate.id === personId);
  if (!person) return;
  page.alert.replaceChildren();
  showStatus(page.status, '');

  if (action === 'edit') return openEditPanel(page, person);
  if (action === 'deactivate') return openDeactivatePanel(page, person);

  try {
    const path = `/api/people/${person.id}/${action === 'resend' ? 'invitation' : action}`;
    await callApi('POST', path, {});
    await loadPeople(page, { announce: false });
    showStatus(page.status, describeDone(action, person));
    focusRow(page, person.id, focusAfter[action]);
  } catch (error) {
    showErrorAlert(page.alert, error);
  }
}

/** Buttons of the row to focus after each action, in order of preference: the first that exists gets focus. */
const focusAfter: Record<Exclude<RowAction, 'edit' | 'deactivate'>, RowAction[]> = {
  resend: ['resend', 'edit'],
  disable: ['enable', 'edit'],
  enable: ['disable', 'edit'],
};

function describeDone(action: RowAction, person: ManagedPerson): string {
  switch (action) {
    case 'resend':
      return `A new invitation is on its way to ${person.email}. Links sent to them before no longer work.`;
    case 'disable':
      return `${person.displayName}'s account is disabled. They cannot sign in until you enable it again.`;
    case 'enable':
      return `${person.displayName}'s account is enabled. They can sign in again.`;
    default:
      return '';
  }
}

/** Moves focus to the first of the row's buttons that exists, or to the table's heading. */
function focusRow(page: PeoplePage, personId: number, actions: RowAction[]): void {
  for (const action of actions) {
    const button = page.rows.querySelector<HTMLButtonElement>(
      `button[data-person-id="${personId}"][data-action="${action}"]`,
    );
    if (button) {
      button.focus();
      return;
    }
  }
  page.resultsHeading.focus();
}

function startEditPanel(page: PeoplePage): void {
  const { form, panel } = page.edit;
  form.querySelector('select[name="role"]')?.addEventListener('change', () => updateStateGroup(form, page.isAdmin));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(form, () => saveEdit(page));
  });
  form.querySelector('[data-edit-cancel]')?.addEventListener('click', () => closeEditPanel(page));
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeEditPanel(page);
  });
}

function openEditPanel(page: PeoplePage, person: ManagedPerson): void {
  closePanel(page.deactivate.panel);
  const { form, panel, heading } = page.edit;
  const isSelf = person.id === page.actor.id;
  clearFormErrors(form);
  page.selected = person;

  const nameTarget = panel.querySelector('[data-edit-name]');
  if (nameTarget) nameTarget.textContent = person.displayName;
  setValue(form, 'displayName', person.displayName);
  setValue(form, 'role', person.role);
  setValue(form, 'state', person.state ?? '');
  setValue(form, 'recordsAccess', person.recordsAccess);
  for (const name of ['role', 'state']) {
    const select = form.elements.namedItem(name);
    if (select instanceof HTMLSelectElement) select.disabled = isSelf;
  }
  const selfNote = form.querySelector<HTMLElement>('[data-edit-self-note]');
  if (selfNote) selfNote.hidden = !isSelf;
  updateStateGroup(form, page.isAdmin);

  panel.hidden = false;
  heading.focus();
}

function closeEditPanel(page: PeoplePage): void {
  closePanel(page.edit.panel);
  if (page.selected) focusRow(page, page.selected.id, ['edit']);
  page.selected = undefined;
}

async function saveEdit(page: PeoplePage): Promise<void> {
  const { form } = page.edit;
  const person = page.selected;
  if (!person) return;
  clearFormErrors(form);
  if (!checkRequiredFields(form)) return;

  const changes = readChanges(form, person, page);
  if (Object.keys(changes).length === 0) {
    showStatus(page.status, `Nothing to save: the details of ${person.displayName} are unchanged.`, 'info');
    closeEditPanel(page);
    return;
  }
  try {
    const { person: updated } = await callApi<{ person: ManagedPerson }>('PATCH', `/api/people/${person.id}`, changes);
    closePanel(page.edit.panel);
    await loadPeople(page, { announce: false });
    showStatus(page.status, `Saved the changes to ${updated.displayName}.`);
    focusRow(page, person.id, ['edit']);
    page.selected = undefined;
  } catch (error) {
    showFormError(form, error);
  }
}

/**
 * Returns the fields that differ from the person's current values. Role and
 * state are sent only when they change, because the API rejects them for the
 * signed-in person's own account. A national role is sent with an empty state.
 */
function readChanges(form: HTMLFormElement, person: ManagedPerson, page: PeoplePage): Record<string, string | null> {
  const data = new FormData(form);
  const changes: Record<string, string | null> = {};
  const displayName = String(data.get('displayName') ?? '').trim();
  const recordsAccess = String(data.get('recordsAccess') ?? person.recordsAccess);
  if (displayName !== person.displayName) changes.displayName = displayName;
  if (recordsAccess !== person.recordsAccess) changes.recordsAccess = recordsAccess;
  if (person.id === page.actor.id) return changes;

  const role = String(data.get('role') ?? person.role) as Role;
  if (role !== person.role) changes.role = role;
  if (page.isAdmin) {
    const state = isNationalRole(role) ? null : String(data.get('state') ?? '') || null;
    if (state !== person.state) changes.state = state;
  }
  return changes;
}

function startDeactivatePanel(page: PeoplePage): void {
  const { panel, confirm } = page.deactivate;
  confirm.addEventListener('click', () => void confirmDeactivation(page));
  panel.querySelector('[data-deactivate-cancel]')?.addEventListener('click', () => cancelDeactivation(page));
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') cancelDeactivation(page);
  });
}

function openDeactivatePanel(page: PeoplePage, person: ManagedPerson): void {
  closePanel(page.edit.panel);
  const { panel, heading, alert } = page.deactivate;
  page.selected = person;
  alert.replaceChildren();
  const name = panel.querySelector('[data-deactivate-name]');
  const email = panel.querySelector('[data-deactivate-email]');
  if (name) name.textContent = person.displayName;
  if (email) email.textContent = person.email;

  panel.hidden = false;
  heading.focus();
}

function cancelDeactivation(page: PeoplePage): void {
  closePanel(page.deactivate.panel);
  if (page.selected) focusRow(page, page.selected.id, ['deactivate', 'edit']);
  page.selected = undefined;
}

let deactivationRunning = false;

async function confirmDeactivation(page: PeoplePage): Promise<void> {
  const person = page.selected;
  if (!person || deactivationRunning) return;
  deactivationRunning = true;
  page.deactivate.alert.replaceChildren();

  try {
    await callApi('POST', `/api/people/${person.id}/deactivate`, {});
    closePanel(page.deactivate.panel);
    page.selected = undefined;
    await loadPeople(page, { announce: false });
    showStatus(
      page.status,
      `${person.displayName}'s account is deactivated for good. ${person.email} can never be used for another account.`,
    );
    page.resultsHeading.focus();
  } catch (error) {
    showErrorAlert(page.deactivate.alert, error);
  } finally {
    deactivationRunning = false;
  }
}

function closePanel(panel: HTMLElement): void {
  panel.hidden = true;
}

function startInviteForm(page: PeoplePage): void {
  const form = page.invite;
  form.querySelector('select[name="role"]')?.addEventListener('change', () => updateStateGroup(form, page.isAdmin));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(form, () => sendInvitation(page));
  });
}

async function sendInvitation(page: PeoplePage): Promise<void> {
  const form = page.invite;
  const status = form.querySelector<HTMLElement>('[data-form-status]');
  clearFormErrors(form);
  if (status) showStatus(status, '');
  if (!checkRequiredFields(form)) return;

  const data = new FormData(form);
  const role = String(data.get('role')) as Role;
  const invitation: Record<string, string | null> = {
    email: String(data.get('email') ?? '').trim(),
    displayName: String(data.get('displayName') ?? '').trim(),
    role,
    recordsAccess: String(data.get('recordsAccess') ?? 'none'),
  };
  // Coordinators send no state: the API uses their own.
  if (page.isAdmin) invitation.state = isNationalRole(role) ? null : String(data.get('state') ?? '');

  try {
    const { person } = await callApi<{ person: ManagedPerson }>('POST', '/api/people', invitation);
    form.reset();
    updateStateGroup(form, page.isAdmin);
    if (status) {
      showStatus(
        status,
        `Invitation sent to ${person.email} as ${roleLabels[person.role].toLowerCase()}. The link in it works for 72 hours.`,
      );
    }
    await loadPeople(page, { announce: false });
  } catch (error) {
    showFormError(form, error);
  }
}

/** Shows the state select only to admins, and only for the state roles: agents and admins are national. */
function updateStateGroup(form: HTMLFormElement, isAdmin: boolean): void {
  const group = form.querySelector<HTMLElement>('[data-state-group]');
  const role = form.elements.namedItem('role');
  if (!group || !(role instanceof HTMLSelectElement)) return;
  group.hidden = !isAdmin || isNationalRole(role.value as Role);
}

function setValue(form: HTMLFormElement, name: string, value: string): void {
  const field = form.elements.namedItem(name);
  if (field instanceof HTMLInputElement || field instanceof HTMLSelectElement) field.value = value;
}
