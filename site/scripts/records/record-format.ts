/** Formatting and small checks shared by the records search and record pages. */
import { accessPurposeLabels, type AccessPurpose } from '../../../api/records/search/purpose-labels';
import type { SignedInSession } from '../account/session';

interface NameParts {
  firstName: string;
  middleName: string | null;
  lastName1: string;
  lastName2: string | null;
  suffix?: string | null;
}

/** Formats a name as the states report it: given names, then both last names. */
export function formatName(name: NameParts): string {
  return [name.firstName, name.middleName, name.lastName1, name.lastName2, name.suffix].filter(Boolean).join(' ');
}

/** Formats YYYY-MM-DD as "March 7, 2012", read as a calendar date in no time zone. */
export function formatCalendarDate(date: string | null | undefined): string {
  if (!date) return '';
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return date;
  return parsed.toLocaleDateString('en-US', { dateStyle: 'long', timeZone: 'UTC' });
}

export function formatYesNo(value: unknown): string {
  if (value === true) return 'Yes';
  if (value === false) return 'No';
  return '';
}

export function describePurpose(purpose: string, purposeText?: string | null): string {
  const label = accessPurposeLabels[purpose as AccessPurpose] ?? purpose;
  return purposeText ? `${label}: ${purposeText}` : label;
}

/** Returns the address of an MSIX ID's record page. The MSIX ID identifies no one without access to the records. */
export function recordPath(msixId: string, page: 'record' | 'print' = 'record'): string {
  const base = page === 'print' ? '/records/record/print/' : '/records/record/';
  return `${base}?msix=${encodeURIComponent(msixId)}`;
}

/** Reads the MSIX ID from the address; undefined unless it is 12 digits. */
export function readMsixIdParam(): string | undefined {
  const value = new URLSearchParams(window.location.search).get('msix') ?? '';
  return /^\d{12}$/.test(value) ? value : undefined;
}

/** Rounds a linking score to one decimal, such as 10.9, because more digits mean nothing to a reviewer. */
export function formatScore(score: number): string {
  return score.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** Says how to get records access: admins can grant it to themselves, everyone else asks for it. */
export function describeHowToGetRecordsAccess(session: SignedInSession): (string | Node)[] {
  if (session.person.role !== 'admin') {
    return ['If you need it for your work, ask your state coordinator or an admin.'];
  }
  const link = document.createElement('a');
  link.className = 'usa-link';
  link.href = '/console/people/';
  link.textContent = 'People page';
  return ['As an admin, you can give yourself records access on the ', link, ' of the console, then reload this page.'];
}

/**
 * Shows the page gate's denial message to people without records access,
 * which is a grant on the person rather than a role. Returns whether the
 * person may use the page.
 */
export function requireRecordsAccessOnPage(session: SignedInSession): boolean {
  if (session.person.recordsAccess !== 'none') return true;
  const content = document.querySelector<HTMLElement>('[data-gate-content]');
  const denied = document.querySelector<HTMLElement>('[data-gate-denied]');
  const deniedText = document.querySelector<HTMLElement>('[data-gate-denied-text]');
  if (content) content.hidden = true;
  if (deniedText) {
    deniedText.replaceChildren(
      'Student records need records access, a separate grant on your account. ',
      ...describeHowToGetRecordsAccess(session),
    );
  }
  if (denied) denied.hidden = false;
  return false;
}
