/**
 * Access rules of the routes in this folder, merged into api/security/route-policy.ts.
 * Records access is a grant on the person, not a role, so every route is open
 * to signed-in people and its service checks the grant and the state
 * (api/records/access.ts). Move-notice lists are also open to state
 * coordinators without the grant, who acknowledge their state's notices.
 */
import type { RoutePolicy } from '../../security/route-policy';

export const recordWorklistPolicies: Record<string, RoutePolicy> = {
  'GET /api/record-worklist': { access: 'signed-in' },
  'POST /api/record-near-matches/:id/confirm': { access: 'signed-in' },
  'POST /api/record-near-matches/:id/reject': { access: 'signed-in' },
  'GET /api/record-changes/record/:msixId': { access: 'signed-in' },
  'POST /api/record-changes': { access: 'signed-in' },
  'POST /api/record-changes/:id/validate': { access: 'signed-in' },
  'POST /api/record-changes/:id/decline': { access: 'signed-in' },
  'GET /api/msix-ids/:msixId': { access: 'signed-in' },
  'GET /api/records/export-ids/:state': { access: 'signed-in' },
  'GET /api/move-notices': { access: 'signed-in' },
  'POST /api/move-notices': { access: 'signed-in' },
  'POST /api/move-notices/:id/acknowledge': { access: 'signed-in' },
};
