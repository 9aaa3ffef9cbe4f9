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
import { dashboardPolicies } from '../dashboard/policy';
import { deskConsolePolicies } from '../desk/console/policy';
import { deskReportPolicies } from '../desk/reports/policy';
import { deskTicketPolicies } from '../desk/tickets/policy';
import { recordLinkingPolicies } from '../records/linking/policy';
import { recordSearchPolicies } from '../records/search/policy';
import { recordUploadPolicies } from '../records/uploads/policy';
import { recordWorklistPolicies } from '../records/worklists/policy';

export type RouteAccess = 'public' | 'signed-in' | readonly Role[];

export interface RoutePolicy {
  access: RouteAccess;
  beforeRules?: boolean;
}

const userAdministrators: readonly Role[] = ['admin', 'state_coordinator'];
const planEditors: readonly Role[] = ['admin', 'state_coordinator'];
const nationalStaff: readonly Role[] = ['admin', 'agent'];

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

  // Strategic plans: every signed-in person reads their own state (agents and admins every state);
  // coordinators edit their own state and admins every state. The services apply the state scope.
  'GET /api/states': { access: 'signed-in' },
  'GET /api/plans': { access: 'signed-in' },
  'POST /api/plans': { access: planEditors },
  'GET /api/plans/rollup': { access: nationalStaff },
  'GET /api/plans/rollup/export': { access: nationalStaff },
  'GET /api/plans/:id': { access: 'signed-in' },
  'PATCH /api/plans/:id': { access: planEditors },
  'GET /api/plans/:id/export': { access: 'signed-in' },
  'POST /api/plans/:id/goals': { access: planEditors },
  'PATCH /api/goals/:id': { access: planEditors },
  'DELETE /api/goals/:id': { access: planEditors },
  'POST /api/goals/:id/objectives': { access: planEditors },
  'PATCH /api/objectives/:id': { access: planEditors },
  'DELETE /api/objectives/:id': { access: planEditors },
  'POST /api/objectives/:id/milestones': { access: planEditors },
  'PATCH /api/milestones/:id': { access: planEditors },
  'DELETE /api/milestones/:id': { access: planEditors },
  'POST /api/milestones/:id/updates': { access: planEditors },

  'GET /api/planning-sessions': { access: 'signed-in' },
  'POST /api/planning-sessions': { access: planEditors },
  'GET /api/planning-sessions/:id': { access: 'signed-in' },
  'PATCH /api/planning-sessions/:id': { access: planEditors },
  'POST /api/recommendations/:id/milestone': { access: planEditors },

  'GET /api/crosswalk/:state': { access: 'signed-in' },
  'PUT /api/crosswalk/:state': { access: planEditors },
  'GET /api/crosswalk/:state/export': { access: 'signed-in' },

  // Newsletter subscribers: the public signs up, confirms and manages preferences through signed links;
  // admins list, import and export subscribers and keep the suppression list.
  'POST /api/subscribers': { access: 'public' },
  'POST /api/subscribers/confirm': { access: 'public' },
  'GET /api/subscribers/preferences/:token': { access: 'public' },
  'PUT /api/subscribers/preferences/:token': { access: 'public' },
  'GET /api/subscribers': { access: ['admin'] },
  'GET /api/subscribers/export': { access: ['admin'] },
  'POST /api/subscribers/import': { access: ['admin'] },
  'GET /api/suppressions': { access: ['admin'] },
  'POST /api/suppressions': { access: ['admin'] },

  'GET /api/campaigns': { access: ['admin'] },
  'POST /api/campaigns': { access: ['admin'] },
  'GET /api/campaigns/:id': { access: ['admin'] },
  'PATCH /api/campaigns/:id': { access: ['admin'] },
  'GET /api/campaigns/:id/preview': { access: ['admin'] },
  'POST /api/campaigns/:id/test': { access: ['admin'] },
  'POST /api/campaigns/:id/schedule': { access: ['admin'] },
  'POST /api/campaigns/:id/send': { access: ['admin'] },
  'POST /api/campaigns/:id/pause': { access: ['admin'] },
  'POST /api/campaigns/:id/resume': { access: ['admin'] },
  'POST /api/campaigns/:id/cancel': { access: ['admin'] },

  'GET /api/events/registrable': { access: 'public' },
  'POST /api/events/:slug/registrations': { access: 'public' },
  'POST /api/registrations/cancel': { access: 'public' },
  'GET /api/events/:slug/registrations': { access: ['admin'] },
  'GET /api/events/:slug/registrations/export': { access: ['admin'] },
  'POST /api/events/:slug/attendance': { access: ['admin'] },

  // The support desk, the records exchange and the dashboard keep their tables beside their routes.
  ...deskTicketPolicies,
  ...deskConsolePolicies,
  ...deskReportPolicies,
  ...recordUploadPolicies,
  ...recordLinkingPolicies,
  ...recordSearchPolicies,
  ...recordWorklistPolicies,
  ...dashboardPolicies,
};

export function findRoutePolicy(method: string, path: string): RoutePolicy | undefined {
  return routePolicies[`${method === 'HEAD' ? 'GET' : method} ${path}`];
}
