/**
 * Tables of the national management dashboard. `usage_events` is the raw
 * record of records-exchange use. The other three are rollups, and the
 * dashboard reads only them, so every view stays fast with millions of events
 * on file. Nothing here names a person or a student.
 */
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const usageEventKinds = ['records.search', 'records.view', 'records.print'] as const;
export type UsageEventKind = (typeof usageEventKinds)[number];

/**
 * One use of the records exchange: a search, or a consolidated record viewed
 * or printed. Written in the same transaction as the audit row, but keyed by
 * state and time instead of by person, because it feeds the dashboard's
 * figures. A trigger in the migration adds each row to `usage_counts`.
 */
export const usageEvents = sqliteTable(
  'usage_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** UTC time, ISO 8601 with milliseconds. */
    occurredAt: text('occurred_at').notNull(),
    event: text('event', { enum: usageEventKinds }).notNull(),
    /** USPS code of the state of the person who acted; null for national staff (agents and admins). */
    state: text('state'),
    /** The person's role when it happened. */
    role: text('role').notNull(),
  },
  (table) => [index('usage_events_occurred_idx').on(table.occurredAt)],
);

/**
 * Usage events counted by kind, calendar quarter and state. Kept by an
 * AFTER INSERT trigger on `usage_events`, so it is never behind.
 */
export const usageCounts = sqliteTable(
  'usage_counts',
  {
    event: text('event', { enum: usageEventKinds }).notNull(),
    /** Calendar quarter in UTC, such as "2026-Q4". */
    quarter: text('quarter').notNull(),
    /** USPS code, or an empty string for national staff. */
    state: text('state').notNull(),
    count: integer('count').notNull(),
  },
  (table) => [primaryKey({ columns: [table.event, table.quarter, table.state] })],
);

/**
 * One figure of the dashboard: a metric for one state (or "US" for the
 * nation) in one calendar quarter. Rebuilt from the product's tables by the
 * dashboard refresh (api/dashboard/refresh.ts).
 */
export const dashboardFigures = sqliteTable(
  'dashboard_figures',
  {
    /** A metric id from api/dashboard/metrics.ts. */
    metric: text('metric').notNull(),
    /** USPS code, or "US" for the national figure. */
    state: text('state').notNull(),
    /** Calendar quarter in UTC, such as "2026-Q4". */
    quarter: text('quarter').notNull(),
    /** The figure; null when nothing happened that the metric could measure (such as a median of no tickets). */
    value: real('value'),
    /** How many items the figure rests on: the count itself, or the tickets behind a median. */
    sample: integer('sample').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.metric, table.state, table.quarter] }),
    index('dashboard_figures_quarter_idx').on(table.quarter, table.metric),
  ],
);

/**
 * Children who moved from one state to another (or within one state) in a
 * calendar year, from the qualifying moves on file. A child counts once per
 * route and year, however many states reported the move.
 */
export const dashboardFlows = sqliteTable(
  'dashboard_flows',
  {
    /** Year of the qualifying arrival date. */
    year: integer('year').notNull(),
    /** USPS code of the state the child left; an empty string when the child came from another country or the state is unknown. */
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    children: integer('children').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.year, table.fromState, table.toState] }),
    index('dashboard_flows_to_idx').on(table.year, table.toState),
  ],
);
