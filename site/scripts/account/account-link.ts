/**
 * The header's account links: "Sign in" for visitors; once
 * GET /api/auth/session reports that the browser is signed in, "Account",
 * the strategic plan, the console for admins and state coordinators, the
 * help desk for agents and admins, student records for people with records access,
 * move notices for state coordinators without records access, and the
 * dashboard's national overview instead of its public summary for admins,
 * agents and state coordinators.
 * The link stays "Sign in" when the session cannot be read.
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
      showHeaderLink('[data-signed-in-link]', true);
      showHeaderLink('[data-console-header-link]', ['admin', 'state_coordinator'].includes(session.person.role));
      showHeaderLink('[data-desk-header-link]', ['admin', 'agent'].includes(session.person.role));
      showHeaderLink('[data-records-header-link]', session.person.recordsAccess !== 'none');
      const dashboardLink = document.querySelector<HTMLAnchorElement>('[data-dashboard-link]');
      if (dashboardLink && ['admin', 'agent', 'state_coordinator'].includes(session.person.role)) {
        dashboardLink.href = '/dashboard/national/';
      }
      // Coordinators acknowledge move notices to their state even without records access.
      showHeaderLink(
        '[data-move-notices-header-link]',
        session.person.role === 'state_coordinator' && session.person.recordsAccess === 'none',
      );
    }
  } catch {
    return;
  }
  if (new URL(link.href).pathname === window.location.pathname) link.setAttribute('aria-current', 'page');
}

function showHeaderLink(selector: string, visible: boolean): void {
  const item = document.querySelector<HTMLElement>(selector);
  if (item) item.hidden = !visible;
}
