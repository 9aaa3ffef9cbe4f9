/**
 * The outreach pages in headless Chromium against the real app: newsletter
 * sign-up, confirmation and preferences, event registration and its
 * cancellation, the campaign, subscriber and registration consoles, and
 * axe-core on each of them.
 */
import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import pino from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createCampaignDeliveries } from '../api/outreach/campaigns/deliveries';
import { campaigns, eventRegistrations, outboxMessages, subscribers } from '../db/schema';
import { listMailbox, readMailboxMessage } from '../emails/mailbox';
import { createMailTransport } from '../emails/transport';
import { createOutboxWorker } from '../emails/worker';
import { createPerson, testPassword, type TestPerson } from './helpers/accounts';
import { launchChromium } from './helpers/browser';
import { useServer, type RunningServer } from './helpers/server';
import { findAxeViolations, waitForText } from './helpers/page-session';

let browser: Browser;
const contexts: BrowserContext[] = [];
/** Content-Security-Policy messages from the console of pages opened with the policy enforced. */
const policyViolations: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
  expect(policyViolations.splice(0), 'Content-Security-Policy violations').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
});

/**
 * Opens a page in a fresh browser profile. The Content-Security-Policy is
 * enforced and any violation fails the test, except with `bypassCSP`, which
 * axe-core needs because it is injected as an inline script.
 */
async function openBrowserPage(options: { bypassCSP?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ bypassCSP: options.bypassCSP ?? false });
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) policyViolations.push(`${page.url()}: ${message.text()}`);
  });
  return page;
}

/** Signs the browser in through its own request context, which shares cookies with the page, then opens `path`. */
async function openSignedIn(
  server: RunningServer,
  person: TestPerson,
  path: string,
  options: { bypassCSP?: boolean } = {},
): Promise<Page> {
  const page = await openBrowserPage(options);
  const response = await page.request.post(`${server.url}/api/auth/sign-in`, {
    data: { email: person.email, password: testPassword },
    headers: { Origin: server.url },
  });
  expect(response.status()).toBe(200);
  await page.goto(`${server.url}${path}`);
  await page.locator('[data-gate-content]').waitFor({ state: 'visible' });
  return page;
}

/** Presses Tab until the element matching the selector has focus, as a keyboard user would. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let step = 0; step < 100; step += 1) {
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** The link-signing key createTestApp gives the app; campaign deliveries sign their links with it. */
const testLinkSecret = 'test-link-secret-that-is-long-enough-0123456789';

/** Sends the queued mail, campaign deliveries included, into the mailbox folder, as the outbox worker of `npm start` does. */
async function deliverMail(server: RunningServer): Promise<void> {
  const { testApp } = server;
  const logger = pino({ level: 'silent' });
  const worker = createOutboxWorker({
    database: testApp.database,
    transport: createMailTransport(testApp.config),
    logger,
    clock: () => new Date(),
    campaigns: createCampaignDeliveries({
      database: testApp.database,
      logger,
      settings: { siteUrl: testApp.config.siteUrl, linkSecret: testLinkSecret },
    }),
  });
  while ((await worker.runOnce()) > 0);
}

/** Returns the site path and fragment of the newest emailed link to `pagePath` sent to `to`. */
async function readEmailedLink(server: RunningServer, to: string, pagePath: string): Promise<string> {
  await deliverMail(server);
  const directory = server.testApp.config.mailboxDirectory;
  const pattern = new RegExp(`https?://[^/\\s]+(${pagePath}#token=[A-Za-z0-9_.-]+)`);
  for (const summary of await listMailbox(directory)) {
    if (!summary.to.includes(to)) continue;
    const message = await readMailboxMessage(directory, summary.id);
    const match = pattern.exec(message.text);
    if (match?.[1]) return match[1];
  }
  throw new Error(`no message to ${to} with a ${pagePath} link in the mailbox`);
}

function findSubscriber(server: RunningServer, email: string) {
  return server.testApp.database.db.select().from(subscribers).where(eq(subscribers.email, email)).get();
}

/** Adds a confirmed subscriber straight to the database. */
function addConfirmedSubscriber(
  server: RunningServer,
  email: string,
  details: { state?: string; topics?: string[] } = {},
) {
  const now = new Date().toISOString();
  return server.testApp.database.db
    .insert(subscribers)
    .values({
      email,
      state: details.state ?? null,
      topics: JSON.stringify(details.topics ?? []),
      status: 'confirmed',
      confirmedAt: now,
      source: 'import',
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
}

/** Returns the slug of an upcoming webinar that takes registrations, from the public API. */
async function findOpenWebinar(server: RunningServer): Promise<string> {
  const response = await fetch(`${server.url}/api/events/registrable`);
  const { events } = (await response.json()) as { events: { slug: string }[] };
  const webinar = events.find((event) => event.slug.includes('webinar'));
  if (!webinar) throw new Error('no upcoming webinar takes registrations; check content/events/');
  return webinar.slug;
}

describe('newsletter sign-up', () => {
  const server = useServer();

  test('subscribes with the keyboard alone', async () => {
    const page = await openBrowserPage();
    await page.goto(`${server.get().url}/newsletters/subscribe/`);

    await tabTo(page, '#subscribe-email');
    await page.keyboard.type('keyboard.reader@district.example.gov');
    await tabTo(page, '#subscribe-topics-data-quality');
    await page.keyboard.press('Space');
    await tabTo(page, '[data-subscribe-form] button[type="submit"]');
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-page-status]', /confirmation email is on its way/);

    expect(await page.locator('h1').textContent()).toBe('Check your email');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    const subscriber = findSubscriber(server.get(), 'keyboard.reader@district.example.gov');
    expect(subscriber?.status).toBe('pending');
    expect(JSON.parse(subscriber?.topics ?? '[]')).toEqual(['data-quality']);
  });

  test('names a missing address', async () => {
    const page = await openBrowserPage();
    await page.goto(`${server.get().url}/newsletters/subscribe/`);
    await page.click('button[type="submit"]:has-text("Subscribe")');

    await waitForText(page, '[data-form-alert]', /Enter your email address/);
    expect(await page.getAttribute('#subscribe-email', 'aria-invalid')).toBe('true');
  });

  test('confirmation link confirms', async () => {
    const email = 'link.opener@district.example.gov';
    const page = await openBrowserPage();
    await page.goto(`${server.get().url}/newsletters/subscribe/`);
    await page.fill('#subscribe-email', email);
    await page.click('button[type="submit"]:has-text("Subscribe")');
    await waitForText(page, '[data-page-status]', /confirmation email/);

    const link = await readEmailedLink(server.get(), email, '/newsletters/subscribe/');
    await page.goto(`${server.get().url}${link}`);
    await waitForText(page, 'h1', /Your subscription is confirmed/);

    expect(findSubscriber(server.get(), email)?.status).toBe('confirmed');
    expect(new URL(page.url()).hash).toBe('');
  });

  test('preferences page changes topics', async () => {
    const email = 'topic.chooser@district.example.gov';
    const page = await openBrowserPage();
    await page.goto(`${server.get().url}/newsletters/subscribe/`);
    await page.fill('#subscribe-email', email);
    await page.click('button[type="submit"]:has-text("Subscribe")');
    await waitForText(page, '[data-page-status]', /confirmation email/);
    await page.goto(`${server.get().url}${await readEmailedLink(server.get(), email, '/newsletters/subscribe/')}`);
    await waitForText(page, 'h1', /confirmed/);

    await page.click('a:has-text("Choose your topics")');
    await page.locator('[data-preferences-form]').waitFor({ state: 'visible' });
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.locator('[data-subscriber-email]').textContent()).toBe(email);
    await page.click('label[for="preferences-topics-move-notices"]');
    await page.click('label[for="preferences-topics-reports"]');
    await page.selectOption('#preferences-state', 'NM');
    await page.click('button:has-text("Save preferences")');
    await waitForText(page, '[data-page-status]', /saved/);

    const subscriber = findSubscriber(server.get(), email);
    expect(JSON.parse(subscriber?.topics ?? '[]')).toEqual(['move-notices', 'reports']);
    expect(subscriber?.state).toBe('NM');
  });

  test('preferences page unsubscribes', async () => {
    const email = 'leaver@district.example.gov';
    const page = await openBrowserPage();
    await page.goto(`${server.get().url}/newsletters/subscribe/`);
    await page.fill('#subscribe-email', email);
    await page.click('button[type="submit"]:has-text("Subscribe")');
    await waitForText(page, '[data-page-status]', /confirmation email/);
    await page.goto(`${server.get().url}${await readEmailedLink(server.get(), email, '/newsletters/subscribe/')}`);
    await waitForText(page, 'h1', /confirmed/);
    await page.click('a:has-text("Choose your topics")');
    await page.locator('[data-preferences-form]').waitFor({ state: 'visible' });

    await page.click('button:has-text("Unsubscribe")');
    await waitForText(page, '[data-page-status]', /You are unsubscribed/);

    expect(findSubscriber(server.get(), email)?.status).toBe('unsubscribed');
    expect(await page.locator('[data-preferences-form]').isVisible()).toBe(false);
  });

  test('pages without a token say so', async () => {
    const page = await openBrowserPage();
    for (const path of ['/newsletters/preferences/', '/events/cancel/']) {
      await page.goto(`${server.get().url}${path}`);
      await page.locator('[data-missing-token]').waitFor({ state: 'visible' });
    }
  });
});

describe('broken links', () => {
  const server = useServer();

  test('preferences page explains a bad link', async () => {
    const page = await openBrowserPage({ bypassCSP: true });
    await page.goto(`${server.get().url}/newsletters/preferences/#token=not-a-valid-token`);
    await waitForText(page, '[data-page-alert]', /This preferences link does not work/);

    expect(new URL(page.url()).hash).toBe('');
    expect(await page.locator('[data-preferences-form]').isVisible()).toBe(false);
    expect(await findAxeViolations(page)).toEqual([]);
  });

  test('confirmation explains a used link', async () => {
    const page = await openBrowserPage({ bypassCSP: true });
    await page.goto(`${server.get().url}/newsletters/subscribe/#token=${'x'.repeat(43)}`);
    await waitForText(page, '[data-page-alert]', /confirmation link no longer works/);

    expect(await page.locator('h1').textContent()).toBe('Your subscription is not confirmed');
    expect(await page.locator('[data-subscribe-form]').isVisible()).toBe(true);
    expect(await findAxeViolations(page)).toEqual([]);
  });

  test('cancel page explains a bad link', async () => {
    const page = await openBrowserPage({ bypassCSP: true });
    await page.goto(`${server.get().url}/events/cancel/#token=${'y'.repeat(43)}`);
    await page.click('button:has-text("Cancel my registration")');
    await waitForText(page, '[data-page-alert]', /cancellation link is not valid/);

    expect(await page.locator('[data-events-link]').isVisible()).toBe(true);
    expect(await findAxeViolations(page)).toEqual([]);
  });
});

describe('event registration', () => {
  const server = useServer();

  test('registers and cancels', async () => {
    const slug = await findOpenWebinar(server.get());
    const email = 'webinar.guest@district.example.gov';
    const page = await openBrowserPage();
    await page.goto(`${server.get().url}/events/${slug}/`);

    await page.fill('#register-name', 'Webinar Guest');
    await page.fill('#register-email', email);
    await page.selectOption('#register-state', 'TX');
    await page.selectOption('#register-role', 'school-staff');
    await page.click('button:has-text("Register")');
    await waitForText(page, '[data-registration-status]', /You are registered/);

    const db = server.get().testApp.database.db;
    const registered = () =>
      db
        .select()
        .from(eventRegistrations)
        .where(and(eq(eventRegistrations.eventSlug, slug), eq(eventRegistrations.email, email)))
        .get();
    expect(registered()?.status).toBe('registered');
    expect(registered()?.state).toBe('TX');

    const link = await readEmailedLink(server.get(), email, '/events/cancel/');
    await page.goto(`${server.get().url}${link}`);
    expect(new URL(page.url()).hash).toBe('');
    expect(registered()?.status).toBe('registered');
    await page.click('button:has-text("Cancel my registration")');
    await waitForText(page, 'h1', /Your registration is cancelled/);

    expect(registered()?.status).toBe('cancelled');
  });

  test('names missing fields', async () => {
    const slug = await findOpenWebinar(server.get());
    const page = await openBrowserPage();
    await page.goto(`${server.get().url}/events/${slug}/`);
    await page.click('button:has-text("Register")');

    await waitForText(page, '[data-form-alert]', /There are 2 problems/);
    expect(await page.getAttribute('#register-name', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#register-email', 'aria-invalid')).toBe('true');
  });

  test('hides the form once started', async () => {
    const slug = await findOpenWebinar(server.get());
    const page = await openBrowserPage();
    await page.clock.setFixedTime(new Date('2030-01-01T12:00:00Z'));
    await page.goto(`${server.get().url}/events/${slug}/`);

    expect(await page.locator('[data-registration-form]').isVisible()).toBe(false);
    expect(await page.locator('[data-registration-closed]').isVisible()).toBe(true);
  });
});

describe('registrations console', () => {
  const server = useServer();

  test('lists registrants and imports attendance', async () => {
    const slug = await findOpenWebinar(server.get());
    const now = new Date().toISOString();
    server
      .get()
      .testApp.database.db.insert(eventRegistrations)
      .values(
        ['first.registrant@district.example.gov', 'second.registrant@district.example.gov'].map((email, index) => ({
          eventSlug: slug,
          name: `Registrant ${index + 1}`,
          email,
          cancelTokenHash: `unused-hash-${index}`,
          createdAt: now,
        })),
      )
      .run();
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openSignedIn(server.get(), admin, '/console/registrations/');

    await page.selectOption('#choose-event', slug);
    await page.click('button:has-text("Show registrations")');
    await page.locator('[data-registrants-section]').waitFor({ state: 'visible' });
    expect(await page.locator('[data-registrant-rows] tr').count()).toBe(2);
    expect(new URL(page.url()).searchParams.get('event')).toBe(slug);
    expect(await page.getAttribute('[data-registrations-csv]', 'href')).toBe(
      `/api/events/${slug}/registrations/export`,
    );

    await page.setInputFiles('#attendance-file', {
      name: 'attendance.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'Email,Attended\nfirst.registrant@district.example.gov,yes\nwalk.in@district.example.gov,yes\nnot-an-address,yes\n',
      ),
    });
    await page.click('button:has-text("Import attendance")');
    await waitForText(page, '[data-attendance-report]', /1 registrant updated/);

    const report = (await page.locator('[data-attendance-report]').textContent()) ?? '';
    expect(report).toContain('walk.in@district.example.gov');
    expect(report).toContain('not-an-address');
    await waitForText(page, '[data-registration-counts]', /Attended\s*1/);
  });
});

describe('subscribers console', () => {
  const server = useServer();

  test('imports a file with a report', async () => {
    addConfirmedSubscriber(server.get(), 'existing.reader@district.example.gov', { state: 'TX' });
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openSignedIn(server.get(), admin, '/console/subscribers/');
    await waitForText(page, '[data-subscribers-count]', /1 subscriber/);

    await page.setInputFiles('#import-file', {
      name: 'subscribers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('email,state,topics\nnew.reader@district.example.gov,CA,reports\nbroken,ZZ,\n'),
    });
    await page.click('button:has-text("Import subscribers")');
    await waitForText(page, '[data-import-report]', /1 new subscribers imported/);

    const report = (await page.locator('[data-import-report]').textContent()) ?? '';
    expect(report).toContain('broken');
    expect(findSubscriber(server.get(), 'new.reader@district.example.gov')?.status).toBe('pending');
    await waitForText(page, '[data-subscribers-count]', /2 subscribers/);
  });

  test('imports a long file in one request', async () => {
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openSignedIn(server.get(), admin, '/console/subscribers/');
    const importRequests: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/subscribers/import')) {
        importRequests.push(request.url());
      }
    });
    const rows = Array.from(
      { length: 1500 },
      (_, index) => `bulk.reader.${index}@district.example.gov,Reader ${index}`,
    );
    rows[1200] = 'not-an-address,Reader 1200';
    rows[1400] = 'bulk.reader.3@district.example.gov,Reader 3 again';
    const file = Buffer.from(`email,name\n${rows.join('\n')}\n`);
    // Larger than the 64 KB limit of other JSON bodies, so only the import routes' larger limit lets it through.
    expect(file.length).toBeGreaterThan(64 * 1024);

    await page.setInputFiles('#import-file', { name: 'long.csv', mimeType: 'text/csv', buffer: file });
    await page.click('label[for="import-consent"]');
    await page.click('button:has-text("Import subscribers")');
    await waitForText(page, '[data-import-report]', /1498 new subscribers imported/);

    expect(importRequests).toHaveLength(1);
    // The header is line 1, so the row at index i is line i + 2.
    const problemRows = page.locator('[data-import-report] tbody tr');
    expect(await problemRows.locator('td:first-child').allTextContents()).toEqual(['1202', '1402']);
    expect(await problemRows.nth(1).locator('td').nth(3).textContent()).toContain('line 5 already has it');
    expect(await page.locator('[data-import-report]').textContent()).toContain('2 rows skipped');
    expect(findSubscriber(server.get(), 'bulk.reader.1499@district.example.gov')?.status).toBe('confirmed');
    expect(findSubscriber(server.get(), 'bulk.reader.3@district.example.gov')?.name).toBe('Reader 3');
  });

  test('rejects a file over 1 MB', async () => {
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openSignedIn(server.get(), admin, '/console/subscribers/');
    const importRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/subscribers/import')) importRequests.push(request.url());
    });
    const rows = Array.from({ length: 25_000 }, (_, index) => `oversize.reader.${index}@district.example.gov`);
    const file = Buffer.from(`email\n${rows.join('\n')}\n`);
    expect(file.length).toBeGreaterThan(1024 * 1024);

    await page.setInputFiles('#import-file', { name: 'oversize.csv', mimeType: 'text/csv', buffer: file });
    await page.click('button:has-text("Import subscribers")');
    await waitForText(page, '[data-import-form] [data-form-alert]', /The file oversize\.csv is larger than 1 MB/);

    expect(await page.getAttribute('#import-file', 'aria-invalid')).toBe('true');
    expect(await page.locator('#import-file-error').textContent()).toContain('split the file into smaller files');
    expect(await page.locator('[data-import-report]').textContent()).toBe('');
    expect(importRequests).toEqual([]);
    expect(findSubscriber(server.get(), 'oversize.reader.0@district.example.gov')).toBeUndefined();
  });

  test('rejects files that outgrow 1 MB', async () => {
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openSignedIn(server.get(), admin, '/console/subscribers/');
    const importRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/subscribers/import')) importRequests.push(request.url());
    });
    // Both files are under 1 MB, but one grows past 1.5 MB once JSON escapes its quotes, and the
    // other past 1 MB once its Latin-1 bytes are read as UTF-8.
    const quoted = Array.from(
      { length: 6000 },
      (_, index) => `"${'""'.repeat(60)}",quoted.reader.${index}@district.example.gov`,
    );
    const latin1 = Array.from(
      { length: 10_000 },
      (_, index) => `latin.reader.${index}@district.example.gov,${'é'.repeat(40)}`,
    );
    const cases = [
      {
        name: 'quoted.csv',
        buffer: Buffer.from(`name,email\n${quoted.join('\n')}\n`),
        message: /The file quoted\.csv contains so many quotes, backslashes or control characters/,
      },
      {
        name: 'latin1.csv',
        buffer: Buffer.from(`email,name\n${latin1.join('\n')}\n`, 'latin1'),
        message: /The file latin1\.csv is not UTF-8 text, and read as UTF-8 it is larger than 1 MB/,
      },
    ];

    for (const { name, buffer, message } of cases) {
      expect(buffer.length, name).toBeLessThanOrEqual(1024 * 1024);
      await page.setInputFiles('#import-file', { name, mimeType: 'text/csv', buffer });
      await page.click('button:has-text("Import subscribers")');
      await waitForText(page, '#import-file-error', message);
      expect(await page.getAttribute('#import-file', 'aria-invalid'), name).toBe('true');
    }
    expect(importRequests).toEqual([]);
  });

  test('adds a suppression', async () => {
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openSignedIn(server.get(), admin, '/console/subscribers/');

    await page.fill('#suppression-email', 'bounced.reader@district.example.gov');
    await page.selectOption('#suppression-reason', 'hard_bounce');
    await page.click('button:has-text("Add to the suppression list")');
    await waitForText(page, '[data-suppression-status]', /is on the suppression list/);

    await waitForText(page, '[data-suppression-rows]', /bounced\.reader@district\.example\.gov/);
  });
});

describe('subscriber search', () => {
  const server = useServer();

  test('filters by address in the browser', async () => {
    addConfirmedSubscriber(server.get(), 'findable.person@district.example.gov');
    addConfirmedSubscriber(server.get(), 'other.person@district.example.gov');
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openSignedIn(server.get(), admin, '/console/subscribers/');
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));

    await page.fill('#filter-search', 'findable');
    await page.selectOption('#filter-status', 'confirmed');
    await page.click('button:has-text("Show subscribers")');
    await waitForText(page, '[data-subscribers-count]', /1 subscriber of/);

    expect(await page.locator('[data-subscriber-rows] tr').count()).toBe(1);
    expect(requests.some((url) => url.includes('findable'))).toBe(false);
    expect(page.url()).not.toContain('findable');
  });
});

describe('accessibility of outreach pages', () => {
  const server = useServer();

  test('public pages have no violations', async () => {
    const slug = await findOpenWebinar(server.get());
    const failures: string[] = [];
    const page = await openBrowserPage({ bypassCSP: true });
    for (const path of [
      '/newsletters/',
      '/newsletters/subscribe/',
      '/newsletters/preferences/',
      '/events/cancel/',
      `/events/${slug}/`,
    ]) {
      await page.goto(`${server.get().url}${path}`, { waitUntil: 'networkidle' });
      for (const violation of await findAxeViolations(page)) failures.push(`${path} ${violation}`);
    }
    expect(failures).toEqual([]);
  });

  test('forms with errors have no violations', async () => {
    const slug = await findOpenWebinar(server.get());
    const failures: string[] = [];
    const page = await openBrowserPage({ bypassCSP: true });
    const forms = {
      '/newsletters/subscribe/': '[data-subscribe-form]',
      [`/events/${slug}/`]: '[data-registration-form]',
    };
    for (const [path, form] of Object.entries(forms)) {
      await page.goto(`${server.get().url}${path}`);
      await page.click(`${form} button[type="submit"]`);
      await page.locator('[data-form-alert] .usa-alert').waitFor();
      for (const violation of await findAxeViolations(page)) failures.push(`${path} ${violation}`);
    }
    expect(failures).toEqual([]);
  });

  test('consoles have no violations', async () => {
    const slug = await findOpenWebinar(server.get());
    addConfirmedSubscriber(server.get(), 'axe.reader@district.example.gov');
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const failures: string[] = [];
    for (const path of ['/console/subscribers/', '/console/campaigns/', `/console/registrations/?event=${slug}`]) {
      const page = await openSignedIn(server.get(), admin, path, { bypassCSP: true });
      await page.waitForLoadState('networkidle');
      for (const violation of await findAxeViolations(page)) failures.push(`${path} ${violation}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('campaigns console', () => {
  const server = useServer();

  test('creates, previews and sends', async () => {
    addConfirmedSubscriber(server.get(), 'texas.reader.one@district.example.gov', { state: 'TX' });
    addConfirmedSubscriber(server.get(), 'texas.reader.two@district.example.gov', { state: 'TX' });
    addConfirmedSubscriber(server.get(), 'ohio.reader@district.example.gov', { state: 'OH' });
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openSignedIn(server.get(), admin, '/console/campaigns/');

    await page.selectOption('#create-issue', '2026-q4');
    await page.click('summary:has-text("States")');
    await page.click('label[for="create-states-TX"]');
    await page.click('button:has-text("Create draft")');
    await waitForText(page, '[data-campaigns-status]', /draft is created/);
    expect(await page.locator('#campaign-heading').textContent()).toBe('Fourth quarter 2026: planning for 2027');
    expect(await page.locator('[data-campaign-rows] tr').count()).toBe(1);

    await page.click('[data-campaign-actions] button:has-text("Preview")');
    await page.locator('[data-preview-panel]').waitFor({ state: 'visible' });
    expect(await page.locator('[data-preview-text]').textContent()).toContain(
      'Success story: a crosswalk finds a missing link',
    );
    expect(await page.locator('[data-preview-facts]').textContent()).toContain('2 of 2 matching subscribers');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-preview-html]')]);
    expect(download.suggestedFilename()).toMatch(/^campaign-\d+-preview\.html$/);
    const html = readFileSync(await download.path(), 'utf8');
    expect(html).toContain('Success story: a crosswalk finds a missing link');
    expect(html).toContain('<table');

    await page.click('[data-campaign-actions] button:has-text("Send a test to me")');
    await waitForText(page, '[data-campaigns-status]', new RegExp(`test message is on its way to ${admin.email}`));

    await page.click('[data-campaign-actions] button:has-text("Send now")');
    await page.locator('[data-confirm-panel]').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('confirm-heading');
    await page.click('[data-confirm-yes]');
    await waitForText(page, '[data-campaigns-status]', /Sending has started/);

    await deliverMail(server.get());
    await page.click('[data-campaign-actions] button:has-text("Refresh figures")');
    await waitForText(page, '[data-count="sent"] dd', /^2$/);
    expect(await page.locator('[data-campaign-facts]').textContent()).toContain('Finished');

    const deliveries = server
      .get()
      .testApp.database.db.select()
      .from(outboxMessages)
      .where(eq(outboxMessages.kind, 'campaign'))
      .all();
    expect(deliveries.map((delivery) => delivery.recipient).sort()).toEqual([
      'texas.reader.one@district.example.gov',
      'texas.reader.two@district.example.gov',
    ]);
    expect(deliveries.every((delivery) => delivery.status === 'sent')).toBe(true);
  });

  test('pauses and resumes', async () => {
    addConfirmedSubscriber(server.get(), 'pause.reader@district.example.gov');
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openSignedIn(server.get(), admin, '/console/campaigns/');
    await page.selectOption('#create-issue', '2026-q3');
    await page.click('button:has-text("Create draft")');
    await waitForText(page, '[data-campaigns-status]', /draft is created/);
    await page.click('[data-campaign-actions] button:has-text("Send now")');
    await page.click('[data-confirm-yes]');
    await waitForText(page, '[data-campaigns-status]', /Sending has started/);

    await page.click('[data-campaign-actions] button:has-text("Pause")');
    await waitForText(page, '[data-campaign-facts]', /Paused by an admin/);
    expect(await page.locator('[data-campaign-actions] button:has-text("Resume")').isVisible()).toBe(true);
    expect(await page.locator('[data-campaign-actions] button:has-text("Pause")').isVisible()).toBe(false);

    await page.click('[data-campaign-actions] button:has-text("Resume")');
    await waitForText(page, '[data-campaigns-status]', /Sending has resumed/);
    expect(await page.locator('[data-campaign-facts]').textContent()).toContain('Sending');
  });

  test('missed campaign offers send or cancel', async () => {
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const now = new Date().toISOString();
    const missed = server
      .get()
      .testApp.database.db.insert(campaigns)
      .values({
        newsletterSlug: '2026-q2',
        subject: 'Second quarter issue',
        status: 'missed',
        scheduledAt: '2026-06-01T14:00:00.000Z',
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    const page = await openSignedIn(server.get(), admin, `/console/campaigns/?campaign=${missed.id}`);
    await page.locator('[data-campaign-panel]').waitFor({ state: 'visible' });

    expect(await page.locator('[data-campaign-missed]').isVisible()).toBe(true);
    expect(await page.locator('[data-campaign-actions] button:has-text("Send now")').isVisible()).toBe(true);
    expect(await page.locator('[data-campaign-actions] button:has-text("Cancel campaign")').isVisible()).toBe(true);
    expect(await page.locator('[data-campaign-actions] button:has-text("Pause")').isVisible()).toBe(false);

    await page.click('[data-campaign-actions] button:has-text("Cancel campaign")');
    await page.click('[data-confirm-yes]');
    await waitForText(page, '[data-campaigns-status]', /campaign is cancelled/);
    const status = server
      .get()
      .testApp.database.db.select()
      .from(campaigns)
      .where(eq(campaigns.id, missed.id))
      .get()?.status;
    expect(status).toBe('cancelled');
  });

  test('schedules a draft', async () => {
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openSignedIn(server.get(), admin, '/console/campaigns/');
    await page.selectOption('#create-issue', '2026-q1');
    await page.fill('#create-subject', 'Spring reading');
    await page.click('button:has-text("Create draft")');
    await waitForText(page, '[data-campaigns-status]', /draft is created/);

    await page.click('[data-campaign-actions] button:has-text("Schedule")');
    await page.fill('#schedule-at', '2035-01-15T09:30');
    await page.click('[data-schedule-form] button[type="submit"]');
    await waitForText(page, '[data-campaigns-status]', /scheduled/);

    const row = server
      .get()
      .testApp.database.db.select()
      .from(campaigns)
      .where(eq(campaigns.subject, 'Spring reading'))
      .get();
    expect(row?.status).toBe('scheduled');
    expect(row?.scheduledAt?.startsWith('2035-01-15')).toBe(true);
  });

  test('open panels have no violations', async () => {
    addConfirmedSubscriber(server.get(), 'axe.panel.reader@district.example.gov');
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openSignedIn(server.get(), admin, '/console/campaigns/', { bypassCSP: true });
    await page.selectOption('#create-issue', '2026-q4');
    await page.click('button:has-text("Create draft")');
    await waitForText(page, '[data-campaigns-status]', /draft is created/);
    const failures: string[] = [];

    await page.click('[data-campaign-actions] button:has-text("Preview")');
    await page.locator('[data-preview-panel]').waitFor({ state: 'visible' });
    for (const violation of await findAxeViolations(page)) failures.push(`preview ${violation}`);

    await page.click('[data-campaign-actions] button:has-text("Cancel campaign")');
    await page.locator('[data-confirm-panel]').waitFor({ state: 'visible' });
    for (const violation of await findAxeViolations(page)) failures.push(`confirmation ${violation}`);

    await page.keyboard.press('Escape');
    await page.click('[data-campaign-actions] button:has-text("Schedule")');
    await page.click('[data-schedule-form] button[type="submit"]');
    await page.locator('[data-schedule-form] [data-form-alert] .usa-alert').waitFor();
    for (const violation of await findAxeViolations(page)) failures.push(`schedule ${violation}`);

    expect(failures).toEqual([]);
  });
});
