/**
 * The console's ticket list: queues, filters, full-text search, sorting and
 * keyset pagination. The queues read the partial indexes of
 * db/migrations/0009_desk_console.sql in sort order and stop at the page size,
 * so a page of a queue does not sort every open ticket. With 100,000
 * tickets on 2 cores, `npm run bench -- desk` measured a page of the open,
 * unassigned and breaching-soon queues at under 2 ms (median), against 15 to
 * 165 ms before these indexes. A search for a common word still takes about
 * 140 ms, the same as its SQL through raw better-sqlite3, because FTS5
 * collects every match before the sort.
 */
import { and, asc, count, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDatabase } from '../../../db/client';
import {
  people,
  ticketCategories,
  ticketChannels,
  ticketPriorities,
  tickets,
  ticketStatuses,
} from '../../../db/schema';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../errors';
import { stateCodes } from '../../shared/states';
import { parseInput } from '../../shared/validation';
import { breachWindows, warnFromForState, type ZoneWindow } from './breach-window';
import { buildFtsQuery, maxSearchLength, readTicketNumber } from './search';
import { activeStatuses, isActiveTicket, requireDeskStaff } from './staff';

export const queueNames = ['open', 'unassigned', 'mine', 'breaching', 'pending', 'all'] as const;
export type QueueName = (typeof queueNames)[number];

const maxPageSize = 100;

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), z.enum(values).optional());

/** Accepts a person id as a number (JSON body) or a string (query string); an empty string means no filter. */
function readAssigneeValue(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (value === '') return undefined;
  return value;
}

export const queueQuery = z.object({
  queue: optionalEnum(queueNames).default('open'),
  status: optionalEnum(ticketStatuses),
  priority: optionalEnum(ticketPriorities),
  category: optionalEnum(ticketCategories),
  channel: optionalEnum(ticketChannels),
  state: z.preprocess(
    (value) => (typeof value === 'string' && value !== '' ? value.toUpperCase() : undefined),
    z.enum(stateCodes).optional(),
  ),
  /** An agent's person id, or `none` for unassigned tickets. */
  assignee: z.preprocess(
    readAssigneeValue,
    z
      .string()
      .regex(/^(none|[1-9]\d{0,15})$/, 'must be a person id or none')
      .optional(),
  ),
  q: z.string().max(maxSearchLength, `must have at most ${maxSearchLength} characters`).optional(),
  sort: optionalEnum(['updated', 'due'] as const).default('updated'),
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, `must be from 1 to ${maxPageSize}`)
    .max(maxPageSize, `must be from 1 to ${maxPageSize}`)
    .default(50),
  cursor: z.string().max(300).optional(),
});
export type QueueQuery = z.input<typeof queueQuery>;

/**
 * The SLA due time that comes next: the first-response due time until the first
 * public reply (or the resolution due time when that is earlier), else the
 * resolution due time. Null when the SLA service has not set one.
 */
export const nextDueAt = sql<
  string | null
>`CASE WHEN ${tickets.firstResponseAt} IS NULL AND ${tickets.firstResponseDueAt} IS NOT NULL THEN min(${tickets.firstResponseDueAt}, coalesce(${tickets.resolutionDueAt}, ${tickets.firstResponseDueAt})) ELSE ${tickets.resolutionDueAt} END`;

/**
 * Sort key of the due order, where tickets without a due time come last. The
 * expression must stay the same as in the index tickets_active_due_idx
 * (db/migrations/0009_desk_console.sql), or SQLite sorts instead of reading
 * the index.
 */
export const dueSortKey = sql<string>`coalesce(${nextDueAt}, '9999-12-31T23:59:59.999Z')`;

/** Statuses whose SLA clocks run; a pending ticket's clocks are paused, so it cannot be breaching. */
const runningStatuses = ['new', 'open', 'on_hold'] as const;

/** Active and not pending, written so that the partial indexes on active tickets apply. */
const isRunningTicket = sql`${isActiveTicket} AND +${tickets.status} <> 'pending'`;

/** Unary plus, so that the partial index of unassigned active tickets is used instead of tickets_assignee_idx. */
const isUnassigned = sql`+${tickets.assigneeId} IS NULL`;

export interface QueueOptions {
  now: Date;
  /** BUSINESS_HOURS, read by parseBusinessHours like the SLA clocks, so both count the same hours. */
  businessHours: string;
}

export interface QueueRow {
  id: number;
  subject: string;
  requesterName: string;
  requesterEmail: string;
  state: string | null;
  category: string;
  priority: string;
  status: string;
  channel: string;
  assignee: { id: number; name: string } | null;
  createdAt: string;
  updatedAt: string;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  nextDueAt: string | null;
  /** breached: the next due time has passed; soon: it falls within the next 2 business hours. */
  sla: 'breached' | 'soon' | null;
}

export interface QueuePage {
  tickets: QueueRow[];
  /** Pass as `cursor` to read the next page; null on the last page. */
  nextCursor: string | null;
}

/** Lists one page of a queue for desk staff, newest update first or soonest due first. */
export function listQueue(db: AppDatabase, actor: Actor, query: unknown, options: QueueOptions): QueuePage {
  requireDeskStaff(actor);
  const input = parseInput(queueQuery, query);
  const now = options.now;
  const windows = breachWindows(now, options.businessHours);

  const conditions = [...queueConditions(input.queue, actor, windows), ...filterConditions(input)];
  const cursor = input.cursor ? readCursor(input.cursor) : null;
  if (cursor) conditions.push(cursorCondition(input.sort, cursor));

  const sortKey = input.sort === 'due' ? dueSortKey : tickets.updatedAt;
  const order = input.sort === 'due' ? [asc(dueSortKey), asc(tickets.id)] : [desc(tickets.updatedAt), desc(tickets.id)];

  const rows = db
    .select({
      id: tickets.id,
      subject: tickets.subject,
      requesterName: tickets.requesterName,
      requesterEmail: tickets.requesterEmail,
      state: tickets.state,
      category: tickets.category,
      priority: tickets.priority,
      status: tickets.status,
      channel: tickets.channel,
      assigneeId: tickets.assigneeId,
      assigneeName: people.displayName,
      createdAt: tickets.createdAt,
      updatedAt: tickets.updatedAt,
      firstResponseDueAt: tickets.firstResponseDueAt,
      resolutionDueAt: tickets.resolutionDueAt,
      nextDueAt,
      sortKey,
    })
    .from(tickets)
    .leftJoin(people, eq(people.id, tickets.assigneeId))
    .where(and(...conditions))
    .orderBy(...order)
    .limit(input.limit + 1)
    .all();

  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const nowIso = now.toISOString();
  return {
    tickets: page.map((row) => ({
      id: row.id,
      subject: row.subject,
      requesterName: row.requesterName,
      requesterEmail: row.requesterEmail,
      state: row.state,
      category: row.category,
      priority: row.priority,
      status: row.status,
      channel: row.channel,
      assignee: row.assigneeId === null ? null : { id: row.assigneeId, name: row.assigneeName ?? '' },
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      firstResponseDueAt: row.firstResponseDueAt,
      resolutionDueAt: row.resolutionDueAt,
      nextDueAt: row.nextDueAt,
      sla: slaFlag(row.status, row.nextDueAt, warnFromForState(windows, row.state), nowIso),
    })),
    nextCursor: rows.length > input.limit && last ? writeCursor(String(last.sortKey), last.id) : null,
  };
}

export interface QueueCounts {
  queues: Record<Exclude<QueueName, 'all'>, number>;
  /** Open tickets (new, open, pending, on hold) per state; `none` counts tickets without a state. */
  byState: { state: string; count: number }[];
  byCategory: { category: string; count: number }[];
}

/** Counts the tickets of each queue, and the open tickets per state and per category, for the console's side list. */
export function countQueues(db: AppDatabase, actor: Actor, options: QueueOptions): QueueCounts {
  requireDeskStaff(actor);
  const windows = breachWindows(options.now, options.businessHours);
  const countOf = (name: QueueName) =>
    db
      .select({ value: count() })
      .from(tickets)
      .where(and(...queueConditions(name, actor, windows)))
      .get()?.value ?? 0;

  const active = isActiveTicket;
  const byState = db
    .select({ state: tickets.state, count: count() })
    .from(tickets)
    .where(active)
    .groupBy(tickets.state)
    .orderBy(tickets.state)
    .all();
  const byCategory = db
    .select({ category: tickets.category, count: count() })
    .from(tickets)
    .where(active)
    .groupBy(tickets.category)
    .orderBy(tickets.category)
    .all();

  return {
    queues: {
      open: countOf('open'),
      unassigned: countOf('unassigned'),
      mine: countOf('mine'),
      breaching: countOf('breaching'),
      pending: countOf('pending'),
    },
    byState: byState.map((row) => ({ state: row.state ?? 'none', count: row.count })),
    byCategory,
  };
}

function queueConditions(queue: QueueName, actor: Actor, windows: ZoneWindow[]): SQL[] {
  switch (queue) {
    case 'open':
      return [isActiveTicket];
    case 'unassigned':
      return [isActiveTicket, isUnassigned];
    case 'mine':
      // A plain IN here, so tickets_assignee_idx (assignee_id, status) finds only the agent's open tickets.
      return [eq(tickets.assigneeId, actor.id), inArray(tickets.status, [...activeStatuses])];
    case 'pending':
      return [eq(tickets.status, 'pending')];
    case 'breaching':
      return [isRunningTicket, breachingCondition(windows)];
    case 'all':
      return [];
  }
}

/**
 * Due at or before the warning instant of the ticket's time zone. The first
 * term bounds the due time by the latest of those instants, so SQLite reads a
 * range of tickets_active_due_idx instead of every open ticket.
 */
export function breachingCondition(windows: ZoneWindow[]): SQL {
  const latest = windows.reduce((max, window) => (window.warnFrom > max ? window.warnFrom : max), '');
  const clauses = windows.map((window) => {
    // Unary plus again, because with an index on state SQLite would search each zone separately and then sort.
    const states = sql`+${tickets.state} IN (${sql.join(
      window.states.map((state) => sql`${state}`),
      sql`, `,
    )})`;
    const inZone = window.includesNoState ? or(sql`+${tickets.state} IS NULL`, states) : states;
    return and(inZone, sql`${dueSortKey} <= ${window.warnFrom}`);
  });
  return and(sql`${dueSortKey} <= ${latest}`, or(...clauses))!;
}

function filterConditions(input: z.output<typeof queueQuery>): SQL[] {
  const conditions: SQL[] = [];
  if (input.status) conditions.push(eq(tickets.status, input.status));
  if (input.priority) conditions.push(eq(tickets.priority, input.priority));
  if (input.category) conditions.push(eq(tickets.category, input.category));
  if (input.channel) conditions.push(eq(tickets.channel, input.channel));
  if (input.state) conditions.push(eq(tickets.state, input.state));
  if (input.assignee === 'none') conditions.push(isUnassigned);
  else if (input.assignee) conditions.push(eq(tickets.assigneeId, Number(input.assignee)));
  if (input.q !== undefined && input.q.trim() !== '') conditions.push(searchCondition(input.q));
  return conditions;
}

/** Tickets whose subject or any message (public or internal) matches every word; a ticket number also matches itself. */
function searchCondition(text: string): SQL {
  const ftsQuery = buildFtsQuery(text);
  const ticketNumber = readTicketNumber(text);
  const matches: SQL[] = [];
  if (ticketNumber !== null) matches.push(eq(tickets.id, ticketNumber));
  if (ftsQuery !== null) {
    matches.push(sql`${tickets.id} IN (
      SELECT rowid FROM ticket_subject_fts WHERE ticket_subject_fts MATCH ${ftsQuery}
      UNION
      SELECT ticket_id FROM ticket_messages WHERE id IN (
        SELECT rowid FROM ticket_message_fts WHERE ticket_message_fts MATCH ${ftsQuery}))`);
  }
  // Text without a letter or digit matches nothing rather than everything.
  return matches.length > 0 ? or(...matches)! : sql`0`;
}

function slaFlag(status: string, due: string | null, warnFrom: string, now: string): QueueRow['sla'] {
  if (due === null || !(runningStatuses as readonly string[]).includes(status)) return null;
  if (due <= now) return 'breached';
  return due <= warnFrom ? 'soon' : null;
}

interface Cursor {
  key: string;
  id: number;
}

function writeCursor(key: string, id: number): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

function readCursor(text: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && Number.isSafeInteger(value[1])) {
      return { key: value[0], id: value[1] as number };
    }
  } catch {
    // Falls through to the error below.
  }
  throw new AppError(400, 'invalid_input', 'cursor: is not a cursor from this list; start again from the first page.');
}

/** Row-value comparisons, which SQLite runs as a range scan of the (sort key, id) index. */
function cursorCondition(sort: 'updated' | 'due', cursor: Cursor): SQL {
  if (sort === 'due') return sql`(${dueSortKey}, ${tickets.id}) > (${cursor.key}, ${cursor.id})`;
  return sql`(${tickets.updatedAt}, ${tickets.id}) < (${cursor.key}, ${cursor.id})`;
}
