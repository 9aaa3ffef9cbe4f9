/** Access rules of the data-quality routes, merged through the uploads policy into api/security/route-policy.ts. */
import type { RoutePolicy } from '../../security/route-policy';

/**
 * Open to every signed-in role, because the figures follow the records grant
 * or the state coordinator role: requireQualityAccess checks the person and
 * the state.
 */
export const recordQualityPolicies: Record<string, RoutePolicy> = {
  'GET /api/records-quality/uploads/:id': { access: 'signed-in' },
  'GET /api/records-quality/uploads/:id/export': { access: 'signed-in' },
  'GET /api/records-quality/states/:state': { access: 'signed-in' },
  'GET /api/records-quality/states/:state/export': { access: 'signed-in' },
};
