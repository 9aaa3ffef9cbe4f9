/**
 * The dashboard's public summary (/dashboard/) and migratory-patterns page
 * (/dashboard/flows/) in headless Chromium against the real app. Figures and
 * flows are written straight into the rollup tables. Checked: small-count
 * suppression, the staff links, sorting and filtering the routes, the year
 * and period in the query string, the CSV links, the CSP and axe-core.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { metricList, nationalScope } from '../api/dashboard/metrics';
import { addQuarters, quarterOf, type Quarter } from '../api/dashboard/quarters';
import { appMeta, dashboardFigures, dashboardFlows } from '../db/schema';
import { createPerson, type TestPerson } from './helpers/accounts';
import {
  findAxeViolations,
  openPage,
  openSignedIn,
  readCspViolations,
  readText,
  tabTo,
  useChromium,
} from './helpers/page-session';
import { useServer, type RunningServer } from './helpers/server';

const chromium = useChromium();

const now = new Date();
const currentQuarter = quarterOf(now.toISOString());
/** The default period of the public summary: the last four whole quarters, ending with the one before the current quarter. */
const quarters: Quarter[] = [-4, -3, -2, -1].map((offset) => addQuarters(currentQuarter, offset));
const currentYear = now.getUTCFullYear();
const lastYear = currentYear - 1;

/** Searches per quarter: Texas 2,000 over the period and California 1,200, while New Mexico (7) and Arizona (4) are hidden. */
const stateSearches: Record<string, number[]> = {
  TX: [500, 500, 500, 500],
  CA: [300, 300, 300, 300],
  NM: [0, 3, 0, 4],
  AZ: [1, 1, 1, 1],
};

/** Routes of last year. */
const lastYearFlows = [
  { fromState: 'TX', toState: 'CA', children: 120 },
  { fromState: 'CA', toState: 'TX', children: 45 },
  { fromState: 'FL', toState: 'GA', children: 30 },
  { fromState: 'AZ', toState: 'WA', children: 12 },
  { fromState: 'TX', toState: 'NM', children: 8 },
  { fromState: 'TX', toState: 'TX', children: 60 },
  { fromState: '', toState: 'TX', children: 15 },
  { fromState: '', toState: 'FL', children: 11 },
];
/** Routes of this year, the public summary's corridors. Texas to Oklahoma (6 children) is under 10, so it is suppressed. */
const currentYearFlows = [
  { fromState: 'TX', toState: 'FL', children: 20 },
  { fromState: 'GA', toState: 'FL', children: 14 },
  { fromState: 'TX', toState: 'OK', children: 6 },
];

function seedDashboard(server: RunningServer): void {
  const { db } = server.testApp.database;
  const figures: (typeof dashboardFigures.$inferInsert)[] = [];
  for (const metric of metricList.filter((definition) => definition.public)) {
    quarters.forEach((quarter, index) => {
      const value = metric.id === 'webinar_registrations' && index === 0 ? 5 : 1000 + 100 * index;
      figures.push({ metric: metric.id, state: nationalScope, quarter, value, sample: value });
    });
  }
  for (const [state, values] of Object.entries(stateSearches)) {
    quarters.forEach((quarter, index) => {
      figures.push({ metric: 'searches', state, quarter, value: values[index]!, sample: values[index]! });
    });
  }
  // The current quarter's partial count, which the default period leaves out.
  figures.push({ metric: 'searches', state: 'TX', quarter: currentQuarter, value: 150, sample: 150 });
  db.insert(dashboardFigures).values(figures).run();
  db.insert(dashboardFlows)
    .values([
      ...lastYearFlows.map((flow) => ({ ...flow, year: lastYear })),
      ...currentYearFlows.map((flow) => ({ ...flow, year: currentYear })),
    ])
    .run();
  const refreshedAt = now.toISOString();
  db.insert(appMeta).values({ key: 'dashboard_refreshed_at', value: refreshedAt, updatedAt: refreshedAt }).run();
}

async function waitForPublicSummary(page: Page): Promise<void> {
  await page.locator('[data-public-results]').waitFor({ state: 'visible' });
}

async function waitForFlows(page: Page): Promise<void> {
  await page.locator('[data-flows-results]').waitFor({ state: 'visible' });
}

/**
 * Opens the page twice: once under the Content-Security-Policy, which must
 * report nothing, and once with it bypassed for axe-core, which must find no
 * violation. Returns the first page, for further checks.
 */
async function openAndCheck(
  server: RunningServer,
  person: TestPerson | undefined,
  path: string,
  waitForContent: (page: Page) => Promise<void>,
): Promise<Page> {
  const open = async (bypassCSP: boolean) => {
    if (person)
      return openSignedIn(chromium.browser, chromium.contexts, server, person, path, { bypassCSP, waitForGate: false });
    const page = await openPage(chromium.browser, chromium.contexts, { bypassCSP });
    await page.goto(`${server.url}${path}`);
    return page;
  };

  const axePage = await open(true);
  await waitForContent(axePage);
  expect(await findAxeViolations(axePage)).toEqual([]);

  const page = await open(false);
  await waitForContent(page);
  expect(readCspViolations(page)).toEqual([]);
  return page;
}

describe('public summary page', () => {
  const server = useServer();

  beforeAll(() => {
    seedDashboard(server.get());
  });

  test('static page holds no figures', async () => {
    const response = await fetch(`${server.get().url}/dashboard/`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(html).not.toContain('2,000');
    expect(html).not.toContain('Texas');
  });

  test('visitor sees suppressed figures as fewer than 10', async () => {
    const page = await openAndCheck(server.get(), undefined, '/dashboard/', waitForPublicSummary);

    expect(await readText(page, '[data-state-row="TX"] [data-metric="searches"]')).toBe('2,000');
    for (const state of ['NM', 'AZ']) {
      const cell = await readText(page, `[data-state-row="${state}"] [data-metric="searches"]`);
      expect(cell).toBe('fewer than 10');
    }
    expect(await readText(page, '[data-state-row="NM"]')).not.toMatch(/\b7\b/);
    expect(await readText(page, '[data-national-table]')).toContain('fewer than 10');
    expect(await readText(page, '[data-corridors-table]')).toContain('fewer than 10');
    expect(await readText(page, '[data-corridors-table]')).not.toMatch(/\b6\b/);
    expect(await page.locator('[data-staff-links]').isHidden()).toBe(true);
  });

  test('CSV links follow the period', async () => {
    const page = await openPage(chromium.browser, chromium.contexts);
    await page.goto(`${server.get().url}/dashboard/`);
    await waitForPublicSummary(page);
    const exportLink = page.locator('[data-public-export]');

    expect(await exportLink.getAttribute('href')).toBe(
      `/api/dashboard/public/export?from=${quarters[0]}&to=${quarters[3]}`,
    );
    expect(await page.locator('[data-corridors-export]').getAttribute('href')).toBe(
      '/api/dashboard/public/export?table=corridors',
    );

    await page.selectOption('#period-from', quarters[2]!);
    await page.getByRole('button', { name: 'Show figures' }).click();
    await page.waitForURL((url) => url.search === `?from=${quarters[2]}&to=${quarters[3]}`);
    await expect
      .poll(() => exportLink.getAttribute('href'))
      .toBe(`/api/dashboard/public/export?from=${quarters[2]}&to=${quarters[3]}`);
    expect(await readText(page, '[data-state-row="TX"] [data-metric="searches"]')).toBe('1,000');
  });

  test('admin also gets the staff links', async () => {
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openAndCheck(server.get(), admin, '/dashboard/', async (opened) => {
      await waitForPublicSummary(opened);
      await opened.locator('[data-staff-links]').waitFor({ state: 'visible' });
    });

    const hrefs = await page
      .locator('[data-staff-link-list] a')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(hrefs).toEqual(['/dashboard/national/', '/dashboard/compare/', '/dashboard/flows/']);
  });
});

describe('migratory patterns page', () => {
  const server = useServer();

  beforeAll(() => {
    seedDashboard(server.get());
  });

  async function readColumn(page: Page, column: string): Promise<string[]> {
    return page
      .locator(`[data-routes-table] tbody [data-column="${column}"]`)
      .evaluateAll((cells) => cells.map((cell) => cell.textContent?.trim() ?? ''));
  }

  test('admin sorts routes by a header click', async () => {
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openAndCheck(server.get(), admin, `/dashboard/flows/?year=${lastYear}`, waitForFlows);
    const fromHeader = page.locator('[data-routes-table] th[data-sort-key="from"]');
    const childrenHeader = page.locator('[data-routes-table] th[data-sort-key="children"]');

    expect(await childrenHeader.getAttribute('aria-sort')).toBe('descending');
    expect(await readColumn(page, 'children')).toEqual(['120', '45', '30', '12', '8']);

    await fromHeader.getByRole('button').click();
    expect(await fromHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(await childrenHeader.getAttribute('aria-sort')).toBeNull();
    expect(await readColumn(page, 'from')).toEqual(['Arizona', 'California', 'Florida', 'Texas', 'Texas']);

    await fromHeader.getByRole('button').click();
    expect(await fromHeader.getAttribute('aria-sort')).toBe('descending');
    expect((await readColumn(page, 'from'))[0]).toBe('Texas');

    await tabTo(page, '[data-routes-table] button[data-sort-key="to"]');
    await page.keyboard.press('Enter');
    expect(await page.locator('[data-routes-table] th[data-sort-key="to"]').getAttribute('aria-sort')).toBe(
      'ascending',
    );
    expect(await readColumn(page, 'to')).toEqual(['California', 'New Mexico', 'Texas', 'Washington', 'Georgia'].sort());

    await page.fill('[data-route-filter]', 'nm');
    expect(await readColumn(page, 'to')).toEqual(['New Mexico']);
    expect(await readText(page, '[data-route-count]')).toContain('Showing 1 of 5 routes');

    expect(await readText(page, '[data-total="betweenStates"]')).toBe('215');
    expect(await readText(page, '[data-total="withinStates"]')).toBe('60');
    expect(await readText(page, '[data-total="fromOutside"]')).toBe('26');
    expect(await readText(page, '[data-within-table] tbody')).toContain('Texas');
    expect(await readText(page, '[data-outside-table] tbody')).toContain('Florida');
    expect(await page.locator('[data-flow-map] svg[role="img"] [data-route]').count()).toBe(5);
  });

  test('year change updates the query string and CSV link', async () => {
    const admin = await createPerson(server.get().testApp.database.db, { role: 'agent' });
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), admin, '/dashboard/flows/');
    await waitForFlows(page);
    const exportLink = page.locator('[data-flows-export]');

    expect(await page.inputValue('#flows-year')).toBe(String(currentYear));
    expect(await exportLink.getAttribute('href')).toBe(`/api/dashboard/flows/export?year=${currentYear}`);

    await page.selectOption('#flows-year', String(lastYear));
    await page.getByRole('button', { name: 'Show year' }).click();
    await page.waitForURL((url) => url.search === `?year=${lastYear}`);
    await expect.poll(() => exportLink.getAttribute('href')).toBe(`/api/dashboard/flows/export?year=${lastYear}`);
    expect(await readText(page, '[data-totals-heading]')).toBe(`Children who moved in ${lastYear}`);

    await page.goto(`${server.get().url}/dashboard/flows/?year=${currentYear + 1}`);
    await page.locator('[data-flows-alert] [role="alert"]').waitFor();
    expect(await readText(page, '[data-flows-alert]')).toContain('has not started yet');
    expect(await page.locator('[data-flows-alert] a').getAttribute('href')).toBe('/dashboard/flows/');
    expect(await page.locator('[data-flows-results]').isHidden()).toBe(true);
  });

  test('coordinator sees routes of their state', async () => {
    const coordinator = await createPerson(server.get().testApp.database.db, {
      role: 'state_coordinator',
      state: 'TX',
    });
    const page = await openAndCheck(server.get(), coordinator, `/dashboard/flows/?year=${lastYear}`, waitForFlows);

    expect(await readText(page, '[data-flows-reach]')).toContain('routes into or out of Texas');
    const routes = await page
      .locator('[data-routes-table] tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-route')));
    expect(routes).toEqual(['TX-CA', 'CA-TX', 'TX-NM']);
    expect(await readText(page, '[data-total="betweenStates"]')).toBe('215');
    expect(await page.locator('[data-flow-map] [data-tile="TX"]').getAttribute('class')).toContain('flow-tile--own');
  });
});
