/**
 * The Rules of Behavior page. Anyone can read it. Signed-in people also get a
 * checkbox and a button that record their acknowledgement, and then go on to
 * the page named by `next` or to /account/.
 */
import { callApi, currentPath, readNextPath } from './api';
import { checkRequiredFields, clearFormErrors, showFormError, showStatus, whileSubmitting } from './form-feedback';
import { fetchSession } from './session';

export function startRulesOfBehaviorPage(): void {
  const form = document.querySelector<HTMLFormElement>('[data-rules-form]');
  const visitorNote = document.querySelector<HTMLElement>('[data-visitor-note]');
  const signedInAs = document.querySelector<HTMLElement>('[data-signed-in-as]');
  const status = document.querySelector<HTMLElement>('[data-rules-status]');
  if (!form || !visitorNote || !signedInAs || !status) return;

  // Come back to this page after signing in, keeping where the person was going.
  visitorNote.querySelector('a')?.setAttribute('href', `/sign-in/?next=${encodeURIComponent(currentPath())}`);

  void fetchSession()
    .then((session) => {
      if (!session.signedIn) return;
      visitorNote.hidden = true;
      signedInAs.textContent = session.rulesOfBehaviorRequired
        ? `You are signed in as ${session.person.displayName}. Accept these rules to continue.`
        : `You are signed in as ${session.person.displayName}. You accepted these rules within the past year; you can accept them again at any time.`;
      form.hidden = false;
    })
    .catch((error: unknown) => showStatus(status, error instanceof Error ? error.message : String(error), 'info'));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(form, () => acknowledge(form, status));
  });
}

async function acknowledge(form: HTMLFormElement, status: HTMLElement): Promise<void> {
  clearFormErrors(form);
  if (!checkRequiredFields(form)) return;

  try {
    await callApi('POST', '/api/auth/rules-of-behavior', { acknowledge: true });
    showStatus(status, 'Thank you. Your acceptance of the Rules of Behavior is recorded.');
    const next = readNextPath('/account/');
    window.location.assign(next.startsWith('/rules-of-behavior/') ? '/account/' : next);
  } catch (error) {
    showFormError(form, error);
  }
}
