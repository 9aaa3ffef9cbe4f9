/**
 * Access to the dashboard's scopes. Admins and agents can open every state,
 * and a state coordinator can open the national figures and their own state's.
 * The route policy (../policy.ts) already limits the routes to these roles, so
 * the checks here decide the scope.
 */
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { stateCodes, type StateCode } from '../../shared/states';
import type { DashboardScope, DashboardViewer } from '../contract';
import { nationalScope } from '../metrics';
import { isStateCode } from './query';
import { describeScope } from './names';

/** Returns the scopes the actor may open, or throws a 403 for a role that reads only the public summary. */
export function describeViewer(actor: Actor): DashboardViewer {
  if (actor.role === 'admin' || actor.role === 'agent') {
    return { reach: 'national', scopes: [nationalScope, ...stateCodes] };
  }
  if (actor.role === 'state_coordinator') {
    // The people table requires a state for coordinators; without one, only the national figures open.
    const own = ownState(actor);
    return { reach: 'state', scopes: own ? [nationalScope, own] : [nationalScope] };
  }
  throw new AppError(
    403,
    'forbidden',
    'The dashboard is for state coordinators, agents and admins. Everyone can read the public summary at /dashboard/.',
  );
}

/** Throws a 403 naming what the viewer may open when `scope` is not one of them. */
export function requireScope(actor: Actor, viewer: DashboardViewer, scope: DashboardScope): void {
  if (viewer.scopes.includes(scope)) return;
  const own = ownState(actor);
  const allowed = own ? `the national figures and those of ${describeScope(own)}` : 'the national figures';
  throw new AppError(
    403,
    'dashboard_scope_forbidden',
    `scope: your account can open ${allowed} only, not ${describeScope(scope)}.`,
  );
}

/** Returns the coordinator's own state, or null when the viewer reads every state. */
export function restrictedState(viewer: DashboardViewer): StateCode | null {
  if (viewer.reach === 'national') return null;
  return (viewer.scopes.find((scope) => scope !== nationalScope) as StateCode | undefined) ?? null;
}

function ownState(actor: Actor): StateCode | null {
  return actor.state && isStateCode(actor.state) ? actor.state : null;
}
