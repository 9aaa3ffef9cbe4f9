/** Names of states and scopes for responses, summaries and CSV files. */
import { stateNames, type StateCode } from '../../shared/states';
import type { DashboardScope } from '../contract';
import { nationalScope } from '../metrics';

/** The name shown for the national scope. */
export const nationalName = 'National';

/** "Texas" for TX, "National" for US. */
export function scopeName(scope: DashboardScope): string {
  return scope === nationalScope ? nationalName : stateNames[scope];
}

export function stateName(state: StateCode): string {
  return stateNames[state];
}

/** "Texas (TX)" for TX and "National (US)" for US; any other code as it is. */
export function describeScope(scope: string): string {
  if (scope === nationalScope) return `${nationalName} (${nationalScope})`;
  const name = (stateNames as Record<string, string | undefined>)[scope];
  return name ? `${name} (${scope})` : scope;
}
