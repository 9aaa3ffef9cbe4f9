/**
 * The account page: the signed-in person's details from GET /api/account, a
 * form to change their name, one to change their password, and sign-out.
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
import {
  describeState,
  formatDateTime,
  recordsAccessLabels,
  roleLabels,
  statusLabels,
  type PersonStatus,
  type RecordsAccess,
  type Role,
} from './labels';
import { enablePasswordToggles, hidePasswords } from './password-toggle';
import { openGatedPage, type SignedInSession } from './session';

interface AccountPerson {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  state: string | null;
  recordsAccess: RecordsAccess;
  status: PersonStatus;
  rulesAcknowledgedAt: string | null;
}

export async function startAccountPage(): Promise<void> {
  const session = await openGatedPage();
  if (!session) return;

  const pageAlert = document.querySelector<HTMLElement>('[data-account-alert]');
  const nameForm = document.querySelector<HTMLFormElement>('[data-name-form]');
  const passwordForm = document.querySelector<HTMLFormElement>('[data-password-form]');
  const signOutButton = document.querySelector<HTMLButtonElement>('[data-sign-out]');
  const signOutAlert = document.querySelector<HTMLElement>('[data-sign-out-alert]');
  if (!pageAlert || !nameForm || !passwordForm || !signOutButton || !signOutAlert) return;

  describeSession(session);
  enablePasswordToggles(passwordForm);
  try {
    const { person } = await callApi<{ person: AccountPerson }>('GET', '/api/account');
    showDetails(person, nameForm, passwordForm);
  } catch (error) {
    showErrorAlert(pageAlert, error);
  }

  nameForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(nameForm, () => saveName(nameForm, passwordForm));
  });
  passwordForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(passwordForm, () => changePassword(passwordForm));
  });
  signOutButton.addEventListener('click', () => void signOut(signOutAlert));
}

function describeSession(session: SignedInSession): void {
  const idleNote = document.querySelector<HTMLElement>('[data-idle-note]');
  if (idleNote) {
    const minutes = Math.round(session.idleTimeoutSeconds / 60);
    idleNote.textContent = `You are signed out after ${minutes} minutes without activity.`;
  }
  const changeNote = document.querySelector<HTMLElement>('[data-change-note]');
  if (changeNote && session.person.role === 'admin') {
    // Admins manage accounts themselves, so the note points at the tool rather than at another person.
    changeNote.textContent =
      'To change your records access, open your entry on the People page of the console; another admin changes your role. An email address cannot be changed, so invite the new address instead.';
  }
  const consoleLink = document.querySelector<HTMLElement>('[data-console-link]');
  if (consoleLink) consoleLink.hidden = !['admin', 'state_coordinator'].includes(session.person.role);
  const nationalLink = document.querySelector<HTMLElement>('[data-national-link]');
  if (nationalLink) nationalLink.hidden = !['admin', 'agent'].includes(session.person.role);
}

function showDetails(person: AccountPerson, nameForm: HTMLFormElement, passwordForm: HTMLFormElement): void {
  const details: Record<string, string> = {
    displayName: person.displayName,
    email: person.email,
    role: roleLabels[person.role],
    state: describeState(person.state),
    recordsAccess: recordsAccessLabels[person.recordsAccess],
    status: statusLabels[person.status],
    rulesAcknowledgedAt: formatDateTime(person.rulesAcknowledgedAt),
  };
  for (const [key, value] of Object.entries(details)) {
    const element = document.querySelector<HTMLElement>(`[data-detail="${key}"]`);
    if (element) element.textContent = value;
  }

  const nameInput = nameForm.elements.namedItem('displayName');
  if (nameInput instanceof HTMLInputElement) nameInput.value = person.displayName;
  // Password managers file the new password under this address.
  const usernameInput = passwordForm.querySelector<HTMLInputElement>('[data-username-field]');
  if (usernameInput) usernameInput.value = person.email;
}

/** Returns the role="status" region inside a form, which shows its success message. */
function findFormStatus(form: HTMLFormElement): HTMLElement {
  const region = form.querySelector<HTMLElement>('[data-form-status]');
  if (!region) throw new Error('The form has no [data-form-status] region.');
  return region;
}

async function saveName(nameForm: HTMLFormElement, passwordForm: HTMLFormElement): Promise<void> {
  const status = findFormStatus(nameForm);
  clearFormErrors(nameForm);
  showStatus(status, '');
  if (!checkRequiredFields(nameForm)) return;

  const displayName = String(new FormData(nameForm).get('displayName') ?? '').trim();
  try {
    const { person } = await callApi<{ person: AccountPerson }>('PATCH', '/api/account', { displayName });
    showDetails(person, nameForm, passwordForm);
    showStatus(status, `Your name is saved as ${person.displayName}.`);
  } catch (error) {
    showFormError(nameForm, error);
  }
}

async function changePassword(form: HTMLFormElement): Promise<void> {
  const status = findFormStatus(form);
  clearFormErrors(form);
  showStatus(status, '');
  if (!checkRequiredFields(form)) return;

  const data = new FormData(form);
  try {
    const result = await callApi<{ message: string }>('POST', '/api/account/password', {
      currentPassword: String(data.get('currentPassword') ?? ''),
      newPassword: String(data.get('newPassword') ?? ''),
    });
    hidePasswords(form);
    for (const name of ['currentPassword', 'newPassword']) {
      const input = form.elements.namedItem(name);
      if (input instanceof HTMLInputElement) input.value = '';
    }
    showStatus(status, result.message);
  } catch (error) {
    showFormError(form, error, { passwordField: 'newPassword' });
  }
}

async function signOut(alert: HTMLElement): Promise<void> {
  alert.replaceChildren();
  try {
    await callApi('POST', '/api/auth/sign-out', {});
    window.location.assign('/sign-in/?signedOut=1');
  } catch (error) {
    showErrorAlert(alert, error);
  }
}
