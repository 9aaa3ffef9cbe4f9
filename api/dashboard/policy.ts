/**
 * Access rules of the dashboard routes, merged into api/security/route-policy.ts.
 * Admins and agents open every state. Coordinators open their own state and
 * the national figures, and the services check the scope. Everyone, signed in
 * or not, opens the public summary, in which counts under 10 are suppressed.
 */
import type { Role } from '../../db/schema';
import type { RoutePolicy } from '../security/route-policy';

const dashboardViewers: readonly Role[] = ['admin', 'agent', 'state_coordinator'];

export const dashboardPolicies: Record<string, RoutePolicy> = {
  'GET /api/dashboard/figures': { access: dashboardViewers },
  'GET /api/dashboard/figures/export': { access: dashboardViewers },
  'GET /api/dashboard/compare': { access: dashboardViewers },
  'GET /api/dashboard/compare/export': { access: dashboardViewers },
  'GET /api/dashboard/flows': { access: dashboardViewers },
  'GET /api/dashboard/flows/export': { access: dashboardViewers },
  'GET /api/dashboard/public': { access: 'public' },
  'GET /api/dashboard/public/export': { access: 'public' },
};
