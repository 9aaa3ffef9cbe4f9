/** Who may call the routes in this folder; merged into api/security/route-policy.ts. */
import type { RoutePolicy } from '../../security/route-policy';

export const recordWorklistPolicies: Record<string, RoutePolicy> = {};
