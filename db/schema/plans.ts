import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { people } from './people';

/**
 * The states, the District of Columbia and Puerto Rico, and whether each runs a
 * Migrant Education Program. The national roll-up counts plans among
 * participating states only.
 */
export const programStates = sqliteTable('program_states', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  participating: integer('participating', { mode: 'boolean' }).notNull(),
});

export const milestoneStatuses = ['not_started', 'on_track', 'at_risk', 'off_track', 'done'] as const;
export type MilestoneStatus = (typeof milestoneStatuses)[number];

/** A state's strategic plan for records exchange over a period, usually three years. */
export const plans = sqliteTable(
  'plans',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    state: text('state')
      .notNull()
      .references(() => programStates.code),
    title: text('title').notNull(),
    /** First and last day of the plan period, YYYY-MM-DD. */
    periodStart: text('period_start').notNull(),
    periodEnd: text('period_end').notNull(),
    /** Whether this is the state's current plan; at most one per state. */
    isCurrent: integer('is_current', { mode: 'boolean' }).notNull(),
    /** How the plan started: blank, from the TA template, or as a copy of an earlier plan. */
    origin: text('origin', { enum: ['blank', 'template', 'copy'] }).notNull(),
    copiedFromPlanId: integer('copied_from_plan_id'),
    createdBy: integer('created_by').references(() => people.id),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('plans_one_current_per_state')
      .on(table.state)
      .where(sql`${table.isCurrent} = 1`),
    index('plans_state_idx').on(table.state),
    check('plans_period_order', sql`${table.periodEnd} > ${table.periodStart}`),
  ],
);

export const planGoals = sqliteTable(
  'plan_goals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    planId: integer('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    title: text('title').notNull(),
  },
  (table) => [index('plan_goals_plan_idx').on(table.planId)],
);

export const planObjectives = sqliteTable(
  'plan_objectives',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    goalId: integer('goal_id')
      .notNull()
      .references(() => planGoals.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    title: text('title').notNull(),
  },
  (table) => [index('plan_objectives_goal_idx').on(table.goalId)],
);

/** The unit of work: status and percent complete are entered here and rolled up to objectives, goals and the plan. */
export const planMilestones = sqliteTable(
  'plan_milestones',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    objectiveId: integer('objective_id')
      .notNull()
      .references(() => planObjectives.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    /** The owner is a person with an account, or a role such as "State MSIX coordinator"; exactly one is set. */
    ownerPersonId: integer('owner_person_id').references(() => people.id),
    ownerRole: text('owner_role'),
    dueDate: text('due_date').notNull(),
    status: text('status', { enum: milestoneStatuses }).notNull().default('not_started'),
    percentComplete: integer('percent_complete').notNull().default(0),
    /** When the milestone was last changed or given a progress update; reminders use it to find stale milestones. */
    lastProgressAt: text('last_progress_at').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    index('plan_milestones_objective_idx').on(table.objectiveId),
    index('plan_milestones_due_idx').on(table.dueDate),
    check('plan_milestones_percent_range', sql`${table.percentComplete} BETWEEN 0 AND 100`),
    check('plan_milestones_one_owner', sql`(${table.ownerPersonId} IS NULL) <> (${table.ownerRole} IS NULL)`),
  ],
);

/** Dated progress notes on a milestone, kept as history with the status and percent they reported. */
export const milestoneUpdates = sqliteTable(
  'milestone_updates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    milestoneId: integer('milestone_id')
      .notNull()
      .references(() => planMilestones.id, { onDelete: 'cascade' }),
    updateDate: text('update_date').notNull(),
    narrative: text('narrative').notNull(),
    status: text('status', { enum: milestoneStatuses }).notNull(),
    percentComplete: integer('percent_complete').notNull(),
    authorId: integer('author_id').references(() => people.id),
    createdAt: text('created_at').notNull(),
  },
  (table) => [index('milestone_updates_milestone_idx').on(table.milestoneId)],
);

/** An onsite planning session the TA team held with a state. */
export const planningSessions = sqliteTable(
  'planning_sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    state: text('state')
      .notNull()
      .references(() => programStates.code),
    sessionDate: text('session_date').notNull(),
    place: text('place').notNull(),
    /** Participants by role, as a JSON array of strings such as "State MEP director". */
    participants: text('participants').notNull(),
    findings: text('findings').notNull(),
    createdBy: integer('created_by').references(() => people.id),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [index('planning_sessions_state_idx').on(table.state)],
);

export const sessionRecommendations = sqliteTable(
  'session_recommendations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: integer('session_id')
      .notNull()
      .references(() => planningSessions.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    text: text('text').notNull(),
    /** The milestone made from this recommendation, once it has been turned into one. */
    milestoneId: integer('milestone_id').references(() => planMilestones.id, { onDelete: 'set null' }),
  },
  (table) => [index('session_recommendations_session_idx').on(table.sessionId)],
);

export const collectionStatuses = ['collected', 'partly', 'not_collected', 'not_applicable'] as const;
export type CollectionStatus = (typeof collectionStatuses)[number];

/** Where a state gets each MDE: one row per state and upload column. */
export const crosswalkEntries = sqliteTable(
  'crosswalk_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    state: text('state')
      .notNull()
      .references(() => programStates.code),
    mdeFile: text('mde_file').notNull(),
    mdeColumn: text('mde_column').notNull(),
    sourceSystem: text('source_system').notNull().default(''),
    owningOffice: text('owning_office').notNull().default(''),
    collectionStatus: text('collection_status', { enum: collectionStatuses }),
    notes: text('notes').notNull().default(''),
    updatedBy: integer('updated_by').references(() => people.id),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [uniqueIndex('crosswalk_entries_state_mde_unique').on(table.state, table.mdeFile, table.mdeColumn)],
);

/**
 * Reminders already queued, so each is sent once: per milestone, kind and
 * reference (the due date for due-soon and overdue, the last progress date for
 * stale), and per coordinator and ISO week for digests.
 */
export const planReminders = sqliteTable(
  'plan_reminders',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ['due_soon', 'overdue', 'stale', 'weekly_digest'] }).notNull(),
    subjectKey: text('subject_key').notNull(),
    reference: text('reference').notNull(),
    recipientId: integer('recipient_id').references(() => people.id),
    queuedAt: text('queued_at').notNull(),
  },
  (table) => [uniqueIndex('plan_reminders_once').on(table.kind, table.subjectKey, table.reference, table.recipientId)],
);
