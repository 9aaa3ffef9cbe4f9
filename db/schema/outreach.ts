import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { people } from './people';

export const subscriberStatuses = ['pending', 'confirmed', 'unsubscribed'] as const;
export type SubscriberStatus = (typeof subscriberStatuses)[number];

/**
 * Newsletter subscribers. A pending address has not confirmed yet and is
 * never mailed a campaign; only confirmed subscribers receive campaigns.
 */
export const subscribers = sqliteTable(
  'subscribers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Lowercased address. */
    email: text('email').notNull(),
    name: text('name'),
    /** USPS code of the subscriber's state, when given. */
    state: text('state'),
    /** One audience id of the content taxonomy, such as "data-administrators", when given. */
    role: text('role'),
    /** Topic ids of the content taxonomy as a JSON array; empty means every topic. */
    topics: text('topics').notNull().default('[]'),
    status: text('status', { enum: subscriberStatuses }).notNull().default('pending'),
    confirmTokenHash: text('confirm_token_hash'),
    confirmSentAt: text('confirm_sent_at'),
    confirmedAt: text('confirmed_at'),
    unsubscribedAt: text('unsubscribed_at'),
    source: text('source', { enum: ['signup', 'import'] }).notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('subscribers_email_unique').on(table.email),
    index('subscribers_status_idx').on(table.status),
  ],
);

/** Addresses no campaign may mail, whatever their subscriber status. Every send checks this list. */
export const suppressions = sqliteTable(
  'suppressions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    email: text('email').notNull(),
    reason: text('reason', { enum: ['unsubscribed', 'hard_bounce', 'complaint', 'manual'] }).notNull(),
    /** The campaign that led to the suppression, such as the one unsubscribed from. */
    campaignId: integer('campaign_id'),
    createdAt: text('created_at').notNull(),
  },
  (table) => [uniqueIndex('suppressions_email_unique').on(table.email)],
);

export const campaignStatuses = ['draft', 'scheduled', 'sending', 'paused', 'cancelled', 'finished', 'missed'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

/**
 * One send of one newsletter issue to an audience. "missed" is a scheduled
 * campaign whose time passed while the server was down: it waits for an admin.
 */
export const campaigns = sqliteTable(
  'campaigns',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The newsletter issue under content/newsletters/, by file name without .mdx. */
    newsletterSlug: text('newsletter_slug').notNull(),
    subject: text('subject').notNull(),
    /** Audience filters as JSON: { states: [], roles: [], topics: [] }; empty lists mean everyone. */
    audience: text('audience').notNull().default('{"states":[],"roles":[],"topics":[]}'),
    status: text('status', { enum: campaignStatuses }).notNull().default('draft'),
    scheduledAt: text('scheduled_at'),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
    /** Why the campaign is paused: by an admin, or automatically when too many deliveries failed. */
    pausedReason: text('paused_reason'),
    /** The rendered message, fixed when sending starts so every recipient gets the same issue. */
    htmlBody: text('html_body'),
    textBody: text('text_body'),
    createdBy: integer('created_by').references(() => people.id),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [index('campaigns_status_idx').on(table.status)],
);

/**
 * Fixed-window counters of messages handed to the mail transport, per transport
 * and window ("second:…" or "day:…"), so the rate limit holds across restarts.
 */
export const mailRateCounters = sqliteTable('mail_rate_counters', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
});

export const registrationStatuses = ['registered', 'cancelled'] as const;

/** Registrations for upcoming webinars and other events in content/events/. */
export const eventRegistrations = sqliteTable(
  'event_registrations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The event under content/events/, by file name without .mdx. */
    eventSlug: text('event_slug').notNull(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    state: text('state'),
    role: text('role'),
    status: text('status', { enum: registrationStatuses }).notNull().default('registered'),
    cancelTokenHash: text('cancel_token_hash').notNull(),
    /** Attendance imported from the webinar platform's CSV; null until imported. */
    attended: integer('attended', { mode: 'boolean' }),
    dayReminderQueuedAt: text('day_reminder_queued_at'),
    hourReminderQueuedAt: text('hour_reminder_queued_at'),
    createdAt: text('created_at').notNull(),
    cancelledAt: text('cancelled_at'),
  },
  (table) => [
    uniqueIndex('event_registrations_once').on(table.eventSlug, table.email),
    index('event_registrations_event_idx').on(table.eventSlug),
  ],
);
