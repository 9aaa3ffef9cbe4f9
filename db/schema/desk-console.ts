// Tables of the agents' triage console; keep db/migrations/0009_desk_console.sql in step.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { people } from './people';

/** Default maximum of open tickets (new, open, pending, on hold) that round-robin gives one agent. */
export const defaultOpenTicketCap = 25;

/**
 * Whether an agent or admin takes tickets from round-robin, and how many open
 * tickets they may hold. A person without a row is not available.
 */
export const deskAgentSettings = sqliteTable(
  'desk_agent_settings',
  {
    personId: integer('person_id')
      .primaryKey()
      .references(() => people.id),
    available: integer('available', { mode: 'boolean' }).notNull().default(false),
    openTicketCap: integer('open_ticket_cap').notNull().default(defaultOpenTicketCap),
    /** When a ticket was last assigned to this person, by hand or by round-robin. */
    lastAssignedAt: text('last_assigned_at'),
    /**
     * Rises by one with every assignment across all agents, so round-robin can
     * pick the least recently assigned agent even when several tickets are
     * assigned within the same millisecond. Null for someone never assigned.
     */
    assignmentSequence: integer('assignment_sequence'),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [index('desk_agent_settings_available_idx').on(table.available, table.assignmentSequence)],
);

/** Saved reply text that agents insert into a reply; placeholders are expanded for one ticket. */
export const deskCannedResponses = sqliteTable(
  'desk_canned_responses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    body: text('body').notNull(),
    createdBy: integer('created_by').references(() => people.id),
    updatedBy: integer('updated_by').references(() => people.id),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [uniqueIndex('desk_canned_responses_title_unique').on(table.title)],
);
