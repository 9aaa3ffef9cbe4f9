/**
 * The header's account link: "Sign in" for visitors, "Account" once
 * GET /api/auth/session reports that the browser is signed in. The link stays
 * "Sign in" when the session cannot be read.
 */
import { fetchSession } from './session';

export async function updateAccountLink(): Promise<void> {
  const link = document.querySelector<HTMLAnchorElement>('[data-account-link]');
  if (!link) return;

  try {
    const session = await fetchSession();
    if (session.signedIn) {
      link.textContent = 'Account';
      link.href = '/account/';
    }
  } catch {
    return;
  }
  if (new URL(link.href).pathname === window.location.pathname) link.setAttribute('aria-current', 'page');
}
