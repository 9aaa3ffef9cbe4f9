import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Roles of people with an account; a visitor has none. */
export const roles = ['state_user', 'state_coordinator', 'agent', 'admin'] as const;
export type Role = (typeof roles)[number];

/** The separate grant that opens student records; it needs its own training and agreement. */
export const recordsAccessLevels = ['none', 'viewer', 'data_administrator'] as const;
export type RecordsAccess = (typeof recordsAccessLevels)[number];

/**
 * invited: has not set a password yet; active; disabled: temporarily blocked,
 * can be enabled again; deactivated: permanently closed, and the email address
 * can never be reused.
 */
export const personStatuses = ['invited', 'active', 'disabled', 'deactivated'] as const;
export type PersonStatus = (typeof personStatuses)[number];

export const people = sqliteTable(
  'people',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role', { enum: roles }).notNull(),
    /** USPS code of the person's state; null for agents and admins, who are national. */
    state: text('state'),
    recordsAccess: text('records_access', { enum: recordsAccessLevels }).notNull().default('none'),
    status: text('status', { enum: personStatuses }).notNull().default('invited'),
    passwordHash: text('password_hash'),
    passwordChangedAt: text('password_changed_at'),
    rulesAcknowledgedAt: text('rules_acknowledged_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('people_email_unique').on(table.email),
    index('people_state_idx').on(table.state),
    check('people_state_matches_role', sql`(${table.role} IN ('agent', 'admin')) = (${table.state} IS NULL)`),
  ],
);

/** Single-use tokens: invitations set the first password, resets set a new one. Only a SHA-256 hash is stored. */
export const accountTokens = sqliteTable(
  'account_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    purpose: text('purpose', { enum: ['invitation', 'password_reset'] }).notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
    createdBy: integer('created_by').references(() => people.id),
  },
  (table) => [
    uniqueIndex('account_tokens_hash_unique').on(table.tokenHash),
    index('account_tokens_person_idx').on(table.personId),
  ],
);

/** Server-side sessions. The id is the SHA-256 hash of the cookie token, so a database copy cannot sign anyone in. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    createdAt: text('created_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    /** The absolute end of the session, whatever the activity. */
    expiresAt: text('expires_at').notNull(),
    ip: text('ip').notNull(),
  },
  (table) => [index('sessions_person_idx').on(table.personId)],
);

/** Each acknowledgement of the Rules of Behavior, kept as history. */
export const rulesAcknowledgements = sqliteTable(
  'rules_acknowledgements',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    rulesVersion: text('rules_version').notNull(),
    acknowledgedAt: text('acknowledged_at').notNull(),
    ip: text('ip').notNull(),
  },
  (table) => [index('rules_acknowledgements_person_idx').on(table.personId)],
);

/** Fixed-window counters for throttling; the key names the action and the account or IP. */
export const throttleCounters = sqliteTable('throttle_counters', {
  key: text('key').primaryKey(),
  windowStartedAt: text('window_started_at').notNull(),
  count: integer('count').notNull(),
});
