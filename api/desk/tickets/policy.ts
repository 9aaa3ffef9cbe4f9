/** Access rules of the routes in this folder, merged into api/security/route-policy.ts. */
import type { RoutePolicy } from '../../security/route-policy';

export const deskTicketPolicies: Record<string, RoutePolicy> = {
  'POST /api/tickets': { access: 'signed-in' },
  'POST /api/tickets/phone-calls': { access: ['agent', 'admin'] },
  'GET /api/tickets/:id': { access: 'signed-in' },
  'POST /api/tickets/:id/messages': { access: 'signed-in' },
  'POST /api/tickets/:id/close': { access: 'signed-in' },
  'POST /api/ticket-attachments': { access: 'signed-in' },
  'GET /api/tickets/:id/attachments/:attachmentId': { access: 'signed-in' },
  'GET /api/support/my-tickets': { access: 'signed-in' },
  // Visitors without an account file tickets and confirm their address; survey links work without signing in.
  'POST /api/support/visitor-requests': { access: 'public' },
  'POST /api/support/visitor-requests/confirm': { access: 'public' },
  'POST /api/support/faq-openings': { access: 'public' },
  'POST /api/support/survey': { access: 'public' },
  'POST /api/support/survey/answer': { access: 'public' },
};
