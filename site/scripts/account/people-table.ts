/** Rows of the people table, with the actions each account's status allows. */
import {
  describeState,
  recordsAccessLabels,
  roleLabels,
  statusLabels,
  type PersonStatus,
  type RecordsAccess,
  type Role,
} from './labels';

export interface ManagedPerson {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  state: string | null;
  recordsAccess: RecordsAccess;
  status: PersonStatus;
}

export type RowAction = 'edit' | 'resend' | 'disable' | 'enable' | 'deactivate';

const actionLabels: Record<RowAction, string> = {
  edit: 'Edit',
  resend: 'Resend invitation',
  disable: 'Disable',
  enable: 'Enable',
  deactivate: 'Deactivate',
};

/**
 * Actions by status. Deactivated accounts are closed for good, so they have
 * none; the API also refuses status changes to one's own account.
 */
function listActions(person: ManagedPerson, actorId: number): RowAction[] {
  if (person.status === 'deactivated') return [];
  if (person.id === actorId) return ['edit'];
  if (person.status === 'invited') return ['edit', 'resend', 'deactivate'];
  if (person.status === 'active') return ['edit', 'disable', 'deactivate'];
  return ['edit', 'enable', 'deactivate'];
}

export function renderPeopleRows(people: ManagedPerson[], actorId: number): HTMLTableRowElement[] {
  return people.map((person) => {
    const row = document.createElement('tr');
    const name = document.createElement('th');
    name.scope = 'row';
    name.textContent = person.id === actorId ? `${person.displayName} (you)` : person.displayName;
    row.append(
      name,
      cell(person.email),
      cell(roleLabels[person.role]),
      cell(person.state ? describeState(person.state) : 'National'),
      cell(recordsAccessLabels[person.recordsAccess]),
      cell(statusLabels[person.status]),
      renderActions(person, actorId),
    );
    return row;
  });
}

function cell(text: string): HTMLTableCellElement {
  const element = document.createElement('td');
  element.textContent = text;
  return element;
}

function renderActions(person: ManagedPerson, actorId: number): HTMLTableCellElement {
  const element = document.createElement('td');
  const actions = listActions(person, actorId);
  if (actions.length === 0) {
    element.textContent = 'None: the account is closed';
    return element;
  }

  const list = document.createElement('div');
  list.className = 'row-actions';
  for (const action of actions) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'usa-button usa-button--unstyled';
    button.dataset.action = action;
    button.dataset.personId = String(person.id);
    // The visible word is enough beside the row; screen readers hear whose account it is.
    const personName = document.createElement('span');
    personName.className = 'usa-sr-only';
    personName.textContent = action === 'resend' ? ` to ${person.displayName}` : ` ${person.displayName}`;
    button.append(actionLabels[action], personName);
    list.append(button);
  }
  element.append(list);
  return element;
}
