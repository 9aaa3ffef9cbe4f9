/**
 * The records task links on /records/: each link is shown only to the people
 * the page behind it serves, from the session's role and records access.
 */
import type { SessionPerson } from '../account/session';

export type RecordsLink = 'uploads' | 'quality' | 'worklist' | 'move-notices' | 'nicknames';

/** Returns the task links a person can use, in page order. */
export function recordsLinksFor(person: Pick<SessionPerson, 'role' | 'recordsAccess'>): RecordsLink[] {
  const links: RecordsLink[] = [];
  if (person.recordsAccess === 'data_administrator') links.push('uploads', 'quality', 'worklist');
  if (person.recordsAccess !== 'none') links.push('move-notices');
  if (person.role === 'admin') links.push('nicknames');
  return links;
}

/** Unhides the task links the person can use, and the navigation when at least one is shown. */
export function showRecordsLinks(person: Pick<SessionPerson, 'role' | 'recordsAccess'>): void {
  const allowed = new Set<string>(recordsLinksFor(person));
  const navigation = document.querySelector<HTMLElement>('[data-records-links]');
  if (!navigation) return;
  for (const item of navigation.querySelectorAll<HTMLElement>('[data-records-link]')) {
    item.hidden = !allowed.has(item.dataset.recordsLink ?? '');
  }
  navigation.hidden = allowed.size === 0;
}
