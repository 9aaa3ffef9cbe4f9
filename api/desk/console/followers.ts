/** Followers of a ticket: people copied on its public replies, added and removed by desk staff. */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { people, ticketParticipants, tickets } from '../../../db/schema';
import { recordAudit } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { parseInput } from '../../shared/validation';
import { ticketNotFound } from '../tickets/access';
import { recordTicketEvent } from '../tickets/history';
import type { ConsoleContext } from './changes';
import { requireDeskStaff } from './staff';

const followerInput = z
  .object({
    email: z
      .string()
      .trim()
      .toLowerCase()
      .max(254, 'must have at most 254 characters')
      .email('must be an email address'),
  })
  .strict();

/** Adds a follower by email address; an address with an account is linked to that person. */
export function addFollower(db: AppDatabase, actor: Actor, ticketId: number, input: unknown, context: ConsoleContext) {
  requireDeskStaff(actor);
  const { email } = parseInput(followerInput, input);
  const now = context.now.toISOString();

  return db.transaction((tx) => {
    const ticket = tx.select().from(tickets).where(eq(tickets.id, ticketId)).get();
    if (!ticket) throw ticketNotFound(ticketId);
    const existing = tx
      .select({ role: ticketParticipants.role })
      .from(ticketParticipants)
      .where(and(eq(ticketParticipants.ticketId, ticketId), eq(ticketParticipants.email, email)))
      .get();
    if (existing) {
      throw new AppError(
        409,
        'already_participant',
        `email: ${email} already takes part in ticket #${ticketId} as ${existing.role}.`,
      );
    }
    const person = tx
      .select({ id: people.id })
      .from(people)
      .where(eq(sql`lower(${people.email})`, email))
      .get();
    const row = tx
      .insert(ticketParticipants)
      .values({ ticketId, email, personId: person?.id ?? null, role: 'follower' })
      .returning()
      .get();
    tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, ticketId)).run();
    recordTicketEvent(tx, { ticketId, actorId: actor.id, type: 'follower_added', toValue: email, now: context.now });
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'desk.follower_added',
      objectType: 'ticket',
      objectId: ticketId,
      outcome: 'success',
      requestId: context.requestId,
      at: context.now,
    });
    return { id: row.id, email: row.email, role: row.role, personId: row.personId };
  });
}

/** Removes a follower; the requester cannot be removed. */
export function removeFollower(
  db: AppDatabase,
  actor: Actor,
  ticketId: number,
  participantId: number,
  context: ConsoleContext,
) {
  requireDeskStaff(actor);
  const now = context.now.toISOString();
  db.transaction((tx) => {
    const participant = tx
      .select()
      .from(ticketParticipants)
      .where(and(eq(ticketParticipants.id, participantId), eq(ticketParticipants.ticketId, ticketId)))
      .get();
    if (!participant || participant.role !== 'follower') {
      throw new AppError(404, 'not_found', `Ticket #${ticketId} has no follower with id ${participantId}.`);
    }
    tx.delete(ticketParticipants).where(eq(ticketParticipants.id, participantId)).run();
    tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, ticketId)).run();
    recordTicketEvent(tx, {
      ticketId,
      actorId: actor.id,
      type: 'follower_removed',
      fromValue: participant.email,
      now: context.now,
    });
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'desk.follower_removed',
      objectType: 'ticket',
      objectId: ticketId,
      outcome: 'success',
      requestId: context.requestId,
      at: context.now,
    });
  });
}
