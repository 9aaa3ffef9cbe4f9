/**
 * The ticket token that outgoing desk mail carries in its subject, such as
 * `[Ticket #123]`. Inbound mail finds its ticket by this token when the
 * threading headers name no Message-ID stored for a ticket.
 */

export function ticketToken(id: number): string {
  return `[Ticket #${id}]`;
}

/** The token anywhere in the subject, whatever prefixes (Re:, AW:, RV:) or text surround it. */
const tokenPattern = /\[\s*ticket\s*#\s*([1-9]\d{0,11})\s*\]/i;

/** Returns the ticket id of the first `[Ticket #N]` in a subject, or null when there is none. */
export function findTicketToken(subject: string): number | null {
  const match = tokenPattern.exec(subject);
  if (!match) return null;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) ? id : null;
}

/** Builds the subject of outgoing mail about a ticket, token first, so mail clients that cut long subjects keep it. */
export function ticketSubject(id: number, subject: string): string {
  const line = subject.replace(/\s+/g, ' ').trim();
  const short = line.length > 120 ? `${line.slice(0, 119).trimEnd()}…` : line;
  return `${ticketToken(id)} ${short}`;
}
