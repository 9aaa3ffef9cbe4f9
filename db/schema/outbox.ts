import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** suppressed: a campaign delivery not sent because the address is on the suppression list. */
export const outboxStatuses = ['queued', 'sending', 'sent', 'failed', 'suppressed'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/**
 * Every outgoing message, committed before it is sent; a campaign delivery is
 * one row here too. The worker claims a
 * row with a lease, sends it with the stored Message-ID and marks it sent only
 * after the server accepted it.
 */
export const outboxMessages = sqliteTable(
  'outbox_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** What the message is for, such as "invitation" or "password_reset". */
    kind: text('kind').notNull(),
    messageId: text('message_id').notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body'),
    /** Extra headers as a JSON object, such as Auto-Submitted. */
    headers: text('headers').notNull().default('{}'),
    status: text('status', { enum: outboxStatuses }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at').notNull(),
    leaseExpiresAt: text('lease_expires_at'),
    lastError: text('last_error'),
    createdAt: text('created_at').notNull(),
    sentAt: text('sent_at'),
    /** For campaign deliveries: the campaign and the subscriber; one delivery per pair. */
    campaignId: integer('campaign_id'),
    subscriberId: integer('subscriber_id'),
  },
  (table) => [
    uniqueIndex('outbox_messages_one_delivery_per_recipient')
      .on(table.campaignId, table.subscriberId)
      .where(sql`${table.campaignId} IS NOT NULL`),
    index('outbox_messages_campaign_idx').on(table.campaignId, table.status),
    uniqueIndex('outbox_messages_message_id_unique').on(table.messageId),
    index('outbox_messages_due_idx').on(table.status, table.nextAttemptAt),
  ],
);
