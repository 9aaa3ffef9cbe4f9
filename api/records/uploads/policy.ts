/** Access rules of the routes in this folder, merged into api/security/route-policy.ts. */
import type { RoutePolicy } from '../../security/route-policy';
import { recordQualityPolicies } from '../quality/policy';

/**
 * Open to every signed-in role, because uploading needs the data-administrator
 * records grant, whatever the role: the services check it with
 * requireStateDataAdministrator for the upload's state.
 */
export const recordUploadPolicies: Record<string, RoutePolicy> = {
  'POST /api/record-uploads/files': { access: 'signed-in' },
  'POST /api/record-uploads': { access: 'signed-in' },
  'GET /api/record-uploads/:id': { access: 'signed-in' },
  'GET /api/record-uploads/:id/problems': { access: 'signed-in' },
  'GET /api/record-uploads/:id/problems/export': { access: 'signed-in' },
  ...recordQualityPolicies,
};
