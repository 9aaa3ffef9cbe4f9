/** Access rules of the routes in this folder, merged into api/security/route-policy.ts. */
import type { RoutePolicy } from '../../security/route-policy';

/** The nickname table changes how every state's records link, so only admins (national) read and edit it. */
export const recordLinkingPolicies: Record<string, RoutePolicy> = {
  'GET /api/record-nicknames': { access: ['admin'] },
  'POST /api/record-nicknames': { access: ['admin'] },
  'DELETE /api/record-nicknames/:id': { access: ['admin'] },
};
