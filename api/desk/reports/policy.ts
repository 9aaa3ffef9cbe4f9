/** Access rules of the routes in this folder, merged into api/security/route-policy.ts. */
import type { RoutePolicy } from '../../security/route-policy';

const deskStaff = ['admin', 'agent'] as const;

export const deskReportPolicies: Record<string, RoutePolicy> = {
  'GET /api/desk/reports': { access: deskStaff },
  'GET /api/desk/reports/:report/csv': { access: deskStaff },
  'GET /api/desk/sla-targets': { access: deskStaff },
  'PUT /api/desk/sla-targets/:priority': { access: ['admin'] },
};
