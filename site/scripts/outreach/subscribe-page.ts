/**
 * The newsletter sign-up page. Opened without a token it shows the sign-up
 * form, whose response asks the visitor to check their email. The link in that
 * email opens the page with `#token=…`, which confirms the subscription.
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
import { reloadOnNewToken, takeTokenFromFragment } from '../account/link-token';
import { findRequired } from '../plans/dom';
import { readProfile } from './profile-form';

interface SignUpResponse {
  message: string;
}

interface ConfirmResponse {
  message: string;
  /** The preferences page with its token in the fragment, such as https://…/newsletters/preferences/#token=…. */
  preferencesUrl?: string;
}

interface SubscribePage {
  heading: HTMLElement;
  status: HTMLElement;
  alert: HTMLElement;
  signUp: HTMLElement;
  form: HTMLFormElement;
  confirm: HTMLElement;
}

export function startSubscribePage(): void {
  const page: SubscribePage = {
    heading: findRequired('[data-page-heading]'),
    status: findRequired('[data-page-status]'),
    alert: findRequired('[data-page-alert]'),
    signUp: findRequired('[data-signup-section]'),
    form: findRequired('[data-subscribe-form]'),
    confirm: findRequired('[data-confirm-section]'),
  };

  page.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(page.form, () => signUp(page));
  });

  reloadOnNewToken();
  const token = takeTokenFromFragment();
  if (token) void confirm(page, token);
}

async function signUp(page: SubscribePage): Promise<void> {
  clearFormErrors(page.form);
  showStatus(page.status, '');
  if (!checkRequiredFields(page.form)) return;

  const email = String(new FormData(page.form).get('email') ?? '').trim();
  try {
    const result = await callApi<SignUpResponse>('POST', '/api/subscribers', { email, ...readProfile(page.form) });
    page.form.reset();
    page.signUp.hidden = true;
    page.heading.textContent = 'Check your email';
    showStatus(page.status, result.message);
    page.heading.focus();
  } catch (error) {
    showFormError(page.form, error);
  }
}

async function confirm(page: SubscribePage, token: string): Promise<void> {
  page.signUp.hidden = true;
  page.confirm.hidden = false;
  page.heading.textContent = 'Confirm your subscription';
  const waiting = findRequired<HTMLElement>('[data-confirm-waiting]');
  try {
    const result = await callApi<ConfirmResponse>('POST', '/api/subscribers/confirm', { token });
    waiting.hidden = true;
    page.heading.textContent = 'Your subscription is confirmed';
    showStatus(page.status, result.message);
    showConfirmedLinks(result.preferencesUrl);
  } catch (error) {
    waiting.hidden = true;
    page.heading.textContent = 'Your subscription is not confirmed';
    showErrorAlert(page.alert, error);
    // The link may have expired: the visitor can sign up again right here.
    page.signUp.hidden = false;
  }
  page.heading.focus();
}

function showConfirmedLinks(preferencesUrl: string | undefined): void {
  findRequired<HTMLElement>('[data-confirm-links]').hidden = false;
  if (!preferencesUrl) return;

  // The link is rebuilt on this site's preferences page, whatever address the server sent.
  const target = new URL(preferencesUrl, window.location.origin);
  if (target.pathname !== '/newsletters/preferences/' || !target.hash.startsWith('#token=')) return;
  findRequired<HTMLAnchorElement>('[data-preferences-link]').href = `${target.pathname}${target.hash}`;
  findRequired<HTMLElement>('[data-preferences-item]').hidden = false;
}
