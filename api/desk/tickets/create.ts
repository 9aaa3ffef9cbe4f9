/**
 * Opens a ticket from any channel: the web form (signed-in people and
 * confirmed visitors), a phone call an agent logs, or an email the inbound
 * listener received. Writes the ticket, its first message, the requester as a
 * participant, attachments, history, audit and the acknowledgement mail in one
 * transaction.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import {
  faqSuggestionDrafts,
  people,
  ticketAutomaticOpenings,
  ticketMailIds,
  ticketMessages,
  ticketParticipants,
  tickets,
  type TicketCategory,
  type TicketChannel,
  type TicketPriority,
} from '../../../db/schema';
import { renderTicketAcknowledgement } from '../../../emails/templates/desk';
import { recordAudit } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { refreshTicketSla } from '../sla/refresh';
import { attachStoredFiles, claimUploads, storeIncomingAttachments, type PreparedFiles } from './attachments';
import { recordTicketEvent } from './history';
import { queueTicketMail, ticketLink } from './ticket-mail';
import { ticketSubject } from './token';

export interface DeskSettings {
  siteUrl: string;
  mailFrom: string;
  supportAddress: string;
  attachmentsDirectory: string;
  businessHours: string;
}

export interface IncomingAttachment {
  fileName: string;
  contentType: string;
  content: Buffer;
}

export interface NewTicket {
  subject: string;
  bodyText: string;
  /** Sanitized by the caller. */
  bodyHtml?: string | null;
  /** Without personId, an account with the same address becomes the requester; pass null for none. */
  requester: { email: string; name: string; personId?: number | null; state?: string | null };
  category?: TicketCategory;
  priority?: TicketPriority;
  channel: TicketChannel;
  /** The agent who logged a phone call. */
  loggedBy?: Actor | null;
  /** Message-ID of the mail that opened the ticket, stored in ticket_mail_ids. */
  inboundMessageId?: string | null;
  /** Files received with the request (email); files of a type not allowed are left out with an internal note. */
  attachments?: IncomingAttachment[];
  /** False for auto-replies and bulk mail, which get no acknowledgement; `automaticMail` also turns it off. */
  acknowledge: boolean;
  /** The same key from the same requester returns the first ticket instead of opening a second one. */
  idempotencyKey?: string | null;
  /** Files the requester uploaded earlier through POST /api/ticket-attachments (web form only). */
  uploadIds?: number[];
  /** Draft id of the web form, which marks its FAQ-suggestion draft as filed. */
  draftId?: string | null;
  /**
   * The inbound loop guard's reason for judging the mail that opened the
   * ticket automatic (an auto-reply, bulk or list mail, a bounce). Such a
   * ticket gets an `automatic_mail` history row and never a satisfaction survey.
   */
  automaticMail?: string | null;
  /** More history rows about the ticket's intake, written in the same transaction as the ticket. */
  intakeEvents?: IntakeEvent[];
}

/** A history row written with a new ticket; the desk itself is its actor. */
export interface IntakeEvent {
  type: string;
  fromValue?: string | null;
  toValue?: string | null;
}

export interface DeskActionContext {
  now: Date;
  ip: string;
  requestId?: string;
}

export interface CreatedTicket {
  ticketId: number;
  ticketMessageId: number;
  /** False when the idempotency key matched an existing ticket. */
  created: boolean;
}

/** Maximum characters of a subject; longer subjects (from email) are cut. */
export const maxSubjectLength = 200;
/** Maximum characters of a message body. */
export const maxBodyLength = 20_000;

export function createTicket(
  db: AppDatabase,
  settings: DeskSettings,
  input: NewTicket,
  context: DeskActionContext,
): CreatedTicket {
  const email = input.requester.email.trim().toLowerCase();
  const key = input.idempotencyKey ?? null;
  const existing = key === null ? undefined : findByIdempotencyKey(db, email, key);
  if (existing) return existing;

  const subject = cleanSubject(input.subject);
  const bodyText = cleanBody(input.bodyText);
  const files: PreparedFiles = storeIncomingAttachments(settings.attachmentsDirectory, input.attachments ?? []);
  const now = context.now.toISOString();
  const account = input.requester.personId === undefined ? findAccount(db, email) : undefined;
  const requester = {
    personId: input.requester.personId ?? account?.id ?? null,
    state: input.requester.state ?? account?.state ?? null,
  };
  const actorId = input.loggedBy?.id ?? requester.personId;

  return db.transaction((tx) => {
    // Checked again inside the transaction, because a second request may have committed in between.
    const raced = key === null ? undefined : findByIdempotencyKey(tx, email, key);
    if (raced) return raced;

    const ticket = tx
      .insert(tickets)
      .values({
        subject,
        requesterId: requester.personId,
        requesterEmail: email,
        requesterName: input.requester.name.trim() || email,
        state: requester.state,
        category: input.category ?? 'other',
        priority: input.priority ?? 'normal',
        status: 'new',
        channel: input.channel,
        idempotencyKey: key,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();

    const message = tx
      .insert(ticketMessages)
      .values({
        ticketId: ticket.id,
        visibility: 'public',
        authorType: 'requester',
        authorId: requester.personId,
        authorEmail: email,
        authorName: ticket.requesterName,
        channel: input.channel,
        bodyText,
        bodyHtml: input.bodyHtml ?? null,
        createdAt: now,
      })
      .returning()
      .get();

    tx.insert(ticketParticipants)
      .values({ ticketId: ticket.id, email, personId: requester.personId, role: 'requester' })
      .run();
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

    const uploaded = input.uploadIds?.length ? claimUploads(tx, requester.personId, input.uploadIds) : [];
    attachStoredFiles(tx, ticket.id, message.id, [...files.stored, ...uploaded], files.rejected, context.now);

    recordTicketEvent(tx, { ticketId: ticket.id, actorId, type: 'created', toValue: input.channel, now: context.now });
    recordAudit(tx, {
      actor: input.loggedBy ?? undefined,
      actorEmail: input.loggedBy ? undefined : email,
      ip: context.ip,
      action: input.channel === 'phone' ? 'ticket.phone_logged' : 'ticket.created',
      objectType: 'ticket',
      objectId: ticket.id,
      outcome: 'success',
      detail: `${input.channel}, ${ticket.category}`,
      requestId: context.requestId,
      at: context.now,
    });
    if (input.automaticMail) {
      tx.insert(ticketAutomaticOpenings).values({ ticketId: ticket.id, reason: input.automaticMail }).run();
      recordTicketEvent(tx, {
        ticketId: ticket.id,
        actorId: null,
        type: 'automatic_mail',
        toValue: input.automaticMail,
        now: context.now,
      });
    }
    for (const event of input.intakeEvents ?? []) {
      recordTicketEvent(tx, { ticketId: ticket.id, actorId: null, ...event, now: context.now });
    }
    if (input.draftId) markDraftFiled(tx, input.draftId, ticket.id, now);
    refreshTicketSla(tx, ticket.id, context.now, settings.businessHours);

    if (input.acknowledge && !input.automaticMail) {
      const facts = { subject: ticketSubject(ticket.id, subject), link: ticketLink(settings, ticket.id) };
      queueTicketMail(
        tx,
        settings,
        ticket.id,
        {
          kind: 'ticket_acknowledgement',
          to: email,
          message: renderTicketAcknowledgement({
            recipientName: ticket.requesterName,
            ticketId: ticket.id,
            ticket: facts,
            bodyText,
            hasAccount: ticket.requesterId !== null,
            phoneCall: input.channel === 'phone',
          }),
          automatic: true,
          ticketMessageId: message.id,
        },
        context.now,
      );
    }

    return { ticketId: ticket.id, ticketMessageId: message.id, created: true };
  });
}

export function cleanSubject(raw: string): string {
  const line = raw.replace(/\s+/g, ' ').trim();
  if (line === '') return '(no subject)';
  return line.length > maxSubjectLength ? `${line.slice(0, maxSubjectLength - 1).trimEnd()}…` : line;
}

export function cleanBody(raw: string): string {
  const text = raw.replace(/\r\n?/g, '\n').trim();
  if (text === '') return '(no text)';
  return text.length > maxBodyLength ? `${text.slice(0, maxBodyLength)}\n[cut at ${maxBodyLength} characters]` : text;
}

type Reader = Pick<AppDatabase, 'select'>;

/** Finds the account with this address, so that mail and phone tickets of account holders show in their ticket list. */
function findAccount(db: Reader, email: string) {
  return db
    .select({ id: people.id, state: people.state })
    .from(people)
    .where(sql`lower(${people.email}) = ${email}`)
    .get();
}

function findByIdempotencyKey(db: Reader, email: string, key: string): CreatedTicket | undefined {
  const ticket = db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.requesterEmail, email), eq(tickets.idempotencyKey, key)))
    .get();
  if (!ticket) return undefined;
  const first = db
    .select({ id: ticketMessages.id })
    .from(ticketMessages)
    .where(eq(ticketMessages.ticketId, ticket.id))
    .orderBy(ticketMessages.id)
    .get();
  return { ticketId: ticket.id, ticketMessageId: first?.id ?? 0, created: false };
}

function markDraftFiled(db: Pick<AppDatabase, 'update'>, draftId: string, ticketId: number, now: string): void {
  db.update(faqSuggestionDrafts)
    .set({ filedAt: now, ticketId })
    .where(and(eq(faqSuggestionDrafts.draftId, draftId), isNull(faqSuggestionDrafts.filedAt)))
    .run();
}
