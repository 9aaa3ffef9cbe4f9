/**
 * Resolved near matches over the three years. Each pair is two demo students
 * from different states who share a blocking key but belong to different
 * consolidated records. Their score and reasons come from the real comparison
 * (comparePrepared), so the record page explains them truthfully. A data
 * administrator of one of the two states rejected every pair, because they
 * are different children, and resolution gets faster each year. Students'
 * names are read here only to compare them, and nothing written contains them.
 *
 * NOTE: the demo children contain too few true near matches for three years
 * of history, so these pairs score below the near-match threshold. Their
 * stored reasons show that score and the threshold unchanged.
 */
import {
  comparePrepared,
  prepareStudent,
  type PreparedStudent,
  type StudentIdentity,
} from '../../records/linking/compare';
import { isoOf, logNormal, noisyCount, randomWorkTime, trend, type DemoContext } from './context';

/** National near matches found in a quarter at the start of the three years, before the growth. */
const baseNearMatchesPerQuarter = 14;
/** Candidate pairs compared at most, to keep the seed quick. */
const maxCandidatePairs = 8_000;
/** An open near match is escalated after five business days, which is at least seven calendar days. */
const escalationDays = 7;

const rejectionComments = [
  'Different children: the birth dates and the parents differ.',
  'Checked with the district: these are cousins, not the same child.',
  'Different children; the family confirmed the birth place.',
  'Not the same child: the enrollment history shows two students at once.',
];

interface StudentRow extends StudentIdentity {
  id: number;
  state: string;
}

interface CandidatePair {
  a: StudentRow;
  b: StudentRow;
  score: number;
  reasons: string;
}

/** Inserts the resolved near matches and their decisions; returns how many. */
export function seedNearMatches(context: DemoContext): number {
  const { random } = context;
  const pairs = findCandidatePairs(context);
  if (pairs.length === 0) return 0;

  const insertMatch = context.sqlite.prepare(
    `INSERT INTO record_near_matches (student_a_id, student_b_id, score, reasons, status, created_at, resolved_by,
       resolved_at, escalated_at)
     VALUES (?, ?, ?, ?, 'rejected', ?, ?, ?, ?)`,
  );
  const insertDecision = context.sqlite.prepare(
    `INSERT INTO near_match_decisions (near_match_id, decision, comment, decided_by, decided_at, consolidated_record_id)
     VALUES (?, 'rejected', ?, ?, ?, NULL)`,
  );
  const nowMs = context.now.getTime();
  let next = 0;
  let total = 0;

  for (const quarter of context.quarters) {
    const count = noisyCount(random, baseNearMatchesPerQuarter * quarter.growth * quarter.elapsed);
    const medianDays = trend(quarter, 16, 5);
    const found: { pair: CandidatePair; createdMs: number; resolvedMs: number }[] = [];
    for (let index = 0; index < count && next < pairs.length; index += 1) {
      const createdMs = randomWorkTime(random, quarter);
      const resolvedMs = createdMs + Math.max(0.2, logNormal(random, medianDays, 0.7)) * 86_400_000;
      // An open near match would be escalated by mail, so the demo keeps only the ones already resolved.
      if (resolvedMs > nowMs) continue;
      found.push({ pair: pairs[next]!, createdMs, resolvedMs });
      next += 1;
    }
    found.sort((x, y) => x.createdMs - y.createdMs);
    for (const { pair, createdMs, resolvedMs } of found) {
      const decider = context.accounts.coordinator(random.chance(0.5) ? pair.a.state : pair.b.state);
      const escalatedAt =
        resolvedMs - createdMs > escalationDays * 86_400_000 ? isoOf(createdMs + escalationDays * 86_400_000) : null;
      const id = insertMatch.run(
        pair.a.id,
        pair.b.id,
        pair.score,
        pair.reasons,
        isoOf(createdMs),
        decider,
        isoOf(resolvedMs),
        escalatedAt,
      ).lastInsertRowid;
      insertDecision.run(id, random.pick(rejectionComments), decider, isoOf(resolvedMs));
    }
    total += found.length;
  }
  return total;
}

/**
 * Pairs of students from different states and different consolidated
 * records that share a blocking key and are not a near match yet, highest
 * score first, in a fixed order.
 */
function findCandidatePairs(context: DemoContext): CandidatePair[] {
  const ids = context.sqlite
    .prepare(
      `SELECT DISTINCT ka.student_id AS a, kb.student_id AS b
       FROM record_blocking_keys ka
       JOIN record_blocking_keys kb ON kb.key = ka.key AND kb.student_id > ka.student_id
       JOIN students sa ON sa.id = ka.student_id
       JOIN students sb ON sb.id = kb.student_id
       WHERE ka.key NOT LIKE 'fq:%' AND sa.state <> sb.state
         AND sa.consolidated_record_id IS NOT sb.consolidated_record_id
         AND NOT EXISTS (SELECT 1 FROM record_near_matches m WHERE m.student_a_id = ka.student_id AND m.student_b_id = kb.student_id)
       ORDER BY ka.student_id, kb.student_id
       LIMIT ?`,
    )
    .all(maxCandidatePairs) as { a: number; b: number }[];
  if (ids.length === 0) return [];

  const students = readStudents(context);
  const prepared = new Map<number, PreparedStudent>();
  const prepare = (student: StudentRow) => {
    let ready = prepared.get(student.id);
    if (!ready) prepared.set(student.id, (ready = prepareStudent(student)));
    return ready;
  };
  const pairs: CandidatePair[] = [];
  for (const { a, b } of ids) {
    const left = students.get(a);
    const right = students.get(b);
    if (!left || !right) continue;
    const comparison = comparePrepared(prepare(left), prepare(right));
    if (comparison.decision !== 'separate') continue;
    pairs.push({ a: left, b: right, score: comparison.score, reasons: JSON.stringify(comparison) });
  }
  return pairs.sort((x, y) => y.score - x.score || x.a.id - y.a.id || x.b.id - y.b.id);
}

function readStudents(context: DemoContext): Map<number, StudentRow> {
  const rows = context.sqlite
    .prepare(
      `SELECT id, state, first_name AS firstName, middle_name AS middleName, last_name_1 AS lastName1,
         last_name_2 AS lastName2, sex, birth_date AS birthDate, multiple_birth AS multipleBirth,
         birth_city AS birthCity, birth_state AS birthState, birth_country AS birthCountry,
         parent1_first_name AS parent1FirstName, parent1_last_name AS parent1LastName,
         parent2_first_name AS parent2FirstName, parent2_last_name AS parent2LastName
       FROM students`,
    )
    .all() as (Omit<StudentRow, 'multipleBirth'> & { multipleBirth: number | null })[];
  return new Map(
    rows.map((row) => [
      row.id,
      { ...row, multipleBirth: row.multipleBirth === null ? null : Boolean(row.multipleBirth) },
    ]),
  );
}
