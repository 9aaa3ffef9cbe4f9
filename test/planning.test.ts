import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { crosswalkTemplatePath } from '../api/plans/crosswalk';
import { runPlanReminders } from '../api/plans/reminders';
import type { MailQueue } from '../api/shared/action-context';
import { parseCsv, parseCsvRecords } from '../api/shared/csv';
import { createMailQueue } from '../api/shared/mail-queue';
import { openDatabase } from '../db/client';
import {
  auditLog,
  crosswalkEntries,
  outboxMessages,
  people,
  planMilestones,
  planReminders,
  recordUploads,
} from '../db/schema';
import { createPerson, sendJson, signInAs, type TestPerson } from './helpers/accounts';
import { createFakeClock, days, minutes } from './helpers/clock';
import { createTestApp, type TestApp } from './helpers/server';

interface Recommendation {
  id: number;
  position: number;
  text: string;
  milestoneId: number | null;
  milestone: { id: number; title: string; planId: number } | null;
}
interface SessionView {
  session: { id: number; state: string; sessionDate: string; place: string; participants: string[]; findings: string };
  recommendations: Recommendation[];
  canEdit: boolean;
}
interface CrosswalkEntry {
  file: string;
  column: string;
  description: string;
  required: string;
  sourceSystem: string;
  owningOffice: string;
  collectionStatus: string | null;
  notes: string;
  updatedAt: string | null;
}
interface CrosswalkView {
  state: string;
  canEdit: boolean;
  changed?: number;
  entries: CrosswalkEntry[];
  completeness: Record<string, number | null>;
  completenessRule: string;
  dataQuality: { available: boolean; message: string; link: string | null };
}
interface ErrorBody {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}

// Friday 2026-12-04 15:00 UTC, in ISO week 2026-W49.
const start = new Date('2026-12-04T15:00:00Z');

let clock: ReturnType<typeof createFakeClock>;
let testApp: TestApp;
let texasCoordinator: TestPerson;
let texasUser: TestPerson;
let ohioCoordinator: TestPerson;
const cookies: Record<string, string> = {};

beforeEach(async () => {
  clock = createFakeClock(start);
  testApp = createTestApp({ clock });
  const db = testApp.database.db;
  texasCoordinator = await createPerson(db, { role: 'state_coordinator', state: 'TX', now: clock() });
  texasUser = await createPerson(db, { role: 'state_user', state: 'TX', now: clock() });
  ohioCoordinator = await createPerson(db, { role: 'state_coordinator', state: 'OH', now: clock() });
  cookies.texasCoordinator = await signInAs(testApp.app, texasCoordinator);
  cookies.texasUser = await signInAs(testApp.app, texasUser);
  cookies.ohioCoordinator = await signInAs(testApp.app, ohioCoordinator);
  cookies.agent = await signInAs(testApp.app, await createPerson(db, { role: 'agent', now: clock() }));
  cookies.admin = await signInAs(testApp.app, await createPerson(db, { role: 'admin', now: clock() }));
});

afterEach(() => testApp.cleanup());

async function call<T>(cookie: string | undefined, method: string, path: string, body?: unknown) {
  const response = await sendJson(testApp.app, method, path, { cookie, body });
  const text = await response.text();
  return { status: response.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as T, response };
}

async function createPlan(cookie: string, overrides: Record<string, unknown> = {}): Promise<number> {
  const result = await call<{ plan: { id: number } }>(cookie, 'POST', '/api/plans', {
    state: 'TX',
    title: 'Records exchange plan 2026-2028',
    periodStart: '2026-01-01',
    periodEnd: '2028-12-31',
    origin: 'blank',
    ...overrides,
  });
  if (result.status !== 201) throw new Error(`plan not created: ${JSON.stringify(result.body)}`);
  return result.body.plan.id;
}

/** Adds one goal and one objective to a plan and returns the objective's id. */
async function addObjective(cookie: string, planId: number): Promise<number> {
  const goal = await call<{ goal: { id: number } }>(cookie, 'POST', `/api/plans/${planId}/goals`, {
    title: 'Every arriving child is looked up in MSIX',
  });
  const objective = await call<{ objective: { id: number } }>(
    cookie,
    'POST',
    `/api/goals/${goal.body.goal.id}/objectives`,
    {
      title: 'Registrars search MSIX at enrollment',
    },
  );
  return objective.body.objective.id;
}

async function addMilestone(cookie: string, objectiveId: number, body: Record<string, unknown>): Promise<number> {
  const result = await call<{ milestone: { id: number } }>(
    cookie,
    'POST',
    `/api/objectives/${objectiveId}/milestones`,
    {
      ownerRole: 'State MSIX coordinator',
      ...body,
    },
  );
  if (result.status !== 201) throw new Error(`milestone not created: ${JSON.stringify(result.body)}`);
  return result.body.milestone.id;
}

async function createSession(cookie: string, overrides: Record<string, unknown> = {}) {
  return call<SessionView>(cookie, 'POST', '/api/planning-sessions', {
    state: 'TX',
    sessionDate: '2026-11-18',
    place: 'Texas Education Agency, Austin',
    participants: ['State MEP director', 'State MSIX coordinator', 'Regional data administrator'],
    findings: 'Half of the districts do not search MSIX before placing arriving students.',
    recommendations: [
      'Train registrars in the three largest regions',
      'Add the MSIX search to the enrollment checklist',
    ],
    ...overrides,
  });
}

function runReminders() {
  return runPlanReminders({
    db: testApp.database.db,
    clock,
    mail: createMailQueue(testApp.config),
    siteUrl: testApp.config.siteUrl,
  });
}

function mailOfKind(kind: string) {
  return testApp.database.db.select().from(outboxMessages).where(eq(outboxMessages.kind, kind)).all();
}

function auditActions(): string[] {
  return testApp.database.db
    .select({ action: auditLog.action })
    .from(auditLog)
    .all()
    .map((row) => row.action);
}

describe('planning sessions', () => {
  test('create, list and read', async () => {
    const created = await createSession(cookies.texasCoordinator!);
    const id = created.body.session.id;
    const read = await call<SessionView>(cookies.texasCoordinator, 'GET', `/api/planning-sessions/${id}`);
    const list = await call<{ sessions: { id: number; recommendationCount: number; convertedCount: number }[] }>(
      cookies.texasCoordinator,
      'GET',
      '/api/planning-sessions',
    );

    expect(created.status).toBe(201);
    expect(read.status).toBe(200);
    expect(read.body.session.participants).toEqual([
      'State MEP director',
      'State MSIX coordinator',
      'Regional data administrator',
    ]);
    expect(read.body.recommendations.map((item) => item.text)).toEqual([
      'Train registrars in the three largest regions',
      'Add the MSIX search to the enrollment checklist',
    ]);
    expect(read.body.recommendations.map((item) => item.milestoneId)).toEqual([null, null]);
    expect(read.body.canEdit).toBe(true);
    expect(list.body.sessions).toEqual([expect.objectContaining({ id, recommendationCount: 2, convertedCount: 0 })]);
    expect(auditActions()).toContain('planning_session.created');
  });

  test('names invalid fields', async () => {
    const result = await createSession(cookies.texasCoordinator!, {
      sessionDate: '2026-02-30x',
      participants: [],
      recommendations: Array.from({ length: 51 }, (_, index) => `Recommendation number ${index}`),
    });
    const fields = result.body as unknown as ErrorBody;

    expect(result.status).toBe(400);
    expect(fields.error.fields).toContainEqual({ field: 'sessionDate', message: 'must be a date written YYYY-MM-DD.' });
    expect(fields.error.fields).toContainEqual({
      field: 'participants',
      message: 'must list from 1 to 50 participant roles.',
    });
    expect(fields.error.fields).toContainEqual({
      field: 'recommendations',
      message: 'must list at most 50 recommendations.',
    });
  });

  test('update replaces only open recommendations', async () => {
    const planId = await createPlan(cookies.texasCoordinator!);
    const objectiveId = await addObjective(cookies.texasCoordinator!, planId);
    const created = await createSession(cookies.texasCoordinator!, {
      recommendations: [
        'First open recommendation',
        'Recommendation that becomes a milestone',
        'Second open recommendation',
      ],
    });
    const sessionId = created.body.session.id;
    const convertedId = created.body.recommendations[1]!.id;
    await call(cookies.texasCoordinator, 'POST', `/api/recommendations/${convertedId}/milestone`, {
      objectiveId,
      dueDate: '2027-03-01',
      ownerRole: 'State MEP director',
    });

    const updated = await call<SessionView>(cookies.texasCoordinator, 'PATCH', `/api/planning-sessions/${sessionId}`, {
      place: 'Region 1 service center, Edinburg',
      recommendations: ['Replacement recommendation'],
    });

    expect(updated.status).toBe(200);
    expect(updated.body.session.place).toBe('Region 1 service center, Edinburg');
    expect(updated.body.session.participants).toHaveLength(3);
    expect(updated.body.recommendations.map((item) => item.text)).toEqual([
      'Replacement recommendation',
      'Recommendation that becomes a milestone',
    ]);
    expect(updated.body.recommendations[1]?.id).toBe(convertedId);
    expect(updated.body.recommendations[1]?.milestone?.planId).toBe(planId);
    expect(auditActions()).toContain('planning_session.updated');
  });

  test('update keeps a repeated converted recommendation in place', async () => {
    const objectiveId = await addObjective(cookies.texasCoordinator!, await createPlan(cookies.texasCoordinator!));
    const created = await createSession(cookies.texasCoordinator!, { recommendations: ['Converted one', 'Open one'] });
    const convertedId = created.body.recommendations[0]!.id;
    await call(cookies.texasCoordinator, 'POST', `/api/recommendations/${convertedId}/milestone`, {
      objectiveId,
      dueDate: '2027-03-01',
      ownerRole: 'State MEP director',
    });

    const updated = await call<SessionView>(
      cookies.texasCoordinator,
      'PATCH',
      `/api/planning-sessions/${created.body.session.id}`,
      {
        recommendations: ['New first', 'Converted one', 'New last'],
      },
    );

    expect(updated.body.recommendations.map((item) => [item.text, item.milestoneId !== null])).toEqual([
      ['New first', false],
      ['Converted one', true],
      ['New last', false],
    ]);
    expect(updated.body.recommendations[1]?.id).toBe(convertedId);
  });

  test('state cannot move once converted', async () => {
    const objectiveId = await addObjective(cookies.texasCoordinator!, await createPlan(cookies.texasCoordinator!));
    const created = await createSession(cookies.texasCoordinator!);
    await call(
      cookies.texasCoordinator,
      'POST',
      `/api/recommendations/${created.body.recommendations[0]!.id}/milestone`,
      {
        objectiveId,
        dueDate: '2027-03-01',
        ownerRole: 'State MEP director',
      },
    );

    const moved = await call<ErrorBody>(cookies.admin, 'PATCH', `/api/planning-sessions/${created.body.session.id}`, {
      state: 'OH',
    });

    expect(moved.status).toBe(409);
    expect(moved.body.error.message).toContain('state:');
  });
});

describe('recommendation to milestone', () => {
  test('creates a linked milestone in one step', async () => {
    const planId = await createPlan(cookies.texasCoordinator!, { origin: 'template' });
    const plan = await call<{ goals: { objectives: { id: number; milestones: { title: string }[] }[] }[] }>(
      cookies.texasCoordinator,
      'GET',
      `/api/plans/${planId}`,
    );
    const objective = plan.body.goals[0]!.objectives[0]!;
    const created = await createSession(cookies.texasCoordinator!);
    const recommendation = created.body.recommendations[0]!;

    const converted = await call<{
      milestone: { id: number; title: string; ownerRole: string; dueDate: string; status: string };
      recommendation: Recommendation;
    }>(cookies.texasCoordinator, 'POST', `/api/recommendations/${recommendation.id}/milestone`, {
      objectiveId: objective.id,
      dueDate: '2027-02-15',
      ownerRole: 'Regional data administrator',
    });
    const session = await call<SessionView>(
      cookies.texasCoordinator,
      'GET',
      `/api/planning-sessions/${created.body.session.id}`,
    );
    const planAfter = await call<{
      goals: { objectives: { id: number; milestones: { id: number; title: string }[] }[] }[];
    }>(cookies.texasCoordinator, 'GET', `/api/plans/${planId}`);

    expect(converted.status).toBe(201);
    expect(converted.body.milestone.title).toBe(recommendation.text);
    expect(converted.body.milestone.ownerRole).toBe('Regional data administrator');
    expect(converted.body.milestone.dueDate).toBe('2027-02-15');
    expect(converted.body.milestone.status).toBe('not_started');
    expect(converted.body.recommendation.milestoneId).toBe(converted.body.milestone.id);
    expect(session.body.recommendations[0]?.milestone).toEqual(
      expect.objectContaining({ id: converted.body.milestone.id, planId }),
    );
    expect(planAfter.body.goals[0]!.objectives[0]!.milestones.map((item) => item.title)).toContain(recommendation.text);
    expect(auditActions()).toContain('planning_session.recommendation_converted');
  });

  test('second conversion answers 409', async () => {
    const objectiveId = await addObjective(cookies.texasCoordinator!, await createPlan(cookies.texasCoordinator!));
    const created = await createSession(cookies.texasCoordinator!);
    const path = `/api/recommendations/${created.body.recommendations[0]!.id}/milestone`;
    const body = { objectiveId, dueDate: '2027-02-15', ownerRole: 'State MEP director' };

    const first = await call(cookies.texasCoordinator, 'POST', path, body);
    const second = await call<ErrorBody>(cookies.texasCoordinator, 'POST', path, body);
    const milestones = testApp.database.db
      .select()
      .from(planMilestones)
      .where(eq(planMilestones.objectiveId, objectiveId))
      .all();

    expect(first.status).toBe(201);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('already_converted');
    expect(milestones).toHaveLength(1);
  });

  test('refuses another state plan', async () => {
    const ohioObjectiveId = await addObjective(
      cookies.ohioCoordinator!,
      await createPlan(cookies.ohioCoordinator!, { state: 'OH' }),
    );
    const created = await createSession(cookies.texasCoordinator!);
    const path = `/api/recommendations/${created.body.recommendations[0]!.id}/milestone`;
    const body = { objectiveId: ohioObjectiveId, dueDate: '2027-02-15', ownerRole: 'State MEP director' };

    const byCoordinator = await call<ErrorBody>(cookies.texasCoordinator, 'POST', path, body);
    const byAdmin = await call<ErrorBody>(cookies.admin, 'POST', path, body);
    const session = await call<SessionView>(
      cookies.texasCoordinator,
      'GET',
      `/api/planning-sessions/${created.body.session.id}`,
    );
    const ohioMilestones = testApp.database.db
      .select()
      .from(planMilestones)
      .where(eq(planMilestones.objectiveId, ohioObjectiveId))
      .all();

    expect(byCoordinator.status).toBe(404);
    expect(byAdmin.status).toBe(400);
    expect(byAdmin.body.error.message).toMatch(/^objectiveId: objective \d+ belongs to a OH plan/);
    expect(session.body.recommendations[0]?.milestoneId).toBeNull();
    expect(ohioMilestones).toHaveLength(0);
  });

  test('checks the owner like any milestone', async () => {
    const objectiveId = await addObjective(cookies.texasCoordinator!, await createPlan(cookies.texasCoordinator!));
    const created = await createSession(cookies.texasCoordinator!);
    const path = `/api/recommendations/${created.body.recommendations[0]!.id}/milestone`;

    const both = await call<ErrorBody>(cookies.texasCoordinator, 'POST', path, {
      objectiveId,
      dueDate: '2027-02-15',
      ownerRole: 'State MEP director',
      ownerPersonId: texasUser.id,
    });
    const otherState = await call<ErrorBody>(cookies.texasCoordinator, 'POST', path, {
      objectiveId,
      dueDate: '2027-02-15',
      ownerPersonId: ohioCoordinator.id,
    });
    const person = await call<{ milestone: { ownerPersonId: number } }>(cookies.texasCoordinator, 'POST', path, {
      objectiveId,
      dueDate: '2027-02-15',
      ownerPersonId: texasUser.id,
    });

    expect(both.status).toBe(400);
    expect(both.body.error.message).toContain('ownerPersonId, ownerRole');
    expect(otherState.status).toBe(400);
    expect(otherState.body.error.message).toContain('ownerPersonId');
    expect(person.status).toBe(201);
    expect(person.body.milestone.ownerPersonId).toBe(texasUser.id);
  });
});

describe('crosswalk', () => {
  const templateText = readFileSync(crosswalkTemplatePath, 'utf8');
  const templateRows = parseCsvRecords(templateText);

  test('merges the template with saved entries', async () => {
    await call(cookies.texasCoordinator, 'PUT', '/api/crosswalk/TX', {
      entries: [
        {
          file: 'students.csv',
          column: 'birth_date',
          sourceSystem: 'New Generation System',
          owningOffice: 'Office of Migrant Education',
          collectionStatus: 'collected',
          notes: 'Verified at enrollment',
        },
      ],
    });

    const view = await call<CrosswalkView>(cookies.texasCoordinator, 'GET', '/api/crosswalk/TX');
    const birthDate = view.body.entries.find((entry) => entry.column === 'birth_date' && entry.file === 'students.csv');
    const suffix = view.body.entries.find((entry) => entry.column === 'suffix');

    expect(view.status).toBe(200);
    expect(view.body.entries.map((entry) => `${entry.file} ${entry.column}`)).toEqual(
      templateRows.map((row) => `${row.file} ${row.column}`),
    );
    expect(birthDate).toEqual(
      expect.objectContaining({
        sourceSystem: 'New Generation System',
        owningOffice: 'Office of Migrant Education',
        collectionStatus: 'collected',
        notes: 'Verified at enrollment',
        required: 'Yes',
        updatedAt: start.toISOString(),
      }),
    );
    expect(suffix).toEqual(
      expect.objectContaining({ sourceSystem: '', collectionStatus: null, notes: '', updatedAt: null }),
    );
    expect(view.body.dataQuality).toEqual({
      available: false,
      message: 'Data-quality results appear here once the state has uploaded records.',
      link: null,
    });
    expect(view.body.completenessRule).toContain('0.5');
  });

  test('data quality links to the latest upload', async () => {
    testApp.database.db
      .insert(recordUploads)
      .values([
        uploadRow('2026-03-02T15:00:00.000Z', 71.6),
        uploadRow('2026-05-04T15:00:00.000Z', 88.2),
        { ...uploadRow('2026-06-01T15:00:00.000Z', null), status: 'rejected' as const },
      ])
      .run();

    const view = await call<CrosswalkView>(cookies.texasCoordinator, 'GET', '/api/crosswalk/TX');

    expect(view.body.dataQuality).toEqual({
      available: true,
      message: 'The latest records upload, on 2026-05-04, has a data-quality score of 88 out of 100.',
      link: '/records/quality/?state=TX',
    });
  });

  test('completeness matches a hand count', async () => {
    const columns = [
      'state_student_id',
      'state_student_id_type',
      'first_name',
      'middle_name',
      'last_name_1',
      'last_name_2',
      'suffix',
      'sex',
      'birth_date',
    ];
    const statuses = [
      'collected',
      'collected',
      'collected',
      'partly',
      'partly',
      'not_collected',
      'not_applicable',
      'not_applicable',
      undefined,
    ];
    await call(cookies.texasCoordinator, 'PUT', '/api/crosswalk/TX', {
      entries: columns.map((column, index) => ({
        file: 'students.csv',
        column,
        collectionStatus: statuses[index],
        sourceSystem: 'State student system',
      })),
    });

    const view = await call<CrosswalkView>(cookies.texasUser, 'GET', '/api/crosswalk/TX');

    // 71 MDEs in the template. Documented: 8 of 71 = 11.3%. Collected: (3 + 2 x 0.5) / (71 - 2) = 4 / 69 = 5.8%.
    expect(templateRows).toHaveLength(71);
    expect(view.body.completeness).toEqual({
      total: 71,
      documented: 8,
      undocumented: 63,
      collected: 3,
      partly: 2,
      notCollected: 1,
      notApplicable: 2,
      percentDocumented: 11,
      percentCollected: 6,
    });
  });

  test('save keeps omitted fields and counts changes', async () => {
    const entry = { file: 'enrollments.csv', column: 'grade_level' };
    const first = await call<CrosswalkView>(cookies.texasCoordinator, 'PUT', '/api/crosswalk/TX', {
      entries: [{ ...entry, sourceSystem: 'District SIS export' }],
    });
    const second = await call<CrosswalkView>(cookies.texasCoordinator, 'PUT', '/api/crosswalk/TX', {
      entries: [{ ...entry, collectionStatus: 'partly' }],
    });
    const repeat = await call<CrosswalkView>(cookies.texasCoordinator, 'PUT', '/api/crosswalk/TX', {
      entries: [{ ...entry, collectionStatus: 'partly' }],
    });
    const saved = second.body.entries.find((item) => item.file === entry.file && item.column === entry.column);
    const details = testApp.database.db
      .select({ detail: auditLog.detail })
      .from(auditLog)
      .where(eq(auditLog.action, 'crosswalk.updated'))
      .all()
      .map((row) => row.detail);

    expect(first.body.changed).toBe(1);
    expect(second.body.changed).toBe(1);
    expect(repeat.body.changed).toBe(0);
    expect(saved?.sourceSystem).toBe('District SIS export');
    expect(saved?.collectionStatus).toBe('partly');
    expect(details).toEqual(['1 of 1 entries changed', '1 of 1 entries changed', '0 of 1 entries changed']);
  });

  test('save names unknown columns and long fields', async () => {
    const result = await call<ErrorBody>(cookies.texasCoordinator, 'PUT', '/api/crosswalk/TX', {
      entries: [
        { file: 'students.csv', column: 'first_name', collectionStatus: 'collected' },
        { file: 'students.csv', column: 'favorite_color', collectionStatus: 'collected' },
        { file: 'teachers.csv', column: 'name' },
      ],
    });
    const tooLong = await call<ErrorBody>(cookies.texasCoordinator, 'PUT', '/api/crosswalk/TX', {
      entries: [
        {
          file: 'students.csv',
          column: 'sex',
          notes: 'x'.repeat(2001),
          sourceSystem: 'y'.repeat(201),
          collectionStatus: 'sometimes',
        },
      ],
    });
    const stored = testApp.database.db.select().from(crosswalkEntries).all();

    expect(result.status).toBe(400);
    expect(result.body.error.fields).toEqual([
      {
        field: 'entries.1.column',
        message: 'students.csv has no MDE column favorite_color; use a column listed in the crosswalk template.',
      },
      {
        field: 'entries.2.file',
        message:
          'teachers.csv is not an MDE file; use one of students.csv, qualifying_moves.csv, enrollments.csv, courses.csv, assessments.csv.',
      },
    ]);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.fields).toContainEqual({
      field: 'entries.0.notes',
      message: 'must have at most 2000 characters.',
    });
    expect(tooLong.body.error.fields).toContainEqual({
      field: 'entries.0.sourceSystem',
      message: 'must have at most 200 characters.',
    });
    expect(tooLong.body.error.fields).toContainEqual({
      field: 'entries.0.collectionStatus',
      message: 'must be one of collected, partly, not_collected, not_applicable.',
    });
    expect(stored).toHaveLength(0);
  });

  test('export is formula-safe CSV in the template layout', async () => {
    await call(cookies.texasCoordinator, 'PUT', '/api/crosswalk/TX', {
      entries: [
        {
          file: 'students.csv',
          column: 'sex',
          sourceSystem: 'New Generation System',
          collectionStatus: 'collected',
          notes: '=HYPERLINK("http://example.com")',
        },
      ],
    });

    const response = await sendJson(testApp.app, 'GET', '/api/crosswalk/TX/export', { cookie: cookies.texasUser });
    const text = await response.text();
    const lines = text.split('\r\n');
    const records = parseCsvRecords(text);
    const sex = records.find((record) => record.column === 'sex');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="mde-crosswalk-TX-2026-12-04.csv"');
    expect(lines[0]).toBe('file,column,mde_description,required,source_system,owning_office,collection_status,notes');
    expect(parseCsv(text)[0]).toEqual(parseCsv(templateText)[0]);
    expect(records.map((record) => `${record.file} ${record.column}`)).toEqual(
      templateRows.map((row) => `${row.file} ${row.column}`),
    );
    expect(text).toContain(
      '"students.csv","sex","Female or Male (F and M are also accepted)","Yes","New Generation System","","collected","\'=HYPERLINK(""http://example.com"")"',
    );
    expect(sex?.notes).toBe('\'=HYPERLINK("http://example.com")');
  });
});

describe('planning permissions', () => {
  test('state user reads own state and cannot edit', async () => {
    const session = await createSession(cookies.texasCoordinator!);

    const crosswalk = await call<CrosswalkView>(cookies.texasUser, 'GET', '/api/crosswalk/TX');
    const list = await call(cookies.texasUser, 'GET', '/api/planning-sessions');
    const read = await call(cookies.texasUser, 'GET', `/api/planning-sessions/${session.body.session.id}`);
    const exported = await call(cookies.texasUser, 'GET', '/api/crosswalk/TX/export');
    const save = await call(cookies.texasUser, 'PUT', '/api/crosswalk/TX', {
      entries: [{ file: 'students.csv', column: 'sex' }],
    });
    const create = await createSession(cookies.texasUser!);
    const update = await call(cookies.texasUser, 'PATCH', `/api/planning-sessions/${session.body.session.id}`, {
      place: 'Somewhere else',
    });
    const otherState = await call(cookies.texasUser, 'GET', '/api/crosswalk/OH');

    expect(crosswalk.status).toBe(200);
    expect(crosswalk.body.canEdit).toBe(false);
    expect(list.status).toBe(200);
    expect(read.status).toBe(200);
    expect(exported.status).toBe(200);
    expect(save.status).toBe(403);
    expect(create.status).toBe(403);
    expect(update.status).toBe(403);
    expect(otherState.status).toBe(404);
  });

  test('other state coordinator gets 404', async () => {
    const objectiveId = await addObjective(cookies.texasCoordinator!, await createPlan(cookies.texasCoordinator!));
    const session = await createSession(cookies.texasCoordinator!);
    const sessionPath = `/api/planning-sessions/${session.body.session.id}`;
    const convertPath = `/api/recommendations/${session.body.recommendations[0]!.id}/milestone`;

    const statuses = [
      (await call(cookies.ohioCoordinator, 'GET', '/api/crosswalk/TX')).status,
      (await call(cookies.ohioCoordinator, 'GET', '/api/crosswalk/TX/export')).status,
      (
        await call(cookies.ohioCoordinator, 'PUT', '/api/crosswalk/TX', {
          entries: [{ file: 'students.csv', column: 'sex' }],
        })
      ).status,
      (await call(cookies.ohioCoordinator, 'GET', '/api/planning-sessions?state=TX')).status,
      (await call(cookies.ohioCoordinator, 'GET', sessionPath)).status,
      (await call(cookies.ohioCoordinator, 'PATCH', sessionPath, { place: 'Columbus' })).status,
      (await createSession(cookies.ohioCoordinator!)).status,
      (
        await call(cookies.ohioCoordinator, 'POST', convertPath, {
          objectiveId,
          dueDate: '2027-01-10',
          ownerRole: 'State MEP director',
        })
      ).status,
    ];

    expect(statuses).toEqual([404, 404, 404, 404, 404, 404, 404, 404]);
  });

  test('agent reads every state and edits none', async () => {
    const session = await createSession(cookies.texasCoordinator!);

    const crosswalk = await call<CrosswalkView>(cookies.agent, 'GET', '/api/crosswalk/TX');
    const list = await call(cookies.agent, 'GET', '/api/planning-sessions?state=tx');
    const read = await call(cookies.agent, 'GET', `/api/planning-sessions/${session.body.session.id}`);
    const noState = await call<ErrorBody>(cookies.agent, 'GET', '/api/planning-sessions');
    const save = await call(cookies.agent, 'PUT', '/api/crosswalk/TX', {
      entries: [{ file: 'students.csv', column: 'sex' }],
    });
    const update = await call(cookies.agent, 'PATCH', `/api/planning-sessions/${session.body.session.id}`, {
      place: 'Somewhere else',
    });

    expect(crosswalk.status).toBe(200);
    expect(crosswalk.body.canEdit).toBe(false);
    expect(list.status).toBe(200);
    expect(read.status).toBe(200);
    expect(noState.status).toBe(400);
    expect(noState.body.error.message).toContain('state:');
    expect(save.status).toBe(403);
    expect(update.status).toBe(403);
  });

  test('admin edits any state', async () => {
    const session = await createSession(cookies.texasCoordinator!);

    const save = await call<CrosswalkView>(cookies.admin, 'PUT', '/api/crosswalk/OH', {
      entries: [{ file: 'students.csv', column: 'sex', collectionStatus: 'collected' }],
    });
    const create = await createSession(cookies.admin!, { state: 'OH' });
    const update = await call<SessionView>(
      cookies.admin,
      'PATCH',
      `/api/planning-sessions/${session.body.session.id}`,
      {
        findings: 'Updated findings after the follow-up call.',
      },
    );

    expect(save.status).toBe(200);
    expect(save.body.canEdit).toBe(true);
    expect(create.status).toBe(201);
    expect(update.status).toBe(200);
    expect(update.body.session.findings).toBe('Updated findings after the follow-up call.');
  });

  test('unknown state answers 404', async () => {
    const response = await call(cookies.admin, 'GET', '/api/crosswalk/ZZ');

    expect(response.status).toBe(404);
  });
});

describe('plan reminders', () => {
  async function texasObjective(): Promise<number> {
    return addObjective(cookies.texasCoordinator!, await createPlan(cookies.texasCoordinator!));
  }

  test('due soon at 14 days and not at 15', async () => {
    await addMilestone(cookies.texasCoordinator!, await texasObjective(), {
      title: 'Publish the regional training calendar',
      dueDate: '2026-12-19',
    });

    const atFifteen = runReminders();
    clock.advance(days(1));
    const atFourteen = runReminders();
    runReminders();
    const sent = mailOfKind('plan_milestone_due_soon');

    expect(atFifteen.dueSoon).toBe(0);
    expect(atFourteen.dueSoon).toBe(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.recipient).toBe(texasCoordinator.email);
    expect(sent[0]?.subject).toBe('Milestone due in 14 days: Publish the regional training calendar');
    expect(sent[0]?.textBody).toContain('http://localhost:4321/plans/?state=TX');
  });

  test('overdue once per due date', async () => {
    const milestoneId = await addMilestone(cookies.texasCoordinator!, await texasObjective(), {
      title: 'Sign the data-sharing agreement',
      dueDate: '2026-12-01',
    });

    runReminders();
    runReminders();
    const afterRepeat = mailOfKind('plan_milestone_overdue');
    await call(cookies.texasCoordinator, 'PATCH', `/api/milestones/${milestoneId}`, { dueDate: '2026-12-02' });
    runReminders();
    const afterNewDate = mailOfKind('plan_milestone_overdue');

    expect(afterRepeat).toHaveLength(1);
    expect(afterRepeat[0]?.subject).toBe('Milestone overdue since 2026-12-01: Sign the data-sharing agreement');
    expect(afterNewDate).toHaveLength(2);
    expect(afterNewDate[1]?.subject).toBe('Milestone overdue since 2026-12-02: Sign the data-sharing agreement');
  });

  test('stale at 90 days without progress', async () => {
    await addMilestone(cookies.texasCoordinator!, await texasObjective(), {
      title: 'Review near-match procedures',
      dueDate: '2028-06-30',
    });

    clock.advance(days(89));
    runReminders();
    const at89 = mailOfKind('plan_milestone_stale');
    clock.advance(days(1));
    runReminders();
    runReminders();
    const at90 = mailOfKind('plan_milestone_stale');

    expect(at89).toHaveLength(0);
    expect(at90).toHaveLength(1);
    expect(at90[0]?.recipient).toBe(texasCoordinator.email);
    expect(at90[0]?.subject).toBe('No progress for 90 days: Review near-match procedures');
  });

  test('role owner reaches active state coordinators', async () => {
    const db = testApp.database.db;
    const secondCoordinator = await createPerson(db, { role: 'state_coordinator', state: 'TX', now: clock() });
    const disabledCoordinator = await createPerson(db, { role: 'state_coordinator', state: 'TX', now: clock() });
    db.update(people).set({ status: 'disabled' }).where(eq(people.id, disabledCoordinator.id)).run();
    await addMilestone(cookies.texasCoordinator!, await texasObjective(), {
      title: 'Update the enrollment checklist',
      dueDate: '2026-11-20',
    });

    runReminders();
    const recipients = mailOfKind('plan_milestone_overdue')
      .map((row) => row.recipient)
      .sort();

    expect(recipients).toEqual([texasCoordinator.email, secondCoordinator.email].sort());
  });

  test('person owner alone is reminded', async () => {
    const db = testApp.database.db;
    const objectiveId = await texasObjective();
    await addMilestone(cookies.texasCoordinator!, objectiveId, {
      title: 'Train the regional recruiters',
      dueDate: '2026-11-20',
      ownerRole: null,
      ownerPersonId: texasUser.id,
    });
    const inactiveOwner = await createPerson(db, { role: 'state_user', state: 'TX', now: clock() });
    await addMilestone(cookies.texasCoordinator!, objectiveId, {
      title: 'Collect the training sign-in sheets',
      dueDate: '2026-11-21',
      ownerRole: null,
      ownerPersonId: inactiveOwner.id,
    });
    db.update(people).set({ status: 'disabled' }).where(eq(people.id, inactiveOwner.id)).run();

    runReminders();
    const sent = mailOfKind('plan_milestone_overdue');

    expect(sent).toHaveLength(1);
    expect(sent[0]?.recipient).toBe(texasUser.email);
    expect(sent[0]?.textBody).toContain('because you own the milestone');
  });

  test('weekly digest once per week', async () => {
    await addMilestone(cookies.texasCoordinator!, await texasObjective(), {
      title: 'Sign the data-sharing agreement',
      dueDate: '2026-12-01',
    });

    const friday = runReminders();
    runReminders();
    const firstWeek = mailOfKind('plan_weekly_digest');
    clock.set(new Date('2026-12-07T07:59:00Z'));
    runReminders();
    const mondayEarly = mailOfKind('plan_weekly_digest');
    clock.advance(minutes(1));
    runReminders();
    const nextWeek = mailOfKind('plan_weekly_digest');

    expect(friday.weeklyDigests).toBe(1);
    expect(firstWeek).toHaveLength(1);
    expect(firstWeek[0]?.recipient).toBe(texasCoordinator.email);
    expect(firstWeek[0]?.subject).toBe(
      'Weekly plan summary for Texas, 2026-W49: 1 overdue, 0 due soon, 0 without progress',
    );
    expect(firstWeek[0]?.textBody).toContain('The plan is 0% complete.');
    expect(firstWeek[0]?.textBody).toContain('- Sign the data-sharing agreement (due 2026-12-01;');
    expect(mondayEarly).toHaveLength(1);
    expect(nextWeek).toHaveLength(2);
    expect(nextWeek[1]?.subject).toContain('2026-W50');
  });

  test('digest skips states without a current plan', async () => {
    await createPlan(cookies.ohioCoordinator!, { state: 'OH', periodStart: '2023-01-01', periodEnd: '2025-12-31' });

    runReminders();
    const ohio = mailOfKind('plan_weekly_digest').filter((row) => row.recipient === ohioCoordinator.email);

    expect(ohio).toHaveLength(0);
  });

  test('done milestones never remind', async () => {
    const milestoneId = await addMilestone(cookies.texasCoordinator!, await texasObjective(), {
      title: 'Sign the data-sharing agreement',
      dueDate: '2026-12-01',
    });
    await call(cookies.texasCoordinator, 'PATCH', `/api/milestones/${milestoneId}`, {
      status: 'done',
      percentComplete: 100,
    });

    runReminders();
    clock.advance(days(120));
    runReminders();
    const milestoneMail = ['plan_milestone_due_soon', 'plan_milestone_overdue', 'plan_milestone_stale'].flatMap(
      mailOfKind,
    );

    expect(milestoneMail).toHaveLength(0);
  });

  test('non-current plans never remind', async () => {
    const oldObjective = await texasObjective();
    await addMilestone(cookies.texasCoordinator!, oldObjective, {
      title: 'Milestone of the replaced plan',
      dueDate: '2026-12-01',
    });
    await createPlan(cookies.texasCoordinator!, {
      title: 'Replacement plan 2027-2029',
      periodStart: '2027-01-01',
      periodEnd: '2029-12-31',
    });
    const endedObjective = await addObjective(
      cookies.ohioCoordinator!,
      await createPlan(cookies.ohioCoordinator!, { state: 'OH', periodStart: '2023-01-01', periodEnd: '2025-12-31' }),
    );
    await addMilestone(cookies.ohioCoordinator!, endedObjective, {
      title: 'Milestone of an ended plan',
      dueDate: '2025-06-01',
    });

    const counts = runReminders();
    clock.advance(days(100));
    runReminders();
    const milestoneMail = ['plan_milestone_due_soon', 'plan_milestone_overdue', 'plan_milestone_stale'].flatMap(
      mailOfKind,
    );

    expect(counts.overdue).toBe(0);
    expect(milestoneMail).toHaveLength(0);
  });

  test('reminder recorded meanwhile is not mailed', async () => {
    await addMilestone(cookies.texasCoordinator!, await texasObjective(), {
      title: 'Sign the data-sharing agreement',
      dueDate: '2026-12-01',
    });
    const mailQueue = createMailQueue(testApp.config);
    const racingMail: Pick<MailQueue, 'queue'> = {
      queue: (tx, message) => {
        mailQueue.queue(tx, message);
        // Another process records this week's summary after this run read plan_reminders.
        tx.insert(planReminders)
          .values({
            kind: 'weekly_digest',
            subjectKey: `coordinator:${texasCoordinator.id}`,
            reference: '2026-W49',
            recipientId: texasCoordinator.id,
            queuedAt: clock().toISOString(),
          })
          .onConflictDoNothing()
          .run();
      },
    };

    const counts = runPlanReminders({
      db: testApp.database.db,
      clock,
      mail: racingMail,
      siteUrl: testApp.config.siteUrl,
    });

    expect(counts.overdue).toBe(1);
    expect(counts.weeklyDigests).toBe(0);
    expect(counts.failed).toBe(0);
    expect(mailOfKind('plan_weekly_digest')).toHaveLength(0);
  });

  test('second process queues nothing again', async () => {
    await addMilestone(cookies.texasCoordinator!, await texasObjective(), {
      title: 'Sign the data-sharing agreement',
      dueDate: '2026-12-01',
    });
    const otherProcess = openDatabase(path.join(testApp.directory, 'test.sqlite'));

    const first = runReminders();
    const second = runPlanReminders({
      db: otherProcess.db,
      clock,
      mail: createMailQueue(testApp.config),
      siteUrl: testApp.config.siteUrl,
    });
    otherProcess.close();
    const mail = testApp.database.db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.recipient, texasCoordinator.email))
      .all();

    expect(first).toEqual({ dueSoon: 0, overdue: 1, stale: 0, weeklyDigests: 1, failed: 0 });
    expect(second).toEqual({ dueSoon: 0, overdue: 0, stale: 0, weeklyDigests: 0, failed: 0 });
    expect(mail.map((row) => row.kind).sort()).toEqual(['plan_milestone_overdue', 'plan_weekly_digest']);
  });
});

function uploadRow(finishedAt: string, score: number | null) {
  return {
    state: 'TX',
    source: 'command_line' as const,
    fileNames: '["students.csv"]',
    filesSha256: `sha-${finishedAt}`,
    status: 'completed' as const,
    qualityScore: score,
    startedAt: finishedAt,
    finishedAt,
  };
}
