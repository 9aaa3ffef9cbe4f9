/**
 * The signed-in dashboard pages (the national overview, a state page and the
 * comparison of states) in headless Chromium against the real app. Figures
 * are written straight into dashboard_figures. The tests cover what admins
 * and state coordinators see, the coordinator's message for another state,
 * the period filter in the query string and malformed addresses. They check
 * the running quarter's "(so far)" label, the ranking (sorting, states with
 * too few items), a baseline before the first figures, the map legend, the
 * CSV links, the empty state, the CSP and axe-core.
 */
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { metricList, nationalScope } from '../api/dashboard/metrics';
import { addQuarters, describeQuarter, quarterOf, type Quarter } from '../api/dashboard/quarters';
import { appMeta, dashboardFigures } from '../db/schema';
import { createPerson, type TestPerson } from './helpers/accounts';
import {
  findAxeViolations,
  openSignedIn,
  readCspViolations,
  readText,
  tabTo,
  useChromium,
  waitForText,
} from './helpers/page-session';
import { useServer, type RunningServer } from './helpers/server';

const chromium = useChromium();

const currentQuarter = quarterOf(new Date().toISOString());
/**
 * Eight whole quarters before the current one, oldest first: the baseline
 * year, then the default period, which ends with the quarter before the
 * current one.
 */
const quarters: Quarter[] = [-8, -7, -6, -5, -4, -3, -2, -1].map((offset) => addQuarters(currentQuarter, offset));
const baselineQuarters = quarters.slice(0, 4);
/** The seeded quarters: the eight whole ones, then the current one, which is still running. */
const seededQuarters: Quarter[] = [...quarters, currentQuarter];

/**
 * Searches per seeded quarter. Over the default period (the last four whole
 * quarters) the nation has 6,200 and Texas 840; over the four quarters
 * before, 4,600 and 520. California falls from 740 to 580. The last value is
 * the current quarter's partial count, which the default period leaves out.
 */
const searches: Record<string, number[]> = {
  [nationalScope]: [1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 450],
  TX: [100, 120, 140, 160, 180, 200, 220, 240, 60],
  CA: [200, 190, 180, 170, 160, 150, 140, 130, 30],
  NM: [2, 2, 3, 3, 3, 3, 3, 3, 1],
};

/** Items each seeded figure rests on: New Mexico's four-quarter periods rest on 8, too few to rank (the minimum is 20). */
function sampleOf(state: string): number {
  return state === 'NM' ? 2 : 40;
}

function seedDashboard(server: RunningServer): void {
  const { db } = server.testApp.database;
  const rows: (typeof dashboardFigures.$inferInsert)[] = [];
  for (const [state, values] of Object.entries(searches)) {
    for (const metric of metricList) {
      seededQuarters.forEach((quarter, index) => {
        const value = metric.id === 'searches' ? values[index]! : 20 + index;
        rows.push({ metric: metric.id, state, quarter, value, sample: sampleOf(state) });
      });
    }
  }
  db.insert(dashboardFigures).values(rows).run();
  const refreshedAt = new Date().toISOString();
  db.insert(appMeta).values({ key: 'dashboard_refreshed_at', value: refreshedAt, updatedAt: refreshedAt }).run();
}

async function readCell(cell: Locator): Promise<string> {
  return ((await cell.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

async function waitForFigures(page: Page): Promise<void> {
  await page.locator('[data-metric="searches"] [data-period-figure]').waitFor({ state: 'visible' });
  await page.locator('[data-chart="searches"] svg').waitFor();
}

async function waitForRanking(page: Page): Promise<void> {
  await page.locator('[data-compare-table] tbody tr').first().waitFor();
}

/** Opens the page twice: once under the CSP to check that nothing is blocked, once for axe-core. */
async function expectAccessibleUnderCsp(
  server: RunningServer,
  person: TestPerson,
  path: string,
  waitForContent: (page: Page) => Promise<void>,
): Promise<void> {
  const page = await openSignedIn(chromium.browser, chromium.contexts, server, person, path);
  await waitForContent(page);
  expect(readCspViolations(page)).toEqual([]);

  const axePage = await openSignedIn(chromium.browser, chromium.contexts, server, person, path, { bypassCSP: true });
  await waitForContent(axePage);
  expect(await findAxeViolations(axePage)).toEqual([]);
}

describe('signed-in dashboard pages', () => {
  const running = useServer();
  let admin: TestPerson;
  let texasCoordinator: TestPerson;

  beforeAll(async () => {
    const server = running.get();
    seedDashboard(server);
    admin = await createPerson(server.testApp.database.db, { role: 'admin' });
    texasCoordinator = await createPerson(server.testApp.database.db, { role: 'state_coordinator', state: 'TX' });
  });

  // Sign-ins are throttled per IP, so these tests share one signed-in admin page. Its context
  // lives in its own list, because the contexts in chromium.contexts close after each test.
  let adminPage: Page | undefined;
  const adminContexts: BrowserContext[] = [];
  afterAll(async () => {
    await Promise.all(adminContexts.splice(0).map((context) => context.close()));
  });

  async function openAsAdmin(path: string, width = 1280): Promise<Page> {
    if (adminPage === undefined) {
      adminPage = await openSignedIn(chromium.browser, adminContexts, running.get(), admin, path);
      await adminPage.setViewportSize({ width, height: 800 });
      return adminPage;
    }
    await adminPage.setViewportSize({ width, height: 800 });
    await adminPage.goto(`${running.get().url}${path}`);
    await adminPage.locator('[data-gate-content]').waitFor({ state: 'visible' });
    return adminPage;
  }

  test('national overview passes axe and CSP as admin', async () => {
    await expectAccessibleUnderCsp(running.get(), admin, '/dashboard/national/', async (page) => {
      await waitForFigures(page);
      await page.locator('[data-dashboard-map] [data-tile="TX"]').waitFor();
    });
  });

  test('national overview shows period figures and map', async () => {
    const page = await openSignedIn(chromium.browser, chromium.contexts, running.get(), admin, '/dashboard/national/');
    await waitForFigures(page);

    expect(await readText(page, '[data-metric="searches"] [data-period-figure]')).toBe('6,200');
    expect(await page.locator('[data-chart="searches"] svg[role="img"]').getAttribute('aria-label')).toMatch(/\S/);
    expect(await page.locator('[data-dashboard-table] tbody tr').count()).toBe(metricList.length);
    await page.locator('[data-dashboard-map] [data-tile="TX"]').waitFor();
    expect(await page.locator('[data-dashboard-map] [data-tile="CA"]').getAttribute('data-class')).not.toBe('none');
    expect(await page.locator('[data-dashboard-map-table] tbody a[href="/dashboard/states/tx/"]').count()).toBe(1);
    expect(await page.locator('#dashboard-state option').count()).toBeGreaterThan(2);
    const legend = await page.locator('[data-dashboard-map] .dashboard-map__legend-list li').allTextContents();
    expect(legend.length).toBeGreaterThan(1);
    for (const text of legend.slice(0, -2)) expect(text).toMatch(/ to under /);
  });

  test('running quarter is labelled so far', async () => {
    const page = await openAsAdmin(`/dashboard/national/?from=${quarters[7]}&to=${currentQuarter}`);
    await waitForFigures(page);

    const running = `${describeQuarter(currentQuarter)} (so far)`;
    expect(await page.locator('[data-dashboard-table] thead th').nth(2).textContent()).toBe(running);
    expect(await page.locator(`#dashboard-to option[value="${currentQuarter}"]`).textContent()).toBe(running);
    expect(await page.locator(`#dashboard-to option[value="${quarters[7]}"]`).textContent()).toBe(
      describeQuarter(quarters[7]!),
    );
    expect(await readText(page, '[data-metric="searches"] .dashboard-card__context')).toContain(running);
  });

  test('malformed quarter in address is reported', async () => {
    const page = await openAsAdmin('/dashboard/national/?from=2026Q1');
    await page.locator('[data-dashboard-alert] [role="alert"]').waitFor();

    expect(await readText(page, '[data-dashboard-alert]')).toContain('First quarter: “2026Q1” is not a quarter.');
    expect(await page.locator('[data-dashboard-alert] a[data-default-view]').getAttribute('href')).toBe(
      '/dashboard/national/',
    );
    expect(await page.locator('[data-dashboard-body]').isHidden()).toBe(true);
  });

  test('period filter updates query string and figures', async () => {
    const page = await openSignedIn(chromium.browser, chromium.contexts, running.get(), admin, '/dashboard/national/');
    await waitForFigures(page);

    await page.selectOption('#dashboard-from', baselineQuarters[0]!);
    await page.selectOption('#dashboard-to', baselineQuarters[3]!);
    await tabTo(page, '[data-dashboard-filters] button[type="submit"]');
    await page.keyboard.press('Enter');

    await waitForText(page, '[data-metric="searches"] [data-period-figure]', /^4,600$/);
    const query = new URL(page.url()).searchParams;
    expect(query.get('from')).toBe(baselineQuarters[0]);
    expect(query.get('to')).toBe(baselineQuarters[3]);
    expect(await page.locator('[data-dashboard-csv]').getAttribute('href')).toBe(
      `/api/dashboard/figures/export?scope=US&from=${baselineQuarters[0]}&to=${baselineQuarters[3]}`,
    );
    expect(await page.locator('[data-dashboard-table] thead th').count()).toBe(1 + 4 + 1);
  });

  test('period filter rejects a last quarter before the first', async () => {
    const page = await openSignedIn(chromium.browser, chromium.contexts, running.get(), admin, '/dashboard/national/');
    await waitForFigures(page);

    await page.selectOption('#dashboard-from', quarters[7]!);
    await page.selectOption('#dashboard-to', quarters[0]!);
    await page.click('[data-dashboard-filters] button[type="submit"]');

    await waitForText(page, '[data-dashboard-filters] [role="alert"]', /before its first quarter/);
    expect(new URL(page.url()).search).toBe('');
    expect(await readText(page, '[data-metric="searches"] [data-period-figure]')).toBe('6,200');
  });

  test('national overview passes axe and CSP as coordinator', async () => {
    await expectAccessibleUnderCsp(running.get(), texasCoordinator, '/dashboard/national/', waitForFigures);
  });

  test('national overview hides the map from coordinators', async () => {
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      running.get(),
      texasCoordinator,
      '/dashboard/national/',
    );
    await waitForFigures(page);

    expect(await readText(page, '[data-metric="searches"] [data-period-figure]')).toBe('6,200');
    expect(await page.locator('[data-dashboard-map-section]').isHidden()).toBe(true);
    expect(await page.locator('#dashboard-state option').allTextContents()).toEqual(['Texas']);
  });

  test('state page passes axe and CSP as admin', async () => {
    await expectAccessibleUnderCsp(running.get(), admin, '/dashboard/states/ca/', waitForFigures);
  });

  test('state page passes axe and CSP as coordinator', async () => {
    await expectAccessibleUnderCsp(running.get(), texasCoordinator, '/dashboard/states/tx/', waitForFigures);
  });

  test('state page charts counts on their own axis', async () => {
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      running.get(),
      texasCoordinator,
      '/dashboard/states/tx/',
    );
    await waitForFigures(page);

    expect(await readText(page, '[data-metric="searches"] [data-period-figure]')).toBe('840');
    expect(await readText(page, '[data-metric="searches"] [data-national-figure]')).toMatch(/6,200$/);
    expect(await page.locator('[data-chart="searches"] svg path[stroke]').count()).toBe(1);
    expect(await page.locator('[data-chart="sla_compliance"] svg path[stroke]').count()).toBe(2);
    expect(await page.locator('[data-dashboard-table] tbody tr').count()).toBe(2 * metricList.length);
    expect(await page.locator('[data-dashboard-map-section]').count()).toBe(0);
    expect(await page.locator('#dashboard-state option').allTextContents()).toEqual(['Texas']);
  });

  test('another state page tells a coordinator where to go', async () => {
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      running.get(),
      texasCoordinator,
      '/dashboard/states/ca/',
    );
    await page.locator('[data-dashboard-forbidden]').waitFor({ state: 'visible' });

    expect(await readText(page, '[data-dashboard-forbidden-text]')).toContain('not those of California');
    expect(await page.locator('[data-dashboard-forbidden] a[href="/dashboard/states/tx/"]').count()).toBe(1);
    expect(await page.locator('[data-dashboard-forbidden] a[href="/dashboard/national/"]').count()).toBe(1);
    expect(await page.locator('[data-dashboard-body]').isHidden()).toBe(true);
    expect(await findAxeViolationsOnNewPage(running.get(), texasCoordinator, '/dashboard/states/ca/')).toEqual([]);
  });

  test('compare page passes axe and CSP as admin', async () => {
    await expectAccessibleUnderCsp(running.get(), admin, '/dashboard/compare/', async (page) => {
      await waitForRanking(page);
      await page.locator('[data-compare-map] [data-tile="TX"]').waitFor();
    });
  });

  test('compare page passes axe and CSP as coordinator', async () => {
    await expectAccessibleUnderCsp(running.get(), texasCoordinator, '/dashboard/compare/', waitForRanking);
  });

  test('compare ranking sorts and links CSV', async () => {
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      running.get(),
      admin,
      '/dashboard/compare/?metric=searches',
    );
    await waitForRanking(page);

    expect(await readText(page, '[data-compare-summary]')).toMatch(/\S/);
    expect(await page.locator('[data-compare-chart] svg[role="img"]').count()).toBe(1);
    expect(await readText(page, '[data-compare-table] tfoot [data-column="change"]')).toBe('+34.8%');
    const texasRow = page.locator('[data-compare-table] tbody tr', {
      has: page.locator('a[href="/dashboard/states/tx/"]'),
    });
    expect(await readCell(texasRow.locator('[data-column="change"]'))).toBe('+61.5%');
    const californiaRow = page.locator('[data-compare-table] tbody tr', {
      has: page.locator('a[href="/dashboard/states/ca/"]'),
    });
    expect(await readCell(californiaRow.locator('[data-column="change"]'))).toBe('−21.6%');

    await page.click('[data-compare-table] button[data-sort-key="change"]');
    expect(await page.locator('[data-compare-table] th[data-sort-key="change"]').getAttribute('aria-sort')).toBe(
      'ascending',
    );
    await page.click('[data-compare-table] button[data-sort-key="change"]');
    expect(await page.locator('[data-compare-table] th[data-sort-key="change"]').getAttribute('aria-sort')).toBe(
      'descending',
    );
    expect(await readText(page, '[data-compare-table] tbody tr:first-child [data-column="state"]')).toBe('Texas');

    const newMexicoRow = page.locator('[data-compare-table] tbody tr', {
      has: page.locator('a[href="/dashboard/states/nm/"]'),
    });
    expect(await readCell(newMexicoRow.locator('[data-column="rank"]'))).toBe('too few to rank');
    // The chart draws ranked states only, so New Mexico is in the table but not among the bars.
    const chartText = (await page.locator('[data-compare-chart] svg text').allTextContents()).join(' ');
    expect(chartText).toContain('Texas');
    expect(chartText).not.toContain('New Mexico');
    expect(await readText(page, '[data-compare-ranking-rule]')).toContain('at least 20 items');
    expect(await readText(page, '#compare-baseline-from-hint')).toBe(
      `Figures start in ${describeQuarter(quarters[0]!)}.`,
    );

    const href = await page.locator('[data-compare-csv]').getAttribute('href');
    const csvQuery = new URL(href ?? '', 'http://localhost').searchParams;
    expect(href).toMatch(/^\/api\/dashboard\/compare\/export\?/);
    expect(csvQuery.get('metric')).toBe('searches');
    expect(csvQuery.get('from')).toBe(quarters[4]);
    expect(csvQuery.get('to')).toBe(quarters[7]);
    expect(csvQuery.get('baselineFrom')).toBe(quarters[0]);
    expect(csvQuery.get('baselineTo')).toBe(quarters[3]);
  });

  test('compare status names both periods', async () => {
    const page = await openAsAdmin('/dashboard/compare/');
    await waitForRanking(page);

    await page.click('[data-compare-filters] button[type="submit"]');

    const period = `${describeQuarter(quarters[4]!)} to ${describeQuarter(quarters[7]!)}`;
    const baseline = `${describeQuarter(quarters[0]!)} to ${describeQuarter(quarters[3]!)}`;
    const brief = (text: string) => text.replace(/^(\w{3})–\w{3} (\d{4}) to \w{3}–(\w{3}) \2$/, '$1–$3 $2');
    const expected = `Showing Searches: ${brief(period)} compared with ${brief(baseline)}.`;
    await expect.poll(() => readText(page, '[data-compare-status]')).toBe(expected);
  });

  test('compare table at 375 px', async () => {
    const page = await openAsAdmin('/dashboard/compare/', 375);
    await waitForRanking(page);

    const headings = await page.locator('[data-compare-table] thead th').allTextContents();
    expect(headings.slice(0, 3).map((text) => text.trim())).toEqual(['Rank', 'State', 'Change']);
    expect(await page.locator('[data-compare-scroll-hint]').isVisible()).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await page.locator('[data-compare-scroll-hint]').isVisible()).toBe(false);
  });

  test('baseline before the figures shows one message', async () => {
    const baselineFrom = addQuarters(quarters[0]!, -4);
    const baselineTo = addQuarters(quarters[0]!, -1);
    const page = await openAsAdmin(
      `/dashboard/compare/?metric=searches&baselineFrom=${baselineFrom}&baselineTo=${baselineTo}`,
    );
    await page.locator('[data-compare-empty]').waitFor({ state: 'visible' });

    expect(await readText(page, '[data-compare-empty]')).toContain(
      `ends before the figures start in ${describeQuarter(quarters[0]!)}`,
    );
    expect(await page.locator('[data-compare-results]').isHidden()).toBe(true);
  });

  test('invalid period in address offers default', async () => {
    const path = `/dashboard/compare/?metric=searches&from=${quarters[7]}&to=${quarters[0]}`;
    const page = await openSignedIn(chromium.browser, chromium.contexts, running.get(), admin, path);
    await page.locator('[data-compare-alert] [role="alert"]').waitFor();

    expect(await readText(page, '[data-compare-alert]')).toMatch(/^Last quarter: /);
    expect(await readText(page, '[data-compare-alert]')).toContain(describeQuarter(quarters[0]!));
    expect(await page.locator('[data-compare-alert] a').getAttribute('href')).toBe('/dashboard/compare/');
    expect(await page.locator('[data-compare-body]').isHidden()).toBe(true);
  });

  test('coordinator compares own state with the nation', async () => {
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      running.get(),
      texasCoordinator,
      '/dashboard/compare/',
    );
    await waitForRanking(page);

    expect(await page.locator('[data-compare-table] tbody tr').count()).toBe(1);
    expect(await readText(page, '[data-compare-table] tbody [data-column="state"]')).toBe('Texas');
    expect(await page.locator('[data-compare-map-section]').isHidden()).toBe(true);
  });
});

async function findAxeViolationsOnNewPage(server: RunningServer, person: TestPerson, path: string): Promise<string[]> {
  const page = await openSignedIn(chromium.browser, chromium.contexts, server, person, path, { bypassCSP: true });
  await page.locator('[data-dashboard-forbidden]').waitFor({ state: 'visible' });
  return findAxeViolations(page);
}

describe('dashboard pages before the first refresh', () => {
  const running = useServer();

  test('national overview says figures come after refresh', async () => {
    const server = running.get();
    const admin = await createPerson(server.testApp.database.db, { role: 'admin' });
    const page = await openSignedIn(chromium.browser, chromium.contexts, server, admin, '/dashboard/national/');
    await page.locator('[data-dashboard-empty]').waitFor({ state: 'visible' });

    expect(await readText(page, '[data-dashboard-empty]')).toMatch(
      /^No figures yet: they appear after the first refresh/,
    );
    expect(await page.locator('[data-dashboard-figures]').isHidden()).toBe(true);
    expect(await page.locator('#dashboard-from').isVisible()).toBe(true);
  });
});
