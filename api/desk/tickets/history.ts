/**
 * The history of a ticket: one ticket_events row for every change by anyone
 * (creation, status, priority, assignment, messages, merges, splits), written
 * in the same transaction as the change.
 */
import { ticketEvents } from '../../../db/schema';
import type { DatabaseOrTransaction } from '../../audit/record';

export interface TicketEvent {
  ticketId: number;
  /** The person who made the change; null for the requester without an account or the desk itself. */
  actorId: number | null;
  /**
   * Such as created, status_changed, priority_changed, assigned, replied, noted, requester_replied,
   * automatic_mail, survey_skipped, merged, split.
   */
  type: string;
  fromValue?: string | null;
  toValue?: string | null;
  now: Date;
}

export function recordTicketEvent(db: DatabaseOrTransaction, event: TicketEvent): void {
  db.insert(ticketEvents)
    .values({
      ticketId: event.ticketId,
      actorId: event.actorId,
      type: event.type,
      fromValue: event.fromValue ?? null,
      toValue: event.toValue ?? null,
      createdAt: event.now.toISOString(),
    })
    .run();
}
