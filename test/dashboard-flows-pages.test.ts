/**
 * The dashboard's public summary (/dashboard/) and migratory-patterns page
 * (/dashboard/flows/) in headless Chromium against the real app. Figures and
 * flows are written straight into the rollup tables. Checked: small-count
 * suppression, the staff links, sorting and filtering the routes, the year
 * picker and the query string, the CSV links and the error messages. Also
 * checked: charts and tables that fit their card and the printed page, the
 * coordinator's headings, the CSP and axe-core.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { metricList, nationalScope } from '../api/dashboard/metrics';
import { quarterOf, type Quarter } from '../api/dashboard/quarters';
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
  waitForText,
} from './helpers/page-session';
import { useServer, type RunningServer } from './helpers/server';

const chromium = useChromium();

const now = new Date();
const currentYear = now.getUTCFullYear();
/** The public summary's default: the latest calendar year that has ended. */
const lastYear = currentYear - 1;
const yearBefore = currentYear - 2;
const currentQuarter = quarterOf(now.toISOString());
const quartersOf = (year: number): Quarter[] => [1, 2, 3, 4].map((number) => `${year}-Q${number}` as Quarter);
const quarters = quartersOf(lastYear);

/** Searches per quarter of last year: Texas 2,000 and California 1,200, while New Mexico (7) and Arizona (4) are hidden. */
const stateSearches: Record<string, number[]> = {
  TX: [500, 500, 500, 500],
  CA: [300, 300, 300, 300],
  NM: [0, 3, 0, 4],
  AZ: [1, 1, 1, 1],
};

/** Routes of last year, the public summary's default corridors. Texas to New Mexico (8 children) is under 10, so it is left out there. */
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
/** Routes of this year. */
const currentYearFlows = [
  { fromState: 'TX', toState: 'FL', children: 20 },
  { fromState: 'GA', toState: 'FL', children: 14 },
  { fromState: 'TX', toState: 'OK', children: 6 },
];
/** The year before last: moves within Texas only, so no route between states. */
const yearBeforeFlows = [{ fromState: 'TX', toState: 'TX', children: 25 }];

function seedDashboard(server: RunningServer): void {
  const { db } = server.testApp.database;
  const figures: (typeof dashboardFigures.$inferInsert)[] = [];
  for (const metric of metricList.filter((definition) => definition.public)) {
    [...quartersOf(yearBefore), ...quarters].forEach((quarter, index) => {
      const value = metric.id === 'webinar_registrations' && index === 4 ? 5 : 1000 + 100 * index;
      figures.push({ metric: metric.id, state: nationalScope, quarter, value, sample: value });
    });
  }
  for (const [state, values] of Object.entries(stateSearches)) {
    quarters.forEach((quarter, index) => {
      figures.push({ metric: 'searches', state, quarter, value: values[index]!, sample: values[index]! });
    });
  }
  // The current quarter's partial count, which no public year includes.
  figures.push({ metric: 'searches', state: 'TX', quarter: currentQuarter, value: 150, sample: 150 });
  db.insert(dashboardFigures).values(figures).run();
  db.insert(dashboardFlows)
    .values([
      ...yearBeforeFlows.map((flow) => ({ ...flow, year: yearBefore })),
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
    expect(await readText(page, '[data-corridors-table]')).not.toContain('New Mexico');
    expect(await readText(page, '[data-corridors-table]')).not.toMatch(/\b8\b/);
    expect(await readText(page, '[data-corridors-note]')).toContain(
      'Routes with fewer than 10 children are not listed',
    );
    expect(await page.locator('[data-staff-links]').isHidden()).toBe(true);
  });

  test('year picker shows ended years', async () => {
    const page = await openPage(chromium.browser, chromium.contexts);
    await page.goto(`${server.get().url}/dashboard/`);
    await waitForPublicSummary(page);
    const exportLink = page.locator('[data-public-export]');
    const corridorsLink = page.locator('[data-corridors-export]');

    const years = await page
      .locator('#public-year option')
      .evaluateAll((options) => options.map((option) => option.getAttribute('value')));
    expect(years).toEqual([String(lastYear), String(yearBefore)]);
    expect(await page.inputValue('#public-year')).toBe(String(lastYear));
    expect(await readText(page, '#public-year-hint')).toContain('whole calendar years that have ended');
    const quarterHeadings = await page
      .locator('[data-national-table] thead th')
      .evaluateAll((cells) => cells.slice(1).map((cell) => cell.textContent));
    expect(quarterHeadings).toEqual(
      ['Jan–Mar', 'Apr–Jun', 'Jul–Sep', 'Oct–Dec'].map((months) => `${months} ${lastYear}`),
    );
    expect(await exportLink.getAttribute('href')).toBe(`/api/dashboard/public/export?year=${lastYear}`);
    expect(await corridorsLink.getAttribute('href')).toBe(
      `/api/dashboard/public/export?year=${lastYear}&table=corridors`,
    );

    await page.selectOption('#public-year', String(yearBefore));
    await page.getByRole('button', { name: 'Show year' }).click();
    await page.waitForURL((url) => url.search === `?year=${yearBefore}`);
    await expect.poll(() => exportLink.getAttribute('href')).toBe(`/api/dashboard/public/export?year=${yearBefore}`);
    expect(await corridorsLink.getAttribute('href')).toBe(
      `/api/dashboard/public/export?year=${yearBefore}&table=corridors`,
    );
    expect(await readText(page, '[data-corridors-note]')).toBe(`No children moved between states in ${yearBefore}.`);
    expect(await page.locator('[data-corridors-container]').isHidden()).toBe(true);
  });

  test('malformed address shows the error', async () => {
    const page = await openPage(chromium.browser, chromium.contexts);
    for (const query of ['?year=abc', `?year=${currentYear}`, `?from=${lastYear}-Q1&to=${lastYear}-Q4`]) {
      await page.goto(`${server.get().url}/dashboard/${query}`);
      await page.locator('[data-public-alert] [role="alert"]').waitFor();
      const message = await readText(page, '[data-public-alert] [role="alert"]');

      expect(message, query).not.toMatch(/^(year|from|to)\b/);
      expect(await page.locator('[data-public-alert] a').getAttribute('href')).toBe('/dashboard/');
      expect(await page.locator('[data-public-results]').isHidden()).toBe(true);
    }
    await page.goto(`${server.get().url}/dashboard/?year=abc`);
    await page.locator('[data-public-alert] [role="alert"]').waitFor();
    expect(await readText(page, '[data-public-alert] [role="alert"]')).toMatch(/^Year: "abc" is not a year\./);
  });

  test('chart titles stay inside cards', async () => {
    const page = await openPage(chromium.browser, chromium.contexts);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.get().url}/dashboard/`);
    await waitForPublicSummary(page);

    for (const media of ['screen', 'print'] as const) {
      await page.emulateMedia({ media });
      const overflows = await page.locator('.dash-metric svg').evaluateAll((charts) =>
        charts.flatMap((chart) => {
          const box = chart.getBoundingClientRect();
          return [...chart.querySelectorAll('text')]
            .filter((text) => {
              const textBox = text.getBoundingClientRect();
              return textBox.top < box.top - 1 || textBox.bottom > box.bottom + 1;
            })
            .map((text) => text.textContent);
        }),
      );
      expect(overflows, media).toEqual([]);
    }

    // About the width of a letter page's printable area, too narrow for the table's screen layout.
    await page.setViewportSize({ width: 720, height: 900 });
    const printedTable = await page.locator('[data-states-table]').evaluate((table) => ({
      table: table.getBoundingClientRect().right,
      page: document.documentElement.clientWidth,
      container: table.parentElement!.getBoundingClientRect().right,
    }));
    expect(printedTable.table).toBeLessThanOrEqual(printedTable.container + 1);
    expect(printedTable.table).toBeLessThanOrEqual(printedTable.page);
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
    await page.fill('[data-route-filter]', 'Wyoming');
    expect(await readText(page, '[data-route-count]')).toBe(`No routes into or out of Wyoming in ${lastYear}.`);
    await page.fill('[data-route-filter]', 'xyz');
    expect(await readText(page, '[data-route-count]')).toBe(
      "No state matches “xyz”. Type a state's name or its two-letter code.",
    );

    expect(await readText(page, '[data-top-heading]')).toBe('Top 10 corridors');
    expect(await readText(page, '[data-top-note]')).toBe(`All 5 routes between states in ${lastYear}, busiest first.`);

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

    await page.selectOption('#flows-year', String(yearBefore));
    await page.getByRole('button', { name: 'Show year' }).click();
    await page.waitForURL((url) => url.search === `?year=${yearBefore}`);
    await waitForText(page, '[data-top-note]', new RegExp(String(yearBefore)));
    expect(await readText(page, '[data-top-note]')).toBe(`No children moved between states in ${yearBefore}.`);
    expect(await page.locator('[data-top-table]').isHidden()).toBe(true);

    for (const year of [String(currentYear + 1), 'abc']) {
      await page.goto(`${server.get().url}/dashboard/flows/?year=${year}`);
      await page.locator('[data-flows-alert] [role="alert"]').waitFor();
      expect(await readText(page, '[data-flows-alert] [role="alert"]')).toMatch(/^Year: /);
      expect(await page.locator('[data-flows-alert] a').getAttribute('href')).toBe('/dashboard/flows/');
      expect(await page.locator('[data-flows-results]').isHidden()).toBe(true);
    }
    expect(await readText(page, '[data-flows-alert] [role="alert"]')).toContain('"abc" is not a year');
  });

  test('coordinator sees routes of their state', async () => {
    const coordinator = await createPerson(server.get().testApp.database.db, {
      role: 'state_coordinator',
      state: 'TX',
    });
    const page = await openAndCheck(server.get(), coordinator, `/dashboard/flows/?year=${lastYear}`, waitForFlows);

    expect(await readText(page, '[data-flows-reach]')).toContain('routes into or out of Texas');
    expect(await readText(page, '[data-top-heading]')).toBe('Busiest routes into or out of Texas');
    expect(await readText(page, '[data-top-note]')).toBe(
      `All 3 routes into or out of Texas in ${lastYear}, busiest first.`,
    );
    const routes = await page
      .locator('[data-routes-table] tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-route')));
    expect(routes).toEqual(['TX-CA', 'CA-TX', 'TX-NM']);
    expect(await readText(page, '[data-total="betweenStates"]')).toBe('215');
    expect(await page.locator('[data-flow-map] [data-tile="TX"]').getAttribute('class')).toContain('flow-tile--own');

    await page.fill('[data-route-filter]', 'Wyoming');
    expect(await readText(page, '[data-route-count]')).toBe(`No routes between Texas and Wyoming in ${lastYear}.`);
  });
});
