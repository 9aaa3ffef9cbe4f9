/**
 * The planning-session and MDE crosswalk pages in headless Chromium against
 * the real app. Sessions: recording one by keyboard, turning a recommendation
 * into a milestone, changing a session and read-only views. Crosswalk:
 * completeness, saving statuses, input names, the filter and the CSV link.
 * Both pages also get an axe-core check with data.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { createPerson, sendJson, signInAs, type TestPerson } from './helpers/accounts';
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
  plan: { id: number; title: string };
  goals: {
    id: number;
    title: string;
    objectives: {
      id: number;
      title: string;
      milestones: { id: number; title: string; dueDate: string; ownerRole: string | null }[];
    }[];
  }[];
}

interface SessionView {
  session: { id: number };
  recommendations: { id: number; text: string; milestoneId: number | null }[];
}

interface CrosswalkView {
  entries: { file: string; column: string; collectionStatus: string | null; sourceSystem: string }[];
  completeness: { documented: number; percentDocumented: number; percentCollected: number | null };
}

const chromium = useChromium();

/** YYYY-MM-DD of today (UTC) moved by whole years. */
function dayFromToday(years: number): string {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.toISOString().slice(0, 10);
}

function createAccount(server: RunningServer, role: TestPerson['role'], state?: string): Promise<TestPerson> {
  return createPerson(server.testApp.database.db, { role, state });
}

const adminCookies = new WeakMap<RunningServer, string>();

/** Returns the session cookie of one admin per server, who seeds data through the API. */
async function readAdminCookie(server: RunningServer): Promise<string> {
  const known = adminCookies.get(server);
  if (known) return known;
  const admin = await createAccount(server, 'admin');
  const cookie = await signInAs(server.testApp.app, admin);
  adminCookies.set(server, cookie);
  return cookie;
}

/** Sends a request as the seeding admin and returns the JSON body, failing on an unexpected status. */
async function callAsAdmin<T>(server: RunningServer, method: string, path: string, body?: unknown): Promise<T> {
  const cookie = await readAdminCookie(server);
  const response = await sendJson(server.testApp.app, method, path, { cookie, body });
  if (response.status >= 300)
    throw new Error(`${method} ${path} failed with ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Creates a current plan from the TA template and returns it with its goals. */
async function seedPlan(server: RunningServer, state: string): Promise<PlanView> {
  const { plan } = await callAsAdmin<{ plan: { id: number } }>(server, 'POST', '/api/plans', {
    state,
    title: `${state} records exchange plan`,
    periodStart: dayFromToday(0),
    periodEnd: dayFromToday(3),
    origin: 'template',
  });
  return callAsAdmin<PlanView>(server, 'GET', `/api/plans/${plan.id}`);
}

async function seedSession(server: RunningServer, state: string): Promise<SessionView> {
  return callAsAdmin<SessionView>(server, 'POST', '/api/planning-sessions', {
    state,
    sessionDate: '2026-10-14',
    place: 'State education agency',
    participants: ['State MEP director', 'District registrar'],
    findings: 'Registrars enroll newly arrived children without searching MSIX.',
    recommendations: ['Train every district registrar to search MSIX', 'Publish a one-page guide to move notices'],
  });
}

/** Presses Tab until the focused element matches the selector, as a keyboard user would. */
async function tabTo(page: Page, selector: string, limit = 200): Promise<void> {
  for (let step = 0; step < limit; step += 1) {
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function isFocused(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector);
}

describe('sessions page', () => {
  const server = useServer();

  test('records a session by keyboard', async () => {
    const coordinator = await createAccount(server.get(), 'state_coordinator', 'NM');
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), coordinator, '/plans/sessions/');
    await page.locator('[data-session-form-section]').waitFor({ state: 'visible' });
    expect(await readText(page, 'h1')).toBe('New Mexico planning sessions');

    await tabTo(page, '#session-date');
    await page.keyboard.type('10142026');
    // Tab first moves between the parts of the date (month, day, year), then to the next field.
    await tabTo(page, '#session-place');
    await page.keyboard.type('State education agency, Santa Fe');
    await page.keyboard.press('Tab');
    await page.keyboard.type('State MEP director');
    await tabTo(page, '[data-repeatable="participants"] [data-list-add]');
    await page.keyboard.press('Enter');
    const secondParticipantFocused = await isFocused(page, '#session-participants-2');
    await page.keyboard.type('District registrar');
    await tabTo(page, '#session-findings');
    await page.keyboard.type('Registrars enroll newly arrived children without searching MSIX.');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Train every district registrar to search MSIX');
    await tabTo(page, '[data-repeatable="recommendations"] [data-list-add]');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Publish a one-page guide to move notices');
    await tabTo(page, '[data-session-submit]');
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-sessions-status]', /Recorded the session/);

    expect(secondParticipantFocused).toBe(true);
    expect(await readText(page, '[data-sessions-status]')).toBe(
      'Recorded the session of October 14, 2026 at State education agency, Santa Fe, with 2 recommendations.',
    );
    expect(await isFocused(page, '#session-heading')).toBe(true);
    expect(new URL(page.url()).searchParams.get('state')).toBe('NM');
    expect(new URL(page.url()).searchParams.get('session')).toMatch(/^\d+$/);
    expect(await page.locator('[data-session-field="participants"] li').allTextContents()).toEqual([
      'State MEP director',
      'District registrar',
    ]);
    expect(await page.locator('.planning-recommendation__text').allTextContents()).toEqual([
      'Train every district registrar to search MSIX',
      'Publish a one-page guide to move notices',
    ]);
    expect(await page.locator('[data-sessions-rows] tr').count()).toBe(1);
    expect(await readText(page, '[data-sessions-rows] tr td:last-child')).toBe('2, none a milestone yet');
    expect(await page.inputValue('#session-place')).toBe('');
    expect(readCspViolations(page)).toEqual([]);
  });

  test('rejects a session without participants', async () => {
    const coordinator = await createAccount(server.get(), 'state_coordinator', 'NV');
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), coordinator, '/plans/sessions/');
    await page.locator('[data-session-form-section]').waitFor({ state: 'visible' });

    await page.fill('#session-date', '2026-10-14');
    await page.fill('#session-place', 'Carson City');
    await page.click('[data-session-submit]');
    await page.locator('[data-session-form] [role="alert"]').waitFor();

    expect(await readText(page, '[data-session-form] [role="alert"]')).toContain(
      "Enter at least one participant's role",
    );
    expect(await page.getAttribute('#session-participants-1', 'aria-invalid')).toBe('true');
    expect(await page.locator('[data-sessions-rows] tr').count()).toBe(0);
  });

  test('makes a recommendation a milestone', async () => {
    const plan = await seedPlan(server.get(), 'TX');
    const seeded = await seedSession(server.get(), 'TX');
    const [first, second] = seeded.recommendations;
    const objective = plan.goals[1]!.objectives[0]!;
    const coordinator = await createAccount(server.get(), 'state_coordinator', 'TX');
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      coordinator,
      `/plans/sessions/?state=TX&session=${seeded.session.id}`,
    );
    await waitForText(page, '#session-heading', /Session of October 14, 2026/);

    await page.click(`[data-make-milestone="${first!.id}"]`);
    const expanded = await page.getAttribute(`[data-make-milestone="${first!.id}"]`, 'aria-expanded');
    const objectiveFocused = await isFocused(page, 'select[name="objectiveId"]');
    const goalGroups = await page
      .locator('select[name="objectiveId"] optgroup')
      .evaluateAll((groups) => groups.map((group) => group.getAttribute('label')));
    await page.selectOption('select[name="objectiveId"]', String(objective.id));
    await page.fill('[data-milestone-form] input[name="dueDate"]', '2027-06-30');
    await page.fill('[data-milestone-form] input[name="ownerRole"]', 'State MSIX coordinator');
    await page.click('[data-milestone-form] button[type="submit"]');
    await waitForText(page, '[data-sessions-status]', /is now a milestone/);

    expect(expanded).toBe('true');
    expect(objectiveFocused).toBe(true);
    expect(goalGroups).toEqual(plan.goals.map((goal) => goal.title));
    const after = await callAsAdmin<PlanView>(server.get(), 'GET', `/api/plans/${plan.plan.id}`);
    const milestone = after.goals[1]!.objectives[0]!.milestones.find((item) => item.title === first!.text);
    expect(milestone?.dueDate).toBe('2027-06-30');
    expect(milestone?.ownerRole).toBe('State MSIX coordinator');
    const item = page.locator(`li[data-recommendation-id="${first!.id}"]`);
    expect(await item.locator('a').getAttribute('href')).toBe(`/plans/?state=TX#milestone-${milestone!.id}`);
    expect(await readText(page, `li[data-recommendation-id="${first!.id}"] .planning-recommendation__state`)).toContain(
      'Due June 30, 2027, status Not started.',
    );
    expect(await isFocused(page, `#recommendation-${first!.id}`)).toBe(true);
    expect(await page.locator(`[data-make-milestone="${first!.id}"]`).count()).toBe(0);
    expect(await page.locator(`[data-make-milestone="${second!.id}"]`).count()).toBe(1);
    expect(await readText(page, '[data-sessions-rows] tr td:last-child')).toBe('2, 1 now a milestone');
    expect(readCspViolations(page)).toEqual([]);
  });

  test('changes a session', async () => {
    const seeded = await seedSession(server.get(), 'UT');
    const coordinator = await createAccount(server.get(), 'state_coordinator', 'UT');
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      coordinator,
      `/plans/sessions/?session=${seeded.session.id}`,
    );
    await waitForText(page, '#session-heading', /Session of/);

    await page.click('[data-session-change]');
    const headingFocused = await isFocused(page, '#session-form-heading');
    const recommendationCount = await page.locator('[data-repeatable="recommendations"] input').count();
    await page.fill('#session-place', 'Salt Lake City district office');
    await page.click('[data-session-submit]');
    await waitForText(page, '[data-sessions-status]', /Saved the changes/);

    expect(headingFocused).toBe(true);
    expect(recommendationCount).toBe(2);
    expect(await readText(page, '[data-session-field="place"]')).toBe('Salt Lake City district office');
    expect(await readText(page, '#session-form-heading')).toBe('Record a session');
    expect(await page.locator('.planning-recommendation').count()).toBe(2);
  });

  test('shows a state user no edit controls', async () => {
    const seeded = await seedSession(server.get(), 'OR');
    const user = await createAccount(server.get(), 'state_user', 'OR');
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      user,
      `/plans/sessions/?session=${seeded.session.id}`,
    );
    await waitForText(page, '#session-heading', /Session of/);

    expect(await readText(page, '[data-session-field="findings"]')).toBe(
      'Registrars enroll newly arrived children without searching MSIX.',
    );
    expect(await page.locator('.planning-recommendation').count()).toBe(2);
    expect(await page.locator('[data-make-milestone]').count()).toBe(0);
    expect(await page.locator('[data-session-change]').isVisible()).toBe(false);
    expect(await page.locator('[data-session-form-section]').isVisible()).toBe(false);
    expect(await page.locator('[data-record-link]').isVisible()).toBe(false);
    expect(await page.locator('[data-state-chooser]').isVisible()).toBe(false);
  });

  test('reports a missing session', async () => {
    await seedSession(server.get(), 'ID');
    const user = await createAccount(server.get(), 'state_user', 'ID');
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      user,
      '/plans/sessions/?session=999999',
    );
    await page.locator('[data-sessions-alert] [role="alert"]').waitFor();
    await page.locator('[data-sessions-content]').waitFor({ state: 'visible' });

    expect(await readText(page, '[data-sessions-alert]')).toBe('No planning session with id 999999 was found.');
    expect(await page.locator('[data-session]').isVisible()).toBe(false);
    expect(await page.locator('[data-sessions-rows] tr').count()).toBe(1);
  });

  test('explains a state without a plan', async () => {
    const seeded = await seedSession(server.get(), 'KS');
    const coordinator = await createAccount(server.get(), 'state_coordinator', 'KS');
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      coordinator,
      `/plans/sessions/?session=${seeded.session.id}`,
    );
    await waitForText(page, '#session-heading', /Session of/);

    expect(await readText(page, '[data-plan-note]')).toContain('Kansas has no current strategic plan');
    expect(await page.getAttribute('[data-plan-note] a', 'href')).toBe('/plans/?state=KS');
    expect(await page.locator('[data-make-milestone]').count()).toBe(0);
  });

  test('lets an agent choose a state', async () => {
    await seedSession(server.get(), 'CA');
    const agent = await createAccount(server.get(), 'agent');
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), agent, '/plans/sessions/');
    await waitForText(page, '[data-sessions-status]', /Choose a state/);

    await page.selectOption('#sessions-state', 'CA');
    await page.click('button:has-text("Show the sessions")');
    await waitForText(page, 'h1', /California/);
    await page.locator('[data-sessions-rows] tr').first().waitFor();

    expect(new URL(page.url()).search).toBe('?state=CA');
    expect(await page.inputValue('#sessions-state')).toBe('CA');
    expect(await page.locator('[data-sessions-rows] tr').count()).toBe(1);
    expect(await page.locator('[data-session-form-section]').isVisible()).toBe(false);
  });

  test('has no axe violations with data', async () => {
    await seedPlan(server.get(), 'AZ');
    const seeded = await seedSession(server.get(), 'AZ');
    const plan = await callAsAdmin<{ plans: { id: number }[] }>(server.get(), 'GET', '/api/plans?state=AZ');
    const current = await callAsAdmin<PlanView>(server.get(), 'GET', `/api/plans/${plan.plans[0]!.id}`);
    await callAsAdmin(server.get(), 'POST', `/api/recommendations/${seeded.recommendations[0]!.id}/milestone`, {
      objectiveId: current.goals[0]!.objectives[0]!.id,
      dueDate: '2027-01-31',
      ownerRole: 'State MSIX coordinator',
    });
    const admin = await createAccount(server.get(), 'admin');
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      admin,
      `/plans/sessions/?state=AZ&session=${seeded.session.id}`,
      {
        bypassCSP: true,
      },
    );
    await waitForText(page, '#session-heading', /Session of/);
    await page.click(`[data-make-milestone="${seeded.recommendations[1]!.id}"]`);
    await page.click('[data-milestone-form] button[type="submit"]');
    await page.locator('[data-milestone-form] [role="alert"]').waitFor();

    expect(await findAxeViolations(page)).toEqual([]);
  });
});

describe('crosswalk page', () => {
  const server = useServer();

  test('shows 71 MDEs and completeness', async () => {
    const user = await createAccount(server.get(), 'state_user', 'TX');
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), user, '/plans/crosswalk/');
    await page.locator('[data-crosswalk]').waitFor({ state: 'visible' });

    expect(await readText(page, 'h1')).toBe('Texas MDE data-source crosswalk');
    expect(await page.locator('[data-crosswalk-files] tbody tr').count()).toBe(71);
    expect(await page.locator('[data-crosswalk-files] h3').allTextContents()).toEqual([
      'students.csv',
      'qualifying_moves.csv',
      'enrollments.csv',
      'courses.csv',
      'assessments.csv',
    ]);
    expect(await page.locator('.crosswalk-table thead th[scope="col"]').first().textContent()).toBe('MDE');
    expect(await readText(page, '[data-figure="documented"]')).toBe('0%');
    expect(await readText(page, '[data-figure="collected"]')).toBe('0%');
    expect(await readText(page, '[data-count="Not yet documented"] dd')).toBe('71');
    expect(await readText(page, '[data-completeness-rule]')).toMatch(
      /^Documented: the MDEs that have a collection status/,
    );
    expect(await readText(page, '[data-data-quality]')).toBe(
      'Data-quality results appear here once the state has uploaded records.',
    );
    expect(await readText(page, 'tr[data-mde="students.csv first_name"] td:nth-of-type(5)')).toBe('Not yet documented');
    expect(await page.locator('[data-crosswalk-files] input, [data-crosswalk-files] select').count()).toBe(0);
    expect(await page.locator('[data-save-bar]').isVisible()).toBe(false);
    expect(readCspViolations(page)).toEqual([]);
  });

  test('saves two statuses and updates completeness', async () => {
    const coordinator = await createAccount(server.get(), 'state_coordinator', 'TX');
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      coordinator,
      '/plans/crosswalk/',
    );
    await page.locator('[data-crosswalk]').waitFor({ state: 'visible' });
    const firstName = page.getByRole('combobox', {
      name: 'Collection status for students.csv first_name',
      exact: true,
    });
    const middleName = page.getByRole('combobox', {
      name: 'Collection status for students.csv middle_name',
      exact: true,
    });
    const source = page.getByRole('textbox', { name: 'Source system for students.csv first_name', exact: true });

    await firstName.selectOption('collected');
    await source.fill('Student information system');
    await middleName.selectOption('not_applicable');
    const unsaved = await readText(page, '[data-unsaved]');
    const marked = await page.locator('.planning-tag--changed:visible').count();
    await page.click('[data-save-bar] button[type="submit"]');
    await waitForText(page, '[data-crosswalk-status]', /Saved/);

    expect(unsaved).toBe('2 MDEs have unsaved changes. Select Save changes to keep them.');
    expect(marked).toBe(2);
    expect(await readText(page, '[data-crosswalk-status]')).toBe(
      'Saved 2 changed MDEs. The crosswalk is now 3% documented and 1% collected (before: 0% documented and 0% collected).',
    );
    expect(await readText(page, '[data-figure="documented"]')).toBe('3%');
    expect(await readText(page, '[data-figure="collected"]')).toBe('1%');
    expect(await readText(page, '[data-count="Documented"] dd')).toBe('2');
    expect(await readText(page, '[data-count="Not applicable"] dd')).toBe('1');
    expect(await readText(page, '[data-unsaved]')).toBe('No unsaved changes.');
    expect(await page.locator('.planning-tag--changed:visible').count()).toBe(0);
    const view = await callAsAdmin<CrosswalkView>(server.get(), 'GET', '/api/crosswalk/TX');
    const saved = view.entries.find((entry) => entry.column === 'first_name');
    expect(saved?.collectionStatus).toBe('collected');
    expect(saved?.sourceSystem).toBe('Student information system');
    expect(view.completeness.documented).toBe(2);
    expect(readCspViolations(page)).toEqual([]);
  });

  test('names every input by column and MDE', async () => {
    const coordinator = await createAccount(server.get(), 'state_coordinator', 'WA');
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      coordinator,
      '/plans/crosswalk/',
    );
    await page.locator('[data-crosswalk]').waitFor({ state: 'visible' });

    for (const [role, name] of [
      ['textbox', 'Source system for students.csv first_name'],
      ['textbox', 'Owning office for qualifying_moves.csv qad'],
      ['combobox', 'Collection status for courses.csv credits_granted'],
      ['textbox', 'Notes for assessments.csv score'],
    ] as const) {
      expect(await page.getByRole(role, { name, exact: true }).count(), name).toBe(1);
    }
    expect(await page.locator('[data-crosswalk-files] input, [data-crosswalk-files] select').count()).toBe(71 * 4);
  });

  test('filters undocumented MDEs', async () => {
    await callAsAdmin(server.get(), 'PUT', '/api/crosswalk/CA', {
      entries: [
        { file: 'students.csv', column: 'first_name', collectionStatus: 'collected' },
        { file: 'students.csv', column: 'birth_date', collectionStatus: 'partly' },
        { file: 'assessments.csv', column: 'score', collectionStatus: 'not_collected' },
      ],
    });
    const coordinator = await createAccount(server.get(), 'state_coordinator', 'CA');
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      coordinator,
      '/plans/crosswalk/',
    );
    await page.locator('[data-crosswalk]').waitFor({ state: 'visible' });

    // The USWDS checkbox hides the input itself and draws its box in the label.
    await page.click('label[for="crosswalk-undocumented"]');
    const rows = page.locator('[data-crosswalk-files] tbody tr:visible');

    expect(await rows.count()).toBe(68);
    expect(await page.locator('tr[data-mde="students.csv first_name"]').isVisible()).toBe(false);
    expect(await page.locator('tr[data-mde="students.csv last_name_1"]').isVisible()).toBe(true);
    expect(await readText(page, '[data-mde-count]')).toBe('Showing 68 of 71 MDEs: those not yet documented.');
    expect(new URL(page.url()).searchParams.get('show')).toBe('undocumented');

    await page.click('label[for="crosswalk-undocumented"]');
    expect(await rows.count()).toBe(71);
    expect(new URL(page.url()).searchParams.get('show')).toBeNull();
  });

  test('links the CSV of the state', async () => {
    const agent = await createAccount(server.get(), 'agent');
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      agent,
      '/plans/crosswalk/?state=NM',
    );
    await page.locator('[data-crosswalk]').waitFor({ state: 'visible' });
    const href = await page.getAttribute('[data-csv-link]', 'href');
    const download = await page.request.get(`${server.get().url}${href}`);
    const csv = await download.text();

    expect(href).toBe('/api/crosswalk/NM/export');
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toContain('mde-crosswalk-NM-');
    expect(csv.split(/\r?\n/)[0]).toBe(
      'file,column,mde_description,required,source_system,owning_office,collection_status,notes',
    );
    expect(await page.inputValue('#crosswalk-state')).toBe('NM');
    expect(await page.locator('[data-crosswalk-files] input').count()).toBe(0);
  });

  test('has no axe violations with data', async () => {
    await callAsAdmin(server.get(), 'PUT', '/api/crosswalk/OK', {
      entries: [{ file: 'students.csv', column: 'sex', sourceSystem: 'SIS', collectionStatus: 'collected' }],
    });
    const admin = await createAccount(server.get(), 'admin');
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      admin,
      '/plans/crosswalk/?state=OK',
      { bypassCSP: true },
    );
    await page.locator('[data-crosswalk]').waitFor({ state: 'visible' });
    await page
      .getByRole('textbox', { name: 'Notes for students.csv sex', exact: true })
      .fill('Codes differ from the MDE codes.');

    expect(await findAxeViolations(page)).toEqual([]);
  });

  test('read-only crosswalk has no axe violations', async () => {
    const user = await createAccount(server.get(), 'state_user', 'OK');
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), user, '/plans/crosswalk/', {
      bypassCSP: true,
    });
    await page.locator('[data-crosswalk]').waitFor({ state: 'visible' });

    expect(await findAxeViolations(page)).toEqual([]);
  });
});
