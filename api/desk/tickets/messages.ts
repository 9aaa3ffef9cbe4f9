/**
 * The conversation of a ticket: requester replies (web or email) and desk
 * staff's public replies and internal notes. Public replies are emailed to the
 * requester and followers with threading headers; internal notes never leave
 * the desk. The assignee hears of each reply a person writes.
 */
import { eq, inArray } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import {
  people,
  ticketMailIds,
  ticketMessages,
  ticketParticipants,
  tickets,
  type TicketChannel,
  type TicketStatus,
} from '../../../db/schema';
import { enqueueMessage } from '../../../emails/outbox';
import { renderAgentReply, renderAssigneeReplyNotice } from '../../../emails/templates/desk';
import { recordAudit, type DatabaseOrTransaction } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { refreshTicketSla } from '../sla/refresh';
import { isDeskStaff, ticketNotFound, type TicketRow } from './access';
import { attachStoredFiles, claimUploads, storeIncomingAttachments } from './attachments';
import { cleanBody, type DeskActionContext, type DeskSettings, type IncomingAttachment } from './create';
import { recordTicketEvent } from './history';
import { setTicketStatus } from './status';
import { queueTicketMail, ticketLink } from './ticket-mail';
import { ticketSubject } from './token';

export interface RequesterReply {
  email: string;
  name: string;
  personId?: number | null;
  bodyText: string;
  /** Sanitized by the caller. */
  bodyHtml?: string | null;
  channel: TicketChannel;
  inboundMessageId?: string | null;
  attachments?: IncomingAttachment[];
  /** Files the person uploaded through POST /api/ticket-attachments (web only). */
  uploadIds?: number[];
  /**
   * The inbound loop guard's reason for judging the mail automatic (an
   * out-of-office reply, bulk or list mail, a bounce). Such mail is filed on
   * the ticket but does not reopen it, does not count as a requester reply and
   * notifies no one.
   */
  automatic?: string | null;
}

export interface AgentMessage {
  visibility: 'public' | 'internal';
  bodyText: string;
  status?: TicketStatus;
  /** Files the agent uploaded through POST /api/ticket-attachments; on a note they stay internal. */
  uploadIds?: number[];
}

/** Statuses that a requester's reply turns back to open. */
const reopenedByReply: TicketStatus[] = ['pending', 'solved'];

/** Maximum merges followed from a merged ticket to the ticket it went into. */
const maxMergeHops = 5;

/**
 * Adds a reply from the requester or a follower, whom the caller has checked.
 * A reply to a merged ticket goes to the ticket it was merged into. A pending
 * or solved ticket reopens, and an assignee gets a notice by email, unless
 * the reply is automatic mail. A closed ticket takes no more replies (409),
 * so the caller opens a new ticket instead.
 */
export function addRequesterReply(
  db: AppDatabase,
  settings: DeskSettings,
  ticketId: number,
  input: RequesterReply,
  context: DeskActionContext,
): { ticketMessageId: number; ticketId: number } {
  const email = input.email.trim().toLowerCase();
  const bodyText = cleanBody(input.bodyText);
  const files = storeIncomingAttachments(settings.attachmentsDirectory, input.attachments ?? []);
  const automatic = input.automatic ?? null;

  return db.transaction((tx) => {
    const ticket = followMerges(tx, ticketId);
    if (ticket.status === 'closed') {
      throw new AppError(
        409,
        'ticket_closed',
        `Ticket #${ticket.id} is closed and takes no more replies. Open a new ticket and mention #${ticket.id} in it.`,
      );
    }
    const now = context.now.toISOString();
    const message = tx
      .insert(ticketMessages)
      .values({
        ticketId: ticket.id,
        visibility: 'public',
        authorType: 'requester',
        authorId: input.personId ?? null,
        authorEmail: email,
        authorName: input.name.trim() || email,
        channel: input.channel,
        bodyText,
        bodyHtml: input.bodyHtml ?? null,
        createdAt: now,
      })
      .returning()
      .get();

    // An auto-responder reaching a merge target does not become a follower of it.
    if (automatic === null) {
      tx.insert(ticketParticipants)
        .values({ ticketId: ticket.id, email, personId: input.personId ?? null, role: 'follower' })
        .onConflictDoNothing()
        .run();
    }
    if (input.inboundMessageId) {
      tx.insert(ticketMailIds)
        .values({
          messageId: input.inboundMessageId,
          ticketId: ticket.id,
          ticketMessageId: message.id,
          direction: 'inbound',
        })
        .onConflictDoNothing()
        .run();
    }
    const uploaded = input.uploadIds?.length ? claimUploads(tx, input.personId ?? null, input.uploadIds) : [];
    attachStoredFiles(tx, ticket.id, message.id, [...files.stored, ...uploaded], files.rejected, context.now);

    const actorId = input.personId ?? null;
    if (automatic !== null) {
      recordAutomaticMail(tx, ticket.id, actorId, email, automatic, context);
      return { ticketMessageId: message.id, ticketId: ticket.id };
    }

    tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, ticket.id)).run();
    recordTicketEvent(tx, {
      ticketId: ticket.id,
      actorId,
      type: 'requester_replied',
      toValue: input.channel,
      now: context.now,
    });
    recordAudit(tx, {
      actorEmail: email,
      ip: context.ip,
      action: 'ticket.requester_replied',
      objectType: 'ticket',
      objectId: ticket.id,
      outcome: 'success',
      detail: input.channel,
      requestId: context.requestId,
      at: context.now,
    });
    if (reopenedByReply.includes(ticket.status)) setTicketStatus(tx, settings, ticket, 'open', actorId, context.now);
    notifyAssignee(tx, settings, ticket, { email, name: message.authorName, bodyText }, context.now);

    return { ticketMessageId: message.id, ticketId: ticket.id };
  });
}

/**
 * Records automatic mail filed on a ticket. It leaves the status, the
 * updated time and the SLA clocks alone, so an out-of-office reply neither
 * reopens a solved ticket nor moves it up the queues.
 */
function recordAutomaticMail(
  db: DatabaseOrTransaction,
  ticketId: number,
  actorId: number | null,
  email: string,
  reason: string,
  context: DeskActionContext,
): void {
  recordTicketEvent(db, { ticketId, actorId, type: 'automatic_mail', toValue: reason, now: context.now });
  recordAudit(db, {
    actorEmail: email,
    ip: context.ip,
    action: 'ticket.automatic_mail_filed',
    objectType: 'ticket',
    objectId: ticketId,
    outcome: 'success',
    detail: reason,
    requestId: context.requestId,
    at: context.now,
  });
}

/**
 * Queues a notice of a requester's or follower's reply to the ticket's
 * assignee, when there is one, the account is active and the assignee did not
 * write the reply. The notice is not stored with the ticket's Message-IDs,
 * because it is not part of the conversation with the requester.
 */
function notifyAssignee(
  db: DatabaseOrTransaction,
  settings: DeskSettings,
  ticket: TicketRow,
  reply: { email: string; name: string; bodyText: string },
  now: Date,
): void {
  if (ticket.assigneeId === null) return;
  const assignee = db
    .select({ email: people.email, displayName: people.displayName, status: people.status })
    .from(people)
    .where(eq(people.id, ticket.assigneeId))
    .get();
  if (!assignee || assignee.status !== 'active') return;
  if (assignee.email.toLowerCase() === reply.email) return;

  const message = renderAssigneeReplyNotice({
    recipientName: assignee.displayName,
    authorName: reply.name,
    ticketId: ticket.id,
    subject: ticketSubject(ticket.id, `New reply: ${ticket.subject}`),
    bodyText: reply.bodyText,
    link: new URL(`/desk/ticket/?id=${ticket.id}`, settings.siteUrl).href,
  });
  enqueueMessage(
    db,
    { kind: 'ticket_assignee_notice', to: assignee.email, ...message, headers: { 'Auto-Submitted': 'auto-generated' } },
    () => now,
    { mailFrom: settings.mailFrom },
  );
}

/**
 * Adds a public reply or an internal note by desk staff, with an optional
 * status change. The first public reply sets the ticket's first response
 * time, and a public reply to a new ticket opens it.
 */
export function addAgentMessage(
  db: AppDatabase,
  settings: DeskSettings,
  ticketId: number,
  actor: Actor,
  input: AgentMessage,
  context: DeskActionContext,
): { ticketMessageId: number } {
  if (!isDeskStaff(actor)) {
    throw new AppError(403, 'forbidden', 'Only agents and admins can write replies and internal notes as the desk.');
  }
  const bodyText = cleanBody(input.bodyText);

  return db.transaction((tx) => {
    const ticket = tx.select().from(tickets).where(eq(tickets.id, ticketId)).get();
    if (!ticket) throw ticketNotFound(ticketId);
    const nextStatus =
      input.status ?? (input.visibility === 'public' && ticket.status === 'new' ? 'open' : ticket.status);
    if (ticket.status === 'closed' && input.visibility === 'public' && nextStatus === 'closed') {
      throw new AppError(
        409,
        'ticket_closed',
        `Ticket #${ticket.id} is closed. To reply, also set status to open, pending or solved.`,
      );
    }
    const now = context.now.toISOString();
    const message = tx
      .insert(ticketMessages)
      .values({
        ticketId,
        visibility: input.visibility,
        authorType: 'agent',
        authorId: actor.id,
        authorEmail: actor.email,
        authorName: actor.displayName,
        channel: 'web',
        bodyText,
        createdAt: now,
      })
      .returning()
      .get();

    const uploaded = input.uploadIds?.length ? claimUploads(tx, actor.id, input.uploadIds) : [];
    attachStoredFiles(tx, ticketId, message.id, uploaded, [], context.now);

    const firstResponse = input.visibility === 'public' && ticket.firstResponseAt === null;
    tx.update(tickets)
      .set(firstResponse ? { updatedAt: now, firstResponseAt: now } : { updatedAt: now })
      .where(eq(tickets.id, ticketId))
      .run();
    recordTicketEvent(tx, {
      ticketId,
      actorId: actor.id,
      type: input.visibility === 'public' ? 'replied' : 'noted',
      now: context.now,
    });
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: input.visibility === 'public' ? 'ticket.replied' : 'ticket.noted',
      objectType: 'ticket',
      objectId: ticketId,
      outcome: 'success',
      requestId: context.requestId,
      at: context.now,
    });

    if (input.visibility === 'public') {
      const reply = { ticketMessageId: message.id, bodyText, fileNames: uploaded.map((file) => file.fileName) };
      emailReply(tx, settings, ticket, actor, reply, nextStatus === 'solved', context.now);
    }
    if (nextStatus !== ticket.status) {
      setTicketStatus(tx, settings, ticket, nextStatus, actor.id, context.now);
    } else if (firstResponse) {
      refreshTicketSla(tx, ticketId, context.now, settings.businessHours);
    }
    return { ticketMessageId: message.id };
  });
}

function followMerges(db: DatabaseOrTransaction, ticketId: number): TicketRow {
  let ticket = db.select().from(tickets).where(eq(tickets.id, ticketId)).get();
  for (let hop = 0; ticket?.mergedIntoId && hop < maxMergeHops; hop += 1) {
    ticket = db.select().from(tickets).where(eq(tickets.id, ticket.mergedIntoId)).get();
  }
  if (!ticket) throw ticketNotFound(ticketId);
  return ticket;
}

/** Emails a public reply to the requester and every follower, one message each. */
function emailReply(
  db: DatabaseOrTransaction,
  settings: DeskSettings,
  ticket: TicketRow,
  actor: Actor,
  reply: { ticketMessageId: number; bodyText: string; fileNames: string[] },
  solved: boolean,
  now: Date,
): void {
  const participants = db.select().from(ticketParticipants).where(eq(ticketParticipants.ticketId, ticket.id)).all();
  const personIds = participants.map((row) => row.personId).filter((id): id is number => id !== null);
  const names = new Map(
    personIds.length === 0
      ? []
      : db
          .select({ id: people.id, displayName: people.displayName })
          .from(people)
          .where(inArray(people.id, personIds))
          .all()
          .map((row) => [row.id, row.displayName] as const),
  );
  const facts = { subject: ticketSubject(ticket.id, ticket.subject), link: ticketLink(settings, ticket.id) };
  for (const participant of participants) {
    const recipientName =
      participant.role === 'requester'
        ? ticket.requesterName
        : ((participant.personId !== null ? names.get(participant.personId) : undefined) ?? participant.email);
    queueTicketMail(
      db,
      settings,
      ticket.id,
      {
        kind: 'ticket_reply',
        to: participant.email,
        message: renderAgentReply({
          recipientName,
          agentName: actor.displayName,
          ticket: facts,
          bodyText: reply.bodyText,
          fileNames: reply.fileNames,
          solved,
          hasAccount: participant.personId !== null,
        }),
        automatic: false,
        ticketMessageId: reply.ticketMessageId,
      },
      now,
    );
  }
}
