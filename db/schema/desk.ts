import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { people } from './people';

export const ticketCategories = [
  'account_access',
  'records_search',
  'data_submission',
  'data_quality',
  'move_notices',
  'reports',
  'training',
  'other',
] as const;
export type TicketCategory = (typeof ticketCategories)[number];

export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof ticketPriorities)[number];

/** pending: waiting on the requester, which pauses the SLA clocks. */
export const ticketStatuses = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

export const ticketChannels = ['web', 'email', 'phone'] as const;
export type TicketChannel = (typeof ticketChannels)[number];

/**
 * One support request. The requester is an account when there is one; a
 * visitor or an email sender is known by address only. `state` is the
 * requester's USPS state code, which also sets the SLA time zone.
 */
export const tickets = sqliteTable(
  'tickets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    subject: text('subject').notNull(),
    requesterId: integer('requester_id').references(() => people.id),
    requesterEmail: text('requester_email').notNull(),
    requesterName: text('requester_name').notNull(),
    state: text('state'),
    category: text('category', { enum: ticketCategories }).notNull(),
    priority: text('priority', { enum: ticketPriorities }).notNull().default('normal'),
    status: text('status', { enum: ticketStatuses }).notNull().default('new'),
    channel: text('channel', { enum: ticketChannels }).notNull(),
    assigneeId: integer('assignee_id').references(() => people.id),
    /** The ticket this one was merged into; a merged ticket is closed. */
    mergedIntoId: integer('merged_into_id'),
    /** Client-chosen key of a web submission; the same key from the same requester makes no second ticket. */
    idempotencyKey: text('idempotency_key'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    firstResponseAt: text('first_response_at'),
    solvedAt: text('solved_at'),
    closedAt: text('closed_at'),
    /** SLA due times (UTC ISO), recomputed by the SLA service when priority, state or status changes. */
    firstResponseDueAt: text('first_response_due_at'),
    resolutionDueAt: text('resolution_due_at'),
    /** When the current pause began (status pending); null while the clocks run. */
    slaPausedAt: text('sla_paused_at'),
    /** Business minutes spent paused so far, which push the due times out. */
    slaPausedMinutes: integer('sla_paused_minutes').notNull().default(0),
    /** Business minutes from creation to the first public reply, and to solved; set when they happen. */
    firstResponseMinutes: integer('first_response_minutes'),
    resolutionMinutes: integer('resolution_minutes'),
    firstResponseWarnedAt: text('first_response_warned_at'),
    resolutionWarnedAt: text('resolution_warned_at'),
  },
  (table) => [
    uniqueIndex('tickets_idempotency_unique')
      .on(table.requesterEmail, table.idempotencyKey)
      .where(sql`${table.idempotencyKey} IS NOT NULL`),
    index('tickets_status_idx').on(table.status, table.updatedAt),
    index('tickets_assignee_idx').on(table.assigneeId, table.status),
    index('tickets_state_idx').on(table.state, table.status),
    index('tickets_category_idx').on(table.category, table.status),
    index('tickets_requester_idx').on(table.requesterEmail),
    index('tickets_created_idx').on(table.createdAt),
    // NOTE: the console's queue indexes (tickets_updated_idx, tickets_active_updated_idx,
    // tickets_unassigned_updated_idx, tickets_active_due_idx) are partial and expression indexes
    // written by hand in migration 0009_desk_console.sql, because api/desk/console/queues.ts must
    // repeat their exact WHERE terms for SQLite to use them.
  ],
);

/**
 * The conversation of a ticket. A public reply goes to the requester and
 * followers by email; an internal note never leaves the desk.
 */
export const ticketMessages = sqliteTable(
  'ticket_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    visibility: text('visibility', { enum: ['public', 'internal'] }).notNull(),
    /** requester: the requester or a follower; agent: desk staff; system: automatic text. */
    authorType: text('author_type', { enum: ['requester', 'agent', 'system'] }).notNull(),
    authorId: integer('author_id').references(() => people.id),
    authorEmail: text('author_email'),
    authorName: text('author_name').notNull(),
    channel: text('channel', { enum: ticketChannels }).notNull(),
    bodyText: text('body_text').notNull(),
    /** Sanitized HTML of an email body, when it had one. */
    bodyHtml: text('body_html'),
    createdAt: text('created_at').notNull(),
  },
  (table) => [index('ticket_messages_ticket_idx').on(table.ticketId, table.createdAt)],
);

/**
 * Every RFC 5322 Message-ID the desk has stored for a ticket: mail it received and
 * mail it sent. Threading looks replies up here by In-Reply-To and References.
 */
export const ticketMailIds = sqliteTable(
  'ticket_mail_ids',
  {
    messageId: text('message_id').primaryKey(),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    ticketMessageId: integer('ticket_message_id').references(() => ticketMessages.id),
    direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
  },
  (table) => [index('ticket_mail_ids_ticket_idx').on(table.ticketId)],
);

/** Participants of a ticket: the requester and followers, by address (lowercase). */
export const ticketParticipants = sqliteTable(
  'ticket_participants',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    email: text('email').notNull(),
    personId: integer('person_id').references(() => people.id),
    role: text('role', { enum: ['requester', 'follower'] }).notNull(),
  },
  (table) => [
    uniqueIndex('ticket_participants_unique').on(table.ticketId, table.email),
    index('ticket_participants_email_idx').on(table.email),
  ],
);

/** Files attached to a ticket message, stored outside the web root under their SHA-256. */
export const ticketAttachments = sqliteTable(
  'ticket_attachments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    ticketMessageId: integer('ticket_message_id').references(() => ticketMessages.id),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (table) => [index('ticket_attachments_ticket_idx').on(table.ticketId)],
);

/** The full history of a ticket: every change of a field, assignment, merge, split and message. */
export const ticketEvents = sqliteTable(
  'ticket_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    actorId: integer('actor_id').references(() => people.id),
    /** Such as created, status_changed, assigned, priority_changed, merged, split, replied, noted. */
    type: text('type').notNull(),
    fromValue: text('from_value'),
    toValue: text('to_value'),
    createdAt: text('created_at').notNull(),
  },
  (table) => [index('ticket_events_ticket_idx').on(table.ticketId, table.createdAt)],
);
