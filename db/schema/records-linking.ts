// Tables of record linking; db/migrations/0012_records_linking.sql creates them and must stay in step.
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { people } from './people';
import { consolidatedRecords, students } from './records';

/**
 * Nicknames that count as the same first name when records are compared
 * (Lupe for Guadalupe, Bill for William). Both names are stored folded
 * (lower case, no accents). Rows with no `addedBy` came with the product.
 */
export const recordNicknames = sqliteTable(
  'record_nicknames',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    fullName: text('full_name').notNull(),
    nickname: text('nickname').notNull(),
    addedBy: integer('added_by').references(() => people.id),
    createdAt: text('created_at').notNull(),
  },
  (table) => [
    uniqueIndex('record_nicknames_pair_unique').on(table.fullName, table.nickname),
    index('record_nicknames_nickname_idx').on(table.nickname),
  ],
);

export const nearMatchStatuses = ['open', 'confirmed', 'rejected'] as const;
export type NearMatchStatus = (typeof nearMatchStatuses)[number];

/**
 * Two students, reported by different states, that may be the same child but
 * scored below the automatic-link threshold (or are possible twins). The
 * data administrators of both states confirm or reject it; a rejected pair is
 * never proposed again. `studentAId` is always the smaller id.
 */
export const recordNearMatches = sqliteTable(
  'record_near_matches',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    studentAId: integer('student_a_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    studentBId: integer('student_b_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    score: real('score').notNull(),
    /** JSON: the comparison of the two students, field by field (see LinkReasons in compare.ts). */
    reasons: text('reasons').notNull(),
    status: text('status', { enum: nearMatchStatuses }).notNull().default('open'),
    createdAt: text('created_at').notNull(),
    resolvedBy: integer('resolved_by').references(() => people.id),
    resolvedAt: text('resolved_at'),
    escalatedAt: text('escalated_at'),
  },
  (table) => [
    uniqueIndex('record_near_matches_pair_unique').on(table.studentAId, table.studentBId),
    index('record_near_matches_student_b_idx').on(table.studentBId),
    index('record_near_matches_status_idx').on(table.status, table.createdAt),
  ],
);

export const linkOutcomes = ['new_record', 'linked'] as const;
export type LinkOutcome = (typeof linkOutcomes)[number];

/**
 * Why a student belongs to its consolidated record: the last linking
 * decision for the student, with the comparison that led to it.
 */
export const recordLinkDecisions = sqliteTable(
  'record_link_decisions',
  {
    studentId: integer('student_id')
      .primaryKey()
      .references(() => students.id, { onDelete: 'cascade' }),
    consolidatedRecordId: integer('consolidated_record_id')
      .notNull()
      .references(() => consolidatedRecords.id),
    /** new_record: nothing on file matched well enough; linked: joined the record of `matchedStudentId`. */
    outcome: text('outcome', { enum: linkOutcomes }).notNull(),
    matchedStudentId: integer('matched_student_id').references(() => students.id, { onDelete: 'set null' }),
    score: real('score'),
    /** JSON: see LinkDecisionReasons in link.ts. */
    reasons: text('reasons').notNull(),
    decidedAt: text('decided_at').notNull(),
  },
  (table) => [index('record_link_decisions_record_idx').on(table.consolidatedRecordId)],
);

/**
 * Blocking keys: linking compares a student only with the students that
 * share at least one key (see blockingKeys in blocking.ts), so it never scans
 * everyone on file. Keys starting with `fq:` are frequency keys (see
 * frequencyKeys in blocking.ts): counted to weigh common and rare values,
 * never used to find candidates.
 */
export const recordBlockingKeys = sqliteTable(
  'record_blocking_keys',
  {
    key: text('key').notNull(),
    studentId: integer('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
  },
  (table) => [
    primaryKey({ columns: [table.key, table.studentId] }),
    index('record_blocking_keys_student_idx').on(table.studentId),
  ],
);
