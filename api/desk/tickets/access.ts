/**
 * Who may see a ticket. Agents and admins see every ticket; a state
 * coordinator sees the tickets of their state and their own; a state user
 * sees the tickets they requested or follow. Everything else is a 404, the
 * same answer as a ticket that does not exist, so ids do not leak.
 */
import { and, eq, or } from 'drizzle-orm';
import { ticketParticipants, tickets } from '../../../db/schema';
import type { DatabaseOrTransaction } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';

export type TicketRow = typeof tickets.$inferSelect;

export function isDeskStaff(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'agent' || actor.role === 'admin';
}

export function ticketNotFound(id: number): AppError {
  return new AppError(404, 'not_found', `No ticket #${id} was found among the tickets you can see.`);
}

/** Returns whether the person is the requester or a follower of the ticket, by account or by address. */
export function takesPart(db: DatabaseOrTransaction, actor: Pick<Actor, 'id' | 'email'>, ticket: TicketRow): boolean {
  const email = actor.email.toLowerCase();
  if (ticket.requesterId === actor.id || ticket.requesterEmail.toLowerCase() === email) return true;
  const row = db
    .select({ id: ticketParticipants.id })
    .from(ticketParticipants)
    .where(
      and(
        eq(ticketParticipants.ticketId, ticket.id),
        or(eq(ticketParticipants.personId, actor.id), eq(ticketParticipants.email, email)),
      ),
    )
    .get();
  return row !== undefined;
}

export function canSeeTicket(db: DatabaseOrTransaction, actor: Actor, ticket: TicketRow): boolean {
  if (isDeskStaff(actor)) return true;
  if (actor.role === 'state_coordinator' && actor.state !== null && ticket.state === actor.state) return true;
  return takesPart(db, actor, ticket);
}

/** Returns the ticket when the person may see it; otherwise throws 404. */
export function findVisibleTicket(db: DatabaseOrTransaction, actor: Actor, id: number): TicketRow {
  const ticket = db.select().from(tickets).where(eq(tickets.id, id)).get();
  if (!ticket || !canSeeTicket(db, actor, ticket)) throw ticketNotFound(id);
  return ticket;
}
