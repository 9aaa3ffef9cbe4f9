/** Words the pages show for the API's codes: roles, records access, account status and states. */
import type { PersonStatus, RecordsAccess, Role } from '../../../db/schema';
import { stateNames, type StateCode } from '../../../api/shared/states';

export type { PersonStatus, RecordsAccess, Role };
// The state names live with the state codes, so the API and the pages share one list.
export { stateNames };

export const roleLabels: Record<Role, string> = {
  state_user: 'State user',
  state_coordinator: 'State coordinator',
  agent: 'Help-desk agent',
  admin: 'Admin',
};

export const recordsAccessLabels: Record<RecordsAccess, string> = {
  none: 'None',
  viewer: 'Viewer',
  data_administrator: 'Data administrator',
};

export const statusLabels: Record<PersonStatus, string> = {
  invited: 'Invited',
  active: 'Active',
  disabled: 'Disabled',
  deactivated: 'Deactivated',
};

/** Agents and admins are national: they belong to no state. */
export function isNationalRole(role: Role): boolean {
  return role === 'agent' || role === 'admin';
}

export function describeState(code: string | null): string {
  if (!code) return 'National (no state)';
  const name = stateNames[code as StateCode];
  return name ? `${name} (${code})` : code;
}

/** Formats an ISO 8601 time for people, in their own time zone, such as "December 4, 2026 at 8:31 PM". */
export function formatDateTime(iso: string | null): string {
  if (!iso) return 'Never';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-US', { dateStyle: 'long', timeStyle: 'short' });
}
