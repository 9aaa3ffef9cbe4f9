/**
 * Tables of the requester side of the support desk: files uploaded before the
 * ticket or reply that uses them, visitors' submissions waiting for email
 * confirmation, satisfaction surveys, FAQ-suggestion drafts and the tickets
 * that automatic mail opened. Keep
 * db/migrations/0007_desk_tickets.sql in step.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { ticketAttachments, tickets } from './desk';
import { people } from './people';

/** A file a signed-in person uploaded for a ticket or reply they have not sent yet. Only they can use it. */
export const ticketUploads = sqliteTable(
  'ticket_uploads',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: text('created_at').notNull(),
    /** The attachment the upload became; null until a ticket or reply references it. */
    attachmentId: integer('attachment_id').references(() => ticketAttachments.id),
  },
  (table) => [index('ticket_uploads_person_idx').on(table.personId, table.createdAt)],
);

/** A visitor's ticket, kept until they confirm their address through the emailed link (at most 48 hours). */
export const ticketVisitorRequests = sqliteTable(
  'ticket_visitor_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** SHA-256 of the confirmation token; the token itself is only in the email. */
    tokenHash: text('token_hash').notNull(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    state: text('state').notNull(),
    subject: text('subject').notNull(),
    category: text('category').notNull(),
    bodyText: text('body_text').notNull(),
    draftId: text('draft_id'),
    idempotencyKey: text('idempotency_key'),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    confirmedAt: text('confirmed_at'),
    ticketId: integer('ticket_id').references(() => tickets.id),
  },
  (table) => [
    uniqueIndex('ticket_visitor_requests_token_unique').on(table.tokenHash),
    index('ticket_visitor_requests_expires_idx').on(table.expiresAt),
  ],
);

/** The satisfaction survey sent when a ticket is first solved; the link works once. */
export const ticketSurveys = sqliteTable(
  'ticket_surveys',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id),
    tokenHash: text('token_hash').notNull(),
    sentAt: text('sent_at').notNull(),
    answeredAt: text('answered_at'),
    /** 1 (very dissatisfied) to 5 (very satisfied). */
    rating: integer('rating'),
    comment: text('comment'),
  },
  (table) => [
    uniqueIndex('ticket_surveys_ticket_unique').on(table.ticketId),
    uniqueIndex('ticket_surveys_token_unique').on(table.tokenHash),
    index('ticket_surveys_answered_idx').on(table.answeredAt),
  ],
);

/**
 * A draft of the new-ticket form in which the requester opened a suggested
 * FAQ. A draft never filed within 24 hours counts as a requester who found
 * their answer without filing.
 */
export const faqSuggestionDrafts = sqliteTable(
  'faq_suggestion_drafts',
  {
    draftId: text('draft_id').primaryKey(),
    /** The first time a suggestion was opened in this draft. */
    openedAt: text('opened_at').notNull(),
    /** Slug of the last FAQ opened. */
    faqSlug: text('faq_slug').notNull(),
    openings: integer('openings').notNull().default(1),
    filedAt: text('filed_at'),
    ticketId: integer('ticket_id').references(() => tickets.id),
  },
  (table) => [index('faq_suggestion_drafts_opened_idx').on(table.openedAt)],
);

/**
 * A ticket opened by automatic mail (an auto-reply, bulk or list mail, a
 * bounce), which never gets a satisfaction survey: no person asked for help.
 */
export const ticketAutomaticOpenings = sqliteTable('ticket_automatic_openings', {
  ticketId: integer('ticket_id')
    .primaryKey()
    .references(() => tickets.id),
  /** The loop guard's reason, such as auto_submitted or mailing_list. */
  reason: text('reason').notNull(),
});
