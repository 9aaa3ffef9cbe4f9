/**
 * Tables of the records import: files received in the browser before an
 * import starts, the rows staged while an upload is checked, the progress of
 * a running import, and the completeness figures of each upload's
 * data-quality report. Keep db/migrations/0011_records_import.sql in step.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { people } from './people';
import { recordUploads } from './records';

/**
 * One file received by `POST /api/record-uploads/files`, kept on disk under
 * the uploads folder until the import of its batch starts. A batch is the set
 * of files one person sends for one import.
 */
export const recordUploadFiles = sqliteTable(
  'record_upload_files',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Random identifier of the batch; also the name of its folder under the uploads folder. */
    batchId: text('batch_id').notNull(),
    /** One of the five MDE file names, such as students.csv. */
    fileName: text('file_name').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    uploadedBy: integer('uploaded_by')
      .notNull()
      .references(() => people.id),
    receivedAt: text('received_at').notNull(),
    /** The upload that imported this batch; null until the import starts. */
    uploadId: integer('upload_id').references(() => recordUploads.id),
  },
  (table) => [uniqueIndex('record_upload_files_batch_name_unique').on(table.batchId, table.fileName)],
);

/**
 * Rows of an upload's files while the upload is checked, grouped by state
 * student ID so students are checked one at a time with flat memory. Deleted
 * when the import finishes.
 */
export const recordImportStaging = sqliteTable(
  'record_import_staging',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    uploadId: integer('upload_id')
      .notNull()
      .references(() => recordUploads.id),
    /** The file the row came from, such as enrollments.csv. */
    file: text('file').notNull(),
    /** Line of the file where the row starts (the header is line 1). */
    line: integer('line').notNull(),
    /** The row's state_student_id cell, trimmed; empty when the cell is empty. */
    stateStudentId: text('state_student_id').notNull(),
    /** JSON object of the row's known columns, keyed by column name. */
    cells: text('cells').notNull(),
    /** Number of cells in the row, to report rows whose count differs from the header. */
    cellCount: integer('cell_count').notNull(),
  },
  (table) => [index('record_import_staging_student_idx').on(table.uploadId, table.stateStudentId)],
);

/** Progress of a running import, read by the upload page while it polls. */
export const recordUploadProgress = sqliteTable('record_upload_progress', {
  uploadId: integer('upload_id')
    .primaryKey()
    .references(() => recordUploads.id),
  /** reading (files into staging), checking (students one by one), linking, or finished. */
  phase: text('phase', { enum: ['reading', 'checking', 'linking', 'finished'] }).notNull(),
  bytesTotal: integer('bytes_total').notNull().default(0),
  bytesRead: integer('bytes_read').notNull().default(0),
  /** Distinct students in the upload, known once the files are read. */
  studentsTotal: integer('students_total').notNull().default(0),
  studentsChecked: integer('students_checked').notNull().default(0),
  updatedAt: text('updated_at').notNull(),
});

/**
 * Completeness of one MDE in one upload: among the accepted students to whom
 * the element applies, how many supplied it.
 */
export const recordUploadCompleteness = sqliteTable(
  'record_upload_completeness',
  {
    uploadId: integer('upload_id')
      .notNull()
      .references(() => recordUploads.id),
    /** Element key such as "birth_date_verification" or "courses". */
    element: text('element').notNull(),
    applicable: integer('applicable').notNull(),
    supplied: integer('supplied').notNull(),
  },
  (table) => [primaryKey({ columns: [table.uploadId, table.element] })],
);
