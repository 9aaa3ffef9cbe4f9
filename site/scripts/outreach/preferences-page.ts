/**
 * The newsletter preferences page, opened from the preferences link in a
 * newsletter or in the confirmation page (`#token=…`). The token stays in
 * memory only: it is read from the fragment, removed from the address bar and
 * sent with each request, so a reload needs the link again.
 */
import { callApi } from '../account/api';
import { clearFormErrors, showErrorAlert, showFormError, showStatus, whileSubmitting } from '../account/form-feedback';
import { reloadOnNewToken, takeTokenFromFragment } from '../account/link-token';
import { findRequired } from '../plans/dom';
import { fillProfile, readProfile } from './profile-form';

interface Preferences {
  email: string;
  name: string | null;
  state: string | null;
  role: string | null;
  topics: string[];
  status: 'pending' | 'confirmed' | 'unsubscribed';
}

interface PreferencesPage {
  token: string;
  heading: HTMLElement;
  status: HTMLElement;
  alert: HTMLElement;
  form: HTMLFormElement;
  leave: HTMLElement;
  subscribeAgain: HTMLElement;
}

const statusNotes: Record<Preferences['status'], string> = {
  confirmed: 'Your subscription is active.',
  pending:
    'Your subscription is waiting for confirmation: open the link in the confirmation email to start getting the newsletter.',
  unsubscribed: 'You are unsubscribed and get no newsletters.',
};

export function startPreferencesPage(): void {
  reloadOnNewToken();
  const token = takeTokenFromFragment();
  if (!token) {
    findRequired<HTMLElement>('[data-missing-token]').hidden = false;
    return;
  }

  const page: PreferencesPage = {
    token,
    heading: findRequired('[data-page-heading]'),
    status: findRequired('[data-page-status]'),
    alert: findRequired('[data-page-alert]'),
    form: findRequired('[data-preferences-form]'),
    leave: findRequired('[data-leave-section]'),
    subscribeAgain: findRequired('[data-subscribe-again]'),
  };

  page.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileSubmitting(page.form, () => save(page));
  });
  const unsubscribeButton = findRequired<HTMLButtonElement>('[data-unsubscribe-button]');
  unsubscribeButton.addEventListener('click', () => void unsubscribe(page, unsubscribeButton));

  void load(page);
}

function preferencesPath(token: string): string {
  return `/api/subscribers/preferences/${encodeURIComponent(token)}`;
}

async function load(page: PreferencesPage): Promise<void> {
  const loading = findRequired<HTMLElement>('[data-page-loading]');
  loading.hidden = false;
  try {
    const { preferences } = await callApi<{ preferences: Preferences }>('GET', preferencesPath(page.token));
    show(page, preferences);
  } catch (error) {
    showErrorAlert(page.alert, error);
  } finally {
    loading.hidden = true;
  }
}

function show(page: PreferencesPage, preferences: Preferences): void {
  findRequired<HTMLElement>('[data-subscriber-email]').textContent = preferences.email;
  findRequired<HTMLElement>('[data-subscriber-status]').textContent = statusNotes[preferences.status];
  fillProfile(page.form, preferences);

  const unsubscribed = preferences.status === 'unsubscribed';
  page.form.hidden = unsubscribed;
  page.leave.hidden = unsubscribed;
  page.subscribeAgain.hidden = !unsubscribed;
}

async function save(page: PreferencesPage): Promise<void> {
  clearFormErrors(page.form);
  showStatus(page.status, '');
  try {
    const { preferences } = await callApi<{ preferences: Preferences }>(
      'PUT',
      preferencesPath(page.token),
      readProfile(page.form),
    );
    show(page, preferences);
    showStatus(page.status, 'Your preferences are saved.');
  } catch (error) {
    showFormError(page.form, error);
  }
}

async function unsubscribe(page: PreferencesPage, button: HTMLButtonElement): Promise<void> {
  if (button.getAttribute('aria-disabled') === 'true') return;
  const alert = findRequired<HTMLElement>('[data-leave-alert]');
  alert.replaceChildren();
  showStatus(page.status, '');
  button.setAttribute('aria-disabled', 'true');
  try {
    const { preferences } = await callApi<{ preferences: Preferences }>('PUT', preferencesPath(page.token), {
      unsubscribe: true,
    });
    show(page, preferences);
    showStatus(page.status, 'You are unsubscribed. We will send you no more newsletters.');
    page.heading.focus();
  } catch (error) {
    showErrorAlert(alert, error);
  } finally {
    button.removeAttribute('aria-disabled');
  }
}
