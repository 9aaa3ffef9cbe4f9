/**
 * Outgoing mail about a ticket. Every message goes through the outbox in the
 * caller's transaction. It carries Reply-To the support address and threading
 * headers built from the Message-IDs stored for the ticket. Its own
 * Message-ID is stored too, so that replies to it thread.
 */
import { asc, eq, sql } from 'drizzle-orm';
import { ticketMailIds } from '../../../db/schema';
import { enqueueMessage } from '../../../emails/outbox';
import type { RenderedMessage } from '../../../emails/templates/blocks';
import type { DatabaseOrTransaction } from '../../audit/record';
import type { DeskSettings } from './create';

/** Maximum Message-IDs in References: the first one and the latest ones, as RFC 5322 suggests trimming long chains. */
const maxReferences = 20;

export function ticketLink(settings: Pick<DeskSettings, 'siteUrl'>, ticketId: number): string {
  return new URL(`/support/ticket/?id=${ticketId}`, settings.siteUrl).href;
}

/** Message-IDs of the ticket, oldest first. */
export function knownMessageIds(db: DatabaseOrTransaction, ticketId: number): string[] {
  return db
    .select({ messageId: ticketMailIds.messageId })
    .from(ticketMailIds)
    .where(eq(ticketMailIds.ticketId, ticketId))
    .orderBy(asc(sql`rowid`))
    .all()
    .map((row) => row.messageId);
}

export function threadingHeaders(ids: string[]): Record<string, string> {
  if (ids.length === 0) return {};
  const references = ids.length > maxReferences ? [ids[0]!, ...ids.slice(ids.length - maxReferences + 1)] : ids;
  return { 'In-Reply-To': ids[ids.length - 1]!, References: references.join(' ') };
}

export interface TicketMail {
  kind: string;
  to: string;
  message: RenderedMessage;
  /** Marks automatic mail (acknowledgement, survey) with Auto-Submitted, so that auto-responders do not reply to it. */
  automatic: boolean;
  ticketMessageId?: number | null;
}

/** Queues one message about a ticket and stores its Message-ID with direction outbound. */
export function queueTicketMail(
  db: DatabaseOrTransaction,
  settings: DeskSettings,
  ticketId: number,
  mail: TicketMail,
  now: Date,
): string {
  const headers: Record<string, string> = {
    'Reply-To': settings.supportAddress,
    ...threadingHeaders(knownMessageIds(db, ticketId)),
  };
  if (mail.automatic) headers['Auto-Submitted'] = 'auto-generated';

  const queued = enqueueMessage(
    db,
    {
      kind: mail.kind,
      to: mail.to,
      subject: mail.message.subject,
      text: mail.message.text,
      html: mail.message.html,
      headers,
    },
    () => now,
    { mailFrom: settings.mailFrom },
  );
  db.insert(ticketMailIds)
    .values({
      messageId: queued.messageId,
      ticketId,
      ticketMessageId: mail.ticketMessageId ?? null,
      direction: 'outbound',
    })
    .run();
  return queued.messageId;
}
