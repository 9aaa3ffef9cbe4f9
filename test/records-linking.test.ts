import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { linkStudents, sqliteOf } from '../api/records/linking/link';
import { createConsolidatedRecord, isMsixId } from '../api/records/linking/msix-id';
import { readLinkReasons } from '../api/records/linking/reasons';
import { generateRecords } from '../api/records/synthetic/generate';
import { DirectorySink } from '../api/records/synthetic/writer';
import { importUpload } from '../api/records/uploads/import';
import { createPerson, sendJson, signInAs } from './helpers/accounts';
import { createFakeClock } from './helpers/clock';
import { createTestApp, type TestApp } from './helpers/server';

let testApp: TestApp;
const clock = createFakeClock(new Date('2026-12-04T15:00:00Z'));
let sequence = 0;

beforeEach(() => {
  testApp = createTestApp({ clock });
});

afterEach(() => testApp.cleanup());

interface StudentFields {
  state: string;
  firstName: string;
  middleName?: string | null;
  lastName1: string;
  lastName2?: string | null;
  sex?: string;
  birthDate: string;
  multipleBirth?: boolean;
  birthCity?: string | null;
  birthState?: string | null;
  parent1FirstName?: string | null;
  parent1LastName?: string | null;
}

const lupe: Omit<StudentFields, 'state'> = {
  firstName: 'Guadalupe',
  lastName1: 'Ramírez',
  lastName2: 'Soto',
  sex: 'Female',
  birthDate: '2013-05-09',
  birthCity: 'Yuma',
  birthState: 'AZ',
  parent1FirstName: 'Rosa',
  parent1LastName: 'Soto',
};

/** Inserts a students row the way an accepted upload leaves it: no consolidated record until linking runs. */
function insertStudent(fields: StudentFields): number {
  sequence += 1;
  const result = sqliteOf(testApp.database.db)
    .prepare(
      `INSERT INTO students (state, state_student_id, first_name, middle_name, last_name_1, last_name_2, sex, birth_date,
         multiple_birth, birth_city, birth_state, parent1_first_name, parent1_last_name, content_sha256, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'test', ?, ?)`,
    )
    .run(
      fields.state,
      `${fields.state}${sequence}`,
      fields.firstName,
      fields.middleName ?? null,
      fields.lastName1,
      fields.lastName2 ?? null,
      fields.sex ?? 'Female',
      fields.birthDate,
      fields.multipleBirth ? 1 : 0,
      fields.birthCity ?? null,
      fields.birthState ?? null,
      fields.parent1FirstName ?? null,
      fields.parent1LastName ?? null,
      clock().toISOString(),
      clock().toISOString(),
    );
  return Number(result.lastInsertRowid);
}

function recordOf(studentId: number): number | null {
  const row = sqliteOf(testApp.database.db)
    .prepare('SELECT consolidated_record_id AS record FROM students WHERE id = ?')
    .get(studentId) as { record: number | null };
  return row.record;
}

function nearMatchesOf(studentId: number): { id: number; status: string; reasons: string; score: number }[] {
  return sqliteOf(testApp.database.db)
    .prepare('SELECT id, status, reasons, score FROM record_near_matches WHERE student_a_id = ? OR student_b_id = ?')
    .all(studentId, studentId) as { id: number; status: string; reasons: string; score: number }[];
}

function link(...ids: number[]) {
  return linkStudents(testApp.database.db, ids, clock());
}

describe('linking decisions', () => {
  test('same child across states links', () => {
    const california = insertStudent({ ...lupe, state: 'CA' });
    const texas = insertStudent({ ...lupe, state: 'TX', firstName: 'Lupe', lastName1: 'Ramirez', lastName2: null });
    expect(link(california)).toEqual({ studentsLinked: 1, newRecords: 1, nearMatches: 0 });
    expect(link(texas)).toEqual({ studentsLinked: 1, newRecords: 0, nearMatches: 0 });
    expect(recordOf(texas)).toBe(recordOf(california));
  });

  test('uncertain pair becomes a near match', () => {
    const california = insertStudent({ ...lupe, state: 'CA' });
    // One surname only and another day of the same month, but the mother's first name agrees: below the link threshold.
    const texas = insertStudent({
      state: 'TX',
      firstName: 'Guadalupe',
      lastName1: 'Soto',
      sex: 'Female',
      birthDate: '2013-05-21',
      parent1FirstName: 'Rosa',
    });
    link(california);
    const summary = link(texas);
    expect(summary.nearMatches).toBe(1);
    expect(recordOf(texas)).not.toBe(recordOf(california));
    const [nearMatch] = nearMatchesOf(texas);
    expect(nearMatch?.status).toBe('open');
  });

  test('different children stay separate', () => {
    const california = insertStudent({ ...lupe, state: 'CA' });
    const texas = insertStudent({
      state: 'TX',
      firstName: 'Pedro',
      lastName1: 'Vang',
      sex: 'Male',
      birthDate: '2009-11-23',
    });
    link(california);
    expect(link(texas)).toEqual({ studentsLinked: 1, newRecords: 1, nearMatches: 0 });
    expect(nearMatchesOf(texas)).toEqual([]);
  });

  test('twins never linked automatically', () => {
    const twin = { ...lupe, multipleBirth: true };
    const california = insertStudent({ ...twin, state: 'CA' });
    const texas = insertStudent({ ...twin, state: 'TX', firstName: 'Esperanza' });
    link(california);
    link(texas);
    expect(recordOf(texas)).not.toBe(recordOf(california));
    const [nearMatch] = nearMatchesOf(texas);
    expect(JSON.parse(nearMatch?.reasons ?? '{}').flags).toContain('possible_twin');
  });

  test('twin reported again under a nickname links', () => {
    const twin = { ...lupe, multipleBirth: true };
    const california = insertStudent({ ...twin, state: 'CA' });
    const texas = insertStudent({ ...twin, state: 'TX', firstName: 'Lupita' });
    link(california, texas);
    expect(recordOf(texas)).toBe(recordOf(california));
  });

  test('same state never linked by comparison', () => {
    const first = insertStudent({ ...lupe, state: 'CA' });
    const second = insertStudent({ ...lupe, state: 'CA' });
    link(first, second);
    expect(recordOf(second)).not.toBe(recordOf(first));
  });

  test('record with a student of the same state gets a near match', () => {
    const california = insertStudent({ ...lupe, state: 'CA' });
    const texas = insertStudent({ ...lupe, state: 'TX' });
    link(california, texas);
    const secondCalifornia = insertStudent({ ...lupe, state: 'CA', firstName: 'Lupe' });
    link(secondCalifornia);
    expect(recordOf(secondCalifornia)).not.toBe(recordOf(california));
    const flags = nearMatchesOf(secondCalifornia).flatMap((match) => JSON.parse(match.reasons).flags as string[]);
    expect(flags).toContain('record_has_same_state');
  });

  test('student keeps its record when linked again', () => {
    const california = insertStudent({ ...lupe, state: 'CA' });
    link(california);
    const record = recordOf(california);
    expect(link(california)).toEqual({ studentsLinked: 1, newRecords: 0, nearMatches: 0 });
    expect(recordOf(california)).toBe(record);
  });
});

describe('reasons', () => {
  test('link decision keeps its reasons', () => {
    const california = insertStudent({ ...lupe, state: 'CA' });
    const texas = insertStudent({ ...lupe, state: 'TX', birthDate: '2013-09-05' });
    link(california, texas);
    const record = recordOf(texas) as number;

    const reasons = readLinkReasons(testApp.database.db, record);
    expect(reasons.students.map((student) => student.outcome)).toEqual(['new_record', 'linked']);
    const linked = reasons.students[1];
    expect(linked?.matchedStudentId).toBe(california);
    expect(linked?.reasons.comparison?.thresholds.link).toBeGreaterThan(0);
    const birthDate = linked?.reasons.comparison?.fields.find((field) => field.field === 'birth_date');
    expect(birthDate?.method).toBe('day_month_swapped');
  });

  test('reasons never contain names or birth dates', () => {
    const california = insertStudent({ ...lupe, state: 'CA' });
    const texas = insertStudent({ ...lupe, state: 'TX', firstName: 'Lupe' });
    link(california, texas);
    const text = JSON.stringify(readLinkReasons(testApp.database.db, recordOf(texas) as number));
    for (const value of ['Guadalupe', 'Lupe', 'Ramírez', 'Soto', '2013', 'Yuma', 'Rosa']) {
      expect(text).not.toContain(value);
    }
  });

  test('near match listed with the record', () => {
    const twin = { ...lupe, multipleBirth: true };
    const california = insertStudent({ ...twin, state: 'CA' });
    const texas = insertStudent({ ...twin, state: 'TX', firstName: 'Esperanza' });
    link(california, texas);
    const reasons = readLinkReasons(testApp.database.db, recordOf(california) as number);
    expect(reasons.nearMatches).toHaveLength(1);
    expect(reasons.nearMatches[0]?.reasons.flags).toContain('possible_twin');
  });
});

describe('rejected near matches', () => {
  test('rejected pair not proposed again', () => {
    const twin = { ...lupe, multipleBirth: true };
    const california = insertStudent({ ...twin, state: 'CA' });
    const texas = insertStudent({ ...twin, state: 'TX', firstName: 'Esperanza' });
    link(california, texas);
    const [nearMatch] = nearMatchesOf(texas);
    sqliteOf(testApp.database.db)
      .prepare("UPDATE record_near_matches SET status = 'rejected' WHERE id = ?")
      .run(nearMatch?.id);

    expect(link(texas).nearMatches).toBe(0);
    expect(nearMatchesOf(texas).map((match) => match.status)).toEqual(['rejected']);
  });

  test('rejected pair never linked', () => {
    const california = insertStudent({ ...lupe, state: 'CA' });
    const texas = insertStudent({ ...lupe, state: 'TX' });
    link(california);
    const db = sqliteOf(testApp.database.db);
    db.prepare(
      "INSERT INTO record_near_matches (student_a_id, student_b_id, score, reasons, status, created_at) VALUES (?, ?, 15, '{}', 'rejected', ?)",
    ).run(california, texas, clock().toISOString());

    link(texas);
    expect(recordOf(texas)).not.toBe(recordOf(california));
    expect(nearMatchesOf(texas)).toHaveLength(1);
  });
});

describe('MSIX IDs', () => {
  test('twelve digits and unique', () => {
    const sqlite = sqliteOf(testApp.database.db);
    const ids = Array.from({ length: 500 }, () => createConsolidatedRecord(sqlite, clock()).msixId);
    for (const id of ids) expect(isMsixId(id), id).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('not in creation order', () => {
    const sqlite = sqliteOf(testApp.database.db);
    const ids = Array.from({ length: 20 }, () => createConsolidatedRecord(sqlite, clock()).msixId);
    expect([...ids].sort()).not.toEqual(ids);
  });

  test('every linked student gets one', () => {
    const ids = [insertStudent({ ...lupe, state: 'CA' }), insertStudent({ ...lupe, state: 'TX', firstName: 'Rosa' })];
    link(...ids);
    const rows = sqliteOf(testApp.database.db)
      .prepare(
        'SELECT r.msix_id AS msixId FROM students s JOIN consolidated_records r ON r.id = s.consolidated_record_id',
      )
      .all() as { msixId: string }[];
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(isMsixId(row.msixId)).toBe(true);
  });
});

describe('synthetic generator', () => {
  const directories: string[] = [];
  const generateInto = (seed: number) => {
    const directory = mkdtempSync(path.join(tmpdir(), 'msix-generated-'));
    directories.push(directory);
    const sink = new DirectorySink(directory);
    const summary = generateRecords({ children: 300, seed, today: clock() }, sink);
    sink.close();
    return { directory, summary };
  };
  const readAll = (directory: string) =>
    readdirSync(directory, { recursive: true })
      .map(String)
      .filter((name) => name.endsWith('.csv'))
      .sort()
      .map((name) => `${name}\n${readFileSync(path.join(directory, name), 'utf8')}`)
      .join('\n');

  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  test('same seed gives the same files', () => {
    const first = generateInto(42);
    const second = generateInto(42);
    const third = generateInto(43);
    expect(readAll(second.directory)).toBe(readAll(first.directory));
    expect(readAll(third.directory)).not.toBe(readAll(first.directory));
  });

  test('truth file lists every student', () => {
    const { directory, summary } = generateInto(7);
    const truth = readFileSync(path.join(directory, 'truth.csv'), 'utf8').trim().split('\n');
    expect(truth[0]).toBe('state,state_student_id,true_child_id');
    expect(truth).toHaveLength(summary.reports + 1);
    expect(summary.childrenInSeveralStates).toBeGreaterThan(0);
    const children = new Set(truth.slice(1).map((line) => line.split(',')[2]));
    expect(children.size).toBe(300);
  });

  test('output imports cleanly and links across states', async () => {
    const { directory } = generateInto(11);
    const states = readdirSync(directory).filter((name) => /^[A-Z]{2}$/.test(name));
    expect(states).toContain('CA');
    for (const state of states) {
      const result = await importUpload(
        testApp.database.db,
        { state, directory: path.join(directory, state), source: 'command_line', ip: '127.0.0.1' },
        { clock },
      );
      expect(result.status, state).toBe('completed');
      expect(result.studentsRejected, state).toBe(0);
    }
    const shared = sqliteOf(testApp.database.db)
      .prepare(
        'SELECT COUNT(*) AS count FROM (SELECT consolidated_record_id FROM students GROUP BY 1 HAVING COUNT(DISTINCT state) > 1)',
      )
      .get() as { count: number };
    expect(shared.count).toBeGreaterThan(0);
  });
});

describe('nickname API', () => {
  test('admin lists, adds and deletes', async () => {
    const db = testApp.database.db;
    const cookie = await signInAs(testApp.app, await createPerson(db, { role: 'admin' }));

    const list = await sendJson(testApp.app, 'GET', '/api/record-nicknames', { cookie });
    expect(list.status).toBe(200);
    const { nicknames } = (await list.json()) as { nicknames: { fullName: string; nickname: string }[] };
    expect(nicknames.length).toBeGreaterThanOrEqual(60);
    expect(nicknames).toContainEqual(expect.objectContaining({ fullName: 'guadalupe', nickname: 'lupe' }));

    const added = await sendJson(testApp.app, 'POST', '/api/record-nicknames', {
      cookie,
      body: { fullName: 'Anastasia', nickname: 'Tasia' },
    });
    expect(added.status).toBe(201);
    const { nickname } = (await added.json()) as { nickname: { id: number; fullName: string; addedByAdmin: boolean } };
    expect(nickname).toMatchObject({ fullName: 'anastasia', addedByAdmin: true });

    const deleted = await sendJson(testApp.app, 'DELETE', `/api/record-nicknames/${nickname.id}`, { cookie });
    expect(deleted.status).toBe(200);
    const audit = sqliteOf(db)
      .prepare("SELECT action FROM audit_log WHERE action LIKE 'records.nickname%' ORDER BY id")
      .all() as { action: string }[];
    expect(audit.map((row) => row.action)).toEqual(['records.nickname_added', 'records.nickname_deleted']);
  });

  test('other roles refused', async () => {
    const db = testApp.database.db;
    const people = [
      await createPerson(db, { role: 'state_coordinator', state: 'TX', recordsAccess: 'data_administrator' }),
      await createPerson(db, { role: 'agent' }),
      await createPerson(db, { role: 'state_user', state: 'CA', recordsAccess: 'viewer' }),
    ];
    for (const person of people) {
      const cookie = await signInAs(testApp.app, person);
      const list = await sendJson(testApp.app, 'GET', '/api/record-nicknames', { cookie });
      const add = await sendJson(testApp.app, 'POST', '/api/record-nicknames', {
        cookie,
        body: { fullName: 'Anastasia', nickname: 'Tasia' },
      });
      expect(list.status, person.role).toBe(403);
      expect(add.status, person.role).toBe(403);
    }
    const anonymous = await sendJson(testApp.app, 'GET', '/api/record-nicknames');
    expect(anonymous.status).toBe(401);
  });

  test('invalid and duplicate pairs rejected', async () => {
    const db = testApp.database.db;
    const cookie = await signInAs(testApp.app, await createPerson(db, { role: 'admin' }));
    const post = (body: unknown) => sendJson(testApp.app, 'POST', '/api/record-nicknames', { cookie, body });

    const missing = await post({ fullName: 'Anastasia' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain('nickname');
    expect((await post({ fullName: 'Ana1', nickname: 'An' })).status).toBe(400);
    expect((await post({ fullName: 'José', nickname: 'jose' })).status).toBe(400);
    const duplicate = await post({ fullName: 'Guadalupe', nickname: 'LUPE' });
    expect(duplicate.status).toBe(409);
    expect((await sendJson(testApp.app, 'DELETE', '/api/record-nicknames/999999', { cookie })).status).toBe(404);
  });
});
