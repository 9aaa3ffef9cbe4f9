/** The invitation page: sets the first password from the link in the invitation email. */
import { reloadOnNewToken, takeTokenFromFragment } from './link-token';
import { startSetPasswordForm } from './set-password-form';

export function startInvitationPage(): void {
  const form = document.querySelector<HTMLFormElement>('[data-invitation-form]');
  const missing = document.querySelector<HTMLElement>('[data-missing-token]');
  const status = document.querySelector<HTMLElement>('[data-page-status]');
  const doneLink = document.querySelector<HTMLElement>('[data-done-link]');
  const heading = document.querySelector<HTMLElement>('[data-page-heading]');
  if (!form || !missing || !status || !doneLink || !heading) return;

  reloadOnNewToken();
  const token = takeTokenFromFragment();
  if (!token) {
    missing.hidden = false;
    return;
  }
  startSetPasswordForm({ form, token, path: '/api/auth/invitations/accept', status, doneLink, heading });
}
