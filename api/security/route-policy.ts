/**
 * Who may call each API route. Every registered /api route must appear here:
 * the authorization middleware denies a route that is missing, and a test
 * walks every registered route against every role.
 *
 * - public: anyone, signed in or not.
 * - signed-in: any active account.
 * - a list of roles: only those roles.
 * `beforeRules` marks the routes a signed-in person may use before
 * acknowledging the Rules of Behavior.
 */
import type { Role } from '../../db/schema';

export type RouteAccess = 'public' | 'signed-in' | readonly Role[];

export interface RoutePolicy {
  access: RouteAccess;
  beforeRules?: boolean;
}

const userAdministrators: readonly Role[] = ['admin', 'state_coordinator'];

export const routePolicies: Record<string, RoutePolicy> = {
  'GET /api/health': { access: 'public' },

  'GET /api/auth/session': { access: 'public', beforeRules: true },
  'POST /api/auth/sign-in': { access: 'public', beforeRules: true },
  'POST /api/auth/sign-out': { access: 'signed-in', beforeRules: true },
  'POST /api/auth/password-reset/request': { access: 'public', beforeRules: true },
  'POST /api/auth/password-reset/complete': { access: 'public', beforeRules: true },
  'POST /api/auth/invitations/accept': { access: 'public', beforeRules: true },
  'POST /api/auth/rules-of-behavior': { access: 'signed-in', beforeRules: true },

  'GET /api/account': { access: 'signed-in', beforeRules: true },
  'PATCH /api/account': { access: 'signed-in' },
  'POST /api/account/password': { access: 'signed-in' },

  'GET /api/people': { access: userAdministrators },
  'POST /api/people': { access: userAdministrators },
  'GET /api/people/:id': { access: userAdministrators },
  'PATCH /api/people/:id': { access: userAdministrators },
  'POST /api/people/:id/invitation': { access: userAdministrators },
  'POST /api/people/:id/disable': { access: userAdministrators },
  'POST /api/people/:id/enable': { access: userAdministrators },
  'POST /api/people/:id/deactivate': { access: userAdministrators },

  'GET /api/audit': { access: ['admin'] },
  'GET /api/audit/export': { access: ['admin'] },

  'GET /api/mailbox': { access: ['admin'] },
  'GET /api/mailbox/:id': { access: ['admin'] },
};

export function findRoutePolicy(method: string, path: string): RoutePolicy | undefined {
  return routePolicies[`${method === 'HEAD' ? 'GET' : method} ${path}`];
}
