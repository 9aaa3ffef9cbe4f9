/** Words and dates the plan pages show for the API's codes and values. */
import type { MilestoneStatus, PlanOrigin, Progress } from './types';

/** The statuses in the order of a plan's life. They are not imported from db/schema, so the client bundle contains no database code. */
export const milestoneStatuses: readonly MilestoneStatus[] = [
  'not_started',
  'on_track',
  'at_risk',
  'off_track',
  'done',
];

export const statusLabels: Record<MilestoneStatus, string> = {
  not_started: 'Not started',
  on_track: 'On track',
  at_risk: 'At risk',
  off_track: 'Off track',
  done: 'Done',
};

export const originLabels: Record<PlanOrigin, string> = {
  blank: 'started blank',
  template: 'started from the TA strategic-plan template',
  copy: 'copied from an earlier plan',
};

/** Formats a YYYY-MM-DD day as "March 3, 2027", without shifting it into the browser's time zone. */
export function formatDay(day: string | null | undefined): string {
  if (!day) return 'None';
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return date.toLocaleDateString('en-US', { dateStyle: 'long', timeZone: 'UTC' });
}

/** Formats an ISO 8601 time as the day it falls on in the browser's time zone, such as "March 3, 2027". */
export function formatTimeAsDay(iso: string | null | undefined): string {
  if (!iso) return 'Never';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString('en-US', { dateStyle: 'long' });
}

export function formatPeriod(start: string, end: string): string {
  return `${formatDay(start)} to ${formatDay(end)}`;
}

/** "On track, 40% complete" */
export function describeProgress(progress: Progress): string {
  return `${statusLabels[progress.status]}, ${progress.percentComplete}% complete`;
}

/** Today in the browser's time zone as YYYY-MM-DD, the default date of a progress update. */
export function todayInBrowser(): string {
  const now = new Date();
  const month = String(now.getMonth() + 1).padStart(2, '0');
  const day = String(now.getDate()).padStart(2, '0');
  return `${now.getFullYear()}-${month}-${day}`;
}

/** Returns the day before the same date `years` later, such as 2029-06-30 for 2026-07-01 and 3 years. */
export function addYearsLessOneDay(day: string, years: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}
