/**
 * Field changes of a ticket by desk staff: status, priority, category, state
 * and assignee. Each changed field writes a ticket_events row and an audit
 * row, and the SLA columns are recomputed, all in the caller's transaction.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { z } from 'zod';
import {
  deskAgentSettings,
  people,
  ticketCategories,
  ticketPriorities,
  tickets,
  ticketStatuses,
} from '../../../db/schema';
import { recordAudit, type DatabaseOrTransaction } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { stateCodes } from '../../shared/states';
import { parseInput } from '../../shared/validation';
import { refreshTicketSla } from '../sla/refresh';
import { ticketNotFound, type TicketRow } from '../tickets/access';
import type { DeskSettings } from '../tickets/create';
import { recordTicketEvent } from '../tickets/history';
import { setTicketStatus } from '../tickets/status';
import { requireDeskStaff } from './staff';

/** Facts about the request that every console change records, and the desk's settings. */
export interface ConsoleContext {
  now: Date;
  ip: string;
  requestId?: string;
  settings: DeskSettings;
}

export const ticketChangesInput = z
  .object({
    status: z.enum(ticketStatuses).optional(),
    priority: z.enum(ticketPriorities).optional(),
    category: z.enum(ticketCategories).optional(),
    /** A USPS state code, or null for a ticket without a state. */
    state: z.enum(stateCodes).nullable().optional(),
    /** A desk staff member's person id, or null to unassign. */
    assigneeId: z.number().int().positive().nullable().optional(),
  })
  .strict();
export type TicketChanges = z.output<typeof ticketChangesInput>;

export interface FieldChange {
  field: 'status' | 'priority' | 'category' | 'state' | 'assignee';
  from: string | null;
  to: string | null;
}

/** Returns the person when they are active desk staff who can be assigned tickets; otherwise throws 400. */
export function findAssignableStaff(db: DatabaseOrTransaction, personId: number) {
  const person = db
    .select({ id: people.id, displayName: people.displayName, email: people.email })
    .from(people)
    .where(and(eq(people.id, personId), inArray(people.role, ['agent', 'admin']), eq(people.status, 'active')))
    .get();
  if (!person) {
    throw new AppError(
      400,
      'invalid_input',
      `assigneeId: person ${personId} is not an active agent or admin; choose someone from the list of agents.`,
    );
  }
  return person;
}

/** Changes the fields of one ticket and returns what changed. */
export function updateTicketFields(
  db: AppDatabase,
  actor: Actor,
  ticketId: number,
  input: unknown,
  context: ConsoleContext,
): { ticketId: number; changes: FieldChange[] } {
  requireDeskStaff(actor);
  const changes = parseInput(ticketChangesInput, input);
  return db.transaction((tx) => {
    const ticket = tx.select().from(tickets).where(eq(tickets.id, ticketId)).get();
    if (!ticket) throw ticketNotFound(ticketId);
    return { ticketId, changes: applyTicketChanges(tx, actor, ticket, changes, context) };
  });
}

/**
 * Applies the changes that differ from the ticket's current values and
 * returns what changed. Must run inside a transaction.
 */
export function applyTicketChanges(
  tx: DatabaseOrTransaction,
  actor: Actor,
  ticket: TicketRow,
  changes: TicketChanges,
  context: ConsoleContext,
): FieldChange[] {
  if (ticket.mergedIntoId !== null && Object.keys(changes).length > 0) {
    throw new AppError(
      409,
      'ticket_merged',
      `Ticket #${ticket.id} was merged into ticket #${ticket.mergedIntoId}; change that ticket instead.`,
    );
  }

  const now = context.now.toISOString();
  const update: Partial<typeof tickets.$inferInsert> = {};
  const changed: FieldChange[] = [];

  if (changes.priority !== undefined && changes.priority !== ticket.priority) {
    update.priority = changes.priority;
    changed.push({ field: 'priority', from: ticket.priority, to: changes.priority });
  }
  if (changes.category !== undefined && changes.category !== ticket.category) {
    update.category = changes.category;
    changed.push({ field: 'category', from: ticket.category, to: changes.category });
  }
  if (changes.state !== undefined && changes.state !== ticket.state) {
    update.state = changes.state;
    changed.push({ field: 'state', from: ticket.state, to: changes.state });
  }
  if (changes.assigneeId !== undefined && changes.assigneeId !== ticket.assigneeId) {
    const from = ticket.assigneeId === null ? null : personName(tx, ticket.assigneeId);
    const to = changes.assigneeId === null ? null : findAssignableStaff(tx, changes.assigneeId).displayName;
    update.assigneeId = changes.assigneeId;
    changed.push({ field: 'assignee', from, to });
    if (changes.assigneeId !== null) markAssigned(tx, changes.assigneeId, now);
  }
  const statusChanged = changes.status !== undefined && changes.status !== ticket.status;
  if (changed.length === 0 && !statusChanged) return changed;

  if (changed.length > 0) {
    tx.update(tickets)
      .set({ ...update, updatedAt: now })
      .where(eq(tickets.id, ticket.id))
      .run();
  }
  for (const change of changed) {
    recordTicketEvent(tx, {
      ticketId: ticket.id,
      actorId: actor.id,
      type: eventType(change),
      fromValue: change.from,
      toValue: change.to,
      now: context.now,
    });
  }
  if (statusChanged) {
    // The tickets service sets solved_at and closed_at, writes the history row, refreshes the SLA
    // columns and queues the satisfaction survey on the first solve.
    setTicketStatus(tx, context.settings, { ...ticket, ...update }, changes.status!, actor.id, context.now);
    changed.push({ field: 'status', from: ticket.status, to: changes.status! });
  }
  recordAudit(tx, {
    actor,
    ip: context.ip,
    action: 'desk.ticket_updated',
    objectType: 'ticket',
    objectId: ticket.id,
    outcome: 'success',
    detail: changed.map((change) => `${change.field}: ${change.from ?? 'none'} -> ${change.to ?? 'none'}`).join('; '),
    requestId: context.requestId,
    at: context.now,
  });
  if (changed.some((change) => change.field === 'priority' || change.field === 'state')) {
    refreshTicketSla(tx, ticket.id, context.now, context.settings.businessHours);
  }
  return changed;
}

/** Returns the ticket_events type of a field change, such as status_changed, assigned or unassigned. */
function eventType(change: FieldChange): string {
  if (change.field !== 'assignee') return `${change.field}_changed`;
  return change.to === null ? 'unassigned' : 'assigned';
}

/** Stores when a person was last given a ticket, which round-robin uses to pick the next agent. */
export function markAssigned(tx: DatabaseOrTransaction, personId: number, now: string): void {
  const nextSequence = sql<number>`(SELECT coalesce(max(${deskAgentSettings.assignmentSequence}), 0) + 1 FROM ${deskAgentSettings})`;
  tx.insert(deskAgentSettings)
    .values({ personId, lastAssignedAt: now, assignmentSequence: nextSequence, updatedAt: now })
    .onConflictDoUpdate({
      target: deskAgentSettings.personId,
      set: { lastAssignedAt: now, assignmentSequence: nextSequence },
    })
    .run();
}

function personName(db: DatabaseOrTransaction, personId: number): string {
  return (
    db.select({ name: people.displayName }).from(people).where(eq(people.id, personId)).get()?.name ??
    `person ${personId}`
  );
}
