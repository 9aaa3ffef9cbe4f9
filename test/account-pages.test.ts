/**
 * The account and console pages in headless Chromium against the real app:
 * sign-in, Rules of Behavior, invitation, password reset, the account page,
 * the people, audit and mailbox consoles, and axe-core on each of them.
 */
import { eq } from 'drizzle-orm';
import pino from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { recordAudit } from '../api/audit/record';
import { people, rulesAcknowledgements, type Role } from '../db/schema';
import { listMailbox, readMailboxMessage } from '../emails/mailbox';
import { createMailTransport } from '../emails/transport';
import { createOutboxWorker } from '../emails/worker';
import { createPerson, testPassword, type TestPerson } from './helpers/accounts';
import { launchChromium } from './helpers/browser';
import { useServer, type RunningServer } from './helpers/server';
import { findAxeViolations, readText, waitForText } from './helpers/page-session';

/** Passwords that pass the policy for every role, admins included. */
const newPassword = 'copper meadow whistle 2290';
const otherPassword = 'granite harbor lemon 5512';

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
 * Opens a page in a fresh browser profile, so each test starts signed out.
 * The site's Content-Security-Policy is enforced and any violation fails the
 * test, except with `bypassCSP`, which axe-core needs: it is injected as an
 * inline script.
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

async function signIn(page: Page, server: RunningServer, person: Pick<TestPerson, 'email'>, password = testPassword) {
  await page.goto(`${server.url}/sign-in/`);
  await page.fill('#sign-in-email', person.email);
  await page.fill('#sign-in-password', password);
  await page.click('button[type="submit"]:has-text("Sign in")');
}

/** Signs in, then opens `path`; the caller waits for what that page shows. */
async function signInAndOpen(page: Page, server: RunningServer, person: Pick<TestPerson, 'email'>, path: string) {
  await signIn(page, server, person);
  await page.waitForURL(`${server.url}/account/`);
  await page.goto(`${server.url}${path}`);
}

async function signInAndWait(page: Page, server: RunningServer, person: Pick<TestPerson, 'email'>, path: string) {
  await signInAndOpen(page, server, person, path);
  await page.locator('[data-gate-content]').waitFor({ state: 'visible' });
}

async function focusedDescription(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    return `${element?.tagName.toLowerCase()} ${element?.id ?? ''} ${element?.textContent?.replace(/\s+/g, ' ').trim() ?? ''}`;
  });
}

/** Presses Tab until the element with this id has focus, as a keyboard user would. */
async function tabTo(page: Page, id: string): Promise<void> {
  for (let step = 0; step < 60; step += 1) {
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached #${id}`);
}

/** Sends the queued mail into the mailbox folder, as the outbox worker of `npm start` does. */
async function deliverMail(server: RunningServer): Promise<void> {
  const { testApp } = server;
  const worker = createOutboxWorker({
    database: testApp.database,
    transport: createMailTransport(testApp.config),
    logger: pino({ level: 'silent' }),
    clock: () => new Date(),
  });
  while ((await worker.runOnce()) > 0);
}

/** Returns the site path and fragment of the newest emailed link to `pagePath` sent to `to`. */
async function readEmailedLink(server: RunningServer, to: string, pagePath: string): Promise<string> {
  await deliverMail(server);
  const directory = server.testApp.config.mailboxDirectory;
  const summary = (await listMailbox(directory)).find((message) => message.to.includes(to));
  if (!summary) throw new Error(`no message to ${to} in the mailbox`);

  const message = await readMailboxMessage(directory, summary.id);
  const match = new RegExp(`https?://[^/\\s]+(${pagePath}#token=[A-Za-z0-9_-]+)`).exec(message.text);
  if (!match?.[1]) throw new Error(`no ${pagePath} link in: ${message.text}`);
  return match[1];
}

/** POSTs an invitation from the page, with the admin's browser session, as the console's own script does. */
async function inviteThroughBrowser(page: Page, invitation: Record<string, unknown>): Promise<number> {
  return page.evaluate(async (body) => {
    const response = await fetch('/api/people', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return response.status;
  }, invitation);
}

function findPersonByEmail(server: RunningServer, email: string) {
  return server.testApp.database.db.select().from(people).where(eq(people.email, email)).get();
}

describe('sign-in page', () => {
  const server = useServer();

  test('signs in with the keyboard alone', async () => {
    const person = await createPerson(server.get().testApp.database.db, { role: 'state_user' });
    const page = await openBrowserPage();
    await page.goto(`${server.get().url}/sign-in/`);

    await tabTo(page, 'sign-in-email');
    await page.keyboard.type(person.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(testPassword);
    await page.keyboard.press('Tab');
    const toggle = await focusedDescription(page);
    await page.keyboard.press('Enter');
    const shownType = await page.getAttribute('#sign-in-password', 'type');
    await page.keyboard.press('Tab');
    const submit = await focusedDescription(page);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.get().url}/account/`);
    await waitForText(page, '[data-detail="email"]', /@/);

    expect(toggle).toContain('Show password');
    expect(shownType).toBe('text');
    expect(submit).toContain('Sign in');
    expect(await readText(page, '[data-detail="email"]')).toBe(person.email);
    expect(await readText(page, '[data-account-link]')).toBe('Account');
  });

  test('shows the server message for a wrong password', async () => {
    const person = await createPerson(server.get().testApp.database.db, { role: 'state_user' });
    const page = await openBrowserPage();

    await signIn(page, server.get(), person, 'not the right password');
    await page.locator('[role="alert"]').waitFor();

    expect(await readText(page, '[role="alert"]')).toContain('The email address or password is not correct.');
    expect(new URL(page.url()).pathname).toBe('/sign-in/');
  });

  test('marks empty fields before sending', async () => {
    const page = await openBrowserPage();
    await page.goto(`${server.get().url}/sign-in/`);

    await page.click('button[type="submit"]:has-text("Sign in")');
    await page.locator('[role="alert"]').waitFor();

    expect(await readText(page, '[role="alert"]')).toContain('Enter your email address.');
    expect(await page.getAttribute('#sign-in-email', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#sign-in-email', 'aria-describedby')).toContain('sign-in-email-error');
    expect(await page.getAttribute('#sign-in-email', 'class')).toContain('usa-input--error');
    expect(await readText(page, '#sign-in-email-error')).toBe('Enter your email address.');
    expect(await page.getAttribute('#sign-in-password', 'aria-invalid')).toBe('true');
  });

  test('returns to the page that needed sign-in', async () => {
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openBrowserPage();

    await page.goto(`${server.get().url}/console/people/`);
    await page.waitForURL(/\/sign-in\/\?next=%2Fconsole%2Fpeople%2F$/);
    await page.fill('#sign-in-email', admin.email);
    await page.fill('#sign-in-password', testPassword);
    await page.click('button[type="submit"]:has-text("Sign in")');
    await page.waitForURL(`${server.get().url}/console/people/`);

    expect(await page.locator('h1').textContent()).toBe('People');
  });

  test('ignores a next address on another site', async () => {
    const person = await createPerson(server.get().testApp.database.db, { role: 'agent' });
    const page = await openBrowserPage();

    await page.goto(`${server.get().url}/sign-in/?next=${encodeURIComponent('//example.com/account/')}`);
    await page.fill('#sign-in-email', person.email);
    await page.fill('#sign-in-password', testPassword);
    await page.click('button[type="submit"]:has-text("Sign in")');
    await page.waitForURL(`${server.get().url}/account/`);

    expect(new URL(page.url()).host).toBe(new URL(server.get().url).host);
  });
});

describe('Rules of Behavior page', () => {
  const server = useServer();

  test('records the acknowledgement', async () => {
    const { db } = server.get().testApp.database;
    const person = await createPerson(db, { role: 'state_user', rulesAcknowledged: false });
    const page = await openBrowserPage();

    await signIn(page, server.get(), person);
    await page.waitForURL(/\/rules-of-behavior\/\?next=%2Faccount%2F$/);
    await page.locator('[data-rules-form]').waitFor({ state: 'visible' });
    await page.click('button:has-text("Accept and continue")');
    await page.locator('[role="alert"]').waitFor();
    const missingCheck = await readText(page, '[role="alert"]');
    await page.focus('#rules-acknowledge');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.get().url}/account/`);

    const row = db.select().from(people).where(eq(people.id, person.id)).get();
    const acknowledgements = db
      .select()
      .from(rulesAcknowledgements)
      .where(eq(rulesAcknowledgements.personId, person.id))
      .all();
    expect(missingCheck).toContain('Check the box');
    expect(row?.rulesAcknowledgedAt).not.toBeNull();
    expect(acknowledgements).toHaveLength(1);
  });

  test('sends a person who owes it there first', async () => {
    const person = await createPerson(server.get().testApp.database.db, {
      role: 'state_coordinator',
      rulesAcknowledged: false,
    });
    const page = await openBrowserPage();
    await signIn(page, server.get(), person);
    await page.waitForURL(/\/rules-of-behavior\//);

    await page.goto(`${server.get().url}/console/people/`);
    await page.waitForURL(/\/rules-of-behavior\/\?next=%2Fconsole%2Fpeople%2F$/);

    expect(await page.locator('h1').textContent()).toBe('Rules of Behavior');
  });

  test('lets visitors read without the form', async () => {
    const page = await openBrowserPage();
    await page.goto(`${server.get().url}/rules-of-behavior/`);
    await page.waitForLoadState('networkidle');

    expect(await page.locator('[data-rules-form]').isVisible()).toBe(false);
    expect(await readText(page, '[data-visitor-note]')).toContain('sign in');
    expect(await page.textContent('main')).toContain('34 CFR part 99');
  });
});

describe('invitation page', () => {
  const server = useServer();

  test('sets the first password from the emailed link', async () => {
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const adminPage = await openBrowserPage();
    await signIn(adminPage, server.get(), admin);
    await adminPage.waitForURL(`${server.get().url}/account/`);
    const status = await inviteThroughBrowser(adminPage, {
      email: 'new.registrar@agency.example.gov',
      displayName: 'New Registrar',
      role: 'state_user',
      state: 'NM',
      recordsAccess: 'none',
    });
    const link = await readEmailedLink(server.get(), 'new.registrar@agency.example.gov', '/invitation/');

    const page = await openBrowserPage();
    await page.goto(`${server.get().url}${link}`);
    await page.locator('[data-invitation-form]').waitFor({ state: 'visible' });
    const addressAfterLoad = page.url();
    await page.fill('#invitation-password', 'too short');
    await page.click('button:has-text("Set password")');
    await page.locator('[role="alert"]').waitFor();
    const refusal = await readText(page, '[role="alert"]');
    const invalid = await page.getAttribute('#invitation-password', 'aria-invalid');
    await page.fill('#invitation-password', newPassword);
    await page.click('button:has-text("Set password")');
    await waitForText(page, '[data-page-status]', /active/);

    expect(status).toBe(201);
    expect(link).toMatch(/^\/invitation\/#token=/);
    expect(addressAfterLoad).toBe(`${server.get().url}/invitation/`);
    expect(refusal).toMatch(/12/);
    expect(invalid).toBe('true');
    expect(await readText(page, '[data-page-status]')).toContain('Your password is set and your account is active.');
    expect(findPersonByEmail(server.get(), 'new.registrar@agency.example.gov')?.status).toBe('active');

    await page.click('a:has-text("Sign in") >> nth=-1');
    await page.waitForURL(`${server.get().url}/sign-in/`);
    await page.fill('#sign-in-email', 'new.registrar@agency.example.gov');
    await page.fill('#sign-in-password', newPassword);
    await page.click('button[type="submit"]:has-text("Sign in")');
    await page.waitForURL(/\/rules-of-behavior\//);
  });

  test('explains a missing token', async () => {
    const page = await openBrowserPage();
    await page.goto(`${server.get().url}/invitation/`);

    await page.locator('[data-missing-token]').waitFor({ state: 'visible' });

    expect(await page.locator('[data-invitation-form]').isVisible()).toBe(false);
  });
});

describe('reset-password page', () => {
  const server = useServer();

  test('requests a link and sets a new password', async () => {
    const person = await createPerson(server.get().testApp.database.db, { role: 'state_coordinator' });
    const page = await openBrowserPage();

    await page.goto(`${server.get().url}/sign-in/`);
    await page.click('a:has-text("Forgot your password")');
    await page.waitForURL(`${server.get().url}/reset-password/`);
    await page.fill('#reset-email', person.email);
    await page.click('button:has-text("Email me a reset link")');
    await waitForText(page, '[data-page-status]', /reset link is on its way/);
    const link = await readEmailedLink(server.get(), person.email, '/reset-password/');

    await page.goto(`${server.get().url}${link}`);
    await page.locator('[data-choose-form]').waitFor({ state: 'visible' });
    const addressAfterLoad = page.url();
    await page.fill('#reset-new-password', newPassword);
    await page.click('button:has-text("Save new password")');
    await waitForText(page, '[data-page-status]', /password has been changed/);

    await signIn(page, server.get(), person, newPassword);
    await page.waitForURL(`${server.get().url}/account/`);

    expect(addressAfterLoad).toBe(`${server.get().url}/reset-password/`);
  });

  test('shows the server message for a used link', async () => {
    const page = await openBrowserPage();
    await page.goto(`${server.get().url}/reset-password/#token=${'x'.repeat(43)}`);

    await page.fill('#reset-new-password', otherPassword);
    await page.click('button:has-text("Save new password")');
    await page.locator('[role="alert"]').waitFor();

    expect(await readText(page, '[role="alert"]')).toContain('This link no longer works');
  });
});

describe('account page', () => {
  const server = useServer();

  test('changes the name', async () => {
    const person = await createPerson(server.get().testApp.database.db, { role: 'state_user' });
    const page = await openBrowserPage();
    await signInAndWait(page, server.get(), person, '/account/');
    await waitForText(page, '[data-detail="email"]', /@/);

    await page.fill('#account-name', 'Renamed Registrar');
    await page.click('button:has-text("Save name")');
    await waitForText(page, '[data-name-form] [data-form-status]', /saved/);

    expect(await readText(page, '[data-detail="displayName"]')).toBe('Renamed Registrar');
    expect(findPersonByEmail(server.get(), person.email)?.displayName).toBe('Renamed Registrar');
  });

  test('changes the password', async () => {
    const person = await createPerson(server.get().testApp.database.db, { role: 'agent' });
    const page = await openBrowserPage();
    await signInAndWait(page, server.get(), person, '/account/');

    await page.fill('#account-current-password', 'not my password at all');
    await page.fill('#account-new-password', otherPassword);
    await page.click('button:has-text("Change password")');
    await page.locator('[data-password-form] [role="alert"]').waitFor();
    const wrongCurrent = await page.getAttribute('#account-current-password', 'aria-invalid');
    await page.fill('#account-current-password', testPassword);
    await page.click('button:has-text("Change password")');
    await waitForText(page, '[data-password-form] [data-form-status]', /password has been changed/);
    await page.click('[data-sign-out]');
    await page.waitForURL(/\/sign-in\/\?signedOut=1$/);
    const signedOut = await readText(page, '[data-page-status]');
    await signIn(page, server.get(), person, otherPassword);
    await page.waitForURL(`${server.get().url}/account/`);

    expect(wrongCurrent).toBe('true');
    expect(signedOut).toBe('You have signed out.');
  });
});

describe('people console', () => {
  const server = useServer();

  async function openPeople(person: TestPerson): Promise<Page> {
    const page = await openBrowserPage();
    await signInAndWait(page, server.get(), person, '/console/people/');
    await waitForText(page, '[data-people-count]', /\S/);
    return page;
  }

  async function filterBySearch(page: Page, text: string): Promise<void> {
    await page.fill('#filter-search', text);
    await page.click('button:has-text("Show people")');
    await waitForText(page, '[data-people-status]', /Showing 1 account/);
  }

  test('admin invites, disables and deactivates', async () => {
    const { db } = server.get().testApp.database;
    const admin = await createPerson(db, { role: 'admin' });
    const target = await createPerson(db, { role: 'state_user', state: 'GA' });
    const page = await openPeople(admin);

    await page.fill('#invite-email', 'field.recruiter@agency.example.gov');
    await page.fill('#invite-name', 'Field Recruiter');
    await page.selectOption('#invite-role', 'state_user');
    await page.selectOption('#invite-state', 'FL');
    await page.click('[data-invite-form] button[type="submit"]');
    await waitForText(page, '[data-invite-form] [data-form-status]', /Invitation sent/);
    const invited = findPersonByEmail(server.get(), 'field.recruiter@agency.example.gov');

    await filterBySearch(page, target.email);
    await page.click(`button[data-action="disable"][data-person-id="${target.id}"]`);
    await waitForText(page, '[data-people-status]', /is disabled/);
    const focusAfterDisable = await page.evaluate(() => document.activeElement?.getAttribute('data-action'));
    const statusAfterDisable = findPersonByEmail(server.get(), target.email)?.status;

    await page.click(`button[data-action="deactivate"][data-person-id="${target.id}"]`);
    await page.locator('[data-deactivate-panel]').waitFor({ state: 'visible' });
    const focusInPanel = await page.evaluate(() => document.activeElement?.id);
    const statusWhileConfirming = findPersonByEmail(server.get(), target.email)?.status;
    await page.click('button:has-text("Deactivate permanently")');
    await waitForText(page, '[data-people-status]', /deactivated for good/);

    expect(invited?.status).toBe('invited');
    expect(invited?.state).toBe('FL');
    expect(statusAfterDisable).toBe('disabled');
    expect(focusAfterDisable).toBe('enable');
    expect(focusInPanel).toBe('deactivate-heading');
    expect(statusWhileConfirming).toBe('disabled');
    expect(findPersonByEmail(server.get(), target.email)?.status).toBe('deactivated');
    expect(await readText(page, '[data-people-rows] tr')).toContain('Deactivated');
  });

  test('cancel keeps the account', async () => {
    const { db } = server.get().testApp.database;
    const admin = await createPerson(db, { role: 'admin' });
    const target = await createPerson(db, { role: 'state_user', state: 'OR' });
    const page = await openPeople(admin);
    await filterBySearch(page, target.email);

    await page.focus(`button[data-action="deactivate"][data-person-id="${target.id}"]`);
    await page.keyboard.press('Enter');
    await page.locator('[data-deactivate-panel]').waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');

    expect(await page.locator('[data-deactivate-panel]').isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-action'))).toBe('deactivate');
    expect(findPersonByEmail(server.get(), target.email)?.status).toBe('active');
  });

  test('admin edits role and state', async () => {
    const { db } = server.get().testApp.database;
    const admin = await createPerson(db, { role: 'admin' });
    const target = await createPerson(db, { role: 'state_user', state: 'WA' });
    const page = await openPeople(admin);
    await filterBySearch(page, target.email);

    await page.click(`button[data-action="edit"][data-person-id="${target.id}"]`);
    await page.locator('[data-edit-panel]').waitFor({ state: 'visible' });
    await page.selectOption('#edit-role', 'agent');
    const stateShownForAgent = await page.locator('#edit-state').isVisible();
    await page.selectOption('#edit-records-access', 'viewer');
    await page.click('button:has-text("Save changes")');
    await waitForText(page, '[data-people-status]', /Saved the changes/);

    const row = findPersonByEmail(server.get(), target.email);
    expect(stateShownForAgent).toBe(false);
    expect(row?.role).toBe('agent');
    expect(row?.state).toBeNull();
    expect(row?.recordsAccess).toBe('viewer');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-action'))).toBe('edit');
  });

  test('coordinator sees only their state', async () => {
    const { db } = server.get().testApp.database;
    const coordinator = await createPerson(db, { role: 'state_coordinator', state: 'KS' });
    const sameState = await createPerson(db, { role: 'state_user', state: 'KS' });
    const otherState = await createPerson(db, { role: 'state_user', state: 'MO' });
    const page = await openPeople(coordinator);

    const emails = await page.locator('[data-people-rows] tr td:nth-child(2)').allTextContents();
    const roleOptions = await page
      .locator('#invite-role option')
      .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    await page.fill('#invite-email', 'ks.counselor@agency.example.gov');
    await page.fill('#invite-name', 'Kansas Counselor');
    await page.click('[data-invite-form] button[type="submit"]');
    await waitForText(page, '[data-invite-form] [data-form-status]', /Invitation sent/);

    expect(emails).toContain(sameState.email);
    expect(emails).toContain(coordinator.email);
    expect(emails).not.toContain(otherState.email);
    expect(await page.locator('#filter-state').count()).toBe(0);
    expect(await page.locator('#invite-state').count()).toBe(0);
    expect(roleOptions).toEqual(['state_user', 'state_coordinator']);
    expect(findPersonByEmail(server.get(), 'ks.counselor@agency.example.gov')?.state).toBe('KS');
  });

  test('shows the server message for a taken email', async () => {
    const { db } = server.get().testApp.database;
    const admin = await createPerson(db, { role: 'admin' });
    const existing = await createPerson(db, { role: 'agent' });
    const page = await openPeople(admin);

    await page.fill('#invite-email', existing.email);
    await page.fill('#invite-name', 'Second Agent');
    await page.selectOption('#invite-role', 'agent');
    await page.click('[data-invite-form] button[type="submit"]');
    await page.locator('[data-invite-form] [role="alert"]').waitFor();

    expect(await readText(page, '[data-invite-form] [role="alert"]')).toContain('already has an account');
    expect(await page.getAttribute('#invite-email', 'aria-invalid')).toBe('true');
  });

  test('tells a state user they cannot use it', async () => {
    const person = await createPerson(server.get().testApp.database.db, { role: 'state_user' });
    const page = await openBrowserPage();
    await signIn(page, server.get(), person);
    await page.waitForURL(`${server.get().url}/account/`);

    await page.goto(`${server.get().url}/console/people/`);
    await page.locator('[data-gate-denied]').waitFor({ state: 'visible' });

    expect(await readText(page, '[data-gate-denied]')).toContain(
      'You are signed in as a state user, so you cannot use it.',
    );
    expect(await page.locator('[data-gate-content]').isVisible()).toBe(false);
  });
});

describe('audit console', () => {
  const server = useServer();

  test('filters entries and links the CSV', async () => {
    const { db } = server.get().testApp.database;
    const admin = await createPerson(db, { role: 'admin' });
    const page = await openBrowserPage();
    await signIn(page, server.get(), { email: 'nobody@agency.example.gov' }, 'wrong password here');
    await page.locator('[role="alert"]').waitFor();
    await signInAndWait(page, server.get(), admin, '/console/audit/');
    await waitForText(page, '[data-audit-count]', /\S/);

    await page.fill('#audit-actor', 'nobody@');
    await page.selectOption('#audit-outcome', 'failure');
    await page.click('button:has-text("Show entries")');
    await waitForText(page, '[data-audit-status]', /Showing entries 1 to 1,/);
    const cells = await page.locator('[data-audit-rows] tr td').allTextContents();
    const csvHref = await page.getAttribute('[data-audit-csv]', 'href');
    const csv = await page.request.get(`${server.get().url}${csvHref}`);
    const csvText = await csv.text();

    expect(cells).toContain('auth.sign_in');
    expect(cells).toContain('Failure');
    expect(cells.join(' ')).toContain('nobody@agency.example.gov');
    expect(csvHref).toBe('/api/audit/export?actor=nobody%40&outcome=failure');
    expect(new URL(page.url()).search).toBe('?actor=nobody%40&outcome=failure');
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect(csvText).toContain('nobody@agency.example.gov');
    expect(csvText).not.toContain(admin.email);
  });

  test('pages through entries', async () => {
    const { db } = server.get().testApp.database;
    const admin = await createPerson(db, { role: 'admin' });
    for (let index = 0; index < 60; index += 1) {
      recordAudit(db, {
        ip: '192.0.2.1',
        action: 'test.paging',
        outcome: 'success',
        detail: `entry ${index}`,
        at: new Date(),
      });
    }
    const page = await openBrowserPage();
    await signInAndWait(page, server.get(), admin, '/console/audit/?action=test.paging');
    await waitForText(page, '[data-audit-count]', /Showing entries 1 to 50,/);

    await page.click('[data-audit-next]');
    await waitForText(page, '[data-audit-count]', /Showing entries 51 to 60,/);
    const focusAfterNext = await page.evaluate(() => document.activeElement?.id);
    const nextHidden = await page.locator('[data-audit-next]').isHidden();
    const addressAfterNext = new URL(page.url()).search;
    await page.click('[data-audit-previous]');
    await waitForText(page, '[data-audit-count]', /Showing entries 1 to 50,/);

    expect(focusAfterNext).toBe('audit-results-heading');
    expect(nextHidden).toBe(true);
    expect(addressAfterNext).toBe('?action=test.paging&offset=50');
    expect(await page.locator('[data-audit-rows] tr').count()).toBe(50);
  });

  test('rejects a from date after the to date', async () => {
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openBrowserPage();
    await signInAndWait(page, server.get(), admin, '/console/audit/');

    await page.fill('#audit-from', '2026-05-02');
    await page.fill('#audit-to', '2026-05-01');
    await page.click('button:has-text("Show entries")');
    await page.locator('[data-audit-filters] [role="alert"]').waitFor();

    expect(await page.getAttribute('#audit-to', 'aria-invalid')).toBe('true');
  });
});

describe('mailbox console', () => {
  const server = useServer();

  test('lists and opens a message', async () => {
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openBrowserPage();
    await signIn(page, server.get(), admin);
    await page.waitForURL(`${server.get().url}/account/`);
    await inviteThroughBrowser(page, {
      email: 'mail.reader@agency.example.gov',
      displayName: 'Mail Reader',
      role: 'agent',
      recordsAccess: 'none',
    });
    await deliverMail(server.get());

    await page.goto(`${server.get().url}/console/mailbox/`);
    await waitForText(page, '[data-mailbox-count]', /1 message/);
    await page.focus('[data-mailbox-rows] button');
    await page.keyboard.press('Enter');
    await page.locator('[data-message-panel]').waitFor({ state: 'visible' });
    const focusInPanel = await page.evaluate(() => document.activeElement?.id);
    const text = await readText(page, '[data-message-text]');
    const to = await readText(page, '[data-message-field="to"]');
    const linksInMessage = await page.locator('[data-message-panel] pre a').count();
    await page.click('[data-message-close]');

    expect(await readText(page, '[data-mailbox-rows] tr')).toContain('Your MSIX Assist account: set your password');
    expect(focusInPanel).toBe('message-heading');
    expect(to).toContain('mail.reader@agency.example.gov');
    expect(text).toContain('/invitation/#token=');
    expect(linksInMessage).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-message-id'))).toMatch(/\.eml$/);
  });
});

describe('account pages with axe-core', () => {
  const server = useServer();

  const visitorPages = ['/sign-in/', '/invitation/', '/reset-password/', '/rules-of-behavior/'];
  test.each(visitorPages)('%s has no violations', async (path) => {
    const page = await openBrowserPage({ bypassCSP: true });
    await page.goto(`${server.get().url}${path}`);
    await page.waitForLoadState('networkidle');

    expect(await findAxeViolations(page)).toEqual([]);
  });

  const signedInPages: [Role, string, string][] = [
    ['admin', '/account/', '[data-detail="email"]'],
    ['admin', '/console/', '[data-gate-content]:not([hidden])'],
    ['admin', '/console/people/', '[data-people-count]'],
    ['admin', '/console/audit/', '[data-audit-count]'],
    ['admin', '/console/mailbox/', '[data-mailbox-count]'],
    ['state_coordinator', '/console/people/', '[data-people-count]'],
    ['state_user', '/console/people/', '[data-gate-denied-text]'],
  ];
  test.each(signedInPages)('%s on %s has no violations', async (role, path, readySelector) => {
    const person = await createPerson(server.get().testApp.database.db, { role });
    const page = await openBrowserPage({ bypassCSP: true });
    await signInAndOpen(page, server.get(), person, path);
    await waitForText(page, readySelector, /\S/);

    expect(await findAxeViolations(page)).toEqual([]);
  });

  test('people page on a phone has no violations', async () => {
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openBrowserPage({ bypassCSP: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await signInAndWait(page, server.get(), admin, '/console/people/');
    await waitForText(page, '[data-people-count]', /\S/);

    expect(await findAxeViolations(page)).toEqual([]);
  });

  test('sign-in error state has no violations', async () => {
    const page = await openBrowserPage({ bypassCSP: true });
    await signIn(page, server.get(), { email: 'someone@agency.example.gov' }, 'wrong password here');
    await page.locator('[role="alert"]').waitFor();

    expect(await findAxeViolations(page)).toEqual([]);
  });

  test('open console panels have no violations', async () => {
    const { db } = server.get().testApp.database;
    const admin = await createPerson(db, { role: 'admin' });
    const target = await createPerson(db, { role: 'state_user', state: 'PR' });
    const page = await openBrowserPage({ bypassCSP: true });
    await signInAndWait(page, server.get(), admin, '/console/people/');
    await waitForText(page, '[data-people-count]', /\S/);

    await page.click('[data-invite-form] button[type="submit"]');
    await page.locator('[data-invite-form] [role="alert"]').waitFor();
    await page.click(`button[data-action="deactivate"][data-person-id="${target.id}"]`);
    await page.locator('[data-deactivate-panel]').waitFor({ state: 'visible' });
    const withConfirmation = await findAxeViolations(page);
    await page.click('[data-deactivate-cancel]');
    await page.click(`button[data-action="edit"][data-person-id="${target.id}"]`);
    await page.locator('[data-edit-panel]').waitFor({ state: 'visible' });
    const withEditPanel = await findAxeViolations(page);

    expect(withConfirmation).toEqual([]);
    expect(withEditPanel).toEqual([]);
  });

  test('open mailbox message has no violations', async () => {
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openBrowserPage({ bypassCSP: true });
    await signIn(page, server.get(), { email: admin.email });
    await page.waitForURL(`${server.get().url}/account/`);
    await page.click('[data-sign-out]');
    await page.waitForURL(/signedOut/);
    await page.click('a:has-text("Forgot your password")');
    await page.fill('#reset-email', admin.email);
    await page.click('button:has-text("Email me a reset link")');
    await waitForText(page, '[data-page-status]', /on its way/);
    await deliverMail(server.get());
    await signInAndWait(page, server.get(), admin, '/console/mailbox/');
    await waitForText(page, '[data-mailbox-count]', /message/);

    await page.click('[data-mailbox-rows] button');
    await page.locator('[data-message-panel]').waitFor({ state: 'visible' });

    expect(await findAxeViolations(page)).toEqual([]);
  });
});
