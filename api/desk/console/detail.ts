/** The console's view of one ticket: every field, the whole conversation with notes, followers, files and history. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import {
  people,
  ticketAttachments,
  ticketEvents,
  ticketMessages,
  ticketParticipants,
  tickets,
} from '../../../db/schema';
import type { Actor } from '../../auth/actor';
import { ticketNotFound } from '../tickets/access';
import { breachWindows, warnFromForState } from './breach-window';
import { requireDeskStaff } from './staff';

/** Returns a ticket with its conversation (public replies and internal notes), participants, attachments and history. */
export function readTicketDetail(db: AppDatabase, actor: Actor, ticketId: number, now: Date, businessHours: string) {
  requireDeskStaff(actor);
  const ticket = db.select().from(tickets).where(eq(tickets.id, ticketId)).get();
  if (!ticket) throw ticketNotFound(ticketId);

  const messages = db
    .select({
      id: ticketMessages.id,
      visibility: ticketMessages.visibility,
      authorType: ticketMessages.authorType,
      authorName: ticketMessages.authorName,
      authorEmail: ticketMessages.authorEmail,
      channel: ticketMessages.channel,
      bodyText: ticketMessages.bodyText,
      createdAt: ticketMessages.createdAt,
    })
    .from(ticketMessages)
    .where(eq(ticketMessages.ticketId, ticketId))
    .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id))
    .all();
  const attachments = db
    .select({
      id: ticketAttachments.id,
      ticketMessageId: ticketAttachments.ticketMessageId,
      fileName: ticketAttachments.fileName,
      contentType: ticketAttachments.contentType,
      sizeBytes: ticketAttachments.sizeBytes,
    })
    .from(ticketAttachments)
    .where(eq(ticketAttachments.ticketId, ticketId))
    .orderBy(asc(ticketAttachments.id))
    .all();
  const participants = db
    .select({
      id: ticketParticipants.id,
      email: ticketParticipants.email,
      role: ticketParticipants.role,
      personId: ticketParticipants.personId,
      name: people.displayName,
    })
    .from(ticketParticipants)
    .leftJoin(people, eq(people.id, ticketParticipants.personId))
    .where(eq(ticketParticipants.ticketId, ticketId))
    .orderBy(asc(ticketParticipants.id))
    .all();
  const history = db
    .select({
      id: ticketEvents.id,
      type: ticketEvents.type,
      fromValue: ticketEvents.fromValue,
      toValue: ticketEvents.toValue,
      createdAt: ticketEvents.createdAt,
      actorName: people.displayName,
    })
    .from(ticketEvents)
    .leftJoin(people, eq(people.id, ticketEvents.actorId))
    .where(eq(ticketEvents.ticketId, ticketId))
    .orderBy(asc(ticketEvents.createdAt), asc(ticketEvents.id))
    .all();
  const mergedFrom = db
    .select({ id: tickets.id, subject: tickets.subject })
    .from(tickets)
    .where(eq(tickets.mergedIntoId, ticketId))
    .orderBy(asc(tickets.id))
    .all();
  const assignee =
    ticket.assigneeId === null
      ? null
      : (db
          .select({ id: people.id, name: people.displayName })
          .from(people)
          .where(and(eq(people.id, ticket.assigneeId), inArray(people.role, ['agent', 'admin'])))
          .get() ?? { id: ticket.assigneeId, name: `person ${ticket.assigneeId}` });

  const warnFrom = warnFromForState(breachWindows(now, businessHours), ticket.state);
  return {
    ticket: {
      id: ticket.id,
      subject: ticket.subject,
      requester: { id: ticket.requesterId, name: ticket.requesterName, email: ticket.requesterEmail },
      state: ticket.state,
      category: ticket.category,
      priority: ticket.priority,
      status: ticket.status,
      channel: ticket.channel,
      assignee,
      mergedIntoId: ticket.mergedIntoId,
      createdAt: ticket.createdAt,
      updatedAt: ticket.updatedAt,
      firstResponseAt: ticket.firstResponseAt,
      solvedAt: ticket.solvedAt,
      closedAt: ticket.closedAt,
    },
    sla: {
      firstResponseDueAt: ticket.firstResponseDueAt,
      resolutionDueAt: ticket.resolutionDueAt,
      pausedSince: ticket.slaPausedAt,
      firstResponseMinutes: ticket.firstResponseMinutes,
      resolutionMinutes: ticket.resolutionMinutes,
      firstResponse: dueState(ticket.firstResponseAt === null, ticket.status, ticket.firstResponseDueAt, warnFrom, now),
      resolution: dueState(ticket.solvedAt === null, ticket.status, ticket.resolutionDueAt, warnFrom, now),
    },
    messages: messages.map((message) => ({
      ...message,
      attachments: attachments.filter((file) => file.ticketMessageId === message.id),
    })),
    attachments,
    participants,
    history,
    mergedFrom,
  };
}

/** met, breached, soon (within 2 business hours), running, paused (pending) or none (no due time or done). */
function dueState(open: boolean, status: string, due: string | null, warnFrom: string, now: Date) {
  if (!open || due === null || status === 'solved' || status === 'closed') return 'none';
  if (status === 'pending') return 'paused';
  if (due <= now.toISOString()) return 'breached';
  return due <= warnFrom ? 'soon' : 'running';
}
