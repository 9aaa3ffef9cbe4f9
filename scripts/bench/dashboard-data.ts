/**
 * The synthetic database of the dashboard benchmark (scripts/bench/dashboard.ts).
 *
 * It writes straight into a migrated, empty SQLite file with prepared
 * statements in large transactions, from a fixed seed. It inserts
 * consolidated records and students rows with their qualifying moves, usage
 * events, and the other sources of the dashboard's figures: uploads with
 * completeness, move notices, near matches with decisions, tickets with
 * surveys, subscribers, campaign deliveries, webinar registrations and plans.
 * Their sizes follow the students, from example sizes for 1,000,000. Names
 * are placeholders.
 */
import type { Database } from 'better-sqlite3';
import type { Actor } from '../../api/auth/actor';
import { hashPassword } from '../../api/auth/passwords';
import { addQuarters, quarterOf, quarterStart, quartersBetween, type Quarter } from '../../api/dashboard/quarters';
import { completenessElements } from '../../api/records/quality/completeness';
import { SeededRandom, WeightedPicker } from '../../api/records/synthetic/random';
import { stateWeights } from '../../api/records/synthetic/state-weights';
import { stateCodes } from '../../api/shared/states';
import { usageEventKinds } from '../../db/schema';

export interface DashboardDataOptions {
  /** Students rows; about 10% of them share a consolidated record with a row in another state. */
  students: number;
  /** Usage events (searches, records viewed and printed) over the activity quarters. */
  events: number;
  seed: number;
  /** Nothing happens after this time, and the activity quarters end with its quarter. */
  now: Date;
  /** The first of the activity quarters, in which events, uploads, tickets and the rest happen. */
  firstQuarter: Quarter;
  /** Qualifying arrival dates span from the start of this year to `now`. */
  firstQadYear: number;
}

export interface GeneratedSizes {
  students: number;
  consolidatedRecords: number;
  /** Consolidated records with students rows in two states. */
  sharedRecords: number;
  qualifyingMoves: number;
  usageEvents: number;
  usageCountRows: number;
  uploads: number;
  completenessRows: number;
  moveNotices: number;
  nearMatches: number;
  nearMatchDecisions: number;
  tickets: number;
  surveys: number;
  subscribers: number;
  campaigns: number;
  campaignDeliveries: number;
  registrations: number;
  plans: number;
  milestones: number;
  milestoneUpdates: number;
}

export interface BenchPeople {
  admin: Actor;
  /** One state coordinator's id per state, who sends move notices and resolves near matches. */
  coordinatorIds: Map<string, number>;
}

/** The password of the generated admin, so the benchmark can sign in. */
export const benchAdminPassword = 'lantern orchard velvet 4817';

const dayMs = 86_400_000;
const minuteMs = 60_000;

/** The options and the seeded random source and pickers that every generator shares. */
interface Generation extends Omit<DashboardDataOptions, 'firstQuarter'> {
  random: SeededRandom;
  /** The activity quarters, from the first to the quarter of `now`. */
  quarters: Quarter[];
  /** States weighted by their share of migratory children; six states with no program get none. */
  childState: WeightedPicker<string>;
  /** An index into `quarters`, weighted so activity doubles over the quarters. */
  growingQuarter: WeightedPicker<number>;
  /** Other sources' sizes as a share of their example sizes for 1,000,000 students. */
  scale: number;
}

/**
 * Fills a migrated, empty database with the benchmark's synthetic data: the
 * people who act in it (an admin who can sign in and one coordinator per
 * state) and every source of the dashboard's figures. Generation runs with
 * `synchronous = OFF` and a large page cache, then restores the settings of
 * openDatabase and runs ANALYZE.
 */
export async function generateDashboardDatabase(
  sqlite: Database,
  options: DashboardDataOptions,
  log: (message: string) => void,
): Promise<{ people: BenchPeople; sizes: GeneratedSizes }> {
  const people = await insertPeople(sqlite, options.now);

  // For generation only, SQLite skips fsync, and a 512 MiB page cache keeps a million students' indexes in memory.
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -524288');

  const quarters = quartersBetween(options.firstQuarter, quarterOf(options.now.toISOString()));
  const random = new SeededRandom(options.seed);
  const childStates = Object.keys(stateWeights);
  const generation: Generation = {
    ...options,
    random,
    quarters,
    childState: new WeightedPicker(
      childStates,
      childStates.map((state) => stateWeights[state] ?? 0),
    ),
    growingQuarter: new WeightedPicker(
      quarters.map((_, index) => index),
      quarters.map((_, index) => 1 + index / Math.max(1, quarters.length - 1)),
    ),
    scale: Math.max(0.02, options.students / 1_000_000),
  };

  const timed = <T>(label: string, work: () => T): T => {
    const started = performance.now();
    const result = work();
    log(`dashboard: ${label} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return result;
  };

  const records = timed('inserted students and qualifying moves', () => insertStudents(sqlite, generation));
  const usage = timed('inserted usage events', () => insertUsageEvents(sqlite, generation));
  const uploads = timed('inserted uploads', () => insertUploads(sqlite, generation));
  const moveNotices = timed('inserted move notices', () => insertMoveNotices(sqlite, generation, people, records));
  const nearMatches = timed('inserted near matches', () => insertNearMatches(sqlite, generation, people, records));
  const tickets = timed('inserted tickets', () => insertTickets(sqlite, generation));
  const outreach = timed('inserted subscribers, campaigns and registrations', () => insertOutreach(sqlite, generation));
  const plans = timed('inserted plans', () => insertPlans(sqlite, generation, people));

  // Back to the settings of openDatabase, which every process of the product uses.
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('cache_size = -65536');
  sqlite.exec('ANALYZE');

  const sizes: GeneratedSizes = {
    ...records.sizes,
    ...usage,
    ...uploads,
    ...moveNotices,
    ...nearMatches,
    ...tickets,
    ...outreach,
    ...plans,
  };
  return { people, sizes };
}

async function insertPeople(sqlite: Database, now: Date): Promise<BenchPeople> {
  const at = now.toISOString();
  const insert = sqlite.prepare(
    `INSERT INTO people (email, display_name, role, state, records_access, status, password_hash, password_changed_at,
       rules_acknowledged_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?)`,
  );
  const adminEmail = 'bench-admin@agency.example.gov';
  const passwordHash = await hashPassword(benchAdminPassword);
  const adminId = Number(
    insert.run(adminEmail, 'Bench admin', 'admin', null, 'data_administrator', passwordHash, at, at, at, at)
      .lastInsertRowid,
  );
  const coordinatorIds = new Map<string, number>();
  for (const state of stateCodes) {
    const id = insert.run(
      `bench-coordinator-${state.toLowerCase()}@agency.example.gov`,
      `Bench coordinator ${state}`,
      'state_coordinator',
      state,
      'data_administrator',
      null,
      null,
      at,
      at,
      at,
    ).lastInsertRowid;
    coordinatorIds.set(state, Number(id));
  }
  const admin: Actor = {
    id: adminId,
    email: adminEmail,
    displayName: 'Bench admin',
    role: 'admin',
    state: null,
    recordsAccess: 'data_administrator',
    status: 'active',
  };
  return { admin, coordinatorIds };
}

function iso(milliseconds: number): string {
  return new Date(milliseconds).toISOString();
}

/** Returns a random time in one of the activity quarters, never after `generation.now`. */
function timeInQuarter(generation: Generation, quarterIndex: number): number {
  const start = Date.parse(quarterStart(generation.quarters[quarterIndex]!));
  const end = Math.min(
    Date.parse(quarterStart(addQuarters(generation.quarters[quarterIndex]!, 1))),
    generation.now.getTime(),
  );
  return start + Math.floor(generation.random.next() * (end - start));
}

/** Returns a random time in the activity quarters, more often in later ones. */
function growingTime(generation: Generation): number {
  return timeInQuarter(generation, generation.growingQuarter.pick(generation.random));
}

/**
 * Returns the first choice whose share covers one random draw, so each comes
 * up with its share's probability. The shares add up to 1.
 */
function chooseByShare<T>(random: SeededRandom, choices: ReadonlyArray<readonly [T, number]>): T {
  let draw = random.next();
  for (const [choice, share] of choices) {
    if (draw < share) return choice;
    draw -= share;
  }
  return choices[choices.length - 1]![0];
}

/** Picks a state by its share of children, other than `state`. */
function pickOtherState(generation: Generation, state: string): string {
  let other = generation.childState.pick(generation.random);
  while (other === state) other = generation.childState.pick(generation.random);
  return other;
}

function scaled(generation: Generation, exampleSize: number): number {
  return Math.max(1, Math.round(exampleSize * generation.scale));
}

/** Runs `insertRow(index)` for every index in transactions of `batch` rows. */
function insertInBatches(sqlite: Database, count: number, insertRow: (index: number) => void, batch = 100_000) {
  const insertBatch = sqlite.transaction((from: number, to: number) => {
    for (let index = from; index < to; index += 1) insertRow(index);
  });
  for (let from = 0; from < count; from += batch) insertBatch(from, Math.min(count, from + batch));
}

interface InsertedRecords {
  sizes: Pick<GeneratedSizes, 'students' | 'consolidatedRecords' | 'sharedRecords' | 'qualifyingMoves'>;
  /** The primary state of each consolidated record, by record id minus one. */
  recordStates: string[];
}

/**
 * Inserts the consolidated records, their students rows and qualifying moves.
 * About 10% of students rows belong to a record shared by two states, because
 * the child moved from the first state to the second. A third of the first
 * states report that move as well, so the flows must count the child once.
 */
function insertStudents(sqlite: Database, generation: Generation): InsertedRecords {
  const { random } = generation;
  const now = generation.now.toISOString();
  const insertRecord = sqlite.prepare(
    'INSERT INTO consolidated_records (id, msix_id, created_at, updated_at) VALUES (?, ?, ?, ?)',
  );
  const insertStudent = sqlite.prepare(
    `INSERT INTO students (id, state, state_student_id, consolidated_record_id, first_name, last_name_1, sex, birth_date,
       multiple_birth, content_sha256, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'Child', 'Placeholder', ?, ?, 0, ?, ?, ?)`,
  );
  const insertMove = sqlite.prepare(
    `INSERT INTO qualifying_moves (student_id, qad, from_city, from_state, from_country, to_city, to_state,
       eligibility_expiration_date)
     VALUES (?, ?, 'Origin City', ?, ?, 'Destination City', ?, ?)`,
  );

  // 5.26% of records shared by two states puts 10% of students rows in shared records.
  const sharedShare = 0.05 / 0.95;
  const recordStates: string[] = [];
  const qadStart = Date.UTC(generation.firstQadYear, 0, 1);
  const qadSpan = generation.now.getTime() - qadStart;
  let studentId = 0;
  let moves = 0;
  let shared = 0;

  const addMove = (student: number, qad: number, fromState: string | null, toState: string) => {
    const qadDate = iso(qad).slice(0, 10);
    const expiration = `${Number(qadDate.slice(0, 4)) + 3}${qadDate.slice(4)}`;
    insertMove.run(student, qadDate, fromState, fromState === null ? 'MX' : null, toState, expiration);
    moves += 1;
  };
  /** Adds moves into `state` before `before`: 60% from another state, 25% within the state, 15% from abroad. */
  const addMovesInto = (student: number, state: string, count: number, before: number) => {
    for (let move = 0; move < count; move += 1) {
      const qad = qadStart + Math.floor(random.next() * (before - qadStart));
      const origin = chooseByShare(random, [
        ['another state', 0.6],
        ['same state', 0.25],
        ['abroad', 0.15],
      ] as const);
      let fromState: string | null = null;
      if (origin === 'another state') fromState = pickOtherState(generation, state);
      if (origin === 'same state') fromState = state;
      addMove(student, qad, fromState, state);
    }
  };
  const moveCount = () =>
    chooseByShare(random, [
      [1, 0.5],
      [2, 0.35],
      [3, 0.15],
    ]);

  const insertRecordAndStudents = () => {
    const recordId = recordStates.length + 1;
    const state = generation.childState.pick(random);
    recordStates.push(state);
    insertRecord.run(recordId, String(400_000_000_000 + recordId), now, now);
    const birth = iso(Date.UTC(2005, 0, 1) + random.integer(0, 6500) * dayMs).slice(0, 10);
    const sex = random.chance(0.5) ? 'Female' : 'Male';

    studentId += 1;
    const firstRow = studentId;
    insertStudent.run(firstRow, state, `S${firstRow}`, recordId, sex, birth, `bench-${firstRow}`, now, now);
    if (studentId >= generation.students || !random.chance(sharedShare)) {
      addMovesInto(firstRow, state, moveCount(), generation.now.getTime());
      return;
    }

    const secondState = pickOtherState(generation, state);
    studentId += 1;
    shared += 1;
    insertStudent.run(studentId, secondState, `S${studentId}`, recordId, sex, birth, `bench-${studentId}`, now, now);
    // The move between the two states, reported by the receiving state and sometimes by the first.
    const qad = qadStart + Math.floor(qadSpan * (0.25 + 0.75 * random.next()));
    addMovesInto(firstRow, state, moveCount() - 1, qad);
    addMove(studentId, qad, state, secondState);
    if (random.chance(1 / 3)) addMove(firstRow, qad, state, secondState);
    if (random.chance(0.3)) addMovesInto(studentId, secondState, 1, generation.now.getTime());
  };
  const insertBatch = sqlite.transaction(() => {
    const batchEnd = Math.min(generation.students, studentId + 100_000);
    while (studentId < batchEnd) insertRecordAndStudents();
  });
  while (studentId < generation.students) insertBatch();

  const records = recordStates.length;
  return {
    sizes: { students: studentId, consolidatedRecords: records, sharedRecords: shared, qualifyingMoves: moves },
    recordStates,
  };
}

/**
 * Inserts the usage events through the table's insert, so the trigger keeps
 * usage_counts. Use grows over the quarters, at a different pace in each
 * state, and about 5% of events come from national staff (no state).
 */
function insertUsageEvents(
  sqlite: Database,
  generation: Generation,
): Pick<GeneratedSizes, 'usageEvents' | 'usageCountRows'> {
  const { random } = generation;
  const insert = sqlite.prepare('INSERT INTO usage_events (occurred_at, event, state, role) VALUES (?, ?, ?, ?)');
  const states = stateCodes.filter((state) => (stateWeights[state] ?? 0) > 0);
  // Each state's weight grows by 20% to 200% from the first quarter to the last, so states rank differently on growth.
  const growth = new Map(states.map((state) => [state, 0.2 + 1.8 * random.next()]));
  const kinds = new WeightedPicker(usageEventKinds, [60, 32, 8]);
  const quarterWeights = generation.quarters.map((_, index) => 1 + (0.8 * index) / (generation.quarters.length - 1));
  const totalWeight = quarterWeights.reduce((sum, weight) => sum + weight, 0);

  let written = 0;
  const perQuarter = generation.quarters.map((_, index) =>
    index === generation.quarters.length - 1
      ? 0
      : Math.round((generation.events * quarterWeights[index]!) / totalWeight),
  );
  perQuarter[perQuarter.length - 1] = generation.events - perQuarter.reduce((sum, count) => sum + count, 0);

  generation.quarters.forEach((quarter, quarterIndex) => {
    const progress = quarterIndex / (generation.quarters.length - 1);
    const statePicker = new WeightedPicker(
      states,
      states.map((state) => (stateWeights[state] ?? 0) * (1 + growth.get(state)! * progress)),
    );
    const start = Date.parse(quarterStart(quarter));
    const end = Math.min(Date.parse(quarterStart(addQuarters(quarter, 1))), generation.now.getTime());
    const count = perQuarter[quarterIndex]!;
    // Times rise through the quarter, so the occurred_at index is appended to in order.
    insertInBatches(
      sqlite,
      count,
      (index) => {
        const at = start + Math.floor(((index + random.next()) / count) * (end - start));
        const national = random.chance(0.05);
        const state = national ? null : statePicker.pick(random);
        const role = national
          ? random.chance(0.7)
            ? 'agent'
            : 'admin'
          : random.chance(0.85)
            ? 'state_user'
            : 'state_coordinator';
        insert.run(iso(at), kinds.pick(random), state, role);
      },
      250_000,
    );
    written += count;
  });

  const usageCountRows = (sqlite.prepare('SELECT count(*) AS count FROM usage_counts').get() as { count: number })
    .count;
  return { usageEvents: written, usageCountRows };
}

function insertUploads(sqlite: Database, generation: Generation): Pick<GeneratedSizes, 'uploads' | 'completenessRows'> {
  const { random } = generation;
  const insertUpload = sqlite.prepare(
    `INSERT INTO record_uploads (state, source, file_names, files_sha256, status, rejection_message, students_received,
       students_accepted, students_rejected, students_unchanged, quality_score, started_at, finished_at)
     VALUES (?, ?, '["students.csv"]', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCompleteness = sqlite.prepare(
    'INSERT INTO record_upload_completeness (upload_id, element, applicable, supplied) VALUES (?, ?, ?, ?)',
  );
  const count = scaled(generation, 2_000);
  const totalWeight = Object.values(stateWeights).reduce((sum, weight) => sum + weight, 0);
  let completenessRows = 0;
  insertInBatches(
    sqlite,
    count,
    (index) => {
      const state = generation.childState.pick(random);
      const started = growingTime(generation);
      const finished = started + random.integer(1, 40) * minuteMs;
      const rejected = random.chance(0.08);
      // A state sends all its children in each upload, so an upload contains 60% to 100% of the state's share of students.
      const stateStudents = (generation.students * (stateWeights[state] ?? 0)) / totalWeight;
      const received = Math.max(20, Math.round(stateStudents * (0.6 + 0.4 * random.next())));
      const rejectedStudents = rejected ? received : Math.floor(received * random.next() * 0.05);
      const unchanged = rejected ? 0 : Math.floor((received - rejectedStudents) * random.next() * 0.5);
      const accepted = received - rejectedStudents;
      const id = insertUpload.run(
        state,
        random.chance(0.7) ? 'browser' : 'command_line',
        `sha-${index}`,
        rejected ? 'rejected' : 'completed',
        rejected ? 'The students file has no header row.' : null,
        received,
        rejected ? 0 : accepted,
        rejectedStudents,
        unchanged,
        rejected ? null : 55 + random.integer(0, 44),
        iso(started),
        iso(finished),
      ).lastInsertRowid;
      if (rejected) return;
      for (const element of completenessElements) {
        const applicable = Math.floor(accepted * (0.5 + 0.5 * random.next()));
        insertCompleteness.run(id, element.key, applicable, Math.floor(applicable * (0.6 + 0.4 * random.next())));
        completenessRows += 1;
      }
    },
    10_000,
  );
  return { uploads: count, completenessRows };
}

function insertMoveNotices(
  sqlite: Database,
  generation: Generation,
  people: BenchPeople,
  records: InsertedRecords,
): Pick<GeneratedSizes, 'moveNotices'> {
  const { random } = generation;
  const insert = sqlite.prepare(
    `INSERT INTO move_notices (consolidated_record_id, msix_id, from_state, to_state, expected_arrival_date, status,
       sent_by, sent_at, acknowledged_by, acknowledged_at, response_minutes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const count = scaled(generation, 100_000);
  insertInBatches(sqlite, count, () => {
    const recordId = random.integer(1, records.recordStates.length);
    const fromState = records.recordStates[recordId - 1]!;
    const toState = pickOtherState(generation, fromState);
    const sent = growingTime(generation);
    const responseMinutes = random.integer(10, 14 * 24 * 60);
    const acknowledged = sent + responseMinutes * minuteMs < generation.now.getTime() && random.chance(0.8);
    insert.run(
      recordId,
      String(400_000_000_000 + recordId),
      fromState,
      toState,
      iso(sent + random.integer(3, 30) * dayMs).slice(0, 10),
      acknowledged ? 'acknowledged' : 'sent',
      people.coordinatorIds.get(fromState)!,
      iso(sent),
      acknowledged ? people.coordinatorIds.get(toState)! : null,
      acknowledged ? iso(sent + responseMinutes * minuteMs) : null,
      acknowledged ? responseMinutes : null,
    );
  });
  return { moveNotices: count };
}

/** Inserts near matches between random pairs of students rows; about 80% are resolved by a data administrator. */
function insertNearMatches(
  sqlite: Database,
  generation: Generation,
  people: BenchPeople,
  records: InsertedRecords,
): Pick<GeneratedSizes, 'nearMatches' | 'nearMatchDecisions'> {
  const { random } = generation;
  const insertMatch = sqlite.prepare(
    `INSERT INTO record_near_matches (student_a_id, student_b_id, score, reasons, status, created_at, resolved_by,
       resolved_at)
     VALUES (?, ?, ?, '["similar names","same birth date"]', ?, ?, ?, ?)`,
  );
  const insertDecision = sqlite.prepare(
    `INSERT INTO near_match_decisions (near_match_id, decision, comment, decided_by, decided_at, consolidated_record_id)
     VALUES (?, ?, '', ?, ?, ?)`,
  );
  const readStudent = sqlite.prepare('SELECT state, consolidated_record_id AS recordId FROM students WHERE id = ?');
  const students = records.sizes.students;
  const count = Math.min(scaled(generation, 20_000), Math.floor(students / 2));
  const stride = Math.floor(students / count);
  let decisions = 0;
  insertInBatches(sqlite, count, (index) => {
    const studentA = index * stride + 1;
    const studentB = Math.min(students, studentA + 1 + random.integer(0, students - 1 - studentA));
    if (studentB <= studentA) return;
    const created = growingTime(generation);
    const resolvedAt = created + Math.floor(random.integer(1, 90) * dayMs * random.next());
    const resolved = resolvedAt < generation.now.getTime() && random.chance(0.8);
    let status = 'open';
    if (resolved) status = random.chance(0.4) ? 'confirmed' : 'rejected';
    const a = readStudent.get(studentA) as { state: string; recordId: number };
    const decidedBy = people.coordinatorIds.get(a.state)!;
    const id = insertMatch.run(
      studentA,
      studentB,
      0.7 + 0.25 * random.next(),
      status,
      iso(created),
      resolved ? decidedBy : null,
      resolved ? iso(resolvedAt) : null,
    ).lastInsertRowid;
    if (!resolved) return;
    insertDecision.run(id, status, decidedBy, iso(resolvedAt), status === 'confirmed' ? a.recordId : null);
    decisions += 1;
  });
  return { nearMatches: count, nearMatchDecisions: decisions };
}

/** Inserts tickets with their SLA columns. About 40% of solved tickets get a survey, and 60% of those an answer. */
function insertTickets(sqlite: Database, generation: Generation): Pick<GeneratedSizes, 'tickets' | 'surveys'> {
  const { random } = generation;
  const insertTicket = sqlite.prepare(
    `INSERT INTO tickets (subject, requester_email, requester_name, state, category, priority, status, channel, created_at,
       updated_at, first_response_at, solved_at, closed_at, first_response_due_at, resolution_due_at,
       first_response_minutes, resolution_minutes)
     VALUES (?, ?, 'Requester', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertSurvey = sqlite.prepare(
    'INSERT INTO ticket_surveys (ticket_id, token_hash, sent_at, answered_at, rating) VALUES (?, ?, ?, ?, ?)',
  );
  const categories = ['account_access', 'records_search', 'data_submission', 'data_quality', 'move_notices', 'other'];
  const channels = ['web', 'email', 'phone'];
  const allStates = [...stateCodes];
  const count = scaled(generation, 50_000);
  let surveys = 0;
  insertInBatches(
    sqlite,
    count,
    (index) => {
      const created = growingTime(generation);
      const state = random.chance(0.9) ? generation.childState.pick(random) : random.pick(allStates);
      const firstResponseMinutes = Math.floor(30 + 900 * random.next() * random.next());
      const firstResponse = created + firstResponseMinutes * minuteMs;
      const resolutionMinutes = firstResponseMinutes + random.integer(60, 7_200);
      const solvedAt = created + resolutionMinutes * minuteMs;
      const answered = firstResponse < generation.now.getTime();
      const solved = solvedAt < generation.now.getTime() && random.chance(0.9);
      let updated = created;
      let status = 'new';
      if (answered) {
        updated = firstResponse;
        status = 'open';
      }
      if (solved) {
        updated = solvedAt;
        status = random.chance(0.7) ? 'closed' : 'solved';
      }
      const id = insertTicket.run(
        `Question about the records exchange ${index}`,
        `requester${index % 20_000}@district.example.gov`,
        state,
        random.pick(categories),
        random.chance(0.8) ? 'normal' : random.pick(['low', 'high', 'urgent']),
        status,
        random.pick(channels),
        iso(created),
        iso(updated),
        answered ? iso(firstResponse) : null,
        solved ? iso(solvedAt) : null,
        null,
        iso(created + 8 * 60 * minuteMs),
        iso(created + 5 * 24 * 60 * minuteMs),
        answered ? firstResponseMinutes : null,
        solved ? resolutionMinutes : null,
      ).lastInsertRowid;
      if (!solved || !random.chance(0.4)) return;
      const sentAt = solvedAt + 5 * minuteMs;
      const answer = random.chance(0.6) && sentAt + dayMs < generation.now.getTime();
      insertSurvey.run(
        id,
        `survey-${id}`,
        iso(sentAt),
        answer ? iso(sentAt + dayMs) : null,
        answer ? Math.min(5, 2 + random.integer(0, 3) + (random.chance(0.5) ? 1 : 0)) : null,
      );
      surveys += 1;
    },
    25_000,
  );
  return { tickets: count, surveys };
}

/**
 * Inserts subscribers who join over the quarters, 50 finished campaigns each sent
 * to a tenth of the subscribers confirmed by then, and registrations for 40
 * webinars.
 */
function insertOutreach(
  sqlite: Database,
  generation: Generation,
): Pick<GeneratedSizes, 'subscribers' | 'campaigns' | 'campaignDeliveries' | 'registrations'> {
  const { random } = generation;
  const insertSubscriber = sqlite.prepare(
    `INSERT INTO subscribers (email, state, role, status, confirmed_at, unsubscribed_at, source, created_at, updated_at)
     VALUES (?, ?, 'state_user', ?, ?, ?, 'signup', ?, ?)`,
  );
  const subscriberCount = scaled(generation, 50_000);
  const confirmed: { id: number; at: number }[] = [];
  insertInBatches(sqlite, subscriberCount, (index) => {
    const created = growingTime(generation);
    const status = chooseByShare(random, [
      ['confirmed', 0.85],
      ['pending', 0.05],
      ['unsubscribed', 0.1],
    ] as const);
    const confirmedAt = status === 'pending' ? null : created + random.integer(1, 600) * minuteMs;
    const unsubscribedAt =
      status === 'unsubscribed'
        ? Math.min(generation.now.getTime(), confirmedAt! + random.integer(1, 300) * dayMs)
        : null;
    const id = Number(
      insertSubscriber.run(
        `subscriber${index}@district.example.gov`,
        generation.childState.pick(random),
        status,
        confirmedAt === null ? null : iso(confirmedAt),
        unsubscribedAt === null ? null : iso(unsubscribedAt),
        iso(created),
        iso(unsubscribedAt ?? confirmedAt ?? created),
      ).lastInsertRowid,
    );
    if (status === 'confirmed' && confirmedAt !== null) confirmed.push({ id, at: confirmedAt });
  });
  confirmed.sort((left, right) => left.at - right.at);

  const insertCampaign = sqlite.prepare(
    `INSERT INTO campaigns (newsletter_slug, subject, status, started_at, finished_at, created_at, updated_at)
     VALUES (?, ?, 'finished', ?, ?, ?, ?)`,
  );
  const insertDelivery = sqlite.prepare(
    `INSERT INTO outbox_messages (kind, message_id, recipient, subject, text_body, status, attempts, next_attempt_at,
       created_at, sent_at, campaign_id, subscriber_id)
     VALUES ('campaign', ?, ?, ?, '', 'sent', 1, ?, ?, ?, ?, ?)`,
  );
  const campaigns = 50;
  const firstStart = Date.parse(quarterStart(generation.quarters[0]!));
  const campaignSpacing = (generation.now.getTime() - firstStart) / campaigns;
  let deliveries = 0;
  sqlite.transaction(() => {
    for (let index = 0; index < campaigns; index += 1) {
      const startedAt = firstStart + Math.floor((index + 0.5) * campaignSpacing);
      const subject = `MSIX newsletter ${index + 1}`;
      const campaignId = Number(
        insertCampaign.run(
          `newsletter-${index + 1}`,
          subject,
          iso(startedAt),
          iso(startedAt + 3_600_000),
          iso(startedAt - dayMs),
          iso(startedAt + 3_600_000),
        ).lastInsertRowid,
      );
      for (const subscriber of confirmed) {
        if (subscriber.at > startedAt) break;
        if (!random.chance(0.1)) continue;
        const sentAt = iso(startedAt + random.integer(0, 3_599_000));
        insertDelivery.run(
          `<campaign-${campaignId}-${subscriber.id}@msix-assist.localhost>`,
          `subscriber@district.example.gov`,
          subject,
          sentAt,
          iso(startedAt),
          sentAt,
          campaignId,
          subscriber.id,
        );
        deliveries += 1;
      }
    }
  })();

  const insertRegistration = sqlite.prepare(
    `INSERT INTO event_registrations (event_slug, name, email, state, role, status, cancel_token_hash, attended,
       created_at, cancelled_at)
     VALUES (?, 'Registrant', ?, ?, 'state_user', ?, ?, ?, ?, ?)`,
  );
  const events = 40;
  const registrations = scaled(generation, 20_000);
  const eventSpacing = (generation.now.getTime() - firstStart) / events;
  insertInBatches(sqlite, registrations, (index) => {
    const event = index % events;
    const eventAt = firstStart + Math.floor((event + 0.7) * eventSpacing);
    const created = eventAt - random.integer(1, 40) * dayMs;
    const cancelled = random.chance(0.08);
    let attended: number | null = null;
    if (eventAt < generation.now.getTime() && !cancelled) attended = random.chance(0.6) ? 1 : 0;
    insertRegistration.run(
      `webinar-${event + 1}`,
      `registrant${index}@district.example.gov`,
      generation.childState.pick(random),
      cancelled ? 'cancelled' : 'registered',
      `cancel-${index}`,
      attended,
      iso(Math.max(firstStart, created)),
      cancelled ? iso(Math.max(firstStart, created) + dayMs) : null,
    );
  });

  return { subscribers: subscriberCount, campaigns, campaignDeliveries: deliveries, registrations };
}

/**
 * Inserts a current three-year plan for each of eight states: 3 goals of 2
 * objectives of 3 milestones, each milestone updated about once a quarter.
 */
function insertPlans(
  sqlite: Database,
  generation: Generation,
  people: BenchPeople,
): Pick<GeneratedSizes, 'plans' | 'milestones' | 'milestoneUpdates'> {
  const { random } = generation;
  const planStates = ['CA', 'TX', 'WA', 'FL', 'OR', 'GA', 'KS', 'NY'];
  const insertPlan = sqlite.prepare(
    `INSERT INTO plans (state, title, period_start, period_end, is_current, origin, created_by, created_at, updated_at)
     VALUES (?, ?, '2024-01-01', '2026-12-31', 1, 'template', ?, ?, ?)`,
  );
  const insertGoal = sqlite.prepare('INSERT INTO plan_goals (plan_id, position, title) VALUES (?, ?, ?)');
  const insertObjective = sqlite.prepare('INSERT INTO plan_objectives (goal_id, position, title) VALUES (?, ?, ?)');
  const insertMilestone = sqlite.prepare(
    `INSERT INTO plan_milestones (objective_id, position, title, owner_role, due_date, status, percent_complete,
       last_progress_at, created_at, updated_at)
     VALUES (?, ?, ?, 'state_coordinator', ?, ?, ?, ?, ?, ?)`,
  );
  const insertUpdate = sqlite.prepare(
    `INSERT INTO milestone_updates (milestone_id, update_date, narrative, status, percent_complete, author_id, created_at)
     VALUES (?, ?, 'Quarterly progress update.', ?, ?, ?, ?)`,
  );
  const planStart = Date.parse('2024-01-01T00:00:00.000Z');
  const planSpan = Date.parse('2026-12-31T00:00:00.000Z') - planStart;
  let milestones = 0;
  let updates = 0;

  sqlite.transaction(() => {
    for (const state of planStates) {
      const author = people.coordinatorIds.get(state)!;
      const created = iso(planStart - 30 * dayMs);
      const planId = insertPlan.run(
        state,
        `${state} MSIX strategic plan 2024–2026`,
        author,
        created,
        created,
      ).lastInsertRowid;
      for (let goal = 1; goal <= 3; goal += 1) {
        const goalId = insertGoal.run(planId, goal, `Goal ${goal}`).lastInsertRowid;
        for (let objective = 1; objective <= 2; objective += 1) {
          const objectiveId = insertObjective.run(goalId, objective, `Objective ${goal}.${objective}`).lastInsertRowid;
          for (let position = 1; position <= 3; position += 1) {
            const due = planStart + Math.floor((planSpan * ((milestones % 18) + 1)) / 19);
            // Updates once a quarter from the plan's start until the milestone is done or today.
            let percent = 0;
            let status = 'not_started';
            let lastUpdate = planStart;
            const updateRows: Array<[string, string, number]> = [];
            // Each update adds the share of the work that would finish on the due date, times 0.5 to 1.2,
            // so some milestones run late.
            const quartersToDue = Math.max(1, (due - planStart) / (91 * dayMs));
            for (let at = planStart + 80 * dayMs; at < generation.now.getTime() && percent < 100; at += 91 * dayMs) {
              percent = Math.min(100, percent + Math.round(((0.5 + 0.7 * random.next()) * 100) / quartersToDue));
              status = 'on_track';
              if (at > due) status = random.chance(0.5) ? 'off_track' : 'at_risk';
              if (percent === 100) status = 'done';
              updateRows.push([iso(at).slice(0, 10), status, percent]);
              lastUpdate = at;
            }
            const milestoneId = insertMilestone.run(
              objectiveId,
              position,
              `Milestone ${goal}.${objective}.${position}`,
              iso(due).slice(0, 10),
              status,
              percent,
              iso(lastUpdate),
              created,
              iso(lastUpdate),
            ).lastInsertRowid;
            milestones += 1;
            for (const [date, rowStatus, rowPercent] of updateRows) {
              insertUpdate.run(milestoneId, date, rowStatus, rowPercent, author, `${date}T15:00:00.000Z`);
              updates += 1;
            }
          }
        }
      }
    }
  })();
  return { plans: planStates.length, milestones, milestoneUpdates: updates };
}
