import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { people } from './people';

/**
 * One upload of a state's MDE files, from the browser or the command line.
 * `filesSha256` is the digest of the files' contents, so the same files sent
 * twice are recognized.
 */
export const recordUploads = sqliteTable(
  'record_uploads',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    state: text('state').notNull(),
    uploadedBy: integer('uploaded_by').references(() => people.id),
    source: text('source', { enum: ['browser', 'command_line'] }).notNull(),
    /** JSON array of the file names received. */
    fileNames: text('file_names').notNull(),
    filesSha256: text('files_sha256').notNull(),
    /** processing, completed (students accepted or rejected one by one), or rejected whole (a broken file). */
    status: text('status', { enum: ['processing', 'completed', 'rejected'] }).notNull(),
    /** For an upload rejected whole: the one message naming the file and the problem. */
    rejectionMessage: text('rejection_message'),
    studentsReceived: integer('students_received').notNull().default(0),
    studentsAccepted: integer('students_accepted').notNull().default(0),
    studentsRejected: integer('students_rejected').notNull().default(0),
    /** Students whose data was identical to what was on file, so nothing changed. */
    studentsUnchanged: integer('students_unchanged').notNull().default(0),
    /** Data-quality score from 0 to 100. */
    qualityScore: real('quality_score'),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
  },
  (table) => [index('record_uploads_state_idx').on(table.state, table.startedAt)],
);

/** Every problem found in an upload, naming the file, line, column, value and rule. */
export const uploadProblems = sqliteTable(
  'upload_problems',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    uploadId: integer('upload_id')
      .notNull()
      .references(() => recordUploads.id),
    file: text('file').notNull(),
    line: integer('line'),
    column: text('column'),
    value: text('value'),
    /** Short rule name such as "required", "max_length", "date_format", "code". */
    rule: text('rule').notNull(),
    message: text('message').notNull(),
    stateStudentId: text('state_student_id'),
    /** error: the student was rejected; warning: reported only (such as an unknown column). */
    severity: text('severity', { enum: ['error', 'warning'] }).notNull(),
  },
  (table) => [index('upload_problems_upload_idx').on(table.uploadId)],
);

/** One consolidated record: every state's records of one child, under one 12-digit MSIX ID. */
export const consolidatedRecords = sqliteTable(
  'consolidated_records',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    msixId: text('msix_id').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [uniqueIndex('consolidated_records_msix_id_unique').on(table.msixId)],
);

/** A child as one state reported it (students.csv). Within a state the state student ID identifies the child. */
export const students = sqliteTable(
  'students',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    state: text('state').notNull(),
    stateStudentId: text('state_student_id').notNull(),
    consolidatedRecordId: integer('consolidated_record_id').references(() => consolidatedRecords.id),
    stateStudentIdType: text('state_student_id_type'),
    firstName: text('first_name').notNull(),
    middleName: text('middle_name'),
    lastName1: text('last_name_1').notNull(),
    lastName2: text('last_name_2'),
    suffix: text('suffix'),
    sex: text('sex', { enum: ['Female', 'Male'] }).notNull(),
    /** YYYY-MM-DD. */
    birthDate: text('birth_date').notNull(),
    birthDateVerification: text('birth_date_verification'),
    multipleBirth: integer('multiple_birth', { mode: 'boolean' }).notNull(),
    birthCity: text('birth_city'),
    birthState: text('birth_state'),
    birthCountry: text('birth_country'),
    parent1FirstName: text('parent1_first_name'),
    parent1LastName: text('parent1_last_name'),
    parent2FirstName: text('parent2_first_name'),
    parent2LastName: text('parent2_last_name'),
    parent1Email: text('parent1_email'),
    parent1Phone: text('parent1_phone'),
    parent2Email: text('parent2_email'),
    parent2Phone: text('parent2_phone'),
    /** SHA-256 of the student's rows in all files as last accepted; an identical upload changes nothing. */
    contentSha256: text('content_sha256').notNull(),
    lastUploadId: integer('last_upload_id').references(() => recordUploads.id),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('students_state_id_unique').on(table.state, table.stateStudentId),
    index('students_consolidated_idx').on(table.consolidatedRecordId),
    index('students_birth_date_idx').on(table.birthDate),
  ],
);

/** qualifying_moves.csv rows of a student. */
export const qualifyingMoves = sqliteTable(
  'qualifying_moves',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    studentId: integer('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    qad: text('qad').notNull(),
    fromCity: text('from_city').notNull(),
    fromState: text('from_state'),
    fromCountry: text('from_country'),
    toCity: text('to_city').notNull(),
    toState: text('to_state').notNull(),
    eligibilityExpirationDate: text('eligibility_expiration_date').notNull(),
  },
  (table) => [
    index('qualifying_moves_student_idx').on(table.studentId),
    index('qualifying_moves_qad_idx').on(table.qad),
  ],
);

/** enrollments.csv rows of a student. */
export const enrollments = sqliteTable(
  'enrollments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    studentId: integer('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    enrollmentDate: text('enrollment_date').notNull(),
    enrollmentType: text('enrollment_type').notNull(),
    schoolOrProjectName: text('school_or_project_name').notNull(),
    schoolId: text('school_id'),
    districtId: text('district_id'),
    districtName: text('district_name'),
    facilityCity: text('facility_city'),
    facilityState: text('facility_state'),
    gradeLevel: text('grade_level').notNull(),
    withdrawalDate: text('withdrawal_date'),
    englishLearner: integer('english_learner', { mode: 'boolean' }),
    iep: integer('iep', { mode: 'boolean' }),
    priorityForServices: integer('priority_for_services', { mode: 'boolean' }),
    immunizationRecord: integer('immunization_record', { mode: 'boolean' }),
    medAlert: text('med_alert'),
    residencyDate: text('residency_date'),
    graduationHse: text('graduation_hse'),
    graduationHseDate: text('graduation_hse_date'),
    comment: text('comment'),
  },
  (table) => [index('enrollments_student_idx').on(table.studentId)],
);

/** courses.csv rows of a student. */
export const courses = sqliteTable(
  'courses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    studentId: integer('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    schoolId: text('school_id'),
    courseTitle: text('course_title').notNull(),
    subjectArea: text('subject_area').notNull(),
    courseType: text('course_type'),
    beginYear: integer('begin_year').notNull(),
    endYear: integer('end_year').notNull(),
    courseSection: text('course_section'),
    termType: text('term_type'),
    clockHours: real('clock_hours'),
    gradeToDate: text('grade_to_date'),
    creditsGranted: real('credits_granted'),
    finalGrade: text('final_grade'),
  },
  (table) => [index('courses_student_idx').on(table.studentId)],
);

/** assessments.csv rows of a student. */
export const assessments = sqliteTable(
  'assessments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    studentId: integer('student_id')
      .notNull()
      .references(() => students.id, { onDelete: 'cascade' }),
    assessmentTitle: text('assessment_title').notNull(),
    assessmentContent: text('assessment_content').notNull(),
    assessmentType: text('assessment_type').notNull(),
    /** YYYY-MM. */
    administrationDate: text('administration_date').notNull(),
    reportingMethod: text('reporting_method'),
    score: text('score').notNull(),
    interpretation: text('interpretation'),
  },
  (table) => [index('assessments_student_idx').on(table.studentId)],
);
