/**
 * Merge: one ticket (the source) goes into another (the target). Split: one
 * message of a ticket becomes a new ticket. Both keep the mail threading
 * right by moving the Message-IDs in ticket_mail_ids with the messages, so a
 * reply to any earlier mail finds the ticket that now contains the conversation.
 */
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { ticketAttachments, ticketMailIds, ticketMessages, ticketParticipants, tickets } from '../../../db/schema';
import { recordAudit, type DatabaseOrTransaction } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { parseInput } from '../../shared/validation';
import { refreshTicketSla } from '../sla/refresh';
import { ticketNotFound, type TicketRow } from '../tickets/access';
import { maxSubjectLength } from '../tickets/create';
import { recordTicketEvent } from '../tickets/history';
import { setTicketStatus } from '../tickets/status';
import type { ConsoleContext } from './changes';
import { requireDeskStaff } from './staff';

const mergeInput = z.object({ targetId: z.number().int().positive() }).strict();

function findTicket(db: DatabaseOrTransaction, id: number): TicketRow {
  const ticket = db.select().from(tickets).where(eq(tickets.id, id)).get();
  if (!ticket) throw ticketNotFound(id);
  return ticket;
}

function rejectMerged(ticket: TicketRow): void {
  if (ticket.mergedIntoId !== null) {
    throw new AppError(
      409,
      'ticket_merged',
      `Ticket #${ticket.id} was already merged into ticket #${ticket.mergedIntoId}; work on that ticket instead.`,
    );
  }
}

/**
 * Merges the source ticket into the target: its messages, attachments and
 * Message-IDs move to the target, its requester and followers also follow
 * the target, and the source closes with merged_into_id set. The source keeps
 * its participants, so its requester can still open it and see where it went.
 */
export function mergeTickets(db: AppDatabase, actor: Actor, sourceId: number, input: unknown, context: ConsoleContext) {
  requireDeskStaff(actor);
  const { targetId } = parseInput(mergeInput, input);
  if (targetId === sourceId) {
    throw new AppError(
      400,
      'invalid_input',
      'targetId: a ticket cannot be merged into itself; give another ticket number.',
    );
  }
  const now = context.now.toISOString();

  return db.transaction((tx) => {
    const source = findTicket(tx, sourceId);
    const target = findTicket(tx, targetId);
    rejectMerged(source);
    rejectMerged(target);
    if (target.status === 'closed') {
      throw new AppError(409, 'ticket_closed', `Ticket #${targetId} is closed; merge into an open ticket instead.`);
    }

    const moved = {
      messages: tx.update(ticketMessages).set({ ticketId: targetId }).where(eq(ticketMessages.ticketId, sourceId)).run()
        .changes,
      attachments: tx
        .update(ticketAttachments)
        .set({ ticketId: targetId })
        .where(eq(ticketAttachments.ticketId, sourceId))
        .run().changes,
      mailIds: tx.update(ticketMailIds).set({ ticketId: targetId }).where(eq(ticketMailIds.ticketId, sourceId)).run()
        .changes,
    };
    const sourceParticipants = tx
      .select()
      .from(ticketParticipants)
      .where(eq(ticketParticipants.ticketId, sourceId))
      .orderBy(asc(ticketParticipants.id))
      .all();
    for (const participant of sourceParticipants) {
      tx.insert(ticketParticipants)
        .values({ ticketId: targetId, email: participant.email, personId: participant.personId, role: 'follower' })
        .onConflictDoNothing()
        .run();
    }
    // Tickets merged into the source earlier now point at the target, so no chain of merges builds up.
    tx.update(tickets).set({ mergedIntoId: targetId }).where(eq(tickets.mergedIntoId, sourceId)).run();

    tx.update(tickets).set({ mergedIntoId: targetId, updatedAt: now }).where(eq(tickets.id, sourceId)).run();
    setTicketStatus(tx, context.settings, { ...source, mergedIntoId: targetId }, 'closed', actor.id, context.now);
    tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, targetId)).run();

    recordTicketEvent(tx, {
      ticketId: sourceId,
      actorId: actor.id,
      type: 'merged',
      toValue: `#${targetId}`,
      now: context.now,
    });
    recordTicketEvent(tx, {
      ticketId: targetId,
      actorId: actor.id,
      type: 'merged_from',
      fromValue: `#${sourceId}`,
      now: context.now,
    });
    for (const [ticketId, detail] of [
      [sourceId, `merged into #${targetId}`],
      [targetId, `received #${sourceId}: ${moved.messages} messages, ${moved.attachments} attachments`],
    ] as const) {
      recordAudit(tx, {
        actor,
        ip: context.ip,
        action: 'desk.ticket_merged',
        objectType: 'ticket',
        objectId: ticketId,
        outcome: 'success',
        detail,
        requestId: context.requestId,
        at: context.now,
      });
    }
    refreshTicketSla(tx, targetId, context.now, context.settings.businessHours);
    return { sourceId, targetId, moved };
  });
}

const splitInput = z
  .object({
    subject: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(maxSubjectLength, `must have at most ${maxSubjectLength} characters`),
  })
  .partial()
  .strict();

/**
 * Moves one message, its attachments and its Message-IDs into a new ticket
 * with the same requester, state, category and priority. The first message
 * of a ticket cannot be split off, because the ticket would lose its request.
 */
export function splitMessage(
  db: AppDatabase,
  actor: Actor,
  messageId: number,
  input: unknown,
  context: ConsoleContext,
) {
  requireDeskStaff(actor);
  const data = parseInput(splitInput, input ?? {});
  const now = context.now.toISOString();

  return db.transaction((tx) => {
    const message = tx.select().from(ticketMessages).where(eq(ticketMessages.id, messageId)).get();
    if (!message) throw new AppError(404, 'not_found', `No message with id ${messageId} was found.`);
    const original = findTicket(tx, message.ticketId);
    rejectMerged(original);
    const first = tx
      .select({ id: ticketMessages.id })
      .from(ticketMessages)
      .where(eq(ticketMessages.ticketId, original.id))
      .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id))
      .limit(1)
      .get();
    if (first?.id === messageId) {
      throw new AppError(
        409,
        'first_message',
        `Message ${messageId} opened ticket #${original.id} and cannot be split off; split a later message instead.`,
      );
    }

    const created = tx
      .insert(tickets)
      .values({
        subject: data.subject ?? original.subject,
        requesterId: original.requesterId,
        requesterEmail: original.requesterEmail,
        requesterName: original.requesterName,
        state: original.state,
        category: original.category,
        priority: original.priority,
        status: 'open',
        channel: message.channel,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: tickets.id })
      .get();
    const newId = created.id;

    tx.update(ticketMessages).set({ ticketId: newId }).where(eq(ticketMessages.id, messageId)).run();
    tx.update(ticketAttachments)
      .set({ ticketId: newId })
      .where(and(eq(ticketAttachments.ticketMessageId, messageId), eq(ticketAttachments.ticketId, original.id)))
      .run();
    tx.update(ticketMailIds).set({ ticketId: newId }).where(eq(ticketMailIds.ticketMessageId, messageId)).run();
    tx.insert(ticketParticipants)
      .values({
        ticketId: newId,
        email: original.requesterEmail.toLowerCase(),
        personId: original.requesterId,
        role: 'requester',
      })
      .run();
    tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, original.id)).run();

    recordTicketEvent(tx, {
      ticketId: newId,
      actorId: actor.id,
      type: 'created',
      toValue: message.channel,
      now: context.now,
    });
    recordTicketEvent(tx, {
      ticketId: newId,
      actorId: actor.id,
      type: 'split_from',
      fromValue: `#${original.id}`,
      now: context.now,
    });
    recordTicketEvent(tx, {
      ticketId: original.id,
      actorId: actor.id,
      type: 'split',
      toValue: `#${newId}`,
      now: context.now,
    });
    for (const [ticketId, detail] of [
      [original.id, `message ${messageId} split into #${newId}`],
      [newId, `split from #${original.id}`],
    ] as const) {
      recordAudit(tx, {
        actor,
        ip: context.ip,
        action: 'desk.ticket_split',
        objectType: 'ticket',
        objectId: ticketId,
        outcome: 'success',
        detail,
        requestId: context.requestId,
        at: context.now,
      });
    }
    refreshTicketSla(tx, newId, context.now, context.settings.businessHours);
    return { ticketId: newId, fromTicketId: original.id, messageId };
  });
}
