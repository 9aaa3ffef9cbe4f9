/**
 * The signed-in person, from GET /api/auth/session, and the check that pages
 * for signed-in people run on load.
 */
import { callApi, goToRulesOfBehavior, goToSignIn } from './api';
import { roleLabels, type RecordsAccess, type Role } from './labels';

export interface SessionPerson {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  state: string | null;
  recordsAccess: RecordsAccess;
}

export type Session =
  | { signedIn: false }
  | { signedIn: true; person: SessionPerson; rulesOfBehaviorRequired: boolean; idleTimeoutSeconds: number };

export type SignedInSession = Extract<Session, { signedIn: true }>;

export function fetchSession(): Promise<Session> {
  return callApi<Session>('GET', '/api/auth/session');
}

/**
 * Elements of the PageGate component: a loading line, the page content shown
 * once the session allows it, and a message for roles that may not use the page.
 */
interface GateElements {
  status: HTMLElement;
  content: HTMLElement;
  denied: HTMLElement;
  deniedText: HTMLElement;
}

function findGate(): GateElements {
  const status = document.querySelector<HTMLElement>('[data-gate-status]');
  const content = document.querySelector<HTMLElement>('[data-gate-content]');
  const denied = document.querySelector<HTMLElement>('[data-gate-denied]');
  const deniedText = document.querySelector<HTMLElement>('[data-gate-denied-text]');
  if (!status || !content || !denied || !deniedText) throw new Error('The page has no PageGate elements.');
  return { status, content, denied, deniedText };
}

export interface GateOptions {
  /** Roles that may use the page; every signed-in role when absent. */
  roles?: readonly Role[];
  /** Audience of the page, completing the sentence "This page is for …". */
  audience?: string;
}

/**
 * Checks the session on page load. Visitors who are not signed in go to the
 * sign-in page. People who owe a Rules of Behavior acknowledgement go to that
 * page. Both come back here afterwards. A role that may not use the page gets
 * a message instead of the content. Returns the session only when the content
 * is shown.
 */
export async function openGatedPage(options: GateOptions = {}): Promise<SignedInSession | undefined> {
  const gate = findGate();

  let session: Session;
  try {
    session = await fetchSession();
  } catch (error) {
    gate.status.textContent = error instanceof Error ? error.message : String(error);
    return undefined;
  }

  if (!session.signedIn) {
    gate.status.textContent = 'You are not signed in. Opening the sign-in page…';
    goToSignIn();
    return undefined;
  }
  if (session.rulesOfBehaviorRequired) {
    gate.status.textContent = 'You need to acknowledge the Rules of Behavior first. Opening them…';
    goToRulesOfBehavior();
    return undefined;
  }

  gate.status.hidden = true;
  if (options.roles && !options.roles.includes(session.person.role)) {
    gate.deniedText.textContent = describeDenial(session.person.role, options.audience ?? 'other roles');
    gate.denied.hidden = false;
    return undefined;
  }

  gate.content.hidden = false;
  return session;
}

function describeDenial(role: Role, audience: string): string {
  const label = roleLabels[role].toLowerCase();
  const article = /^[aeiou]/.test(label) ? 'an' : 'a';
  const next =
    role === 'admin'
      ? 'Another admin can change your role on the People page of the console.'
      : 'If you need it for your work, ask your state coordinator or an admin.';
  return `This page is for ${audience}. You are signed in as ${article} ${label}, so you cannot use it. ${next}`;
}
