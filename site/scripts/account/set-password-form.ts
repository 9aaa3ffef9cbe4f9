/**
 * The form that sets a password from an emailed link, shared by the
 * invitation and password-reset pages. It posts the link's token with the new
 * password. On success it shows the server's message and a sign-in button in
 * place of the form.
 */
import { callApi } from './api';
import { checkRequiredFields, clearFormErrors, showFormError, showStatus, whileSubmitting } from './form-feedback';
import { enablePasswordToggles, hidePasswords } from './password-toggle';

export interface SetPasswordOptions {
  form: HTMLFormElement;
  token: string;
  /** The API route, such as "/api/auth/invitations/accept". */
  path: string;
  /** A role="status" region for the success message. */
  status: HTMLElement;
  /** Shown after success, holding the sign-in button. */
  doneLink: HTMLElement;
  /** Receives focus after success, so keyboard users start from the message. */
  heading: HTMLElement;
  /** Hidden after success; the form itself when not given. */
  hideOnSuccess?: HTMLElement;
}

export function startSetPasswordForm(options: SetPasswordOptions): void {
  const { form } = options;
  enablePasswordToggles(form);
  form.hidden = false;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(form, () => submit(options));
  });
}

async function submit(options: SetPasswordOptions): Promise<void> {
  const { form, token, path, status, doneLink, heading, hideOnSuccess = form } = options;
  clearFormErrors(form);
  if (!checkRequiredFields(form)) return;

  const password = String(new FormData(form).get('password') ?? '');
  try {
    const result = await callApi<{ message: string }>('POST', path, { token, password });
    hidePasswords(form);
    form.reset();
    hideOnSuccess.hidden = true;
    showStatus(status, result.message);
    doneLink.hidden = false;
    heading.focus();
  } catch (error) {
    showFormError(form, error, { passwordField: 'password' });
  }
}
