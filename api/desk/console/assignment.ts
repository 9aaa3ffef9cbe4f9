/**
 * Assignment of tickets to desk staff: each agent's availability and cap of
 * open tickets, and round-robin, which gives a ticket to the available agent
 * under their cap who was assigned a ticket least recently.
 */
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import { defaultOpenTicketCap, deskAgentSettings, people, tickets } from '../../../db/schema';
import { recordAudit, type DatabaseOrTransaction } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { parseInput } from '../../shared/validation';
import { ticketNotFound, type TicketRow } from '../tickets/access';
import { maxOpenTicketCap, minOpenTicketCap } from './caps';
import { applyTicketChanges, findAssignableStaff, type ConsoleContext, type FieldChange } from './changes';
import { dueSortKey } from './queues';
import { activeStatuses, isActiveTicket, requireDeskStaff } from './staff';

export interface StaffMember {
  id: number;
  name: string;
  email: string;
  role: string;
  available: boolean;
  openTicketCap: number;
  openTickets: number;
  lastAssignedAt: string | null;
}

/** Lists active agents and admins with their availability, cap and count of open tickets, by name. */
export function listStaff(db: DatabaseOrTransaction, actor: Actor): StaffMember[] {
  requireDeskStaff(actor);
  const rows = db
    .select({
      id: people.id,
      name: people.displayName,
      email: people.email,
      role: people.role,
      available: deskAgentSettings.available,
      openTicketCap: deskAgentSettings.openTicketCap,
      lastAssignedAt: deskAgentSettings.lastAssignedAt,
    })
    .from(people)
    .leftJoin(deskAgentSettings, eq(deskAgentSettings.personId, people.id))
    .where(and(inArray(people.role, ['agent', 'admin']), eq(people.status, 'active')))
    .orderBy(asc(people.displayName), asc(people.id))
    .all();
  const open = openTicketCounts(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    available: row.available ?? false,
    openTicketCap: row.openTicketCap ?? defaultOpenTicketCap,
    openTickets: open.get(row.id) ?? 0,
    lastAssignedAt: row.lastAssignedAt,
  }));
}

function openTicketCounts(db: DatabaseOrTransaction, personIds: number[]): Map<number, number> {
  if (personIds.length === 0) return new Map();
  const rows = db
    .select({ assigneeId: tickets.assigneeId, open: count() })
    .from(tickets)
    .where(and(inArray(tickets.assigneeId, personIds), inArray(tickets.status, [...activeStatuses])))
    .groupBy(tickets.assigneeId)
    .all();
  return new Map(rows.map((row) => [row.assigneeId!, row.open]));
}

const availabilityInput = z.object({ available: z.boolean() }).strict();

/** Sets whether the signed-in agent or admin takes tickets from round-robin. */
export function setMyAvailability(db: AppDatabase, actor: Actor, input: unknown, context: ConsoleContext) {
  requireDeskStaff(actor);
  const { available } = parseInput(availabilityInput, input);
  const now = context.now.toISOString();
  db.transaction((tx) => {
    tx.insert(deskAgentSettings)
      .values({ personId: actor.id, available, updatedAt: now })
      .onConflictDoUpdate({ target: deskAgentSettings.personId, set: { available, updatedAt: now } })
      .run();
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'desk.availability_changed',
      objectType: 'person',
      objectId: actor.id,
      outcome: 'success',
      detail: available ? 'available' : 'unavailable',
      requestId: context.requestId,
      at: context.now,
    });
  });
  return readStaffMember(db, actor, actor.id);
}

const capInput = z
  .object({
    openTicketCap: z
      .number()
      .int('must be a whole number')
      .min(minOpenTicketCap, `must be from ${minOpenTicketCap} to ${maxOpenTicketCap}`)
      .max(maxOpenTicketCap, `must be from ${minOpenTicketCap} to ${maxOpenTicketCap}`),
  })
  .strict();

/** Sets the most open tickets round-robin gives one agent (admins only). */
export function setOpenTicketCap(
  db: AppDatabase,
  actor: Actor,
  personId: number,
  input: unknown,
  context: ConsoleContext,
) {
  if (actor.role !== 'admin') throw new AppError(403, 'forbidden', 'Only admins can change an agent’s ticket cap.');
  const { openTicketCap } = parseInput(capInput, input);
  const now = context.now.toISOString();
  db.transaction((tx) => {
    findAssignableStaff(tx, personId);
    tx.insert(deskAgentSettings)
      .values({ personId, openTicketCap, updatedAt: now })
      .onConflictDoUpdate({ target: deskAgentSettings.personId, set: { openTicketCap, updatedAt: now } })
      .run();
    recordAudit(tx, {
      actor,
      ip: context.ip,
      action: 'desk.ticket_cap_changed',
      objectType: 'person',
      objectId: personId,
      outcome: 'success',
      detail: `cap ${openTicketCap}`,
      requestId: context.requestId,
      at: context.now,
    });
  });
  return readStaffMember(db, actor, personId);
}

function readStaffMember(db: DatabaseOrTransaction, actor: Actor, personId: number): StaffMember {
  const member = listStaff(db, actor).find((entry) => entry.id === personId);
  if (!member) throw new AppError(404, 'not_found', `No active agent or admin with id ${personId} was found.`);
  return member;
}

export type NoAgentReason = 'nobody_available' | 'all_at_cap';

/** Picks the available agent under their cap who was assigned least recently, or returns why there is none. */
export function pickRoundRobinAgent(
  db: DatabaseOrTransaction,
): { agent: { id: number; name: string } } | { reason: NoAgentReason } {
  const available = db
    .select({
      id: people.id,
      name: people.displayName,
      cap: deskAgentSettings.openTicketCap,
      lastAssignedAt: deskAgentSettings.lastAssignedAt,
    })
    .from(deskAgentSettings)
    .innerJoin(people, eq(people.id, deskAgentSettings.personId))
    .where(
      and(eq(deskAgentSettings.available, true), inArray(people.role, ['agent', 'admin']), eq(people.status, 'active')),
    )
    // Never-assigned agents first, then the longest wait; the id breaks ties so the order is stable.
    .orderBy(
      sql`${deskAgentSettings.assignmentSequence} IS NOT NULL`,
      asc(deskAgentSettings.assignmentSequence),
      asc(people.id),
    )
    .all();
  if (available.length === 0) return { reason: 'nobody_available' };

  const open = openTicketCounts(
    db,
    available.map((agent) => agent.id),
  );
  const agent = available.find((candidate) => (open.get(candidate.id) ?? 0) < candidate.cap);
  return agent ? { agent: { id: agent.id, name: agent.name } } : { reason: 'all_at_cap' };
}

export const noAgentMessages: Record<NoAgentReason, string> = {
  nobody_available: 'No agent is available for round-robin; the ticket stays unassigned.',
  all_at_cap: 'Every available agent has reached their cap of open tickets; the ticket stays unassigned.',
};

export interface AssignmentResult {
  ticketId: number;
  assignee: { id: number; name: string } | null;
  changes: FieldChange[];
  /** Reason the ticket stayed unassigned, when it did. */
  reason?: NoAgentReason;
  message?: string;
}

/** Assigns one ticket by round-robin inside the caller's transaction. */
export function autoAssignTicket(
  tx: DatabaseOrTransaction,
  actor: Actor,
  ticket: TicketRow,
  context: ConsoleContext,
): AssignmentResult {
  const pick = pickRoundRobinAgent(tx);
  if ('reason' in pick) {
    return {
      ticketId: ticket.id,
      assignee: null,
      changes: [],
      reason: pick.reason,
      message: noAgentMessages[pick.reason],
    };
  }
  const changes = applyTicketChanges(tx, actor, ticket, { assigneeId: pick.agent.id }, context);
  return { ticketId: ticket.id, assignee: pick.agent, changes };
}

/** Assigns one ticket, given by id, by round-robin. */
export function autoAssignById(db: AppDatabase, actor: Actor, ticketId: number, context: ConsoleContext) {
  requireDeskStaff(actor);
  return db.transaction((tx) => {
    const ticket = tx.select().from(tickets).where(eq(tickets.id, ticketId)).get();
    if (!ticket) throw ticketNotFound(ticketId);
    return autoAssignTicket(tx, actor, ticket, context);
  });
}

/**
 * Assigns the unassigned open ticket that is due soonest (then the lowest number) to
 * the signed-in agent. Returns null when no unassigned ticket is left.
 */
export function assignNextToMe(db: AppDatabase, actor: Actor, context: ConsoleContext): AssignmentResult | null {
  requireDeskStaff(actor);
  return db.transaction((tx) => {
    const ticket = tx
      .select()
      .from(tickets)
      .where(and(isActiveTicket, sql`+${tickets.assigneeId} IS NULL`))
      .orderBy(asc(dueSortKey), asc(tickets.id))
      .limit(1)
      .get();
    if (!ticket) return null;
    const changes = applyTicketChanges(tx, actor, ticket, { assigneeId: actor.id }, context);
    return { ticketId: ticket.id, assignee: { id: actor.id, name: actor.displayName }, changes };
  });
}
