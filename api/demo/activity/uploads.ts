/**
 * Past MDE uploads with their data-quality figures: large states upload
 * monthly, middle-sized ones twice a quarter, small ones once, and more
 * states take part each year. Most states keep a steady score; a few start
 * low and improve over the three years, which is the data-quality story the
 * dashboard shows. In the current quarter, each state's demo records upload
 * is the upload due in its part of the quarter, and the history
 * leads up to it: uploads of about as many students, with completeness
 * converging on its completeness. Each rejected student gets one problem
 * row, located by file, line and column without a value.
 */
import { completenessElements, qualityScore } from '../../records/quality/completeness';
import { quarterEnd } from '../../dashboard/quarters';
import {
  isoOf,
  noisyCount,
  randomHex64,
  randomWorkTime,
  trend,
  type DemoContext,
  type DemoQuarter,
  type DemoState,
} from './context';

/** States whose data quality improves markedly over the three years. */
const improvingStates = new Set(['FL', 'NC', 'GA', 'AZ', 'NY', 'KS', 'OK', 'AR', 'PA']);

/** Share of the measured students each element applies to, and how its supply differs from the state's level. */
const elementProfiles: Record<string, { applies: number; offset: number }> = {
  birth_state: { applies: 0.85, offset: 0.03 },
  parent_contact: { applies: 1, offset: -0.12 },
  enrollment_immunization_record: { applies: 0.95, offset: -0.15 },
  enrollment_med_alert: { applies: 0.95, offset: -0.22 },
  enrollment_residency_date: { applies: 0.95, offset: -0.08 },
  courses: { applies: 0.3, offset: -0.1 },
  assessments: { applies: 0.62, offset: -0.06 },
  graduation_hse: { applies: 0.04, offset: -0.25 },
};
const defaultProfile = { applies: 1, offset: 0.04 };
/** How far below level / 100 the base supply rate of a synthetic upload sits. */
const supplyRateGap = 0.04;

/**
 * Expected completeness of a synthetic upload minus level / 100: the element
 * offsets weighted by how many students each applies to, less the supply
 * rate gap. It ignores the clamping of a rate at 0 and 1.
 */
const completenessOffset = (() => {
  let applies = 0;
  let weighted = 0;
  for (const element of completenessElements) {
    const profile = elementProfiles[element.key] ?? defaultProfile;
    applies += profile.applies;
    weighted += profile.applies * profile.offset;
  }
  return weighted / applies - supplyRateGap;
})();

const problemLocations: readonly { file: string; column: string; rule: string; message: string }[] = [
  {
    file: 'students.csv',
    column: 'birth_date',
    rule: 'date_format',
    message: 'birth_date is not a real date; write it YYYY-MM-DD.',
  },
  { file: 'students.csv', column: 'sex', rule: 'sex', message: 'sex must be Female or Male.' },
  {
    file: 'qualifying_moves.csv',
    column: 'qad',
    rule: 'required',
    message: 'qad is required; give the qualifying arrival date.',
  },
  {
    file: 'qualifying_moves.csv',
    column: 'to_state',
    rule: 'usps_code',
    message: 'to_state must be a USPS state code such as TX.',
  },
  {
    file: 'enrollments.csv',
    column: 'grade_level',
    rule: 'code',
    message: 'grade_level must be a grade code such as 05 or OS.',
  },
];

const rejectionMessages = [
  'students.csv, line 1: the header has no state_student_id column. Add the column and upload the files again.',
  'enrollments.csv is not UTF-8 text. Save it as CSV UTF-8 and upload the files again.',
];

/** A state's uploads of the current quarter that were already on file, made by the demo records seed. */
interface RecordedUploads {
  completed: number;
  /** Students received by the completed uploads. */
  students: number;
  earliestStartMs: number;
  /** Supplied over applicable MDEs, 0 to 1, or null when no upload completed. */
  completeness: number | null;
}

/** Inserts the uploads, their completeness and problems; returns how many uploads. */
export function seedUploads(context: DemoContext): number {
  const { random } = context;
  const statements = prepareStatements(context);
  const recorded = readRecordedUploads(context);
  // The demo records imported at the first start already stand for the days just before it.
  const latestMs = context.now.getTime() - 2 * 86_400_000;
  const currentIndex = context.quarters.length - 1;
  let total = 0;

  for (const quarter of context.quarters) {
    for (const state of context.states) {
      const stateRecorded = recorded.get(state.code);
      const current = quarter.index === currentIndex ? stateRecorded : undefined;
      const participation = Math.min(1, trend(quarter, 0.55, 1.1) * (0.7 + 0.3 * state.adoption));
      // A rejected upload counts no student, so a state with no completed one keeps the size from its weight.
      const studentsPerUpload =
        stateRecorded && stateRecorded.completed > 0
          ? stateRecorded.students / stateRecorded.completed
          : state.weight * 12 + 5;
      const target = targetLevel(state, stateRecorded);

      for (const slot of uploadSlots(quarter, uploadsPerQuarter(state))) {
        // The recorded upload is the upload of the slot it falls in and of the rest of the quarter.
        if (current && slot.endMs > current.earliestStartMs) break;
        if (slot.startMs >= latestMs) break;
        // A state that sends a file in the current quarter keeps to its schedule in that quarter.
        if (!current && !random.chance(participation)) continue;
        const startedMs = randomWorkTime(random, slot, latestMs);
        if (startedMs >= latestMs) continue;
        const level = qualityLevel(state, quarter.index, target, random.next());
        insertUpload(context, statements, state, level, noisyCount(random, studentsPerUpload), startedMs);
        total += 1;
      }
    }
  }
  return total;
}

/** Large states upload monthly, middle-sized ones twice a quarter, small ones once. */
function uploadsPerQuarter(state: DemoState): number {
  if (state.weight >= 15) return 3;
  if (state.weight >= 5) return 2;
  return 1;
}

/** Splits the whole calendar quarter into equal parts, one upload each. */
function uploadSlots(quarter: DemoQuarter, count: number): DemoQuarter[] {
  const fullEndMs = Date.parse(quarterEnd(quarter.quarter));
  const lengthMs = (fullEndMs - quarter.startMs) / count;
  return Array.from({ length: count }, (_, slot) => ({
    ...quarter,
    startMs: quarter.startMs + slot * lengthMs,
    endMs: quarter.startMs + (slot + 1) * lengthMs,
  }));
}

/**
 * Reads the uploads of the current quarter that are on file before the demo
 * activity runs. They all come from the demo records seed, because the
 * uploads part is skipped when someone else uploaded.
 */
function readRecordedUploads(context: DemoContext): Map<string, RecordedUploads> {
  const currentQuarter = context.quarters[context.quarters.length - 1]!;
  const rows = context.sqlite
    .prepare(
      `SELECT u.state AS state, sum(u.status = 'completed') AS completed, sum(u.students_received) AS students,
              min(u.started_at) AS earliestStart,
              (SELECT sum(c.supplied) FROM record_upload_completeness c JOIN record_uploads cu ON cu.id = c.upload_id
                WHERE cu.state = u.state AND cu.status = 'completed' AND cu.started_at >= @start) AS supplied,
              (SELECT sum(c.applicable) FROM record_upload_completeness c JOIN record_uploads cu ON cu.id = c.upload_id
                WHERE cu.state = u.state AND cu.status = 'completed' AND cu.started_at >= @start) AS applicable
         FROM record_uploads u
        WHERE u.started_at >= @start AND u.status IN ('completed', 'rejected')
        GROUP BY u.state`,
    )
    .all({ start: isoOf(currentQuarter.startMs) }) as {
    state: string;
    completed: number;
    students: number;
    earliestStart: string;
    supplied: number | null;
    applicable: number | null;
  }[];
  return new Map(
    rows.map((row) => [
      row.state,
      {
        completed: row.completed,
        students: row.students,
        earliestStartMs: Date.parse(row.earliestStart),
        completeness: row.applicable ? (row.supplied ?? 0) / row.applicable : null,
      },
    ]),
  );
}

/**
 * Returns the level a state reaches in the current quarter: the level whose
 * synthetic uploads have the completeness of its recorded upload, or, with
 * none on file, 74 to 90 by how fast the state took up the exchange.
 */
function targetLevel(state: DemoState, recorded: RecordedUploads | undefined): number {
  if (recorded?.completeness == null) return 74 + 16 * ((state.adoption - 0.6) / 0.8);
  return Math.min(98, Math.max(65, 100 * (recorded.completeness - completenessOffset)));
}

/**
 * Returns the state's data-quality level, about 55 to 98, in the given
 * quarter. Improving states climb from about 58 to their target; the others
 * start 2 to 8 points below it (slower adopters further) and close the gap.
 */
function qualityLevel(state: DemoState, quarterIndex: number, target: number, draw: number): number {
  const noise = (draw - 0.5) * 5;
  const progress = quarterIndex / 11;
  if (improvingStates.has(state.code)) return 58 + progress * (target - 58) + noise;
  const startGap = 2 + 6 * ((1.4 - state.adoption) / 0.8);
  return target - startGap * (1 - progress) + noise;
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(context: DemoContext) {
  const { sqlite } = context;
  return {
    upload: sqlite.prepare(
      `INSERT INTO record_uploads (state, uploaded_by, source, file_names, files_sha256, status, rejection_message,
         students_received, students_accepted, students_rejected, students_unchanged, quality_score, started_at, finished_at)
       VALUES (@state, @uploadedBy, @source, @fileNames, @filesSha256, @status, @rejectionMessage,
         @received, @accepted, @rejected, @unchanged, @score, @startedAt, @finishedAt)`,
    ),
    progress: sqlite.prepare(
      `INSERT INTO record_upload_progress (upload_id, phase, bytes_total, bytes_read, students_total, students_checked, updated_at)
       VALUES (?, 'finished', ?, ?, ?, ?, ?)`,
    ),
    completeness: sqlite.prepare(
      'INSERT INTO record_upload_completeness (upload_id, element, applicable, supplied) VALUES (?, ?, ?, ?)',
    ),
    problem: sqlite.prepare(
      `INSERT INTO upload_problems (upload_id, file, line, "column", value, rule, message, state_student_id, severity)
       VALUES (?, ?, ?, ?, NULL, ?, ?, NULL, 'error')`,
    ),
  };
}

function insertUpload(
  context: DemoContext,
  statements: Statements,
  state: DemoState,
  level: number,
  received: number,
  startedMs: number,
): void {
  const { random } = context;
  const fromBrowser = random.chance(0.6);
  const fileNames = ['students.csv', 'qualifying_moves.csv', 'enrollments.csv'];
  if (random.chance(0.7)) fileNames.push('courses.csv', 'assessments.csv');
  const finishedMs = startedMs + (20 + received / 8 + random.integer(0, 90)) * 1000;
  const base = {
    state: state.code,
    uploadedBy: fromBrowser ? context.accounts.coordinator(state.code) : null,
    source: fromBrowser ? 'browser' : 'command_line',
    fileNames: JSON.stringify(fileNames),
    filesSha256: randomHex64(random),
    startedAt: isoOf(startedMs),
    finishedAt: isoOf(finishedMs),
  };
  const bytes = received * 900;

  if (random.chance(0.04)) {
    const id = statements.upload.run({
      ...base,
      status: 'rejected',
      rejectionMessage: random.pick(rejectionMessages),
      received: 0,
      accepted: 0,
      rejected: 0,
      unchanged: 0,
      score: null,
    }).lastInsertRowid;
    statements.progress.run(id, bytes, bytes, 0, 0, base.finishedAt);
    return;
  }

  const acceptance = Math.min(1, Math.max(0.8, 0.97 + (level - 80) / 400 + (random.next() - 0.5) * 0.02));
  const measured = Math.round(received * acceptance);
  const unchanged = Math.round(measured * (0.2 + 0.3 * random.next()));
  const counts = completenessCounts(measured, level / 100 - supplyRateGap, random.next.bind(random));
  const totals = counts.reduce(
    (sum, count) => ({ applicable: sum.applicable + count.applicable, supplied: sum.supplied + count.supplied }),
    { applicable: 0, supplied: 0 },
  );
  const score = qualityScore(
    { received, acceptedOrUnchanged: measured },
    totals.applicable === 0 ? null : totals.supplied / totals.applicable,
  );
  const rejected = received - measured;
  const id = statements.upload.run({
    ...base,
    status: 'completed',
    rejectionMessage: null,
    received,
    accepted: measured - unchanged,
    rejected,
    unchanged,
    score,
  }).lastInsertRowid;
  statements.progress.run(id, bytes, bytes, received, received, base.finishedAt);
  for (const count of counts) statements.completeness.run(id, count.element, count.applicable, count.supplied);
  for (let problem = 0; problem < rejected; problem += 1) {
    const location = random.pick(problemLocations);
    statements.problem.run(
      id,
      location.file,
      random.integer(2, received + 1),
      location.column,
      location.rule,
      location.message,
    );
  }
}

function completenessCounts(measured: number, supplyRate: number, draw: () => number) {
  return completenessElements.map((element) => {
    const profile = elementProfiles[element.key] ?? defaultProfile;
    const applicable = Math.round(measured * profile.applies);
    const rate = Math.min(1, Math.max(0, supplyRate + profile.offset + (draw() - 0.5) * 0.06));
    return { element: element.key, applicable, supplied: Math.round(applicable * rate) };
  });
}
