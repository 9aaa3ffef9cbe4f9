/**
 * The agents' console pages in headless Chromium against the real app: a
 * ticket worked from the queue with the keyboard alone, markup in ticket
 * text shown as text, and axe-core on /desk/, /desk/ticket/ and
 * /desk/canned-responses/.
 */
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createTicket } from '../api/desk/tickets/create';
import { ticketMessages, tickets } from '../db/schema';
import { createPerson, type TestPerson } from './helpers/accounts';
import { launchChromium } from './helpers/browser';
import { findAxeViolations, openSignedIn, readCspViolations, tabTo, waitForText } from './helpers/page-session';
import { useServer } from './helpers/server';

let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

afterAll(async () => {
  await browser?.close();
});

const markupSubject = '<img src=x onerror="document.title=1"> Upload <b>rejected</b>';

describe('help desk console pages', () => {
  const server = useServer();
  let agent: TestPerson;
  let ticketId: number;

  beforeAll(async () => {
    const { testApp } = server.get();
    const db = testApp.database.db;
    agent = await createPerson(db, { role: 'agent' });
    const now = new Date();
    ticketId = createTicket(
      db,
      { ...testApp.config },
      {
        subject: markupSubject,
        bodyText: 'Our file was rejected. <script>alert(1)</script>',
        requester: { email: 'registrar@district.example.gov', name: '<i>Dana</i> Registrar', state: 'TX' },
        category: 'data_submission',
        channel: 'email',
        acknowledge: false,
      },
      { now, ip: '127.0.0.1' },
    ).ticketId;
    db.insert(ticketMessages)
      .values({
        ticketId,
        visibility: 'internal',
        authorType: 'agent',
        authorId: agent.id,
        authorEmail: agent.email,
        authorName: 'Test agent',
        channel: 'web',
        bodyText: 'Checked the upload log: the students file lacks a header row.',
        createdAt: new Date(now.getTime() + 1000).toISOString(),
      })
      .run();
    // A due time in the past, so the queue shows the breached badge.
    db.update(tickets)
      .set({ firstResponseDueAt: new Date(now.getTime() - 60_000).toISOString() })
      .where(eq(tickets.id, ticketId))
      .run();
  });

  test('ticket worked from the queue with the keyboard', async () => {
    const { url, testApp } = server.get();
    const cannedPage = await openSignedIn(browser, contexts, server.get(), agent, '/desk/canned-responses/');
    await tabTo(cannedPage, '#canned-title');
    await cannedPage.keyboard.type('Header row missing');
    await cannedPage.keyboard.press('Tab');
    await cannedPage.keyboard.type('Hello {{requester_name}}, see {{faq:what-files-make-up-an-upload}}.');
    await tabTo(cannedPage, '[data-save-label]');
    await cannedPage.keyboard.press('Enter');
    await waitForText(cannedPage, '[data-canned-status]', /was created/);

    const page = await openSignedIn(browser, contexts, server.get(), agent, '/desk/');
    await waitForText(page, '[data-ticket-rows]', /Upload/);
    expect(await page.locator('[data-ticket-rows] img, [data-ticket-rows] b').count()).toBe(0);
    expect(await page.locator('[data-ticket-rows] .desk-badge--breached').count()).toBe(1);

    await tabTo(page, `[data-ticket-rows] a[href="/desk/ticket/?id=${ticketId}"]`);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${url}/desk/ticket/?id=${ticketId}`);
    await page.locator('[data-ticket-content]').waitFor({ state: 'visible' });
    await waitForText(page, '[data-ticket-heading]', /Ticket #\d+: <img/);
    expect(await page.locator('main img, main b, main i').count()).toBe(0);
    expect(await page.locator('.desk-message--internal').count()).toBe(1);

    // Assign to me, then reply with the canned response and solve.
    await tabTo(page, '[data-assign-me]');
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-ticket-status]', /assigned to you/);

    await tabTo(page, '#reply-canned');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#reply-canned').inputValue()).not.toBe('');
    await tabTo(page, '[data-insert-canned]');
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-ticket-status]', /Inserted/);
    const text = await page.locator('#reply-body').inputValue();
    expect(text).toContain('Hello <i>Dana</i> Registrar');
    expect(text).toContain('/faqs/what-files-make-up-an-upload/');

    await tabTo(page, '#reply-status');
    await page.selectOption('#reply-status', 'solved');
    await tabTo(page, '[data-reply-form] button[type="submit"]');
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-ticket-status]', /reply was sent/);
    await waitForText(page, '[data-history]', /Status changed: New → Solved|Status changed: Open → Solved/);

    const row = testApp.database.db.select().from(tickets).where(eq(tickets.id, ticketId)).get()!;
    expect(row.status).toBe('solved');
    expect(row.assigneeId).toBe(agent.id);
    expect(readCspViolations(page)).toEqual([]);
    expect(readCspViolations(cannedPage)).toEqual([]);
  });

  test('console pages pass axe', async () => {
    for (const path of ['/desk/?queue=all', `/desk/ticket/?id=${ticketId}`, '/desk/canned-responses/']) {
      const page = await openSignedIn(browser, contexts, server.get(), agent, path, { bypassCSP: true });
      // The solved ticket is only in All tickets, which the address selects.
      if (path.startsWith('/desk/?')) await waitForText(page, '[data-ticket-rows]', /Upload/);
      if (path.startsWith('/desk/ticket/')) await page.locator('[data-ticket-content]').waitFor({ state: 'visible' });
      if (path === '/desk/canned-responses/') await waitForText(page, '[data-canned-count]', /response/);
      expect(await findAxeViolations(page), path).toEqual([]);
    }
  });

  test('state user sees the denied message', async () => {
    const stateUser = await createPerson(server.get().testApp.database.db, { role: 'state_user', state: 'TX' });
    const page = await openSignedIn(browser, contexts, server.get(), stateUser, '/desk/', { waitForGate: false });
    await page.locator('[data-gate-denied]').waitFor({ state: 'visible' });
    expect(await page.locator('[data-gate-content]').isHidden()).toBe(true);
  });
});
