/**
 * Fills the sections of RecordSections.astro from a consolidated record:
 * the identity merged and as each state reported it, qualifying moves,
 * enrollments, course history with credits (clock hours and grade to date
 * for courses in progress) and assessments.
 */
import { createElement, findRequired } from '../plans/dom';
import {
  birthDateVerificationLabels,
  courseSectionLabels,
  describeCode,
  gradeLevelLabels,
  reportingMethodLabels,
  termTypeLabels,
} from './code-labels';
import { formatCalendarDate, formatName, formatYesNo } from './record-format';
import type { ConsolidatedRecord, MergedIdentity, ReportedIdentity, Row } from './record-types';

interface Column<T> {
  label: string;
  value: (row: T) => string;
}

/** Builds a scrollable table with a caption and one header cell per row, the first column. */
export function renderTable<T>(caption: string, columns: Column<T>[], rows: readonly T[]): HTMLElement {
  const head = createElement('thead', {}, [
    createElement(
      'tr',
      {},
      columns.map((column) => createElement('th', { text: column.label, attributes: { scope: 'col' } })),
    ),
  ]);
  const body = createElement(
    'tbody',
    {},
    rows.map((row) =>
      createElement(
        'tr',
        {},
        columns.map((column, index) =>
          index === 0
            ? createElement('th', { text: column.value(row), attributes: { scope: 'row' } })
            : createElement('td', { text: column.value(row) }),
        ),
      ),
    ),
  );
  const table = createElement('table', { className: 'usa-table usa-table--borderless usa-table--striped' }, [
    createElement('caption', { className: 'usa-sr-only', text: caption }),
    head,
    body,
  ]);
  // A scrollable region must be reachable by keyboard and named.
  return createElement(
    'div',
    {
      className: 'usa-table-container--scrollable',
      attributes: { tabindex: '0', role: 'region', 'aria-label': caption },
    },
    [table],
  );
}

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));

function place(city: unknown, state: unknown, country: unknown): string {
  return [city, state, country].filter((part) => part !== null && part !== undefined && part !== '').join(', ');
}

function parents(identity: MergedIdentity): string {
  const first = [identity.parent1FirstName, identity.parent1LastName].filter(Boolean).join(' ');
  const second = [identity.parent2FirstName, identity.parent2LastName].filter(Boolean).join(' ');
  return [first, second].filter(Boolean).join('; ');
}

function fillSection(id: string, content: Node[]): void {
  findRequired<HTMLElement>(`[data-record-section="${id}"]`).replaceChildren(...content);
}

function emptyNote(message: string): HTMLElement {
  return createElement('p', { className: 'usa-hint', text: message });
}

function describeList(items: [string, string][]): HTMLElement[] {
  return items
    .filter(([, value]) => value !== '')
    .map(([term, value]) =>
      createElement('div', {}, [createElement('dt', { text: term }), createElement('dd', { text: value })]),
    );
}

/** Fills the summary and every section. */
export function renderRecordSections(record: ConsolidatedRecord): void {
  const merged = record.identity.merged;
  findRequired<HTMLElement>('[data-record-summary]').replaceChildren(
    ...describeList([
      ['MSIX ID', record.msixId],
      ['Name', formatName(merged)],
      ['Birth date', formatCalendarDate(merged.birthDate)],
      ['Sex', merged.sex],
      ['Reported by', record.states.join(', ')],
    ]),
  );

  renderIdentity(merged, record.identity.reported);
  renderMoves(record.qualifyingMoves);
  renderEnrollments(record.enrollments);
  renderCourses(record.courses);
  renderAssessments(record.assessments);
}

function renderIdentity(merged: MergedIdentity, reported: ReportedIdentity[]): void {
  const mergedList = createElement(
    'dl',
    { className: 'record-summary' },
    describeList([
      ['Birth date verification', describeCode(birthDateVerificationLabels, merged.birthDateVerification)],
      ['Multiple birth', formatYesNo(merged.multipleBirth)],
      ['Birth place', place(merged.birthCity, merged.birthState, merged.birthCountry)],
      ['Parents or guardians', parents(merged)],
    ]),
  );
  const intro = createElement('p', {
    text: 'Each field above shows the value most states reported. The table shows each state’s report.',
  });
  const table = renderTable<ReportedIdentity>(
    'The child’s identity as each state reported it',
    [
      { label: 'State', value: (row) => row.state },
      { label: 'State student ID', value: (row) => row.stateStudentId },
      { label: 'Name', value: (row) => formatName(row) },
      { label: 'Sex', value: (row) => row.sex },
      { label: 'Birth date', value: (row) => formatCalendarDate(row.birthDate) },
      { label: 'Multiple birth', value: (row) => formatYesNo(row.multipleBirth) },
      { label: 'Birth place', value: (row) => place(row.birthCity, row.birthState, row.birthCountry) },
      { label: 'Parents or guardians', value: (row) => parents(row) },
      { label: 'Last updated', value: (row) => formatCalendarDate(row.updatedAt.slice(0, 10)) },
    ],
    reported,
  );
  fillSection('identity', [mergedList, intro, table]);
}

function renderMoves(moves: Row[]): void {
  if (moves.length === 0) return fillSection('moves', [emptyNote('No qualifying moves on file.')]);
  fillSection('moves', [
    renderTable<Row>(
      'Qualifying moves, newest first',
      [
        { label: 'Qualifying arrival date', value: (row) => formatCalendarDate(text(row.qad)) },
        { label: 'From', value: (row) => place(row.fromCity, row.fromState, row.fromCountry) },
        { label: 'To', value: (row) => place(row.toCity, row.toState, null) },
        { label: 'Eligibility ends', value: (row) => formatCalendarDate(text(row.eligibilityExpirationDate)) },
        { label: 'Reported by', value: (row) => text(row.reportedBy) },
      ],
      moves,
    ),
  ]);
}

function renderEnrollments(enrollments: Row[]): void {
  if (enrollments.length === 0) return fillSection('enrollments', [emptyNote('No enrollments on file.')]);
  fillSection('enrollments', [
    renderTable<Row>(
      'Enrollments in every state, newest first',
      [
        { label: 'School or project', value: (row) => text(row.schoolOrProjectName) },
        { label: 'Enrolled', value: (row) => formatCalendarDate(text(row.enrollmentDate)) },
        { label: 'Withdrew', value: (row) => formatCalendarDate(text(row.withdrawalDate)) },
        { label: 'Grade', value: (row) => describeCode(gradeLevelLabels, row.gradeLevel) },
        { label: 'District', value: (row) => text(row.districtName) },
        { label: 'Where', value: (row) => place(row.facilityCity, row.facilityState, null) },
        { label: 'English learner', value: (row) => formatYesNo(row.englishLearner) },
        { label: 'IEP', value: (row) => formatYesNo(row.iep) },
        { label: 'Priority for services', value: (row) => formatYesNo(row.priorityForServices) },
        { label: 'Immunization record', value: (row) => formatYesNo(row.immunizationRecord) },
        { label: 'Medical alert', value: (row) => text(row.medAlert) },
        {
          label: 'Graduation or HSE',
          value: (row) =>
            [text(row.graduationHse), formatCalendarDate(text(row.graduationHseDate))].filter(Boolean).join(', '),
        },
        { label: 'Reported by', value: (row) => text(row.reportedBy) },
      ],
      enrollments,
    ),
  ]);
}

function renderCourses(courses: Row[]): void {
  if (courses.length === 0) return fillSection('courses', [emptyNote('No courses on file.')]);
  const finishedCredits = courses.reduce(
    (sum, row) => sum + (typeof row.creditsGranted === 'number' ? row.creditsGranted : 0),
    0,
  );
  const inProgress = courses.filter((row) => row.inProgress).length;
  const total = createElement('p', {
    text: `Credits granted: ${finishedCredits.toFixed(2)}. Courses in progress: ${inProgress}.`,
  });
  fillSection('courses', [
    total,
    renderTable<Row>(
      'Course history with credits, newest first',
      [
        { label: 'Course', value: (row) => text(row.courseTitle) },
        { label: 'Subject', value: (row) => text(row.subjectArea) },
        { label: 'School years', value: (row) => `${text(row.beginYear)}–${text(row.endYear)}` },
        { label: 'Status', value: (row) => (row.inProgress ? 'In progress' : 'Finished') },
        {
          label: 'Credits granted',
          value: (row) => (typeof row.creditsGranted === 'number' ? row.creditsGranted.toFixed(2) : ''),
        },
        { label: 'Final grade', value: (row) => text(row.finalGrade) },
        { label: 'Clock hours', value: (row) => text(row.clockHours) },
        { label: 'Grade to date', value: (row) => text(row.gradeToDate) },
        { label: 'Type', value: (row) => text(row.courseType) },
        {
          label: 'Section and term',
          value: (row) =>
            [describeCode(courseSectionLabels, row.courseSection), describeCode(termTypeLabels, row.termType)]
              .filter(Boolean)
              .join(', '),
        },
        { label: 'Reported by', value: (row) => text(row.reportedBy) },
      ],
      courses,
    ),
  ]);
}

function renderAssessments(assessments: Row[]): void {
  if (assessments.length === 0) return fillSection('assessments', [emptyNote('No assessments on file.')]);
  fillSection('assessments', [
    renderTable<Row>(
      'Assessments, newest first',
      [
        { label: 'Assessment', value: (row) => text(row.assessmentTitle) },
        { label: 'Given', value: (row) => text(row.administrationDate) },
        { label: 'Content', value: (row) => text(row.assessmentContent) },
        { label: 'Score', value: (row) => text(row.score) },
        { label: 'Reported as', value: (row) => describeCode(reportingMethodLabels, row.reportingMethod) },
        { label: 'Interpretation', value: (row) => text(row.interpretation) },
        { label: 'Reported by', value: (row) => text(row.reportedBy) },
      ],
      assessments,
    ),
  ]);
}
