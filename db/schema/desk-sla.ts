// Tables of the SLA service; keep db/migrations/0010_desk_sla.sql in step.
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { ticketPriorities } from './desk';
import { people } from './people';

/**
 * First-response and resolution targets of each ticket priority, in business
 * minutes. The migration seeds one row per priority; admins change them.
 */
export const deskSlaTargets = sqliteTable('desk_sla_targets', {
  priority: text('priority', { enum: ticketPriorities }).primaryKey(),
  firstResponseMinutes: integer('first_response_minutes').notNull(),
  resolutionMinutes: integer('resolution_minutes').notNull(),
  /** Null until an admin changes the seeded targets. */
  updatedAt: text('updated_at'),
  updatedBy: integer('updated_by').references(() => people.id),
});
