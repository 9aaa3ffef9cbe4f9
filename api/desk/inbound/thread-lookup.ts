/** The database side of threading: stored Message-IDs, merges and participants. */
import { and, eq, sql } from 'drizzle-orm';
import { ticketMailIds, ticketParticipants, tickets } from '../../../db/schema';
import type { DatabaseOrTransaction } from '../../audit/record';
import type { ThreadingLookup } from './threading';

/** Merges are followed at most this many times, so a cycle written by mistake cannot hang delivery. */
const maxMergeHops = 10;

export function createThreadingLookup(db: DatabaseOrTransaction): ThreadingLookup {
  return {
    ticketIdForMessageId(messageId) {
      const row = db
        .select({ ticketId: ticketMailIds.ticketId })
        .from(ticketMailIds)
        .where(eq(ticketMailIds.messageId, messageId))
        .get();
      return row?.ticketId ?? null;
    },

    currentTicketId(ticketId) {
      let id = ticketId;
      for (let hop = 0; hop <= maxMergeHops; hop += 1) {
        const row = db.select({ mergedIntoId: tickets.mergedIntoId }).from(tickets).where(eq(tickets.id, id)).get();
        if (!row) return null;
        if (row.mergedIntoId === null) return id;
        id = row.mergedIntoId;
      }
      return id;
    },

    takesPart(ticketId, address) {
      const requester = db
        .select({ id: tickets.id })
        .from(tickets)
        .where(and(eq(tickets.id, ticketId), eq(sql`lower(${tickets.requesterEmail})`, address)))
        .get();
      if (requester) return true;

      const participant = db
        .select({ id: ticketParticipants.id })
        .from(ticketParticipants)
        .where(and(eq(ticketParticipants.ticketId, ticketId), eq(ticketParticipants.email, address)))
        .get();
      return participant !== undefined;
    },
  };
}
