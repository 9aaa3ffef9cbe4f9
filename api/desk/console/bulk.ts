/** Bulk actions on tickets selected in the queue: assign, round-robin, status and priority, in one transaction. */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { ticketPriorities, tickets, ticketStatuses } from '../../../db/schema';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { parseInput } from '../../shared/validation';
import { autoAssignTicket } from './assignment';
import { applyTicketChanges, findAssignableStaff, type ConsoleContext, type FieldChange } from './changes';
import { requireDeskStaff } from './staff';

/** Most tickets one bulk action may change. */
export const maxBulkTickets = 200;

const ticketIds = z
  .array(z.number().int().positive())
  .min(1, 'must list at least one ticket')
  .max(maxBulkTickets, `must list at most ${maxBulkTickets} tickets`);

const bulkInput = z.discriminatedUnion('action', [
  z.object({ action: z.literal('assign'), ticketIds, assigneeId: z.number().int().positive().nullable() }).strict(),
  z.object({ action: z.literal('auto_assign'), ticketIds }).strict(),
  z.object({ action: z.literal('status'), ticketIds, status: z.enum(ticketStatuses) }).strict(),
  z.object({ action: z.literal('priority'), ticketIds, priority: z.enum(ticketPriorities) }).strict(),
]);

export interface BulkResult {
  ticketId: number;
  outcome: 'changed' | 'unchanged' | 'skipped';
  changes: FieldChange[];
  /** Reason nothing changed, for skipped tickets and a round-robin that found no agent. */
  message?: string;
}

/**
 * Applies one action to every selected ticket in a single transaction and
 * reports, per ticket, what changed. A ticket that does not exist or was
 * merged is skipped with a message; the others still change.
 */
export function applyBulkAction(db: AppDatabase, actor: Actor, input: unknown, context: ConsoleContext) {
  requireDeskStaff(actor);
  const data = parseInput(bulkInput, input);
  const ids = [...new Set(data.ticketIds)];

  return db.transaction((tx) => {
    // An unknown assignee fails the whole action before anything changes.
    if (data.action === 'assign' && data.assigneeId !== null) findAssignableStaff(tx, data.assigneeId);

    const results: BulkResult[] = ids.map((ticketId) => {
      const ticket = tx.select().from(tickets).where(eq(tickets.id, ticketId)).get();
      if (!ticket) return { ticketId, outcome: 'skipped', changes: [], message: `No ticket #${ticketId} was found.` };
      if (ticket.mergedIntoId !== null) {
        return {
          ticketId,
          outcome: 'skipped',
          changes: [],
          message: `Ticket #${ticketId} was merged into ticket #${ticket.mergedIntoId}.`,
        };
      }

      if (data.action === 'auto_assign') {
        if (ticket.assigneeId !== null) {
          return { ticketId, outcome: 'unchanged', changes: [], message: 'The ticket already has an assignee.' };
        }
        const result = autoAssignTicket(tx, actor, ticket, context);
        return {
          ticketId,
          outcome: result.changes.length > 0 ? 'changed' : 'unchanged',
          changes: result.changes,
          ...(result.message ? { message: result.message } : {}),
        };
      }

      const changes =
        data.action === 'assign'
          ? { assigneeId: data.assigneeId }
          : data.action === 'status'
            ? { status: data.status }
            : { priority: data.priority };
      const changed = applyTicketChanges(tx, actor, ticket, changes, context);
      return { ticketId, outcome: changed.length > 0 ? 'changed' : 'unchanged', changes: changed };
    });

    if (results.every((result) => result.outcome === 'skipped')) {
      throw new AppError(
        404,
        'not_found',
        'None of the selected tickets was found; reload the queue and select again.',
      );
    }
    return { results };
  });
}
