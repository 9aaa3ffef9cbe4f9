/** Rules shared by the console's services: who may use it and which statuses count as open work. */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { isDeskStaff } from '../tickets/access';
import type { TicketStatus } from '../../../db/schema';

/** Statuses of tickets that still need work; they count toward an agent's cap of open tickets. */
export const activeStatuses = ['new', 'open', 'pending', 'on_hold'] as const satisfies readonly TicketStatus[];

/**
 * `status IN (new, open, pending, on hold)` as literal SQL, because SQLite
 * uses a partial index only when the query repeats the index's WHERE terms
 * with the same constants. The unary plus keeps the planner off
 * tickets_status_idx, which would make it sort every open ticket; the
 * partial indexes of db/migrations/0009_desk_console.sql use the same form.
 */
export const isActiveTicket = sql.raw(
  `+"tickets"."status" IN (${activeStatuses.map((status) => `'${status}'`).join(', ')})`,
);

/** Throws 403 unless the person is desk staff (agent or admin); the route policy already checks the same. */
export function requireDeskStaff(actor: Actor): void {
  if (!isDeskStaff(actor)) {
    throw new AppError(403, 'forbidden', 'Only help desk agents and admins can use the triage console.');
  }
}
