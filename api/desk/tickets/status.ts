/**
 * Status changes of a ticket, shared by requester replies, agent messages and
 * the triage console: the timestamps that go with the status, the history
 * row, the SLA refresh and, on the first solve, the satisfaction survey.
 */
import { eq } from 'drizzle-orm';
import { tickets, type TicketStatus } from '../../../db/schema';
import type { DatabaseOrTransaction } from '../../audit/record';
import { refreshTicketSla } from '../sla/refresh';
import type { TicketRow } from './access';
import type { DeskSettings } from './create';
import { recordTicketEvent } from './history';
import { queueSurveyInvitation } from './survey';

/**
 * Sets the status inside the caller's transaction. Call it for every status
 * change, so that solved_at, closed_at, history, SLA and survey stay right.
 * Does nothing when the status is already `to`.
 */
export function setTicketStatus(
  db: DatabaseOrTransaction,
  settings: DeskSettings,
  ticket: TicketRow,
  to: TicketStatus,
  actorId: number | null,
  now: Date,
): void {
  if (ticket.status === to) return;
  const at = now.toISOString();
  const changes: Partial<typeof tickets.$inferInsert> = { status: to, updatedAt: at };
  if (to === 'solved') changes.solvedAt = at;
  if (to === 'closed') changes.closedAt = at;
  if (to !== 'solved' && to !== 'closed') {
    changes.solvedAt = null;
    changes.closedAt = null;
  }
  db.update(tickets).set(changes).where(eq(tickets.id, ticket.id)).run();
  recordTicketEvent(db, {
    ticketId: ticket.id,
    actorId,
    type: 'status_changed',
    fromValue: ticket.status,
    toValue: to,
    now,
  });
  refreshTicketSla(db, ticket.id, now, settings.businessHours);
  if (to === 'solved') queueSurveyInvitation(db, settings, ticket, now);
}
