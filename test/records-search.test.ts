import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { recordAudit } from '../api/audit/record';
import { indexStudents, rebuildSearchIndex } from '../api/records/search/index-students';
import { isWithinOneEdit } from '../api/records/search/score';
import { generateRecords } from '../api/records/synthetic/generate';
import { DirectorySink } from '../api/records/synthetic/writer';
import { importUpload } from '../api/records/uploads/import';
import { damerauLevenshtein } from '../api/records/linking/similarity';
import type { AppDatabase } from '../db/client';
import {
  assessments,
  auditLog,
  consolidatedRecords,
  courses,
  enrollments,
  qualifyingMoves,
  retiredMsixIds,
  students,
} from '../db/schema';
import { createPerson, sendJson, signInAs } from './helpers/accounts';
import { createFakeClock } from './helpers/clock';
import { createTestApp, type TestApp } from './helpers/server';

interface Child {
  state: string;
  stateStudentId: string;
  firstName: string;
  middleName?: string;
  lastName1: string;
  lastName2?: string;
  sex: 'Female' | 'Male';
  birthDate: string;
  multipleBirth?: boolean;
  parent1FirstName?: string;
}

interface SearchResult {
  msixId: string;
  firstName: string;
  lastName1: string;
  states: string[];
  score: number;
  reasons: string[];
}

interface SearchResponse {
  total: number;
  tooBroad: boolean;
  results: SearchResult[];
}

const clock = createFakeClock(new Date('2026-12-04T15:00:00Z'));
let testApp: TestApp;
const cookies: Record<string, string> = {};

/** Inserts a consolidated record with the given states' reports of the child and indexes them. */
function insertChild(db: AppDatabase, msixId: string, reports: Child[]): number[] {
  const now = clock().toISOString();
  const record = db
    .insert(consolidatedRecords)
    .values({ msixId, createdAt: now, updatedAt: now })
    .returning({ id: consolidatedRecords.id })
    .get();
  const ids = reports.map(
    (report) =>
      db
        .insert(students)
        .values({
          ...report,
          multipleBirth: report.multipleBirth ?? false,
          consolidatedRecordId: record.id,
          contentSha256: `sha-${report.state}-${report.stateStudentId}`,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: students.id })
        .get().id,
  );
  indexStudents(db, ids);
  return ids;
}

const purpose = { purpose: 'enrollment' };

async function search(cookie: string, body: Record<string, unknown>): Promise<SearchResponse> {
  const response = await sendJson(testApp.app, 'POST', '/api/records/search', {
    cookie,
    body: { ...purpose, ...body },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as SearchResponse;
}

function resultFor(response: SearchResponse, msixId: string): SearchResult | undefined {
  return response.results.find((result) => result.msixId === msixId);
}

const garciaLopez = '100000000001';
const hernandez = '100000000002';
const villalobos = '100000000003';
const marioGarcia = '100000000004';
const jimenez = '100000000005';
const retiredId = '100000000099';

beforeAll(async () => {
  testApp = createTestApp({ clock });
  const db = testApp.database.db;

  insertChild(db, garciaLopez, [
    {
      state: 'TX',
      stateStudentId: 'TX1001',
      firstName: 'María',
      middleName: 'Guadalupe',
      lastName1: 'García',
      lastName2: 'López',
      sex: 'Female',
      birthDate: '2012-03-07',
      parent1FirstName: 'Rosa',
    },
    {
      state: 'FL',
      stateStudentId: 'FL77',
      firstName: 'Maria',
      lastName1: 'Garcia-Lopez',
      sex: 'Female',
      birthDate: '2012-07-03',
    },
  ]);
  const [hernandezId] = insertChild(db, hernandez, [
    {
      state: 'TX',
      stateStudentId: 'TX2002',
      firstName: 'José',
      lastName1: 'Hernández',
      lastName2: 'Ruiz',
      sex: 'Male',
      birthDate: '2010-11-08',
    },
  ]);
  insertChild(db, villalobos, [
    {
      state: 'CA',
      stateStudentId: 'CA5',
      firstName: 'Francisco',
      lastName1: 'Villalobos',
      sex: 'Male',
      birthDate: '2011-05-05',
    },
  ]);
  insertChild(db, marioGarcia, [
    {
      state: 'NM',
      stateStudentId: 'NM9',
      firstName: 'Mario',
      lastName1: 'García',
      sex: 'Male',
      birthDate: '2012-03-07',
    },
  ]);
  insertChild(db, jimenez, [
    {
      state: 'NM',
      stateStudentId: 'NM10',
      firstName: 'Ximena',
      lastName1: 'Jiménez',
      sex: 'Female',
      birthDate: '2013-01-15',
    },
  ]);

  db.insert(qualifyingMoves)
    .values({
      studentId: hernandezId!,
      qad: '2025-08-15',
      fromCity: 'Yuma',
      fromState: 'AZ',
      toCity: 'Weslaco',
      toState: 'TX',
      eligibilityExpirationDate: '2028-08-15',
    })
    .run();
  db.insert(enrollments)
    .values({
      studentId: hernandezId!,
      enrollmentDate: '2025-08-20',
      enrollmentType: '01',
      schoolOrProjectName: 'Weslaco High School',
      gradeLevel: '09',
      englishLearner: true,
    })
    .run();
  db.insert(courses)
    .values([
      {
        studentId: hernandezId!,
        courseTitle: 'Algebra I',
        subjectArea: 'Mathematics',
        beginYear: 2024,
        endYear: 2025,
        creditsGranted: 1,
        finalGrade: 'B',
      },
      {
        studentId: hernandezId!,
        courseTitle: 'English I',
        subjectArea: 'English Language Arts',
        beginYear: 2025,
        endYear: 2026,
        clockHours: 42.5,
        gradeToDate: '88',
      },
    ])
    .run();
  db.insert(assessments)
    .values({
      studentId: hernandezId!,
      assessmentTitle: 'STAAR Algebra I',
      assessmentContent: 'Mathematics',
      assessmentType: '01',
      administrationDate: '2025-05',
      score: '3950',
      interpretation: 'Proficient',
    })
    .run();

  const current = db
    .select({ id: consolidatedRecords.id })
    .from(consolidatedRecords)
    .where(eq(consolidatedRecords.msixId, hernandez))
    .get()!;
  const retired = db
    .insert(consolidatedRecords)
    .values({ msixId: retiredId, createdAt: clock().toISOString(), updatedAt: clock().toISOString() })
    .returning({ id: consolidatedRecords.id })
    .get();
  db.insert(retiredMsixIds)
    .values({
      msixId: retiredId,
      consolidatedRecordId: retired.id,
      successorRecordId: current.id,
      retiredAt: clock().toISOString(),
    })
    .run();

  const people = {
    noGrant: await createPerson(db, { role: 'state_user', state: 'TX' }),
    agentNoGrant: await createPerson(db, { role: 'agent' }),
    agentViewer: await createPerson(db, { role: 'agent', recordsAccess: 'viewer' }),
    texasViewer: await createPerson(db, { role: 'state_user', state: 'TX', recordsAccess: 'viewer' }),
    texasAdministrator: await createPerson(db, {
      role: 'state_coordinator',
      state: 'TX',
      recordsAccess: 'data_administrator',
    }),
    floridaAdministrator: await createPerson(db, {
      role: 'state_user',
      state: 'FL',
      recordsAccess: 'data_administrator',
    }),
    californiaAdministrator: await createPerson(db, {
      role: 'state_coordinator',
      state: 'CA',
      recordsAccess: 'data_administrator',
    }),
    adminWithGrant: await createPerson(db, { role: 'admin', recordsAccess: 'data_administrator' }),
  };
  for (const [name, person] of Object.entries(people)) cookies[name] = await signInAs(testApp.app, person);
});

afterAll(() => testApp.cleanup());

describe('records search access', () => {
  test('person without records access gets 403', async () => {
    const response = await sendJson(testApp.app, 'POST', '/api/records/search', {
      cookie: cookies.noGrant,
      body: { ...purpose, lastName: 'Garcia' },
    });

    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('records_access_required');
  });

  test('agent without a grant gets 403', async () => {
    const response = await sendJson(testApp.app, 'POST', '/api/records/search', {
      cookie: cookies.agentNoGrant,
      body: { ...purpose, lastName: 'Garcia' },
    });

    expect(response.status).toBe(403);
  });

  test('agent with the viewer grant can search', async () => {
    const response = await search(cookies.agentViewer!, { lastName: 'Villalobos' });

    expect(response.results.map((result) => result.msixId)).toEqual([villalobos]);
  });

  test('visitor gets 401', async () => {
    const response = await sendJson(testApp.app, 'POST', '/api/records/search', {
      body: { ...purpose, lastName: 'Garcia' },
    });

    expect(response.status).toBe(401);
  });

  test('response is not cached', async () => {
    const response = await sendJson(testApp.app, 'POST', '/api/records/search', {
      cookie: cookies.texasViewer,
      body: { ...purpose, lastName: 'Garcia' },
    });

    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  test('search in a URL query string is not served', async () => {
    const response = await sendJson(testApp.app, 'GET', '/api/records/search?lastName=Garcia&purpose=enrollment', {
      cookie: cookies.texasViewer,
    });

    expect(response.status).toBe(404);
  });
});

describe('records search input', () => {
  test('purpose is required', async () => {
    const response = await sendJson(testApp.app, 'POST', '/api/records/search', {
      cookie: cookies.texasViewer,
      body: { lastName: 'Garcia' },
    });
    const body = (await response.json()) as { error: { fields: { field: string; message: string }[] } };

    expect(response.status).toBe(400);
    expect(body.error.fields).toContainEqual({ field: 'purpose', message: 'is required.' });
  });

  test('other purpose needs its text', async () => {
    const response = await sendJson(testApp.app, 'POST', '/api/records/search', {
      cookie: cookies.texasViewer,
      body: { purpose: 'other', lastName: 'Garcia' },
    });
    const body = (await response.json()) as { error: { fields: { field: string }[] } };

    expect(response.status).toBe(400);
    expect(body.error.fields.map((problem) => problem.field)).toEqual(['purposeText']);
  });

  test('invalid fields are each named', async () => {
    const response = await sendJson(testApp.app, 'POST', '/api/records/search', {
      cookie: cookies.texasViewer,
      body: { ...purpose, birthDate: '2012-02-30', msixId: '123', state: 'XX', sex: 'F' },
    });
    const body = (await response.json()) as { error: { fields: { field: string }[] } };

    expect(response.status).toBe(400);
    expect(body.error.fields.map((problem) => problem.field).sort()).toEqual(['birthDate', 'msixId', 'sex', 'state']);
  });

  test('first name alone is too broad', async () => {
    const response = await sendJson(testApp.app, 'POST', '/api/records/search', {
      cookie: cookies.texasViewer,
      body: { ...purpose, firstName: 'Maria', state: 'TX' },
    });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('search_too_broad');
  });
});

describe('records search matching', () => {
  test('last name with one typo', async () => {
    const response = await search(cookies.texasViewer!, { firstName: 'Jose', lastName: 'Hernadnez' });
    const result = resultFor(response, hernandez);

    expect(result?.reasons).toContain('Last name matches with one typo (the first of two last names)');
    expect(result?.reasons).toContain('First name matches');
  });

  test('first name with one typo', async () => {
    const response = await search(cookies.texasViewer!, { firstName: 'Fransisko', lastName: 'Villalobos' });

    expect(resultFor(response, villalobos)).toBeDefined();
  });

  test('last name spelling variant b/v and ll/y', async () => {
    const response = await search(cookies.texasViewer!, { firstName: 'Francisco', lastName: 'Biyalobos' });

    expect(resultFor(response, villalobos)?.reasons).toContain('Last name matches a spelling variant');
  });

  test('spelling variants x/j and z/s', async () => {
    const response = await search(cookies.texasViewer!, { firstName: 'Jimena', lastName: 'Gimenes' });
    const result = resultFor(response, jimenez);

    expect(result?.reasons).toContain('First name matches a spelling variant');
    expect(result?.reasons).toContain('Last name matches a spelling variant');
  });

  test('swapped surnames', async () => {
    const response = await search(cookies.texasViewer!, { firstName: 'Maria', lastName: 'López García' });

    expect(resultFor(response, garciaLopez)?.reasons).toContain('Last name matches, in the other order');
  });

  test('one of two surnames', async () => {
    const response = await search(cookies.texasViewer!, { firstName: 'Maria', lastName: 'Lopez' });

    expect(resultFor(response, garciaLopez)?.reasons).toContain('Last name matches (the second last name)');
  });

  test('surnames joined in one word', async () => {
    const response = await search(cookies.texasViewer!, { lastName: 'Garcialopez' });

    expect(resultFor(response, garciaLopez)?.reasons[0]).toMatch(/^Last names match when written as one word/);
  });

  test('nickname of the first name', async () => {
    const response = await search(cookies.texasViewer!, { firstName: 'Paco', lastName: 'Villalobos' });

    expect(resultFor(response, villalobos)?.reasons).toContain('First name matches as a nickname');
  });

  test('nickname of the middle name', async () => {
    const response = await search(cookies.texasViewer!, { firstName: 'Lupe', lastName: 'Garcia' });

    expect(resultFor(response, garciaLopez)?.reasons).toContain('First name matches as a nickname (the middle name)');
  });

  test('birth date with day and month swapped', async () => {
    const response = await search(cookies.texasViewer!, { lastName: 'Hernandez', birthDate: '2010-08-11' });

    expect(resultFor(response, hernandez)?.reasons).toContain('Birth date matches with day and month swapped');
  });

  test('birth date finds a child with typos in both names', async () => {
    const response = await search(cookies.texasViewer!, {
      firstName: 'Jsoe',
      lastName: 'Hernandes Ruis',
      birthDate: '2010-11-08',
    });

    expect(resultFor(response, hernandez)).toBeDefined();
  });

  test('MSIX ID lookup', async () => {
    const response = await search(cookies.texasViewer!, { msixId: jimenez });

    expect(response.total).toBe(1);
    expect(response.results[0]?.reasons).toEqual(['MSIX ID matches']);
  });

  test('retired MSIX ID leads to the record that took its students', async () => {
    const response = await search(cookies.texasViewer!, { msixId: retiredId });

    expect(response.results.map((result) => result.msixId)).toEqual([hernandez]);
  });

  test('state student ID lookup in any case', async () => {
    const response = await search(cookies.texasViewer!, { stateStudentId: 'fl77' });

    expect(response.results.map((result) => result.msixId)).toEqual([garciaLopez]);
    expect(response.results[0]?.reasons).toEqual(['State student ID matches (FL)']);
  });

  test('state filter keeps children that state reported', async () => {
    const inFlorida = await search(cookies.texasViewer!, { lastName: 'Garcia', state: 'FL' });

    expect(inFlorida.results.map((result) => result.msixId)).toEqual([garciaLopez]);
  });

  test('ranking puts the closest child first', async () => {
    const response = await search(cookies.texasViewer!, {
      firstName: 'Maria',
      lastName: 'Garcia',
      birthDate: '2012-03-07',
      sex: 'Female',
    });

    expect(response.results.map((result) => result.msixId)).toEqual([garciaLopez, marioGarcia]);
    expect(response.results[0]?.score).toBe(100);
    expect(response.results[0]?.reasons).toEqual([
      'Last name matches (the first of two last names)',
      'First name matches',
      'Birth date matches',
      'Sex matches',
    ]);
    expect(response.results[1]?.score).toBeLessThan(100);
    expect(response.results[1]?.reasons).toEqual([
      'Last name matches',
      'First name matches with one typo',
      'Birth date matches',
      'Sex differs',
    ]);
  });

  test('unrelated child is left out', async () => {
    const response = await search(cookies.texasViewer!, { firstName: 'Ximena', lastName: 'Villalobos' });

    expect(resultFor(response, jimenez)).toBeUndefined();
  });

  test('child reported by two states shows both', async () => {
    const response = await search(cookies.texasViewer!, { lastName: 'Garcia Lopez' });

    expect(resultFor(response, garciaLopez)?.states).toEqual(['FL', 'TX']);
  });

  test('results hold only identifying fields', async () => {
    const response = await search(cookies.texasViewer!, { lastName: 'Garcia' });

    expect(response.total).toBe(2);
    for (const result of response.results) {
      expect(Object.keys(result).sort()).toEqual(
        [
          'birthDate',
          'firstName',
          'lastName1',
          'lastName2',
          'middleName',
          'msixId',
          'reasons',
          'score',
          'sex',
          'states',
        ].sort(),
      );
    }
  });

  test('reindexing a renamed student finds the new name', async () => {
    const db = testApp.database.db;
    const student = db.select().from(students).where(eq(students.stateStudentId, 'NM10')).get()!;
    db.update(students).set({ lastName1: 'Montoya' }).where(eq(students.id, student.id)).run();
    indexStudents(db, [student.id]);

    const renamed = await search(cookies.texasViewer!, { firstName: 'Ximena', lastName: 'Montoya' });
    const old = await search(cookies.texasViewer!, { firstName: 'Ximena', lastName: 'Jimenez' });

    expect(resultFor(renamed, jimenez)).toBeDefined();
    expect(resultFor(old, jimenez)).toBeUndefined();
    db.update(students).set({ lastName1: 'Jiménez' }).where(eq(students.id, student.id)).run();
    indexStudents(db, [student.id]);
  });
});

interface RecordView {
  msixId: string;
  requestedMsixId: string | null;
  states: string[];
  identity: {
    merged: Record<string, unknown> & { firstName: string; birthDate: string };
    reported: { state: string; parent1FirstName: string | null }[];
  };
  qualifyingMoves: { toState: string }[];
  enrollments: { schoolOrProjectName: string; englishLearner: boolean }[];
  courses: {
    courseTitle: string;
    inProgress: boolean;
    clockHours: number | null;
    gradeToDate: string | null;
    creditsGranted: number | null;
  }[];
  assessments: { assessmentTitle: string }[];
}

describe('consolidated record', () => {
  test('view returns every section', async () => {
    const response = await sendJson(testApp.app, 'POST', `/api/records/${hernandez}/view`, {
      cookie: cookies.texasViewer,
      body: purpose,
    });
    const view = (await response.json()) as RecordView;

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(view.states).toEqual(['TX']);
    expect(view.identity.merged.firstName).toBe('José');
    expect(view.qualifyingMoves.map((move) => move.toState)).toEqual(['TX']);
    expect(view.enrollments[0]).toMatchObject({ schoolOrProjectName: 'Weslaco High School', englishLearner: true });
    expect(view.assessments.map((assessment) => assessment.assessmentTitle)).toEqual(['STAAR Algebra I']);
  });

  test('course history marks courses in progress', async () => {
    const response = await sendJson(testApp.app, 'POST', `/api/records/${hernandez}/view`, {
      cookie: cookies.texasViewer,
      body: purpose,
    });
    const view = (await response.json()) as RecordView;

    expect(view.courses).toContainEqual(
      expect.objectContaining({ courseTitle: 'English I', inProgress: true, clockHours: 42.5, gradeToDate: '88' }),
    );
    expect(view.courses).toContainEqual(
      expect.objectContaining({ courseTitle: 'Algebra I', inProgress: false, creditsGranted: 1 }),
    );
  });

  test('merged name comes from one report', async () => {
    const response = await sendJson(testApp.app, 'POST', `/api/records/${garciaLopez}/view`, {
      cookie: cookies.texasViewer,
      body: purpose,
    });
    const view = (await response.json()) as RecordView;

    expect(view.identity.merged).toMatchObject({
      firstName: 'María',
      middleName: 'Guadalupe',
      lastName1: 'García',
      lastName2: 'López',
      sex: 'Female',
    });
    expect(view.identity.reported.map((identity) => identity.state)).toEqual(['FL', 'TX']);
    expect(view.identity.reported.find((identity) => identity.state === 'TX')?.parent1FirstName).toBe('Rosa');
  });

  test('retired MSIX ID opens the successor record', async () => {
    const response = await sendJson(testApp.app, 'POST', `/api/records/${retiredId}/view`, {
      cookie: cookies.texasViewer,
      body: purpose,
    });
    const view = (await response.json()) as RecordView;

    expect(view.msixId).toBe(hernandez);
    expect(view.requestedMsixId).toBe(retiredId);
  });

  test('unknown MSIX ID gets 404', async () => {
    const response = await sendJson(testApp.app, 'POST', '/api/records/999999999999/view', {
      cookie: cookies.texasViewer,
      body: purpose,
    });

    expect(response.status).toBe(404);
  });

  test('view needs a purpose', async () => {
    const response = await sendJson(testApp.app, 'POST', `/api/records/${hernandez}/view`, {
      cookie: cookies.texasViewer,
      body: {},
    });

    expect(response.status).toBe(400);
  });

  test('view needs records access', async () => {
    const response = await sendJson(testApp.app, 'POST', `/api/records/${hernandez}/view`, {
      cookie: cookies.noGrant,
      body: purpose,
    });

    expect(response.status).toBe(403);
  });
});

describe('records audit rows', () => {
  function auditRows(action: string) {
    return testApp.database.db.select().from(auditLog).where(eq(auditLog.action, action)).all();
  }

  test('search row has purpose and result count', async () => {
    const before = auditRows('records.search').length;
    await search(cookies.texasViewer!, { firstName: 'Francisco', lastName: 'Villalobos', birthDate: '2011-05-05' });
    const rows = auditRows('records.search');

    expect(rows.length).toBe(before + 1);
    expect(rows.at(-1)?.detail).toBe('results=1 purpose=enrollment');
    expect(rows.at(-1)?.objectType).toBe('record_search');
  });

  test('view and print rows carry the MSIX ID and purpose', async () => {
    await sendJson(testApp.app, 'POST', `/api/records/${villalobos}/view`, {
      cookie: cookies.texasViewer,
      body: { purpose: 'other', purposeText: 'Family asked for a copy' },
    });
    await sendJson(testApp.app, 'POST', `/api/records/${villalobos}/print`, {
      cookie: cookies.texasViewer,
      body: { purpose: 'credit_accrual' },
    });

    expect(auditRows('records.view').at(-1)).toMatchObject({
      objectType: 'consolidated_record',
      objectId: villalobos,
      detail: 'purpose=other: Family asked for a copy',
    });
    expect(auditRows('records.print').at(-1)).toMatchObject({
      objectType: 'consolidated_record',
      objectId: villalobos,
      detail: 'purpose=credit_accrual',
    });
  });

  test('audit rows never hold names or birth dates', () => {
    const rows = JSON.stringify(testApp.database.db.select().from(auditLog).all()).toLowerCase();

    for (const secret of [
      'garcia',
      'lopez',
      'hernandez',
      'villalobos',
      'jimenez',
      'maria',
      '2012-03-07',
      '2010-11-08',
    ]) {
      expect(rows).not.toContain(secret);
    }
  });
});

describe('record access log', () => {
  interface AccessLog {
    entries: { action: string; purpose: string; purposeText: string | null; personEmail: string; msixId: string }[];
  }

  async function readLog(cookie: string, msixId: string): Promise<Response> {
    return sendJson(testApp.app, 'GET', `/api/records/${msixId}/access-log`, { cookie });
  }

  test('data administrator of a reporting state sees views and prints', async () => {
    await sendJson(testApp.app, 'POST', `/api/records/${garciaLopez}/view`, {
      cookie: cookies.agentViewer,
      body: purpose,
    });
    await sendJson(testApp.app, 'POST', `/api/records/${garciaLopez}/print`, {
      cookie: cookies.agentViewer,
      body: { purpose: 'health' },
    });
    const response = await readLog(cookies.floridaAdministrator!, garciaLopez);
    const log = (await response.json()) as AccessLog;

    expect(response.status).toBe(200);
    expect(log.entries.slice(0, 2).map((entry) => [entry.action, entry.purpose])).toEqual([
      ['records.print', 'health'],
      ['records.view', 'enrollment'],
    ]);
  });

  test('views under a retired MSIX ID are included', async () => {
    // A view written before the merge retired the MSIX ID.
    recordAudit(testApp.database.db, {
      ip: '127.0.0.1',
      action: 'records.view',
      objectType: 'consolidated_record',
      objectId: retiredId,
      outcome: 'success',
      detail: 'purpose=placement',
      at: clock(),
    });
    const response = await readLog(cookies.texasAdministrator!, hernandez);
    const log = (await response.json()) as AccessLog;

    expect(log.entries.some((entry) => entry.msixId === retiredId)).toBe(true);
  });

  test('data administrator of another state gets 403', async () => {
    const response = await readLog(cookies.californiaAdministrator!, garciaLopez);

    expect(response.status).toBe(403);
  });

  test('viewer gets 403', async () => {
    const response = await readLog(cookies.texasViewer!, garciaLopez);

    expect(response.status).toBe(403);
  });

  test('admin with the grant sees it', async () => {
    const response = await readLog(cookies.adminWithGrant!, garciaLopez);

    expect(response.status).toBe(200);
  });
});

describe('search index', () => {
  test('rebuild gives the same keys', async () => {
    const sqlite = testApp.database.sqlite;
    const readKeys = () =>
      sqlite.prepare('SELECT key, student_id FROM record_search_keys ORDER BY key, student_id').all();
    const before = readKeys();

    const rebuilt = rebuildSearchIndex(testApp.database.db);

    expect(rebuilt.keys).toBe(before.length);
    expect(readKeys()).toEqual(before);
    expect(
      resultFor(await search(cookies.texasViewer!, { firstName: 'Paco', lastName: 'Biyalobos' }), villalobos),
    ).toBeDefined();
  });

  test('one-edit check matches the edit distance', () => {
    const words = [
      'garcia',
      'gracia',
      'garica',
      'garcya',
      'garci',
      'garciaa',
      'grcia',
      'maria',
      'mario',
      'ana',
      'anna',
      'a',
      '',
      'ab',
      'ba',
    ];
    for (const left of words) {
      for (const right of words) {
        expect(isWithinOneEdit(left, right), `${left} / ${right}`).toBe(damerauLevenshtein(left, right) <= 1);
      }
    }
  });
});

describe('records from an import', () => {
  test('imported child is found with link reasons', async () => {
    const imported = createTestApp({ clock });
    const directory = mkdtempSync(path.join(os.tmpdir(), 'msix-search-import-'));
    try {
      const db = imported.database.db;
      const sink = new DirectorySink(directory);
      generateRecords({ children: 120, seed: 11, today: clock() }, sink);
      sink.close();
      for (const state of readdirSync(directory).filter((name) => /^[A-Z]{2}$/.test(name))) {
        await importUpload(
          db,
          { state, directory: path.join(directory, state), source: 'command_line', ip: 'test' },
          { clock },
        );
      }
      const child = imported.database.sqlite
        .prepare(
          `SELECT c.msix_id AS msixId, count(*) AS reports, min(s.id) AS studentId
             FROM consolidated_records c JOIN students s ON s.consolidated_record_id = c.id
            GROUP BY c.id HAVING count(DISTINCT s.state) >= 2 ORDER BY c.id LIMIT 1`,
        )
        .get() as { msixId: string; reports: number; studentId: number };
      const student = db.select().from(students).where(eq(students.id, child.studentId)).get()!;
      const viewer = await createPerson(db, { role: 'state_user', state: 'TX', recordsAccess: 'viewer' });
      const cookie = await signInAs(imported.app, viewer);

      const found = await sendJson(imported.app, 'POST', '/api/records/search', {
        cookie,
        body: {
          ...purpose,
          firstName: student.firstName,
          lastName: [student.lastName1, student.lastName2].filter(Boolean).join(' '),
          birthDate: student.birthDate,
        },
      });
      const results = ((await found.json()) as SearchResponse).results;
      const opened = await sendJson(imported.app, 'POST', `/api/records/${child.msixId}/view`, {
        cookie,
        body: purpose,
      });
      const view = (await opened.json()) as { linkReasons: { students: { reasons: { outcome: string } }[] } };

      expect(results.map((result) => result.msixId)).toContain(child.msixId);
      expect(view.linkReasons.students.length).toBe(child.reports);
      expect(view.linkReasons.students.map((entry) => entry.reasons.outcome)).toContain('linked');
    } finally {
      imported.cleanup();
      rmSync(directory, { recursive: true, force: true });
    }
  }, 120_000);
});
