/** Access rules of the routes in this folder, merged into api/security/route-policy.ts. */
import type { RoutePolicy } from '../../security/route-policy';

/**
 * Records search and the consolidated record are open to every role here,
 * because records access is a separate grant on the person: the services
 * check it with requireRecordsAccess, so an agent or state user without the
 * grant gets 403.
 */
export const recordSearchPolicies: Record<string, RoutePolicy> = {
  'POST /api/records/search': { access: 'signed-in' },
  'POST /api/records/:msixId/view': { access: 'signed-in' },
  'POST /api/records/:msixId/print': { access: 'signed-in' },
  'GET /api/records/:msixId/access-log': { access: 'signed-in' },
};
