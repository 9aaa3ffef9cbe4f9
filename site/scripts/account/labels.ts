/** Words the pages show for the API's codes: roles, records access, account status and states. */
import type { PersonStatus, RecordsAccess, Role } from '../../../db/schema';
import type { StateCode } from '../../../api/shared/states';

export type { PersonStatus, RecordsAccess, Role };

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

export const stateNames: Record<StateCode, string> = {
  AL: 'Alabama',
  AK: 'Alaska',
  AZ: 'Arizona',
  AR: 'Arkansas',
  CA: 'California',
  CO: 'Colorado',
  CT: 'Connecticut',
  DE: 'Delaware',
  DC: 'District of Columbia',
  FL: 'Florida',
  GA: 'Georgia',
  HI: 'Hawaii',
  ID: 'Idaho',
  IL: 'Illinois',
  IN: 'Indiana',
  IA: 'Iowa',
  KS: 'Kansas',
  KY: 'Kentucky',
  LA: 'Louisiana',
  ME: 'Maine',
  MD: 'Maryland',
  MA: 'Massachusetts',
  MI: 'Michigan',
  MN: 'Minnesota',
  MS: 'Mississippi',
  MO: 'Missouri',
  MT: 'Montana',
  NE: 'Nebraska',
  NV: 'Nevada',
  NH: 'New Hampshire',
  NJ: 'New Jersey',
  NM: 'New Mexico',
  NY: 'New York',
  NC: 'North Carolina',
  ND: 'North Dakota',
  OH: 'Ohio',
  OK: 'Oklahoma',
  OR: 'Oregon',
  PA: 'Pennsylvania',
  PR: 'Puerto Rico',
  RI: 'Rhode Island',
  SC: 'South Carolina',
  SD: 'South Dakota',
  TN: 'Tennessee',
  TX: 'Texas',
  UT: 'Utah',
  VT: 'Vermont',
  VA: 'Virginia',
  WA: 'Washington',
  WV: 'West Virginia',
  WI: 'Wisconsin',
  WY: 'Wyoming',
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
