/**
 * `npm run bench -- records`: speed of the records exchange.
 *
 * - Import: students per second through the import service (the code path of
 *   `npm run records -- import` and of browser uploads, linking and search
 *   indexing included) on files from the synthetic generator, one state after
 *   another. BENCH_RECORDS_IMPORT_CHILDREN sets the number of children
 *   (default 12,000, about 20,000 students rows over all states).
 * - Search: p50 and p95 of the records search on BENCH_RECORDS_SEARCH_STUDENTS
 *   students (default 1,000,000) inserted directly, each with its own
 *   consolidated record. Queries give a first name, both last names and the
 *   birth date, exactly, with one typo or with a spelling variant, and the
 *   exact names without the birth date. The baseline in the same run is a LIKE
 *   scan of the students table for the exact queries.
 * - Linking: the time linkStudents takes to link BENCH_RECORDS_LINK_SIZES
 *   students (default 100000) inserted directly in five states.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import { linkStudents } from '../../api/records/linking/link';
import { indexStudents, rebuildSearchIndex } from '../../api/records/search/index-students';
import { runSearch, type SearchInput } from '../../api/records/search/search';
import { generateRecords } from '../../api/records/synthetic/generate';
import { femaleFirstNames, maleFirstNames, surnames } from '../../api/records/synthetic/name-lists';
import { SeededRandom, WeightedPicker } from '../../api/records/synthetic/random';
import { stateWeights } from '../../api/records/synthetic/state-weights';
import { spellingVariant, typo } from '../../api/records/synthetic/variations';
import { DirectorySink } from '../../api/records/synthetic/writer';
import { importUpload, listUploadFiles } from '../../api/records/uploads/import';
import { openDatabase, type DatabaseHandle } from '../../db/client';
import { applyMigrations } from '../../db/migrate';

const importChildren = Number(process.env.BENCH_RECORDS_IMPORT_CHILDREN ?? 12_000);
const searchStudents = Number(process.env.BENCH_RECORDS_SEARCH_STUDENTS ?? 1_000_000);
const linkSizes = (process.env.BENCH_RECORDS_LINK_SIZES ?? '100000').split(',').map(Number);
/** Queries timed per kind on the index, and on the LIKE-scan baseline (a scan takes far longer). */
const queriesPerKind = 200;
const baselineQueries = 20;
/** Searches for other children run before the timed queries. */
const warmUpQueries = 200;
/** Students re-indexed through indexStudents to measure the incremental path. */
const incrementalStudents = 20_000;

type SearchQuery = Omit<SearchInput, 'purpose' | 'purposeText'>;

interface LatencyFigures {
  kind: string;
  queries: number;
  p50Ms: number;
  p95Ms: number;
  /** Share of queries whose intended child was among the results. */
  found: number;
}

export interface RecordsBenchFigures {
  import: { children: number; students: number; seconds: number; studentsPerSecond: number } | { error: string };
  search: {
    students: number;
    insertSeconds: number;
    indexSeconds: number;
    indexRows: number;
    /** Students per second through indexStudents, the incremental path imports use. */
    incrementalPerSecond: number;
    latencies: LatencyFigures[];
    baseline: LatencyFigures;
  };
  linking: { students: number; seconds: number; studentsPerSecond: number }[];
}

function openTemporaryDatabase(): { handle: DatabaseHandle; directory: string } {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'msix-bench-records-'));
  const handle = openDatabase(path.join(directory, 'bench.sqlite'));
  applyMigrations(handle.db);
  return { handle, directory };
}

function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1);
  return round(sorted[Math.max(0, index)]!);
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

async function measureImport(log: (message: string) => void): Promise<RecordsBenchFigures['import']> {
  const { handle, directory } = openTemporaryDatabase();
  try {
    const filesDirectory = path.join(directory, 'files');
    const sink = new DirectorySink(filesDirectory);
    const summary = generateRecords(
      { children: importChildren, seed: 20261204, today: new Date('2026-12-04T00:00:00Z') },
      sink,
    );
    sink.close();
    log(
      `records: generated ${summary.children} children, ${summary.reports} students rows in ${summary.states.length} states`,
    );

    let students = 0;
    const started = performance.now();
    for (const state of summary.states) {
      const stateDirectory = path.join(filesDirectory, state);
      if (listUploadFiles(stateDirectory).length === 0) continue;
      const result = await importUpload(
        handle.db,
        { state, directory: stateDirectory, source: 'command_line', ip: 'bench' },
        { clock: () => new Date() },
      );
      students += result.studentsAccepted;
    }
    const seconds = (performance.now() - started) / 1000;
    log(`records: imported ${students} students in ${round(seconds, 1)} s`);
    return {
      children: summary.children,
      students,
      seconds: round(seconds, 1),
      studentsPerSecond: Math.round(students / seconds),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`records: import failed: ${message}`);
    return { error: message };
  } finally {
    handle.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

interface SyntheticStudent {
  state: string;
  firstName: string;
  middleName: string | null;
  lastName1: string;
  lastName2: string | null;
  sex: 'Female' | 'Male';
  birthDate: string;
}

/** Draws students with the generator's name lists and Zipf-like name frequencies, so common names repeat. */
export function createStudentSource(seed: number) {
  const random = new SeededRandom(seed);
  const female = WeightedPicker.zipf(femaleFirstNames, 1);
  const male = WeightedPicker.zipf(maleFirstNames, 1);
  const surname = WeightedPicker.zipf(surnames, 0.9);
  const states = Object.keys(stateWeights);
  const state = new WeightedPicker(
    states,
    states.map((code) => stateWeights[code] ?? 0),
  );
  const firstDay = Date.UTC(2005, 0, 1);
  const days = (Date.UTC(2022, 11, 31) - firstDay) / 86_400_000;

  return (): SyntheticStudent => {
    const sex = random.chance(0.5) ? 'Female' : 'Male';
    const names = sex === 'Female' ? female : male;
    return {
      state: state.pick(random),
      firstName: names.pick(random),
      middleName: random.chance(0.3) ? names.pick(random) : null,
      lastName1: surname.pick(random),
      lastName2: random.chance(0.7) ? surname.pick(random) : null,
      sex,
      birthDate: new Date(firstDay + random.integer(0, days) * 86_400_000).toISOString().slice(0, 10),
    };
  };
}

/** Inserts students directly, each with its own consolidated record, in one transaction; returns their ids. */
export function insertStudents(sqlite: Database, count: number, seed: number, linked: boolean): number[] {
  const next = createStudentSource(seed);
  const now = new Date().toISOString();
  const insertRecord = sqlite.prepare(
    'INSERT INTO consolidated_records (msix_id, created_at, updated_at) VALUES (?, ?, ?)',
  );
  const insertStudent = sqlite.prepare(
    `INSERT INTO students (state, state_student_id, consolidated_record_id, first_name, middle_name, last_name_1,
       last_name_2, sex, birth_date, multiple_birth, content_sha256, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
  );
  const ids: number[] = [];
  sqlite.transaction(() => {
    for (let index = 0; index < count; index += 1) {
      const student = next();
      const recordId = linked
        ? Number(insertRecord.run(String(300_000_000_000 + index), now, now).lastInsertRowid)
        : null;
      const id = insertStudent.run(
        student.state,
        `S${index}`,
        recordId,
        student.firstName,
        student.middleName,
        student.lastName1,
        student.lastName2,
        student.sex,
        student.birthDate,
        `bench-${index}`,
        now,
        now,
      ).lastInsertRowid;
      ids.push(Number(id));
    }
  })();
  return ids;
}

interface Target {
  msixId: string;
  firstName: string;
  lastName1: string;
  lastName2: string | null;
  birthDate: string;
}

function timeQueries(
  kind: string,
  queries: { query: SearchQuery; target: Target }[],
  run: (query: SearchQuery) => string[],
): LatencyFigures {
  const times: number[] = [];
  let found = 0;
  for (const { query, target } of queries) {
    const started = performance.now();
    const msixIds = run(query);
    times.push(performance.now() - started);
    if (msixIds.includes(target.msixId)) found += 1;
  }
  times.sort((left, right) => left - right);
  return {
    kind,
    queries: queries.length,
    p50Ms: percentile(times, 0.5),
    p95Ms: percentile(times, 0.95),
    found: round(found / Math.max(1, queries.length), 3),
  };
}

/**
 * Runs the baseline: one pass over every students row with LIKE, for the same
 * conditions an exact query gives the search. The first name may be the
 * first or the middle name, each surname word may be in either last-name
 * field, and the birth date may have day and month swapped. NOT INDEXED keeps
 * SQLite from using the birth-date index, so this is the scan a search without
 * a search index does. Like the search, it reads every match to count them.
 */
function likeScan(statement: Statement, query: SearchQuery): string[] {
  const [first = '', second = ''] = (query.lastName ?? '').split(' ');
  const birthDate = query.birthDate ?? '';
  const swapped = birthDate ? `${birthDate.slice(0, 4)}-${birthDate.slice(8, 10)}-${birthDate.slice(5, 7)}` : '';
  const rows = statement.all({
    given: `%${query.firstName ?? ''}%`,
    first: `%${first}%`,
    second: `%${second}%`,
    hasSecond: second === '' ? 0 : 1,
    birthDate,
    swapped,
  }) as { msixId: string }[];
  return rows.map((row) => row.msixId);
}

const likeScanSql = `
  SELECT c.msix_id AS msixId FROM students s NOT INDEXED JOIN consolidated_records c ON c.id = s.consolidated_record_id
   WHERE (s.first_name LIKE @given OR s.middle_name LIKE @given)
     AND (s.last_name_1 LIKE @first OR s.last_name_2 LIKE @first)
     AND (@hasSecond = 0 OR s.last_name_1 LIKE @second OR s.last_name_2 LIKE @second)
     AND s.birth_date IN (@birthDate, @swapped)`;

function measureSearch(log: (message: string) => void): RecordsBenchFigures['search'] {
  const { handle, directory } = openTemporaryDatabase();
  try {
    const sqlite = handle.sqlite;
    // A bulk load of a million students: a 512 MiB page cache keeps the index's B-trees in memory.
    sqlite.pragma('cache_size = -524288');
    let started = performance.now();
    const ids = insertStudents(sqlite, searchStudents, 42, true);
    const insertSeconds = round((performance.now() - started) / 1000, 1);
    log(`records: inserted ${ids.length} students in ${insertSeconds} s`);

    started = performance.now();
    rebuildSearchIndex(handle.db);
    const indexSeconds = round((performance.now() - started) / 1000, 1);

    // Incremental indexing, as after an import: the newest students' keys replaced one chunk at a time.
    const incremental = ids.slice(-incrementalStudents);
    started = performance.now();
    indexStudents(handle.db, incremental);
    const incrementalPerSecond = Math.round(incremental.length / ((performance.now() - started) / 1000));
    const indexRows = (sqlite.prepare('SELECT count(*) AS count FROM record_search_keys').get() as { count: number })
      .count;
    log(`records: built the search index (${indexRows} keys) in ${indexSeconds} s`);
    log(`records: indexStudents re-indexed ${incremental.length} students at ${incrementalPerSecond} students/s`);

    const random = new SeededRandom(7);
    const readTarget = sqlite.prepare(
      `SELECT c.msix_id AS msixId, s.first_name AS firstName, s.last_name_1 AS lastName1, s.last_name_2 AS lastName2,
              s.birth_date AS birthDate
         FROM students s JOIN consolidated_records c ON c.id = s.consolidated_record_id WHERE s.id = ?`,
    );
    const targets: Target[] = [];
    for (let index = 0; index < queriesPerKind; index += 1) {
      targets.push(readTarget.get(ids[random.integer(0, ids.length - 1)]!) as Target);
    }
    const surnamesOf = (target: Target, first: string) => [first, target.lastName2].filter(Boolean).join(' ');
    const queryOf = (target: Target, lastName1: string): SearchQuery => ({
      firstName: target.firstName,
      lastName: surnamesOf(target, lastName1),
      birthDate: target.birthDate,
    });
    const exact = targets.map((target) => ({ target, query: queryOf(target, target.lastName1) }));
    const typos = targets.map((target) => ({
      target,
      query: queryOf(target, typo(target.lastName1, random) ?? target.lastName1),
    }));
    const variants = targets
      .map((target) => ({ target, varied: spellingVariant(target.lastName1, random) }))
      .filter((entry): entry is { target: Target; varied: string } => entry.varied !== null)
      .map(({ target, varied }) => ({ target, query: queryOf(target, varied) }));
    const namesOnly = exact.map(({ target, query }) => ({ target, query: { ...query, birthDate: undefined } }));

    const search = (query: SearchQuery) => runSearch(sqlite, query).results.map((result) => result.msixId);
    // Searches for other children first, so the timed queries meet the page cache of a server already in use.
    const warmUpRandom = new SeededRandom(11);
    for (let index = 0; index < warmUpQueries; index += 1) {
      const other = readTarget.get(ids[warmUpRandom.integer(0, ids.length - 1)]!) as Target;
      search(queryOf(other, other.lastName1));
    }
    const latencies = [
      timeQueries('exact', exact, search),
      timeQueries('one typo in the first last name', typos, search),
      timeQueries('spelling variant of the first last name', variants, search),
      timeQueries('exact names without the birth date', namesOnly, search),
    ];
    for (const figure of latencies)
      log(`records: search ${figure.kind}: p50 ${figure.p50Ms} ms, p95 ${figure.p95Ms} ms`);
    const scanStatement = sqlite.prepare(likeScanSql);
    const baseline = timeQueries('LIKE scan, exact (baseline)', exact.slice(0, baselineQueries), (query) =>
      likeScan(scanStatement, query),
    );
    log(`records: LIKE scan: p50 ${baseline.p50Ms} ms, p95 ${baseline.p95Ms} ms`);
    return { students: ids.length, insertSeconds, indexSeconds, indexRows, incrementalPerSecond, latencies, baseline };
  } finally {
    handle.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

function measureLinking(log: (message: string) => void): RecordsBenchFigures['linking'] {
  const figures: RecordsBenchFigures['linking'] = [];
  for (const size of linkSizes) {
    const { handle, directory } = openTemporaryDatabase();
    try {
      const ids = insertStudents(handle.sqlite, size, 99, false);
      const started = performance.now();
      linkStudents(handle.db, ids, new Date());
      const seconds = (performance.now() - started) / 1000;
      log(`records: linked ${size} students in ${round(seconds, 1)} s`);
      figures.push({ students: size, seconds: round(seconds, 1), studentsPerSecond: Math.round(size / seconds) });
    } finally {
      handle.close();
      rmSync(directory, { recursive: true, force: true });
    }
  }
  return figures;
}

function renderTable(figures: RecordsBenchFigures): string {
  const lines: string[] = [];
  lines.push(
    'Import runs the import service on generated files, one state after another, with linking and indexing.',
    'Search runs the records search service (ranking included, no HTTP) on students inserted directly, each with',
    `its own consolidated record, after ${warmUpQueries} warm-up searches for other children. The baseline is a full LIKE`,
    'scan of the students table in the same database with the conditions of the exact query (first or middle name,',
    'each surname word in either field, the birth date or its day-and-month swap), without the birth-date index.',
    '"Found" is the share of queries whose intended child was among the results. Linking times linkStudents on',
    'students inserted directly in the states of the generator.',
    '',
    '| measure | figure |',
    '| --- | --- |',
  );

  if ('error' in figures.import) lines.push(`| import | failed: ${figures.import.error} |`);
  else {
    lines.push(
      `| import: ${figures.import.students} students (${figures.import.children} children) | ${figures.import.seconds} s, ${figures.import.studentsPerSecond} students/s |`,
    );
  }

  const search = figures.search;
  lines.push(`| search: students on file | ${search.students} |`);
  lines.push(`| search: index build (rebuildSearchIndex) | ${search.indexSeconds} s, ${search.indexRows} keys |`);
  lines.push(
    `| search: incremental indexing (indexStudents, as after an import) | ${search.incrementalPerSecond} students/s |`,
  );
  for (const latency of [...search.latencies, search.baseline]) {
    lines.push(
      `| search p50 / p95: ${latency.kind} (${latency.queries} queries) | ${latency.p50Ms} ms / ${latency.p95Ms} ms, found ${Math.round(latency.found * 100)}% |`,
    );
  }

  const exact = search.latencies[0]!;
  lines.push(
    `| search speed-up over the LIKE scan, exact queries | ${round(search.baseline.p50Ms / exact.p50Ms, 0)}× at p50, ${round(search.baseline.p95Ms / exact.p95Ms, 0)}× at p95 |`,
  );

  for (const link of figures.linking) {
    lines.push(
      `| linking ${link.students} students in one batch, none on file before | ${link.seconds} s, ${link.studentsPerSecond} students/s |`,
    );
  }
  if (!figures.linking.some((link) => link.students >= 1_000_000)) {
    const fastest = Math.max(...figures.linking.map((link) => link.studentsPerSecond));
    const estimate =
      Number.isFinite(fastest) && fastest > 0
        ? `; at the rate above it would take about ${Math.round(1_000_000 / fastest / 60)} min if the rate stayed the same with more students on file (an estimate)`
        : '';
    lines.push(`| linking 1000000 students | not measured in this run${estimate} |`);
  }
  return lines.join('\n');
}

export async function benchRecords(
  log: (message: string) => void,
): Promise<{ figures: RecordsBenchFigures; table: string }> {
  const figures: RecordsBenchFigures = {
    import: await measureImport(log),
    search: measureSearch(log),
    linking: measureLinking(log),
  };
  return { figures, table: renderTable(figures) };
}
