/**
 * The strategic-plan pages in headless Chromium against the real app: the
 * plan page (starting a plan, editing, progress updates, read-only views),
 * the printable plan, the national roll-up, and axe-core on each of them.
 */
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { stateCodes } from '../api/shared/states';
import { planMilestones } from '../db/schema';
import { tilePositions } from '../site/scripts/plans/tile-map';
import { createPerson, sendJson, signInAs, testPassword, type TestPerson } from './helpers/accounts';
import { useServer, type RunningServer } from './helpers/server';
import {
  findAxeViolations,
  openSignedIn,
  readCspViolations,
  readText,
  useChromium,
  waitForText,
} from './helpers/page-session';

interface PlanView {
  plan: { id: number; title: string; percentComplete: number };
  goals: { id: number; objectives: { id: number; milestones: { id: number; title: string }[] }[] }[];
}

const chromium = useChromium();

/** YYYY-MM-DD of today (UTC) moved by whole years. */
function dayFromToday(years: number): string {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.toISOString().slice(0, 10);
}

async function createSignedInPerson(server: RunningServer, role: TestPerson['role'], state?: string) {
  return createPerson(server.testApp.database.db, { role, state });
}

const adminCookies = new WeakMap<RunningServer, string>();

/** Returns the session cookie of one admin per server, who seeds the data through the API. */
async function readAdminCookie(server: RunningServer): Promise<string> {
  const known = adminCookies.get(server);
  if (known) return known;
  const admin = await createSignedInPerson(server, 'admin');
  const cookie = await signInAs(server.testApp.app, admin);
  adminCookies.set(server, cookie);
  return cookie;
}

/** Creates a plan through the API as an admin. */
async function seedPlan(
  server: RunningServer,
  body: { state: string; title: string; periodStart: string; periodEnd: string; origin: 'blank' | 'template' },
): Promise<PlanView> {
  const { app } = server.testApp;
  const cookie = await readAdminCookie(server);
  const created = await sendJson(app, 'POST', '/api/plans', { cookie, body });
  if (created.status !== 201) throw new Error(`creating the plan failed: ${await created.text()}`);
  const { plan } = (await created.json()) as { plan: { id: number } };
  const read = await sendJson(app, 'GET', `/api/plans/${plan.id}`, { cookie });
  return (await read.json()) as PlanView;
}

async function addProgress(server: RunningServer, milestoneId: number, body: Record<string, unknown>): Promise<void> {
  const { app } = server.testApp;
  const cookie = await readAdminCookie(server);
  const response = await sendJson(app, 'POST', `/api/milestones/${milestoneId}/updates`, { cookie, body });
  if (response.status !== 201) throw new Error(`adding progress failed: ${await response.text()}`);
}

async function waitForPlan(page: Page): Promise<void> {
  await waitForText(page, '[data-plan-title]', /\S/);
}

/** Presses Tab until the focused element matches the selector, as a keyboard user would. */
async function tabTo(page: Page, selector: string, limit = 300): Promise<void> {
  for (let step = 0; step < limit; step += 1) {
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function focusedId(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.id ?? '');
}

describe('plan page', () => {
  const server = useServer();

  test('starts a plan from the template by keyboard', async () => {
    const coordinator = await createSignedInPerson(server.get(), 'state_coordinator', 'NM');
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), coordinator, '/plans/');
    await page.locator('[data-no-plan]').waitFor({ state: 'visible' });

    await tabTo(page, '#new-plan-title');
    await page.keyboard.type('New Mexico MSIX plan 2026 to 2029');
    await page.keyboard.press('Tab');
    const origin = await page.evaluate(() => (document.activeElement as HTMLSelectElement).value);
    await tabTo(page, '[data-new-plan-form] button[type="submit"]');
    await page.keyboard.press('Enter');
    await waitForPlan(page);

    expect(origin).toBe('template');
    expect(await readText(page, '[data-plan-title]')).toBe('New Mexico MSIX plan 2026 to 2029');
    expect(await page.locator('h3.plan-goal__title').count()).toBe(4);
    expect(await page.locator('h4.plan-objective__title').count()).toBe(9);
    expect(await page.locator('h5.plan-milestone__title').count()).toBe(26);
    expect(await readText(page, '[data-plans-status]')).toContain('from the TA template');
    expect(await focusedId(page)).toBe('plan-title');
    expect(await readText(page, '[data-plan-field="status"]')).toBe('Not started');
    expect(new URL(page.url()).search).toBe('?state=NM');
    expect(readCspViolations(page)).toEqual([]);
  });

  test('adds a progress update by keyboard', async () => {
    const view = await seedPlan(server.get(), {
      state: 'TX',
      title: 'Texas records exchange plan',
      periodStart: dayFromToday(0),
      periodEnd: dayFromToday(3),
      origin: 'template',
    });
    const milestone = view.goals[0]!.objectives[0]!.milestones[0]!;
    const coordinator = await createSignedInPerson(server.get(), 'state_coordinator', 'TX');
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), coordinator, '/plans/');
    await waitForPlan(page);
    const percentBefore = await readText(page, '[data-plan-field="percent"]');

    await tabTo(page, `button[data-plan-action="add-update"][data-item-id="${milestone.id}"]`);
    await page.keyboard.press('Enter');
    const firstField = await page.evaluate(() => (document.activeElement as HTMLTextAreaElement).name);
    await page.keyboard.type('Listed the 40 schools and their MSIX users.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('50');
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-plans-status]', /Saved the progress update/);

    expect(firstField).toBe('narrative');
    expect(percentBefore).toBe('0%');
    // 50% on one of three milestones, averaged up through the objective (17), the goal (9) and four goals.
    expect(await readText(page, '[data-plan-field="percent"]')).toBe('2%');
    expect(await readText(page, '[data-plan-field="status"]')).toBe('On track');
    expect(await readText(page, '[data-plans-status]')).toContain('The plan is now 2% complete (it was 0%)');
    expect(await focusedId(page)).toBe(`milestone-${milestone.id}`);
    const item = page.locator(`li[data-milestone-id="${milestone.id}"]`);
    expect(await item.locator('.plan-update__text').first().textContent()).toBe(
      'Listed the 40 schools and their MSIX users.',
    );
    expect(await item.locator('.plan-facts').textContent()).toContain('50%');
    expect(readCspViolations(page)).toEqual([]);
  });

  test('rejects Done below 100 percent', async () => {
    const view = await seedPlan(server.get(), {
      state: 'OK',
      title: 'Oklahoma plan',
      periodStart: dayFromToday(0),
      periodEnd: dayFromToday(3),
      origin: 'template',
    });
    const milestone = view.goals[0]!.objectives[0]!.milestones[0]!;
    const coordinator = await createSignedInPerson(server.get(), 'state_coordinator', 'OK');
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), coordinator, '/plans/');
    await waitForPlan(page);

    await page.click(`button[data-plan-action="add-update"][data-item-id="${milestone.id}"]`);
    await page.fill('textarea[name="narrative"]', 'Halfway through the list.');
    await page.selectOption('select[name="status"]', 'done');
    await page.fill('input[name="percentComplete"]', '50');
    await page.click('button:has-text("Save the update")');
    await page.locator('[data-panel-form] [role="alert"]').waitFor();

    expect(await readText(page, '[data-panel-form] [role="alert"]')).toContain('must be 100 percent complete');
    expect(await page.getAttribute('input[name="percentComplete"]', 'aria-invalid')).toBe('true');
    expect(await readText(page, '[data-plan-field="percent"]')).toBe('0%');
  });

  test('adds, renames and deletes a goal by keyboard', async () => {
    await seedPlan(server.get(), {
      state: 'KS',
      title: 'Kansas plan',
      periodStart: dayFromToday(0),
      periodEnd: dayFromToday(3),
      origin: 'blank',
    });
    const coordinator = await createSignedInPerson(server.get(), 'state_coordinator', 'KS');
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), coordinator, '/plans/');
    await waitForPlan(page);

    await tabTo(page, 'button[data-plan-action="add-goal"]');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Goal 1: Every school searches MSIX');
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-plans-status]', /Added the goal/);
    const goalHeading = await focusedId(page);
    expect(goalHeading).toMatch(/^goal-\d+$/);
    expect(await readText(page, `#${goalHeading}`)).toBe('Goal 1: Every school searches MSIX');

    await tabTo(page, 'button[data-plan-action="rename-goal"]');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Goal 1: Every district searches MSIX');
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-plans-status]', /Renamed the goal/);
    expect(await focusedId(page)).toBe(goalHeading);
    expect(await readText(page, `#${goalHeading}`)).toBe('Goal 1: Every district searches MSIX');

    await tabTo(page, 'button[data-plan-action="delete-goal"]');
    await page.keyboard.press('Enter');
    const question = await readText(page, '.plan-panel--warning [data-panel-heading]');
    const questionFocused = await page.evaluate(() => document.activeElement?.matches('[data-panel-heading]'));
    await page.keyboard.press('Escape');
    const backOnButton = await page.evaluate(() => document.activeElement?.matches('[data-plan-action="delete-goal"]'));
    await page.keyboard.press('Enter');
    await tabTo(page, '[data-confirm-delete]');
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-plans-status]', /Deleted the goal/);

    expect(question).toBe('Delete the goal “Goal 1: Every district searches MSIX”?');
    expect(questionFocused).toBe(true);
    expect(backOnButton).toBe(true);
    expect(await page.locator('h3.plan-goal__title').count()).toBe(0);
    expect(await focusedId(page)).toBe('plan-title');
  });

  test('edits a milestone and adds one', async () => {
    const view = await seedPlan(server.get(), {
      state: 'IA',
      title: 'Iowa plan',
      periodStart: dayFromToday(0),
      periodEnd: dayFromToday(3),
      origin: 'template',
    });
    const objective = view.goals[0]!.objectives[0]!;
    const milestone = objective.milestones[0]!;
    const coordinator = await createSignedInPerson(server.get(), 'state_coordinator', 'IA');
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), coordinator, '/plans/');
    await waitForPlan(page);

    await page.click(`button[data-plan-action="edit-milestone"][data-item-id="${milestone.id}"]`);
    await page.fill('input[name="ownerRole"]', 'MEP director');
    await page.fill('input[name="dueDate"]', '2030-01-15');
    await page.click('button:has-text("Save the milestone")');
    await waitForText(page, '[data-plans-status]', /Saved the milestone/);
    const facts = await readText(page, `li[data-milestone-id="${milestone.id}"] .plan-facts`);

    await page.click(`button[data-plan-action="add-milestone"][data-item-id="${objective.id}"]`);
    await page.fill('input[name="title"]', 'Share the school list with each district');
    await page.fill('input[name="ownerRole"]', 'State MSIX coordinator');
    await page.fill('input[name="dueDate"]', '2027-03-01');
    await page.click('button:has-text("Add the milestone")');
    await waitForText(page, '[data-plans-status]', /Added the milestone/);

    expect(facts).toContain('MEP director');
    expect(facts).toContain('January 15, 2030');
    const added = await focusedId(page);
    expect(await readText(page, `#${added}`)).toBe('Share the school list with each district');
    expect(await page.locator(`li[data-objective-id="${objective.id}"] h5`).count()).toBe(4);
  });

  test('shows a state user no edit controls', async () => {
    await seedPlan(server.get(), {
      state: 'OR',
      title: 'Oregon plan',
      periodStart: dayFromToday(0),
      periodEnd: dayFromToday(3),
      origin: 'template',
    });
    const user = await createSignedInPerson(server.get(), 'state_user', 'OR');
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), user, '/plans/');
    await waitForPlan(page);

    expect(await readText(page, '[data-plan-title]')).toBe('Oregon plan');
    expect(await page.locator('h5.plan-milestone__title').count()).toBe(26);
    expect(await page.locator('[data-plan-action]:visible').count()).toBe(0);
    expect(await page.locator('[data-new-plan]').isVisible()).toBe(false);
    expect(await page.locator('[data-national-tools]').isVisible()).toBe(false);
    expect(await page.getAttribute('[data-plan-link="print"]', 'href')).toMatch(/^\/plans\/print\/\?plan=\d+$/);
    expect(await page.getAttribute('[data-plan-link="sessions"]', 'href')).toBe('/plans/sessions/?state=OR');
    expect(await page.getAttribute('[data-plan-link="crosswalk"]', 'href')).toBe('/plans/crosswalk/?state=OR');
  });

  test('lets an agent pick another state', async () => {
    await seedPlan(server.get(), {
      state: 'CA',
      title: 'California plan',
      periodStart: dayFromToday(0),
      periodEnd: dayFromToday(3),
      origin: 'template',
    });
    const agent = await createSignedInPerson(server.get(), 'agent');
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), agent, '/plans/');
    await waitForText(page, '[data-plans-status]', /Choose a state/);

    await page.selectOption('#plan-state', 'CA');
    await page.click('button:has-text("Show the plan")');
    await waitForPlan(page);

    expect(new URL(page.url()).search).toBe('?state=CA');
    expect(await readText(page, 'h1')).toBe('California strategic plan');
    expect(await readText(page, '[data-plan-title]')).toBe('California plan');
    expect(await page.inputValue('#plan-state')).toBe('CA');
    expect(await page.locator('[data-plan-action]:visible').count()).toBe(0);
  });

  test('shows an earlier plan read-only', async () => {
    const first = await seedPlan(server.get(), {
      state: 'ID',
      title: 'Idaho plan 2023',
      periodStart: dayFromToday(-3),
      periodEnd: dayFromToday(0),
      origin: 'template',
    });
    await seedPlan(server.get(), {
      state: 'ID',
      title: 'Idaho plan 2026',
      periodStart: dayFromToday(0),
      periodEnd: dayFromToday(3),
      origin: 'blank',
    });
    const coordinator = await createSignedInPerson(server.get(), 'state_coordinator', 'ID');
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), coordinator, '/plans/');
    await waitForPlan(page);
    expect(await readText(page, '[data-plan-title]')).toBe('Idaho plan 2026');

    await page.click('[data-earlier-plan-list] a:has-text("Idaho plan 2023")');
    await waitForPlan(page);

    expect(new URL(page.url()).search).toBe(`?plan=${first.plan.id}`);
    expect(await readText(page, '[data-plan-title]')).toBe('Idaho plan 2023');
    expect(await page.locator('[data-earlier-note]').isVisible()).toBe(true);
    expect(await page.locator('[data-plan-goals] [data-plan-action]').count()).toBe(0);
  });

  test('answers another state as not found', async () => {
    const view = await seedPlan(server.get(), {
      state: 'WA',
      title: 'Washington plan',
      periodStart: dayFromToday(0),
      periodEnd: dayFromToday(3),
      origin: 'blank',
    });
    const user = await createSignedInPerson(server.get(), 'state_user', 'OR');
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      user,
      `/plans/?plan=${view.plan.id}`,
    );
    await page.locator('[data-plans-alert] [role="alert"]').waitFor();

    expect(await readText(page, '[data-plans-alert]')).toContain(`No plan with id ${view.plan.id} was found.`);
    expect(await page.locator('[data-plan]').isVisible()).toBe(false);
  });
});

describe('print page', () => {
  const server = useServer();

  test('shows the plan for printing', async () => {
    const view = await seedPlan(server.get(), {
      state: 'TX',
      title: 'Texas plan to print',
      periodStart: dayFromToday(0),
      periodEnd: dayFromToday(3),
      origin: 'template',
    });
    const milestone = view.goals[0]!.objectives[0]!.milestones[0]!;
    await addProgress(server.get(), milestone.id, {
      updateDate: dayFromToday(0),
      narrative: 'Training dates are set.',
      status: 'at_risk',
      percentComplete: 20,
    });
    const user = await createSignedInPerson(server.get(), 'state_user', 'TX');
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      user,
      `/plans/print/?plan=${view.plan.id}`,
    );
    await waitForText(page, 'h1', /Texas plan to print/);

    expect(await page.locator('[data-print-button]').isVisible()).toBe(true);
    expect(await page.locator('h2.plan-goal__title').count()).toBe(4);
    expect(await page.locator('h4.plan-milestone__title').count()).toBe(26);
    expect(await readText(page, `li[data-milestone-id="${milestone.id}"] .plan-facts`)).toContain('At risk');
    expect(await readText(page, '[data-plan-field="status"]')).toBe('At risk');
    expect(await page.locator('[data-plan-action]').count()).toBe(0);

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.usa-header').isVisible()).toBe(false);
    expect(await page.locator('.usa-breadcrumb').isVisible()).toBe(false);
    expect(await page.locator('[data-print-button]').isVisible()).toBe(false);
    expect(await page.locator('h1').isVisible()).toBe(true);
    const breakInside = await page
      .locator('.plan-milestone')
      .first()
      .evaluate((element) => getComputedStyle(element).breakInside);
    expect(breakInside).toBe('avoid');
    expect(readCspViolations(page)).toEqual([]);
  });
});

describe('roll-up page', () => {
  const server = useServer();
  let texas: PlanView;

  beforeAll(async () => {
    // Texas started two years ago, so its early milestones are overdue.
    texas = await seedPlan(server.get(), {
      state: 'TX',
      title: 'Texas plan',
      periodStart: dayFromToday(-2),
      periodEnd: dayFromToday(1),
      origin: 'template',
    });
    await seedPlan(server.get(), {
      state: 'CA',
      title: 'California plan',
      periodStart: dayFromToday(0),
      periodEnd: dayFromToday(3),
      origin: 'template',
    });
    const first = texas.goals[0]!.objectives[0]!.milestones[0]!;
    await addProgress(server.get(), first.id, {
      updateDate: dayFromToday(-1),
      narrative: 'Half of the schools are listed.',
      status: 'on_track',
      percentComplete: 50,
    });
    await addProgress(server.get(), first.id, {
      updateDate: dayFromToday(0),
      narrative: 'Most schools are listed, but two districts have not answered.',
      status: 'at_risk',
      percentComplete: 80,
    });
    // One Texas milestone has had no progress for a year.
    const staleId = texas.goals[1]!.objectives[0]!.milestones[0]!.id;
    server
      .get()
      .testApp.database.db.update(planMilestones)
      .set({ lastProgressAt: `${dayFromToday(-1)}T12:00:00.000Z` })
      .where(eq(planMilestones.id, staleId))
      .run();
  });

  test('shows x of y, the map and the lists', async () => {
    const admin = await createSignedInPerson(server.get(), 'admin');
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), admin, '/plans/rollup/');
    await page.locator('[data-rollup]').waitFor({ state: 'visible' });

    expect(await readText(page, '[data-figure="plans"]')).toBe('2 of 46');
    expect(Number(await readText(page, '[data-figure="overdue"]'))).toBeGreaterThan(0);
    expect(await readText(page, '[data-figure="stale"]')).toBe('1');
    const map = page.locator('[data-rollup-map] svg.plan-map__svg');
    expect(await map.getAttribute('role')).toBe('img');
    const summary = (await map.getAttribute('aria-label')) ?? '';
    expect(summary).toContain('At risk: 1 (Texas)');
    expect(summary).toContain('Not started: 1 (California)');
    expect(summary).toContain('No current plan: 44');
    expect(summary).toContain('Not in the program: 6');
    expect(await page.locator('[data-rollup-map] [data-tile]').count()).toBe(52);
    expect(await page.getAttribute('[data-tile="TX"] rect', 'fill')).toBe('url(#plan-pattern-at_risk)');
    expect(await page.getAttribute('[data-tile="CA"] rect', 'fill')).toBe('url(#plan-pattern-not_started)');
    expect(await page.getAttribute('[data-tile="AL"] rect', 'fill')).toBe('url(#plan-pattern-no_plan)');
    expect(await page.getAttribute('[data-tile="WY"] rect', 'fill')).toBe('url(#plan-pattern-not_participating)');
    expect(await page.getAttribute('[data-tile="TX"] text', 'class')).toBe('plan-tile__code');
    expect(await readText(page, '[data-tile="TX"] text')).toBe('TX');
    expect(await page.getAttribute('[data-tile-link="TX"]', 'href')).toBe('/plans/?state=TX');
    expect(await page.locator('[data-overdue-list] a').first().getAttribute('href')).toMatch(
      new RegExp(`^/plans/\\?plan=${texas.plan.id}#milestone-\\d+$`),
    );
    expect(await page.locator('[data-stale-list] li').count()).toBe(1);
    expect(await page.getAttribute('a:has-text("Download CSV")', 'href')).toBe('/api/plans/rollup/export');
    expect(readCspViolations(page)).toEqual([]);

    await page.click('[data-tile-link="TX"]');
    await waitForPlan(page);
    expect(new URL(page.url()).search).toBe('?state=TX');
    expect(await readText(page, '[data-plan-title]')).toBe('Texas plan');
  });

  test('sorts the table by a column', async () => {
    const agent = await createSignedInPerson(server.get(), 'agent');
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), agent, '/plans/rollup/');
    await page.locator('[data-rollup]').waitFor({ state: 'visible' });
    const rows = page.locator('[data-rollup-table] tbody tr');
    expect(await rows.count()).toBe(52);
    expect(await readText(page, '[data-rollup-table] tbody tr th')).toBe('Alabama (AL)');

    await page.focus('button[data-sort-key="percent"]');
    await page.keyboard.press('Enter');
    const ascendingSort = await page.getAttribute('th[data-sort-key="percent"]', 'aria-sort');
    const ascendingFirst = await readText(page, '[data-rollup-table] tbody tr th');
    await page.keyboard.press('Enter');

    expect(ascendingSort).toBe('ascending');
    expect(ascendingFirst).toBe('California (CA)');
    expect(await page.getAttribute('th[data-sort-key="percent"]', 'aria-sort')).toBe('descending');
    expect(await page.getAttribute('th[data-sort-key="state"]', 'aria-sort')).toBeNull();
    expect(await readText(page, '[data-rollup-table] tbody tr th')).toBe('Texas (TX)');
    expect(await readText(page, '[data-rollup-status]')).toBe('Sorted by percent complete, highest first.');
  });

  test('turns away state coordinators', async () => {
    const coordinator = await createSignedInPerson(server.get(), 'state_coordinator', 'TX');
    const context = await chromium.browser.newContext();
    chromium.contexts.push(context);
    const page = await context.newPage();
    await page.request.post(`${server.get().url}/api/auth/sign-in`, {
      data: { email: coordinator.email, password: testPassword },
      headers: { Origin: server.get().url },
    });
    await page.goto(`${server.get().url}/plans/rollup/`);
    await page.locator('[data-gate-denied]').waitFor({ state: 'visible' });

    expect(await readText(page, '[data-gate-denied-text]')).toContain('help-desk agents and admins');
    expect(await page.locator('[data-rollup]').isVisible()).toBe(false);
  });

  test('places every state on its own tile', () => {
    const positions = stateCodes.map((code) => tilePositions[code].join(','));
    expect(positions).toHaveLength(52);
    expect(new Set(positions).size).toBe(52);
  });

  test.each(['/plans/?state=TX', '/plans/print/?state=TX', '/plans/rollup/'])(
    '%s has no axe violations',
    async (path) => {
      const admin = await createSignedInPerson(server.get(), 'admin');
      const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), admin, path, {
        bypassCSP: true,
      });
      if (path.startsWith('/plans/rollup/')) await page.locator('[data-rollup]').waitFor({ state: 'visible' });
      else await waitForText(page, 'h1', /Texas/);

      expect(await findAxeViolations(page)).toEqual([]);
    },
  );

  test('plan page with an open form has no axe violations', async () => {
    const admin = await createSignedInPerson(server.get(), 'admin');
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), admin, '/plans/?state=TX', {
      bypassCSP: true,
    });
    await waitForPlan(page);
    const milestone = texas.goals[0]!.objectives[0]!.milestones[0]!;
    await page.click(`#milestone-${milestone.id}-history summary`);
    await page.click(`button[data-plan-action="add-update"][data-item-id="${milestone.id}"]`);
    await page.click('button:has-text("Save the update")');
    await page.locator('[data-panel-form] [role="alert"]').waitFor();

    expect(await findAxeViolations(page)).toEqual([]);
  });
});
