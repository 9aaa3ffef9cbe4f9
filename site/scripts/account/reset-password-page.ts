/**
 * The password-reset page. Opened from the emailed link (`#token=…`), it sets
 * a new password; opened without one, it requests a link by email.
 */
import { callApi } from './api';
import { checkRequiredFields, clearFormErrors, showFormError, showStatus, whileSubmitting } from './form-feedback';
import { reloadOnNewToken, takeTokenFromFragment } from './link-token';
import { startSetPasswordForm } from './set-password-form';

export function startResetPasswordPage(): void {
  const requestSection = document.querySelector<HTMLElement>('[data-request-section]');
  const requestForm = document.querySelector<HTMLFormElement>('[data-request-form]');
  const chooseSection = document.querySelector<HTMLElement>('[data-choose-section]');
  const chooseForm = document.querySelector<HTMLFormElement>('[data-choose-form]');
  const status = document.querySelector<HTMLElement>('[data-page-status]');
  const doneLink = document.querySelector<HTMLElement>('[data-done-link]');
  const heading = document.querySelector<HTMLElement>('[data-page-heading]');
  if (!requestSection || !requestForm || !chooseSection || !chooseForm || !status || !doneLink || !heading) return;

  reloadOnNewToken();
  const token = takeTokenFromFragment();
  if (token) {
    chooseSection.hidden = false;
    startSetPasswordForm({
      form: chooseForm,
      token,
      path: '/api/auth/password-reset/complete',
      status,
      doneLink,
      heading,
      hideOnSuccess: chooseSection,
    });
    return;
  }

  requestSection.hidden = false;
  requestForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(requestForm, () => requestLink(requestForm, status));
  });
}

async function requestLink(form: HTMLFormElement, status: HTMLElement): Promise<void> {
  clearFormErrors(form);
  showStatus(status, '');
  if (!checkRequiredFields(form)) return;

  const email = String(new FormData(form).get('email') ?? '').trim();
  try {
    const result = await callApi<{ message: string }>('POST', '/api/auth/password-reset/request', { email });
    showStatus(status, result.message);
  } catch (error) {
    showFormError(form, error);
  }
}
