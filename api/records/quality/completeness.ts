/**
 * Completeness of the MDEs that apply to each accepted student, by the
 * child's age and grade. Required columns are not measured here, because a
 * student without them is rejected; this measures the optional elements a
 * complete record still needs.
 */
import type { CheckedStudent, NormalizedRow } from '../uploads/student-check';

export interface CompletenessElement {
  key: string;
  /** Plain name shown in the report and the CSV. */
  label: string;
  /** Description of the children the element applies to, shown in the report. */
  appliesTo: string;
}

/** The facts about a child that decide which elements apply. */
interface ChildFacts {
  student: NormalizedRow;
  /** Grade level of the most recent enrollment sent, or null when no enrollment was sent. */
  grade: string | null;
  latestEnrollment: NormalizedRow | null;
  rows: CheckedStudent['rows'];
}

interface ElementRule extends CompletenessElement {
  applies: (child: ChildFacts) => boolean;
  supplied: (child: ChildFacts) => boolean;
}

const filled = (value: string | null | undefined) => value !== null && value !== undefined && value !== '';
const secondaryGrades = new Set(['09', '10', '11', '12']);
/** State assessments start in grade 3, so assessments are expected from grade 3 on. */
const assessedGrades = new Set(['03', '04', '05', '06', '07', '08', '09', '10', '11', '12']);

const studentField = (key: string, label: string): ElementRule => ({
  key,
  label,
  appliesTo: 'every child',
  applies: () => true,
  supplied: (child) => filled(child.student[key]),
});

const enrollmentField = (key: string, label: string): ElementRule => ({
  key: `enrollment_${key}`,
  label,
  appliesTo: 'every child with an enrollment (most recent enrollment)',
  applies: (child) => child.latestEnrollment !== null,
  supplied: (child) => filled(child.latestEnrollment?.[key]),
});

const elementRules: readonly ElementRule[] = [
  studentField('state_student_id_type', 'State student ID type'),
  studentField('birth_date_verification', 'Birth date verification'),
  studentField('birth_city', 'Birth city'),
  {
    key: 'birth_state',
    label: 'Birth state',
    // A child born abroad has a birth country instead of a birth state.
    appliesTo: 'children born in the U.S. (no birth country, or US)',
    applies: (child) => !filled(child.student['birth_country']) || /^USA?$/.test(child.student['birth_country'] ?? ''),
    supplied: (child) => filled(child.student['birth_state']),
  },
  // Parent or guardian fields apply to every child.
  studentField('parent1_first_name', 'Parent 1 first name'),
  studentField('parent1_last_name', 'Parent 1 last name'),
  {
    key: 'parent_contact',
    label: 'Parent email or phone',
    appliesTo: 'every child',
    applies: () => true,
    supplied: (child) =>
      ['parent1_email', 'parent1_phone', 'parent2_email', 'parent2_phone'].some((key) => filled(child.student[key])),
  },
  {
    key: 'qualifying_moves',
    label: 'Qualifying move',
    // Every child in the program has a qualifying move.
    appliesTo: 'every child',
    applies: () => true,
    supplied: (child) => (child.rows['qualifying_moves.csv']?.length ?? 0) > 0,
  },
  {
    key: 'enrollments',
    label: 'Enrollment',
    appliesTo: 'every child',
    applies: () => true,
    supplied: (child) => child.latestEnrollment !== null,
  },
  enrollmentField('english_learner', 'English learner'),
  enrollmentField('iep', 'IEP'),
  enrollmentField('priority_for_services', 'Priority for services'),
  enrollmentField('immunization_record', 'Immunization record'),
  enrollmentField('med_alert', 'Medical alert'),
  enrollmentField('residency_date', 'Residency date'),
  {
    key: 'courses',
    label: 'Course history',
    // Course history is kept for secondary students.
    appliesTo: 'children in grades 09 to 12',
    applies: (child) => child.grade !== null && secondaryGrades.has(child.grade),
    supplied: (child) => (child.rows['courses.csv']?.length ?? 0) > 0,
  },
  {
    key: 'assessments',
    label: 'Assessments',
    appliesTo: 'children in grades 03 to 12',
    applies: (child) => child.grade !== null && assessedGrades.has(child.grade),
    supplied: (child) => (child.rows['assessments.csv']?.length ?? 0) > 0,
  },
  {
    key: 'graduation_hse',
    label: 'Graduation or HSE',
    // A grade-12 student still enrolled has not graduated yet, so only a finished
    // grade-12 enrollment or an out-of-school youth is expected to report it.
    appliesTo: 'out-of-school youth, and children whose grade-12 enrollment has a withdrawal date',
    applies: (child) =>
      child.grade === 'OS' || (child.grade === '12' && filled(child.latestEnrollment?.['withdrawal_date'])),
    supplied: (child) => filled(child.latestEnrollment?.['graduation_hse']),
  },
];

export const completenessElements: readonly CompletenessElement[] = elementRules.map(({ key, label, appliesTo }) => ({
  key,
  label,
  appliesTo,
}));

/** Running totals of one upload: for each element, how many students it applied to and how many supplied it. */
export class CompletenessTally {
  readonly totals = new Map<string, { applicable: number; supplied: number }>();

  /** Counts one accepted student; a student sent without a students.csv row is not measured. */
  add(checked: CheckedStudent): void {
    if (!checked.student) return;
    const enrollmentRows = checked.rows['enrollments.csv'] ?? [];
    let latestEnrollment: NormalizedRow | null = null;
    for (const row of enrollmentRows) {
      if (!latestEnrollment || (row['enrollment_date'] ?? '') > (latestEnrollment['enrollment_date'] ?? '')) {
        latestEnrollment = row;
      }
    }
    const child: ChildFacts = {
      student: checked.student,
      grade: latestEnrollment?.['grade_level'] ?? null,
      latestEnrollment,
      rows: checked.rows,
    };
    for (const rule of elementRules) {
      if (!rule.applies(child)) continue;
      const total = this.totals.get(rule.key) ?? { applicable: 0, supplied: 0 };
      total.applicable += 1;
      if (rule.supplied(child)) total.supplied += 1;
      this.totals.set(rule.key, total);
    }
  }

  /** Share of applicable element values supplied, from 0 to 1, or null when nothing applied. */
  overall(): number | null {
    let applicable = 0;
    let supplied = 0;
    for (const total of this.totals.values()) {
      applicable += total.applicable;
      supplied += total.supplied;
    }
    return applicable === 0 ? null : supplied / applicable;
  }
}

/**
 * Data-quality score from 0 to 100: 60 points for the share of students
 * accepted (unchanged students count as accepted) and 40 points for the
 * overall completeness. Null when the upload had no students.
 */
export function qualityScore(
  counts: { received: number; acceptedOrUnchanged: number },
  completeness: number | null,
): number | null {
  if (counts.received === 0) return null;
  const acceptance = counts.acceptedOrUnchanged / counts.received;
  // With no accepted student nothing is measured, so completeness counts as zero.
  return Math.round((60 * acceptance + 40 * (completeness ?? 0)) * 10) / 10;
}
