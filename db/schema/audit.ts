import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Append-only audit log. Triggers in the migrations reject every UPDATE and
 * DELETE. Rows never hold a secret or a personal detail of a student.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** UTC time, ISO 8601 with milliseconds. */
    occurredAt: text('occurred_at').notNull(),
    actorId: integer('actor_id'),
    /** The actor's email when the row was written, so the row stays readable if the account changes. */
    actorEmail: text('actor_email'),
    actorRole: text('actor_role'),
    ip: text('ip').notNull(),
    action: text('action').notNull(),
    objectType: text('object_type'),
    objectId: text('object_id'),
    outcome: text('outcome', { enum: ['success', 'failure', 'denied'] }).notNull(),
    /** Short machine-readable reason or context, such as "wrong_password"; never a secret. */
    detail: text('detail'),
    requestId: text('request_id'),
  },
  (table) => [
    index('audit_log_occurred_idx').on(table.occurredAt),
    index('audit_log_actor_idx').on(table.actorId),
    index('audit_log_action_idx').on(table.action),
    // Who opened a consolidated record: the records access log reads rows by object.
    index('audit_log_object_idx').on(table.objectType, table.objectId),
  ],
);
