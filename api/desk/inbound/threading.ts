/**
 * Decides where an incoming message belongs: an existing ticket or a new one.
 * The rules, in order:
 *
 * 1. A message whose Message-ID the desk already stored is a redelivery.
 * 2. A Message-ID in In-Reply-To, then in References (newest first), that the
 *    desk stored for a ticket, whether the desk received or sent it.
 * 3. The ticket token `[Ticket #N]` anywhere in the subject.
 *
 * A ticket found by rule 2 or 3 takes the message only when the sender takes
 * part in it, as requester or follower. Otherwise the next candidate is
 * tried, and when none is left the message opens a new ticket. So a stranger
 * who quotes a desk message cannot write into someone else's ticket.
 *
 * The functions here do no I/O: the database side comes in as a ThreadingLookup.
 */
import { findTicketToken } from '../tickets/token';

export interface ThreadingInput {
  /** The message's own Message-ID with angle brackets, or null when it has none. */
  messageId: string | null;
  /** Message-IDs in the In-Reply-To header, in header order. */
  inReplyTo: readonly string[];
  /** Message-IDs in the References header, oldest first as RFC 5322 orders them. */
  references: readonly string[];
  subject: string;
  /** The From address, lowercase. */
  senderAddress: string;
}

export interface ThreadingLookup {
  /** The ticket that a stored Message-ID belongs to, or null when the desk does not know it. */
  ticketIdForMessageId(messageId: string): number | null;
  /** The ticket that now contains the conversation (the target of a merge), or null when no such ticket exists. */
  currentTicketId(ticketId: number): number | null;
  /** Whether the address is the requester or a participant of the ticket. */
  takesPart(ticketId: number, address: string): boolean;
}

export type ThreadMatch = 'in_reply_to' | 'references' | 'subject_token';

export type ThreadDecision =
  | { action: 'redelivery'; ticketId: number }
  | { action: 'reply'; ticketId: number; matchedBy: ThreadMatch }
  /** `foreignTicketId`: a ticket the message refers to but whose participants do not include the sender. */
  | { action: 'new_ticket'; foreignTicketId: number | null };

export function decideThread(input: ThreadingInput, lookup: ThreadingLookup): ThreadDecision {
  if (input.messageId !== null) {
    const known = lookup.ticketIdForMessageId(input.messageId);
    if (known !== null) return { action: 'redelivery', ticketId: known };
  }

  const candidates: { ticketId: number; matchedBy: ThreadMatch }[] = [];
  for (const messageId of input.inReplyTo) {
    const ticketId = lookup.ticketIdForMessageId(messageId);
    if (ticketId !== null) candidates.push({ ticketId, matchedBy: 'in_reply_to' });
  }
  for (const messageId of [...input.references].reverse()) {
    const ticketId = lookup.ticketIdForMessageId(messageId);
    if (ticketId !== null) candidates.push({ ticketId, matchedBy: 'references' });
  }
  const tokenTicketId = findTicketToken(input.subject);
  if (tokenTicketId !== null) candidates.push({ ticketId: tokenTicketId, matchedBy: 'subject_token' });

  let foreignTicketId: number | null = null;
  const tried = new Set<number>();
  for (const candidate of candidates) {
    if (tried.has(candidate.ticketId)) continue;
    tried.add(candidate.ticketId);

    const current = lookup.currentTicketId(candidate.ticketId);
    if (current === null) continue;
    const sender = input.senderAddress;
    if (lookup.takesPart(current, sender) || lookup.takesPart(candidate.ticketId, sender)) {
      return { action: 'reply', ticketId: current, matchedBy: candidate.matchedBy };
    }
    foreignTicketId ??= current;
  }
  return { action: 'new_ticket', foreignTicketId };
}

/**
 * Returns every Message-ID in an In-Reply-To or References value, with its
 * angle brackets, in header order and without repeats. Some mail programs
 * write a lone ID without brackets, which is accepted when it contains an @.
 */
export function extractMessageIds(headerValue: string | readonly string[] | undefined): string[] {
  if (headerValue === undefined) return [];
  const text = typeof headerValue === 'string' ? headerValue : headerValue.join(' ');
  const bracketed = text.match(/<[^<>\s]+>/g);
  if (bracketed) return [...new Set(bracketed)];

  const bare = text.trim();
  return /^[^\s<>]+@[^\s<>]+$/.test(bare) ? [`<${bare}>`] : [];
}
