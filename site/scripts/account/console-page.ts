/** The console's start page: shows the tools the signed-in person's role can use. */
import { openGatedPage } from './session';

export async function startConsolePage(): Promise<void> {
  const session = await openGatedPage({
    roles: ['admin', 'state_coordinator'],
    audience: 'admins and state coordinators',
  });
  if (!session) return;

  for (const tool of document.querySelectorAll<HTMLElement>('[data-console-tool]')) {
    const roles = (tool.dataset.consoleTool ?? '').split(' ');
    tool.hidden = !roles.includes(session.person.role);
  }
}
