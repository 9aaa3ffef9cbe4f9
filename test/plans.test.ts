import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { rollUp } from '../api/plans/rollup';
import { readPlanTemplate } from '../api/plans/template';
import { auditLog, planMilestones } from '../db/schema';
import { createPerson, sendJson, signInAs, type TestPerson } from './helpers/accounts';
import { createFakeClock, days } from './helpers/clock';
import { createTestApp, type TestApp } from './helpers/server';

interface MilestoneView {
  id: number;
  title: string;
  dueDate: string;
  status: string;
  percentComplete: number;
  owner: string;
  overdue: boolean;
  stale: boolean;
  updates: { narrative: string }[];
}
interface PlanView {
  plan: { id: number; state: string; status: string; percentComplete: number; isCurrent: boolean };
  goals: {
    id: number;
    title: string;
    status: string;
    percentComplete: number;
    objectives: { id: number; title: string; status: string; percentComplete: number; milestones: MilestoneView[] }[];
  }[];
  canEdit: boolean;
  rollupRule: string;
}

let clock: ReturnType<typeof createFakeClock>;
let testApp: TestApp;
const cookies: Record<string, string> = {};
let texasCoordinator: TestPerson;

beforeEach(async () => {
  clock = createFakeClock(new Date('2026-12-04T15:00:00Z'));
  testApp = createTestApp({ clock });
  const db = testApp.database.db;
  texasCoordinator = await createPerson(db, { role: 'state_coordinator', state: 'TX', now: clock() });
  cookies.texasCoordinator = await signInAs(testApp.app, texasCoordinator);
  cookies.texasUser = await signInAs(
    testApp.app,
    await createPerson(db, { role: 'state_user', state: 'TX', now: clock() }),
  );
  cookies.ohioCoordinator = await signInAs(
    testApp.app,
    await createPerson(db, { role: 'state_coordinator', state: 'OH', now: clock() }),
  );
  cookies.agent = await signInAs(testApp.app, await createPerson(db, { role: 'agent', now: clock() }));
  cookies.admin = await signInAs(testApp.app, await createPerson(db, { role: 'admin', now: clock() }));
});

afterEach(() => testApp.cleanup());

async function call<T>(
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await sendJson(testApp.app, method, path, { cookie, body });
  const text = await response.text();
  return { status: response.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as T };
}

async function createPlan(cookie: string, body: Record<string, unknown>) {
  return call<{ plan: { id: number }; error?: { code: string; message: string } }>(cookie, 'POST', '/api/plans', {
    state: 'TX',
    title: 'Texas records exchange plan 2027-2029',
    periodStart: '2027-01-01',
    periodEnd: '2029-12-31',
    origin: 'blank',
    ...body,
  });
}

async function readPlan(cookie: string, id: number) {
  return call<PlanView>(cookie, 'GET', `/api/plans/${id}`);
}

function allMilestones(view: PlanView): MilestoneView[] {
  return view.goals.flatMap((goal) => goal.objectives.flatMap((objective) => objective.milestones));
}

describe('roll-up rule', () => {
  test('averages parts equally and rounds', () => {
    expect(
      rollUp([
        { status: 'on_track', percentComplete: 10 },
        { status: 'on_track', percentComplete: 25 },
      ]).percentComplete,
    ).toBe(18);
  });

  test('takes the most serious open status', () => {
    const parts = [
      { status: 'done', percentComplete: 100 },
      { status: 'at_risk', percentComplete: 40 },
      { status: 'on_track', percentComplete: 60 },
    ] as const;

    expect(rollUp(parts)).toEqual({ status: 'at_risk', percentComplete: 67 });
    expect(rollUp([...parts, { status: 'off_track', percentComplete: 0 }]).status).toBe('off_track');
  });

  test('is done only when every part is done', () => {
    expect(
      rollUp([
        { status: 'done', percentComplete: 100 },
        { status: 'done', percentComplete: 100 },
      ]),
    ).toEqual({ status: 'done', percentComplete: 100 });
    expect(
      rollUp([
        { status: 'done', percentComplete: 100 },
        { status: 'not_started', percentComplete: 0 },
      ]).status,
    ).toBe('not_started');
  });

  test('treats an empty item as not started', () => {
    expect(rollUp([])).toEqual({ status: 'not_started', percentComplete: 0 });
  });
});

describe('plans', () => {
  test('start from the template with its goals and dated milestones', async () => {
    const created = await createPlan(cookies.texasCoordinator!, { origin: 'template' });
    const view = (await readPlan(cookies.texasCoordinator!, created.body.plan.id)).body;
    const template = readPlanTemplate();
    const templateMilestones = template.flatMap((goal) => goal.objectives.flatMap((objective) => objective.milestones));
    const first = template[0]?.objectives[0]?.milestones[0];

    expect(created.status).toBe(201);
    expect(view.goals.map((goal) => goal.title)).toEqual(template.map((goal) => goal.title));
    expect(allMilestones(view)).toHaveLength(templateMilestones.length);
    expect(allMilestones(view)[0]).toMatchObject({
      title: first?.title,
      owner: first?.ownerRole,
      status: 'not_started',
      percentComplete: 0,
    });
    expect(allMilestones(view)[0]?.dueDate).toBe(
      `2027-${String(1 + (first?.monthsFromStart ?? 0)).padStart(2, '0')}-01`,
    );
    expect(view.rollupRule).toContain('each counting equally');
  });

  test('copy the previous plan with shifted dates and fresh progress', async () => {
    const old = await createPlan(cookies.texasCoordinator!, {
      origin: 'template',
      title: 'Plan 2024-2026',
      periodStart: '2024-01-01',
      periodEnd: '2026-12-31',
    });
    const oldView = (await readPlan(cookies.texasCoordinator!, old.body.plan.id)).body;
    const firstOld = allMilestones(oldView)[0]!;
    await call(cookies.texasCoordinator!, 'POST', `/api/milestones/${firstOld.id}/updates`, {
      updateDate: '2024-03-01',
      narrative: 'Finished the school list.',
      status: 'done',
      percentComplete: 100,
    });

    const copy = await createPlan(cookies.texasCoordinator!, { origin: 'copy', copyFromPlanId: old.body.plan.id });
    const copyView = (await readPlan(cookies.texasCoordinator!, copy.body.plan.id)).body;
    const firstCopy = allMilestones(copyView)[0]!;
    const oldAgain = (await readPlan(cookies.texasCoordinator!, old.body.plan.id)).body;

    expect(copy.status).toBe(201);
    expect(copyView.goals.map((goal) => goal.title)).toEqual(oldView.goals.map((goal) => goal.title));
    expect(firstCopy.title).toBe(firstOld.title);
    expect(firstCopy.status).toBe('not_started');
    expect(firstCopy.updates).toEqual([]);
    expect(Date.parse(firstCopy.dueDate) - Date.parse(firstOld.dueDate)).toBe(days(1096));
    expect(copyView.plan.isCurrent).toBe(true);
    expect(oldAgain.plan.isCurrent).toBe(false);
  });

  test('refuses to copy another state plan', async () => {
    const ohio = await createPlan(cookies.ohioCoordinator!, { state: 'OH', origin: 'blank' });
    const copy = await createPlan(cookies.texasCoordinator!, { origin: 'copy', copyFromPlanId: ohio.body.plan.id });

    expect(copy.status).toBe(404);
  });

  test('names invalid fields when starting a plan', async () => {
    const response = await createPlan(cookies.texasCoordinator!, {
      periodStart: '2027-13-01',
      periodEnd: '2026-01-01',
      origin: 'copy',
    });
    const fields = (response.body as unknown as { error: { fields: { field: string }[] } }).error.fields.map(
      (field) => field.field,
    );

    expect(response.status).toBe(400);
    expect(fields).toContain('periodStart');
  });

  test('progress updates roll up and are kept as history', async () => {
    const plan = (await createPlan(cookies.texasCoordinator!, {})).body.plan;
    const goal = (
      await call<{ goal: { id: number } }>(cookies.texasCoordinator!, 'POST', `/api/plans/${plan.id}/goals`, {
        title: 'Every child found',
      })
    ).body.goal;
    const objective = (
      await call<{ objective: { id: number } }>(cookies.texasCoordinator!, 'POST', `/api/goals/${goal.id}/objectives`, {
        title: 'Train registrars',
      })
    ).body.objective;
    const first = (
      await call<{ milestone: { id: number } }>(
        cookies.texasCoordinator!,
        'POST',
        `/api/objectives/${objective.id}/milestones`,
        { title: 'List schools', ownerRole: 'State MSIX coordinator', dueDate: '2027-03-01' },
      )
    ).body.milestone;
    await call(cookies.texasCoordinator!, 'POST', `/api/objectives/${objective.id}/milestones`, {
      title: 'Hold trainings',
      ownerPersonId: texasCoordinator.id,
      dueDate: '2027-06-01',
    });

    await call(cookies.texasCoordinator!, 'POST', `/api/milestones/${first.id}/updates`, {
      updateDate: '2026-12-01',
      narrative: 'Half of the districts replied.',
      status: 'on_track',
      percentComplete: 50,
    });
    await call(cookies.texasCoordinator!, 'POST', `/api/milestones/${first.id}/updates`, {
      updateDate: '2026-12-04',
      narrative: 'Three districts are late.',
      status: 'at_risk',
      percentComplete: 60,
    });
    const view = (await readPlan(cookies.texasCoordinator!, plan.id)).body;
    const milestone = allMilestones(view).find((item) => item.id === first.id);

    expect(milestone?.updates.map((update) => update.narrative)).toEqual([
      'Three districts are late.',
      'Half of the districts replied.',
    ]);
    expect(view.goals[0]?.objectives[0]).toMatchObject({ status: 'at_risk', percentComplete: 30 });
    expect(view.goals[0]).toMatchObject({ status: 'at_risk', percentComplete: 30 });
    expect(view.plan).toMatchObject({ status: 'at_risk', percentComplete: 30 });
  });

  test('rejects done without 100 percent', async () => {
    const created = await createPlan(cookies.texasCoordinator!, { origin: 'template' });
    const milestone = allMilestones((await readPlan(cookies.texasCoordinator!, created.body.plan.id)).body)[0]!;

    const response = await call<{ error: { message: string } }>(
      cookies.texasCoordinator!,
      'POST',
      `/api/milestones/${milestone.id}/updates`,
      { updateDate: '2026-12-04', narrative: 'Done.', status: 'done', percentComplete: 90 },
    );

    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe('percentComplete: must be 100 when status is done.');
  });

  test('marks overdue and stale milestones', async () => {
    const created = await createPlan(cookies.texasCoordinator!, {
      origin: 'template',
      periodStart: '2026-01-01',
      periodEnd: '2028-12-31',
    });
    clock.advance(days(90));
    const cookie = await signInAs(testApp.app, texasCoordinator);
    const view = (await readPlan(cookie, created.body.plan.id)).body;
    const milestones = allMilestones(view);

    expect(
      milestones.filter((milestone) => milestone.overdue).every((milestone) => milestone.dueDate < '2027-03-04'),
    ).toBe(true);
    expect(milestones.some((milestone) => milestone.overdue)).toBe(true);
    expect(milestones.every((milestone) => milestone.stale)).toBe(true);
  });

  test('every change writes an audit row', async () => {
    const created = await createPlan(cookies.texasCoordinator!, { origin: 'template' });
    const rows = testApp.database.db.select().from(auditLog).where(eq(auditLog.action, 'plan.created')).all();

    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ objectId: String(created.body.plan.id), detail: 'state TX, origin template' });
  });
});

describe('plan permissions', () => {
  test('state user reads own state and cannot edit', async () => {
    const plan = (await createPlan(cookies.texasCoordinator!, { origin: 'template' })).body.plan;
    const view = await readPlan(cookies.texasUser!, plan.id);
    const edit = await call(cookies.texasUser!, 'PATCH', `/api/plans/${plan.id}`, { title: 'Changed by a user' });
    const create = await createPlan(cookies.texasUser!, {});

    expect(view.status).toBe(200);
    expect(view.body.canEdit).toBe(false);
    expect(edit.status).toBe(403);
    expect(create.status).toBe(403);
  });

  test('another state answers 404 to read and change', async () => {
    const plan = (await createPlan(cookies.texasCoordinator!, { origin: 'template' })).body.plan;
    const milestone = allMilestones((await readPlan(cookies.texasCoordinator!, plan.id)).body)[0]!;

    expect((await readPlan(cookies.ohioCoordinator!, plan.id)).status).toBe(404);
    expect(
      (await call(cookies.ohioCoordinator!, 'PATCH', `/api/milestones/${milestone.id}`, { title: 'Hijacked' })).status,
    ).toBe(404);
    expect((await call(cookies.ohioCoordinator!, 'DELETE', `/api/milestones/${milestone.id}`)).status).toBe(404);
    expect((await call(cookies.ohioCoordinator!, 'GET', '/api/plans?state=TX')).status).toBe(404);
    expect((await createPlan(cookies.ohioCoordinator!, { state: 'TX' })).status).toBe(404);
    expect(
      testApp.database.db.select().from(planMilestones).where(eq(planMilestones.id, milestone.id)).get()?.title,
    ).toBe(milestone.title);
  });

  test('agent reads every state and edits none', async () => {
    const plan = (await createPlan(cookies.texasCoordinator!, { origin: 'template' })).body.plan;

    const view = await readPlan(cookies.agent!, plan.id);
    const edit = await call(cookies.agent!, 'PATCH', `/api/plans/${plan.id}`, { title: 'Changed by an agent' });

    expect(view.status).toBe(200);
    expect(view.body.canEdit).toBe(false);
    expect(edit.status).toBe(403);
  });

  test('admin edits any state', async () => {
    const plan = (await createPlan(cookies.admin!, { state: 'OH' })).body.plan;
    const edit = await call<{ plan: { title: string } }>(cookies.admin!, 'PATCH', `/api/plans/${plan.id}`, {
      title: 'Ohio plan, revised',
    });

    expect(edit.status).toBe(200);
    expect(edit.body.plan.title).toBe('Ohio plan, revised');
  });
});

describe('national roll-up', () => {
  interface Rollup {
    participatingStates: number;
    statesWithCurrentPlan: number;
    milestoneStatusCounts: Record<string, number>;
    overdueCount: number;
    states: {
      state: string;
      planId: number | null;
      status: string | null;
      percentComplete: number | null;
      overdue: number;
    }[];
  }

  test('counts participating states with a current plan', async () => {
    await createPlan(cookies.texasCoordinator!, { origin: 'template' });
    await createPlan(cookies.ohioCoordinator!, { state: 'OH' });
    await createPlan(cookies.admin!, { state: 'WY', title: 'Wyoming plan' });
    const rollup = (await call<Rollup>(cookies.agent!, 'GET', '/api/plans/rollup')).body;

    expect(rollup.participatingStates).toBe(46);
    expect(rollup.statesWithCurrentPlan).toBe(2);
    expect(rollup.states.find((row) => row.state === 'WY')?.planId).not.toBeNull();
    expect(rollup.states.find((row) => row.state === 'CA')?.planId).toBeNull();
  });

  test('sums milestone statuses and overdue items', async () => {
    const plan = (
      await createPlan(cookies.texasCoordinator!, {
        origin: 'template',
        periodStart: '2026-01-01',
        periodEnd: '2028-12-31',
      })
    ).body.plan;
    const milestones = allMilestones((await readPlan(cookies.texasCoordinator!, plan.id)).body);
    await call(cookies.texasCoordinator!, 'POST', `/api/milestones/${milestones[0]!.id}/updates`, {
      updateDate: '2026-12-04',
      narrative: 'Complete.',
      status: 'done',
      percentComplete: 100,
    });
    await call(cookies.texasCoordinator!, 'POST', `/api/milestones/${milestones[1]!.id}/updates`, {
      updateDate: '2026-12-04',
      narrative: 'Behind.',
      status: 'off_track',
      percentComplete: 10,
    });
    // The done milestone is never overdue; the off-track one is when its date has passed.
    const expectedOverdue = milestones.slice(1).filter((milestone) => milestone.dueDate < '2026-12-04').length;

    const rollup = (await call<Rollup>(cookies.admin!, 'GET', '/api/plans/rollup')).body;
    const texas = rollup.states.find((row) => row.state === 'TX');

    expect(rollup.milestoneStatusCounts).toMatchObject({ done: 1, off_track: 1, not_started: milestones.length - 2 });
    expect(rollup.overdueCount).toBe(expectedOverdue);
    expect(texas?.overdue).toBe(expectedOverdue);
    expect(texas?.status).toBe('off_track');
  });

  test('is closed to state roles', async () => {
    expect((await call(cookies.texasCoordinator!, 'GET', '/api/plans/rollup')).status).toBe(403);
    expect((await call(cookies.texasUser!, 'GET', '/api/plans/rollup')).status).toBe(403);
  });

  test('exports one CSV row per state', async () => {
    await createPlan(cookies.texasCoordinator!, { origin: 'template', title: '=cmd|plan' });
    const response = await sendJson(testApp.app, 'GET', '/api/plans/rollup/export', { cookie: cookies.admin });
    const lines = (await response.text()).trim().split('\r\n');

    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(lines[0]).toBe(
      'state,name,participating,has_current_plan,plan_title,period_start,period_end,status,percent_complete,milestones_not_started,milestones_on_track,milestones_at_risk,milestones_off_track,milestones_done,overdue,stale,last_updated',
    );
    expect(lines).toHaveLength(53);
    expect(lines.find((line) => line.startsWith('"TX"'))).toContain('"\'=cmd|plan"');
  });
});

describe('plan CSV export', () => {
  test('lists every milestone with its goal and objective', async () => {
    const plan = (await createPlan(cookies.texasCoordinator!, { origin: 'template' })).body.plan;
    const response = await sendJson(testApp.app, 'GET', `/api/plans/${plan.id}/export`, { cookie: cookies.texasUser });
    const lines = (await response.text()).trim().split('\r\n');
    const template = readPlanTemplate();

    expect(response.headers.get('content-disposition')).toBe('attachment; filename="plan-TX-2027-01-01.csv"');
    expect(lines[0]).toBe(
      'state,goal,objective,milestone,owner,due_date,status,percent_complete,overdue,stale,last_progress,latest_update',
    );
    expect(lines).toHaveLength(
      1 + template.flatMap((goal) => goal.objectives.flatMap((objective) => objective.milestones)).length,
    );
    expect(lines[1]).toContain(`"${template[0]?.title}"`);
  });
});
