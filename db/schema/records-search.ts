// Tables of the records search index. db/migrations/0013_records_search.sql creates the same tables; keep the two in step.
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { students } from './records';

/**
 * Posting list of the records search: one row per search key of a student.
 * Keys are built by api/records/search/keys.ts: `gs:` given name and surname
 * pair, `s:` surname, `id:` state student ID, each name part as a phonetic key.
 */
export const recordSearchKeys = sqliteTable(
  'record_search_keys',
  {
    key: text('key').notNull(),
    studentId: integer('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
  },
  (table) => [
    primaryKey({ columns: [table.key, table.studentId] }),
    index('record_search_keys_student_idx').on(table.studentId),
  ],
);

/**
 * Vocabulary of the phonetic name keys in the index, with their deletion
 * neighbourhood: one row per (variant, term), where a variant is the term
 * itself or the term with one letter removed. Two terms one edit apart share
 * a variant, so a query word with one typo finds the terms it may mean.
 */
export const recordSearchTerms = sqliteTable(
  'record_search_terms',
  {
    variant: text('variant').notNull(),
    term: text('term').notNull(),
  },
  (table) => [primaryKey({ columns: [table.variant, table.term] })],
);
