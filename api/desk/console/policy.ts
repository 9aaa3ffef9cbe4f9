/** Access rules of the console's routes, merged into api/security/route-policy.ts. */
import type { Role } from '../../../db/schema';
import type { RoutePolicy } from '../../security/route-policy';

/** The triage console is for desk staff only; the services check the same. */
const deskStaff: readonly Role[] = ['agent', 'admin'];

export const deskConsolePolicies: Record<string, RoutePolicy> = {
  'GET /api/desk/queue': { access: deskStaff },
  'POST /api/desk/queue/search': { access: deskStaff },
  'GET /api/desk/queue/counts': { access: deskStaff },
  'POST /api/desk/bulk': { access: deskStaff },
  'POST /api/desk/assign-next': { access: deskStaff },

  'GET /api/desk/tickets/:id': { access: deskStaff },
  'PATCH /api/desk/tickets/:id': { access: deskStaff },
  'POST /api/desk/tickets/:id/messages': { access: deskStaff },
  'POST /api/desk/tickets/:id/auto-assign': { access: deskStaff },
  'POST /api/desk/tickets/:id/followers': { access: deskStaff },
  'DELETE /api/desk/tickets/:id/followers/:participantId': { access: deskStaff },
  'POST /api/desk/tickets/:id/merge': { access: deskStaff },
  'POST /api/desk/messages/:id/split': { access: deskStaff },
  'GET /api/desk/tickets/:id/canned-responses/:responseId': { access: deskStaff },

  'GET /api/desk/agents': { access: deskStaff },
  'POST /api/desk/availability': { access: deskStaff },
  'PATCH /api/desk/agents/:id': { access: ['admin'] },

  'GET /api/desk/canned-responses': { access: deskStaff },
  'POST /api/desk/canned-responses': { access: deskStaff },
  'PATCH /api/desk/canned-responses/:id': { access: deskStaff },
  'DELETE /api/desk/canned-responses/:id': { access: deskStaff },
  'GET /api/desk/faqs': { access: deskStaff },
};
