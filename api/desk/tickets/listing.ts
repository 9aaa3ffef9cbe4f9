/**
 * The requester's view of the desk: their ticket list (and, for a state
 * coordinator, their state's tickets) and one ticket with its public
 * conversation and files.
 */
import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { ticketAttachments, ticketMessages, ticketParticipants, tickets } from '../../../db/schema';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { findVisibleTicket, isDeskStaff, takesPart } from './access';

/** Maximum tickets in one list; the newest come first. */
const maxListLength = 200;

const listColumns = {
  id: tickets.id,
  subject: tickets.subject,
  status: tickets.status,
  category: tickets.category,
  channel: tickets.channel,
  requesterName: tickets.requesterName,
  createdAt: tickets.createdAt,
  updatedAt: tickets.updatedAt,
};

/** `mine`: tickets the person requested or follows. `state`: every ticket of a coordinator's state. */
export function listMyTickets(db: AppDatabase, actor: Actor, scope: string | undefined) {
  if (scope === 'state') {
    if (actor.role !== 'state_coordinator' || actor.state === null) {
      throw new AppError(403, 'forbidden', "Only state coordinators can list their state's tickets.");
    }
    const rows = db
      .select(listColumns)
      .from(tickets)
      .where(and(eq(tickets.state, actor.state), sql`${tickets.mergedIntoId} IS NULL`))
      .orderBy(desc(tickets.updatedAt), desc(tickets.id))
      .limit(maxListLength)
      .all();
    return { scope: 'state', state: actor.state, tickets: rows };
  }
  if (scope !== undefined && scope !== 'mine') {
    throw new AppError(400, 'invalid_input', 'scope: must be mine or state.');
  }
  const email = actor.email.toLowerCase();
  const followed = db
    .select({ ticketId: ticketParticipants.ticketId })
    .from(ticketParticipants)
    .where(or(eq(ticketParticipants.personId, actor.id), eq(ticketParticipants.email, email)));
  const rows = db
    .select(listColumns)
    .from(tickets)
    .where(
      and(
        or(eq(tickets.requesterId, actor.id), eq(tickets.requesterEmail, email), inArray(tickets.id, followed)),
        sql`${tickets.mergedIntoId} IS NULL`,
      ),
    )
    .orderBy(desc(tickets.updatedAt), desc(tickets.id))
    .limit(maxListLength)
    .all();
  return { scope: 'mine', state: actor.state, tickets: rows };
}

/** Reads one ticket for its requester's view, with internal notes and their files only for desk staff. */
export function readTicket(db: AppDatabase, actor: Actor, id: number) {
  const ticket = findVisibleTicket(db, actor, id);
  const staff = isDeskStaff(actor);
  const visible = staff ? undefined : eq(ticketMessages.visibility, 'public');
  const messages = db
    .select({
      id: ticketMessages.id,
      visibility: ticketMessages.visibility,
      authorType: ticketMessages.authorType,
      authorName: ticketMessages.authorName,
      channel: ticketMessages.channel,
      bodyText: ticketMessages.bodyText,
      createdAt: ticketMessages.createdAt,
    })
    .from(ticketMessages)
    .where(and(eq(ticketMessages.ticketId, id), visible))
    .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id))
    .all();
  const messageIds = messages.map((message) => message.id);
  const attachments =
    messageIds.length === 0
      ? []
      : db
          .select({
            id: ticketAttachments.id,
            ticketMessageId: ticketAttachments.ticketMessageId,
            fileName: ticketAttachments.fileName,
            contentType: ticketAttachments.contentType,
            sizeBytes: ticketAttachments.sizeBytes,
          })
          .from(ticketAttachments)
          .where(and(eq(ticketAttachments.ticketId, id), inArray(ticketAttachments.ticketMessageId, messageIds)))
          .orderBy(asc(ticketAttachments.id))
          .all();
  const participant = takesPart(db, actor, ticket);
  const open = ticket.status !== 'closed' && ticket.mergedIntoId === null;
  return {
    ticket: {
      id: ticket.id,
      subject: ticket.subject,
      status: ticket.status,
      category: ticket.category,
      priority: ticket.priority,
      channel: ticket.channel,
      state: ticket.state,
      requesterName: ticket.requesterName,
      createdAt: ticket.createdAt,
      updatedAt: ticket.updatedAt,
      solvedAt: ticket.solvedAt,
      closedAt: ticket.closedAt,
      mergedIntoId: ticket.mergedIntoId,
    },
    messages: messages.map((message) => ({
      ...message,
      attachments: attachments.filter((attachment) => attachment.ticketMessageId === message.id),
    })),
    canReply: open,
    canClose: open && (participant || actor.role === 'state_coordinator') && !staff,
  };
}
