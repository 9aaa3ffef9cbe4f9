/** The help desk reports page in headless Chromium: figures, filters by keyboard, CSV links, access and axe-core. */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createTicket } from '../api/desk/tickets/create';
import { createPerson, type TestPerson } from './helpers/accounts';
import { launchChromium } from './helpers/browser';
import {
  findAxeViolations,
  openSignedIn,
  readCspViolations,
  readText,
  tabTo,
  waitForText,
} from './helpers/page-session';
import { useServer } from './helpers/server';

let browser: Browser;
const contexts: BrowserContext[] = [];
const server = useServer();
let agent: TestPerson;
let admin: TestPerson;
let stateUser: TestPerson;

beforeAll(async () => {
  browser = await launchChromium();
  const { database, config } = server.get().testApp;
  agent = await createPerson(database.db, { role: 'agent' });
  admin = await createPerson(database.db, { role: 'admin' });
  stateUser = await createPerson(database.db, { role: 'state_user', state: 'TX' });
  for (const [state, subject] of [
    ['TX', 'Cannot find a <b>record</b>'],
    ['TX', 'Move notice missing'],
    ['CA', 'Training dates'],
  ] as const) {
    createTicket(
      database.db,
      config,
      {
        subject,
        bodyText: 'Details of the request.',
        requester: { email: 'coordinator@state.example.gov', name: 'Coordinator', state },
        channel: 'web',
        acknowledge: false,
      },
      { now: new Date(), ip: '127.0.0.1' },
    );
  }
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

afterAll(async () => {
  await browser?.close();
});

describe('help desk reports page', () => {
  test('shows figures and passes axe', async () => {
    const page = await openSignedIn(browser, contexts, server.get(), agent, '/desk/reports/', { bypassCSP: true });
    await page.locator('[data-report-body]').waitFor({ state: 'visible' });

    expect(await readText(page, '[data-report-total]')).toBe('3');
    expect(await readText(page, '[data-report-backlog-total]')).toBe('3 open tickets');
    expect(await page.locator('[data-report-table="states"] tbody tr').count()).toBe(2);
    expect(await findAxeViolations(page)).toEqual([]);
  });

  test('filters by keyboard and links matching CSVs', async () => {
    const page = await openSignedIn(browser, contexts, server.get(), agent, '/desk/reports/');
    await page.locator('[data-report-body]').waitFor({ state: 'visible' });

    await tabTo(page, '#report-state');
    await page.keyboard.type('Texas');
    await tabTo(page, '[data-report-filters] button[type="submit"]');
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-report-status]', /Report updated/);

    expect(await readText(page, '[data-report-total]')).toBe('2');
    expect(new URL(page.url()).searchParams.get('state')).toBe('TX');
    const href = await page.locator('[data-csv-link="volume"]').getAttribute('href');
    expect(href).toContain('state=TX');
    const csv = await page.request.get(`${server.get().url}${href}`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('"Total","All tickets",2');
    expect(readCspViolations(page)).toEqual([]);
  });

  test('state user sees it is not for them', async () => {
    const page = await openSignedIn(browser, contexts, server.get(), stateUser, '/desk/reports/', {
      waitForGate: false,
    });
    await page.locator('[data-gate-denied]').waitFor({ state: 'visible' });
    expect(await readText(page, '[data-gate-denied-text]')).toContain('help desk agents and admins');
  });
});

describe('SLA targets page', () => {
  test('admin changes a target by keyboard', async () => {
    const page = await openSignedIn(browser, contexts, server.get(), admin, '/desk/reports/sla-targets/', {
      bypassCSP: true,
    });
    await expect.poll(() => page.inputValue('#normal-first-response')).toBe('8');
    expect(await findAxeViolations(page)).toEqual([]);

    await tabTo(page, '#normal-first-response');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('6.5');
    await tabTo(page, '[data-targets-save]');
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-targets-status]', /Saved the new targets \(Normal\)/);

    const response = await page.request.get(`${server.get().url}/api/desk/sla-targets`);
    const { targets } = await response.json();
    expect(targets.find((target: { priority: string }) => target.priority === 'normal')).toMatchObject({
      firstResponseMinutes: 390,
      resolutionMinutes: 2400,
    });
  });

  test('resolution shorter than first response is flagged', async () => {
    const page = await openSignedIn(browser, contexts, server.get(), admin, '/desk/reports/sla-targets/');
    await expect.poll(() => page.inputValue('#urgent-resolution')).toBe('8');
    await page.fill('#urgent-resolution', '0.5');
    await page.click('[data-targets-save]');
    await waitForText(page, '#urgent-resolution-error', /at least its first-response target/);
    expect(await page.getAttribute('#urgent-resolution', 'aria-invalid')).toBe('true');
  });

  test('agent sees targets read-only', async () => {
    const page = await openSignedIn(browser, contexts, server.get(), agent, '/desk/reports/sla-targets/');
    await page.locator('[data-targets-read-only]').waitFor({ state: 'visible' });
    expect(await page.locator('[data-targets-save]').isHidden()).toBe(true);
    expect(await page.getAttribute('#urgent-first-response', 'readonly')).not.toBeNull();
    expect(readCspViolations(page)).toEqual([]);
  });
});
