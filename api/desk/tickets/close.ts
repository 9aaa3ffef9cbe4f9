/** The requester's close button: the requester, a follower or the state coordinator closes a ticket they no longer need. */
import type { AppDatabase } from '../../../db/client';
import { recordAudit } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { findVisibleTicket } from './access';
import type { DeskActionContext, DeskSettings } from './create';
import { setTicketStatus } from './status';

export function closeTicket(
  db: AppDatabase,
  settings: DeskSettings,
  actor: Actor,
  id: number,
  context: DeskActionContext,
) {
  return db.transaction((tx) => {
    const ticket = findVisibleTicket(tx, actor, id);
    if (ticket.mergedIntoId !== null) {
      throw new AppError(
        409,
        'ticket_merged',
        `Ticket #${id} was merged into ticket #${ticket.mergedIntoId}. Close that one instead.`,
      );
    }
    if (ticket.status === 'closed') return { id, status: 'closed' as const };
    setTicketStatus(tx, settings, ticket, 'closed', actor.id, context.now);
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'ticket.closed_by_requester',
      objectType: 'ticket',
      objectId: id,
      outcome: 'success',
      detail: `from ${ticket.status}`,
      requestId: context.requestId,
      at: context.now,
    });
    return { id, status: 'closed' as const };
  });
}
