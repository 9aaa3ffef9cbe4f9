/**
 * The five MDE upload files and the rules of each column, following the
 * published MSIX Minimum Data Elements layout (lengths are maximums in
 * characters).
 */

export const uploadFileNames = [
  'students.csv',
  'qualifying_moves.csv',
  'enrollments.csv',
  'courses.csv',
  'assessments.csv',
] as const;

export type UploadFileName = (typeof uploadFileNames)[number];

export function isUploadFileName(name: string): name is UploadFileName {
  return (uploadFileNames as readonly string[]).includes(name);
}

/** Kind of a column's values, which decides how a cell is checked and stored. */
export type ColumnKind =
  | { type: 'text' }
  | { type: 'student_id' }
  | { type: 'date'; pastOnly: boolean }
  | { type: 'month' }
  | { type: 'year' }
  | { type: 'codes'; codes: readonly string[]; labels?: string }
  | { type: 'two_character_code' }
  | { type: 'yes_no' }
  | { type: 'sex' }
  | { type: 'usps' }
  | { type: 'country' }
  | { type: 'digits'; exactLength?: number; what: string }
  | { type: 'email' }
  | { type: 'number'; maxDecimals?: number };

export interface ColumnSpec {
  name: string;
  required: boolean;
  /** Maximum length in characters, for text-like columns. */
  maxLength?: number;
  kind: ColumnKind;
}

const text = (name: string, maxLength: number, required = false): ColumnSpec => ({
  name,
  required,
  maxLength,
  kind: { type: 'text' },
});
const date = (name: string, required = false, pastOnly = true): ColumnSpec => ({
  name,
  required,
  kind: { type: 'date', pastOnly },
});
const yesNo = (name: string): ColumnSpec => ({ name, required: false, kind: { type: 'yes_no' } });
const usps = (name: string, required = false): ColumnSpec => ({ name, required, kind: { type: 'usps' } });
const studentId: ColumnSpec = { name: 'state_student_id', required: true, maxLength: 15, kind: { type: 'student_id' } };

/** NCES birth-date verification codes. */
const birthDateVerificationCodes = [
  '1003',
  '1004',
  '1005',
  '1006',
  '1007',
  '1008',
  '1009',
  '1010',
  '1011',
  '1012',
  '1013',
  '2382',
  '3423',
  '3424',
  '9999',
] as const;

/** NCES session (term type) codes. */
const termTypeCodes = ['0827', '0828', '0829', '0830', '0832', '0833', '0834', '0835', '9999'] as const;

/** NCES assessment reporting-method codes. */
const reportingMethodCodes = [
  '0512',
  '0490',
  '0493',
  '0144',
  '0500',
  '0502',
  '0503',
  '3478',
  '3479',
  '0508',
  '9999',
] as const;

/** Grade levels: pre-kindergarten, kindergarten, grades 1 to 12, ungraded and out of school. */
export const gradeLevels = [
  'PK',
  'KG',
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '07',
  '08',
  '09',
  '10',
  '11',
  '12',
  'UG',
  'OS',
] as const;

export const columnsByFile: Record<UploadFileName, readonly ColumnSpec[]> = {
  'students.csv': [
    studentId,
    { name: 'state_student_id_type', required: false, kind: { type: 'codes', codes: ['01', '02'] } },
    text('first_name', 50, true),
    text('middle_name', 50),
    text('last_name_1', 50, true),
    text('last_name_2', 50),
    text('suffix', 10),
    { name: 'sex', required: true, kind: { type: 'sex' } },
    date('birth_date', true),
    { name: 'birth_date_verification', required: false, kind: { type: 'codes', codes: birthDateVerificationCodes } },
    { name: 'multiple_birth', required: true, kind: { type: 'yes_no' } },
    text('birth_city', 30),
    usps('birth_state'),
    { name: 'birth_country', required: false, maxLength: 4, kind: { type: 'country' } },
    text('parent1_first_name', 50),
    text('parent1_last_name', 50),
    text('parent2_first_name', 50),
    text('parent2_last_name', 50),
    { name: 'parent1_email', required: false, maxLength: 50, kind: { type: 'email' } },
    { name: 'parent1_phone', required: false, maxLength: 15, kind: { type: 'digits', what: 'a phone number' } },
    { name: 'parent2_email', required: false, maxLength: 50, kind: { type: 'email' } },
    { name: 'parent2_phone', required: false, maxLength: 15, kind: { type: 'digits', what: 'a phone number' } },
  ],
  'qualifying_moves.csv': [
    studentId,
    date('qad', true),
    text('from_city', 100, true),
    usps('from_state'),
    { name: 'from_country', required: false, maxLength: 4, kind: { type: 'country' } },
    text('to_city', 100, true),
    usps('to_state', true),
    // Normally 36 months after the QAD, so usually a future date.
    date('eligibility_expiration_date', true, false),
  ],
  'enrollments.csv': [
    studentId,
    date('enrollment_date', true),
    { name: 'enrollment_type', required: true, kind: { type: 'two_character_code' } },
    text('school_or_project_name', 100, true),
    { name: 'school_id', required: false, kind: { type: 'digits', exactLength: 12, what: 'an NCES school ID' } },
    { name: 'district_id', required: false, kind: { type: 'digits', exactLength: 7, what: 'an NCES district ID' } },
    text('district_name', 60),
    text('facility_city', 30),
    usps('facility_state'),
    {
      name: 'grade_level',
      required: true,
      kind: { type: 'codes', codes: gradeLevels, labels: 'PK, KG, 01 to 12, UG (ungraded) or OS (out of school)' },
    },
    date('withdrawal_date'),
    yesNo('english_learner'),
    yesNo('iep'),
    yesNo('priority_for_services'),
    yesNo('immunization_record'),
    { name: 'med_alert', required: false, kind: { type: 'codes', codes: ['Chronic', 'Acute', 'None'] } },
    date('residency_date'),
    { name: 'graduation_hse', required: false, kind: { type: 'codes', codes: ['Graduated', 'HSE'] } },
    date('graduation_hse_date'),
    text('comment', 1000),
  ],
  'courses.csv': [
    studentId,
    { name: 'school_id', required: false, kind: { type: 'digits', exactLength: 12, what: 'an NCES school ID' } },
    text('course_title', 50, true),
    text('subject_area', 50, true),
    // The MDE layout gives this column a length of 2 but lists longer labels; the labels are what states send.
    {
      name: 'course_type',
      required: false,
      kind: { type: 'codes', codes: ['Regular', 'Honors', 'Pre-AP', 'AP', 'IB', 'N/A', 'Other'] },
    },
    { name: 'begin_year', required: true, kind: { type: 'year' } },
    { name: 'end_year', required: true, kind: { type: 'year' } },
    {
      name: 'course_section',
      required: false,
      kind: { type: 'codes', codes: ['FY', 'A', 'B'], labels: 'FY (full year), A (first half) or B (second half)' },
    },
    { name: 'term_type', required: false, kind: { type: 'codes', codes: termTypeCodes } },
    { name: 'clock_hours', required: false, kind: { type: 'number' } },
    text('grade_to_date', 3),
    { name: 'credits_granted', required: false, kind: { type: 'number', maxDecimals: 2 } },
    text('final_grade', 10),
  ],
  'assessments.csv': [
    studentId,
    text('assessment_title', 55, true),
    text('assessment_content', 35, true),
    { name: 'assessment_type', required: true, kind: { type: 'two_character_code' } },
    { name: 'administration_date', required: true, kind: { type: 'month' } },
    { name: 'reporting_method', required: false, kind: { type: 'codes', codes: reportingMethodCodes } },
    text('score', 40, true),
    // NOTE: state assessments must use one of nine interpretations, but the layout has no column
    // that tells whether an assessment is a state assessment, so only the length is checked.
    text('interpretation', 100),
  ],
};

/** Columns a file's header must contain; without one of them the file is rejected whole. */
export function requiredColumns(file: UploadFileName): string[] {
  return columnsByFile[file].filter((column) => column.required).map((column) => column.name);
}
