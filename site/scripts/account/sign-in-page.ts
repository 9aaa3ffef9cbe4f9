/**
 * The sign-in page: posts the email address and password, then opens the
 * page named by `next` (a path on this site), /account/, or first the Rules
 * of Behavior when the person owes an acknowledgement.
 */
import { callApi, readNextPath } from './api';
import { checkRequiredFields, clearFormErrors, showFormError, showStatus, whileSubmitting } from './form-feedback';
import { enablePasswordToggles, hidePasswords } from './password-toggle';
import { fetchSession } from './session';

interface SignInResponse {
  rulesOfBehaviorRequired: boolean;
}

export function startSignInPage(): void {
  const form = document.querySelector<HTMLFormElement>('[data-sign-in-form]');
  const status = document.querySelector<HTMLElement>('[data-page-status]');
  if (!form || !status) return;

  enablePasswordToggles(form);
  describeArrival(status);
  void showCurrentSession();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(form, () => signIn(form));
  });
}

async function signIn(form: HTMLFormElement): Promise<void> {
  clearFormErrors(form);
  if (!checkRequiredFields(form)) return;

  const data = new FormData(form);
  try {
    const result = await callApi<SignInResponse>('POST', '/api/auth/sign-in', {
      email: String(data.get('email') ?? '').trim(),
      password: String(data.get('password') ?? ''),
    });
    hidePasswords(form);
    window.location.assign(chooseDestination(result.rulesOfBehaviorRequired));
  } catch (error) {
    showFormError(form, error);
  }
}

/** Returns the address to open after signing in. It is never this page, whatever `next` says. */
function chooseDestination(rulesOfBehaviorRequired: boolean): string {
  const next = readNextPath('/account/');
  const destination = next.startsWith('/sign-in/') ? '/account/' : next;
  if (!rulesOfBehaviorRequired) return destination;
  return `/rules-of-behavior/?next=${encodeURIComponent(destination)}`;
}

function describeArrival(status: HTMLElement): void {
  const params = new URLSearchParams(window.location.search);
  if (params.has('signedOut')) showStatus(status, 'You have signed out.');
  else if (params.has('next'))
    showStatus(status, 'Sign in to continue. If you were signed in, your session has ended.', 'info');
}

async function showCurrentSession(): Promise<void> {
  const notice = document.querySelector<HTMLElement>('[data-already-signed-in]');
  const name = document.querySelector<HTMLElement>('[data-signed-in-name]');
  if (!notice || !name) return;

  try {
    const session = await fetchSession();
    if (!session.signedIn) return;
    name.textContent = `${session.person.displayName} (${session.person.email})`;
    notice.hidden = false;
  } catch {
    // The form works without this notice.
  }
}
