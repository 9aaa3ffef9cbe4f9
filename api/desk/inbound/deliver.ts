/**
 * Files one parsed incoming message: as a reply on the ticket it threads to,
 * as a new ticket, or not at all (a redelivery, or mail from the desk itself).
 */
import { and, eq, sql } from 'drizzle-orm';
import addressparser from 'nodemailer/lib/addressparser';
import type { AppDatabase } from '../../../db/client';
import { people } from '../../../db/schema';
import { assertRecipientAddress, OutboxMessageError } from '../../../emails/addresses';
import { AppError } from '../../errors';
import {
  createTicket,
  maxBodyLength,
  type DeskActionContext,
  type DeskSettings,
  type IncomingAttachment,
  type IntakeEvent,
} from '../tickets/create';
import { addRequesterReply } from '../tickets/messages';
import { findAutomatedMailReason, type AutomatedMailReason } from './loop-guard';
import type { InboundMail } from './parse';
import { createThreadingLookup } from './thread-lookup';
import { decideThread, type ThreadMatch } from './threading';

export type InboundOutcome =
  | { action: 'created'; ticketId: number; automated: AutomatedMailReason | null }
  | { action: 'replied'; ticketId: number; matchedBy: ThreadMatch; automated: AutomatedMailReason | null }
  | { action: 'redelivery'; ticketId: number }
  /** Mail whose From is the desk's own address. Replying to it would send mail to the desk itself. */
  | { action: 'dropped_own_address' };

/** The SMTP envelope of a message: MAIL FROM, empty for `<>`, undefined when the message did not come over SMTP. */
export interface InboundEnvelope {
  sender: string | undefined;
}

/** Error for a message the desk can never file; the listener rejects it with a permanent SMTP failure (550). */
export class UnusableMailError extends Error {
  override name = 'UnusableMailError';
}

export function deliverInboundMail(
  db: AppDatabase,
  settings: DeskSettings,
  mail: InboundMail,
  envelope: InboundEnvelope,
  context: DeskActionContext,
): InboundOutcome {
  if (!mail.from) {
    throw new UnusableMailError(
      'The message has no From address, so the help desk cannot reply to it. Add a From header with the sender address.',
    );
  }
  const sender = mail.from;
  if (ownAddresses(settings).has(sender.address)) return { action: 'dropped_own_address' };

  const automated = findAutomatedMailReason(mail.headers, envelope.sender);
  const decision = decideThread(
    {
      messageId: mail.messageId,
      inReplyTo: mail.inReplyTo,
      references: mail.references,
      subject: mail.subject,
      senderAddress: sender.address,
    },
    createThreadingLookup(db),
  );
  if (decision.action === 'redelivery') return decision;

  const account = findActiveAccount(db, sender.address);
  const attachments = [
    ...fullTextAttachment(mail.bodyText),
    ...mail.attachments.map(({ fileName, contentType, content }) => ({ fileName, contentType, content })),
  ];

  if (decision.action === 'reply') {
    const replied = replyOrNull(
      db,
      settings,
      decision.ticketId,
      mail,
      sender,
      account?.id ?? null,
      attachments,
      automated,
      context,
    );
    if (replied !== null) {
      return { action: 'replied', ticketId: replied, matchedBy: decision.matchedBy, automated };
    }
  }
  const closedTicketId = decision.action === 'reply' ? decision.ticketId : null;
  const foreignTicketId = decision.action === 'new_ticket' ? decision.foreignTicketId : null;
  const reachable = outboxAccepts(sender.address);

  const intakeEvents: IntakeEvent[] = [];
  if (automated === null && !reachable) {
    intakeEvents.push({
      type: 'acknowledgement_skipped',
      toValue: 'the sender address cannot receive mail from the desk',
    });
  }
  if (closedTicketId !== null) {
    intakeEvents.push(notThreaded(closedTicketId, 'that ticket is closed'));
  } else if (foreignTicketId !== null) {
    intakeEvents.push(notThreaded(foreignTicketId, 'the sender does not take part in that ticket'));
  }

  const { ticketId } = createTicket(
    db,
    settings,
    {
      subject: mail.subject,
      bodyText: mail.bodyText,
      bodyHtml: mail.bodyHtml,
      requester: {
        email: sender.address,
        name: sender.name,
        personId: account?.id ?? null,
        state: account?.state ?? null,
      },
      category: 'other',
      priority: 'normal',
      channel: 'email',
      inboundMessageId: mail.messageId,
      attachments,
      acknowledge: automated === null && reachable,
      automaticMail: automated,
      intakeEvents,
    },
    context,
  );
  return { action: 'created', ticketId, automated };
}

/**
 * Adds the message to the ticket and returns the id of the ticket that took it
 * (a merge target, perhaps), or null when the ticket is closed: a reply to a
 * closed ticket opens a new one.
 */
function replyOrNull(
  db: AppDatabase,
  settings: DeskSettings,
  ticketId: number,
  mail: InboundMail,
  sender: NonNullable<InboundMail['from']>,
  personId: number | null,
  attachments: IncomingAttachment[],
  automated: AutomatedMailReason | null,
  context: DeskActionContext,
): number | null {
  try {
    const reply = addRequesterReply(
      db,
      settings,
      ticketId,
      {
        email: sender.address,
        name: sender.name,
        personId,
        bodyText: mail.bodyText,
        bodyHtml: mail.bodyHtml,
        channel: 'email',
        inboundMessageId: mail.messageId,
        attachments,
        automatic: automated,
      },
      context,
    );
    return reply.ticketId;
  } catch (error) {
    if (error instanceof AppError && error.code === 'ticket_closed') return null;
    throw error;
  }
}

/** Builds the history row that records why the message did not join the ticket it refers to. */
function notThreaded(referredTicketId: number, reason: string): IntakeEvent {
  return { type: 'email_not_threaded', fromValue: `#${referredTicketId}`, toValue: reason };
}

/**
 * Returns the whole text body as a file when it is longer than a ticket
 * message may be, so the part that the stored message leaves out stays readable.
 */
function fullTextAttachment(bodyText: string): IncomingAttachment[] {
  if (bodyText.length <= maxBodyLength) return [];
  return [{ fileName: 'full-message.txt', contentType: 'text/plain', content: Buffer.from(bodyText, 'utf8') }];
}

/**
 * Returns whether the outbox can send to the address. It takes only plain ASCII
 * addresses, so a sender with, say, an internationalized address gets no
 * acknowledgement instead of a failed delivery.
 */
function outboxAccepts(address: string): boolean {
  try {
    assertRecipientAddress(address);
    return true;
  } catch (error) {
    if (error instanceof OutboxMessageError) return false;
    throw error;
  }
}

function findActiveAccount(db: AppDatabase, address: string) {
  return db
    .select({ id: people.id, state: people.state })
    .from(people)
    .where(and(eq(sql`lower(${people.email})`, address), eq(people.status, 'active')))
    .get();
}

/** Returns the plain addresses of the support address and of the sender of outgoing mail, in lowercase. */
export function ownAddresses(settings: Pick<DeskSettings, 'supportAddress' | 'mailFrom'>): Set<string> {
  return new Set(
    [plainAddress(settings.supportAddress), plainAddress(settings.mailFrom)].filter((address) => address !== ''),
  );
}

/** Returns the lowercase address of a value such as `Support <support@example.org>`, or '' when it has none. */
export function plainAddress(value: string): string {
  const [first] = addressparser(value, { flatten: true });
  return first?.address?.trim().toLowerCase() ?? '';
}
