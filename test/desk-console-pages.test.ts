/**
 * The agents' console pages in headless Chromium against the real app. The
 * tests work a ticket from the queue with the keyboard alone, check that
 * markup in ticket text shows as text, add a note with a file and set a cap
 * on /desk/agents/. axe-core checks /desk/, /desk/ticket/,
 * /desk/canned-responses/ and /desk/agents/.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, test } from 'vitest';
import { createTicket } from '../api/desk/tickets/create';
import { deskAgentSettings, ticketAttachments, ticketMessages, tickets } from '../db/schema';
import { createPerson, type TestPerson } from './helpers/accounts';
import {
  findAxeViolations,
  openSignedIn,
  readCspViolations,
  tabTo,
  useChromium,
  waitForText,
} from './helpers/page-session';
import { useServer } from './helpers/server';

const chromium = useChromium();

const markupSubject = '<img src=x onerror="document.title=1"> Upload <b>rejected</b>';

describe('help desk console pages', () => {
  const server = useServer();
  let agent: TestPerson;
  let admin: TestPerson;
  let ticketId: number;

  beforeAll(async () => {
    const { testApp } = server.get();
    const db = testApp.database.db;
    agent = await createPerson(db, { role: 'agent' });
    admin = await createPerson(db, { role: 'admin' });
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
    db.insert(ticketMessages)
      .values({
        ticketId,
        visibility: 'public',
        authorType: 'requester',
        authorEmail: 'registrar@district.example.gov',
        authorName: 'Dana Registrar',
        channel: 'email',
        bodyText:
          'The header row is there now.\n\nOn Fri, Dec 4, 2026, MSIX help desk wrote:\n> We received your request.',
        createdAt: new Date(now.getTime() + 2000).toISOString(),
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
    const cannedPage = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      agent,
      '/desk/canned-responses/',
    );
    await tabTo(cannedPage, '#canned-title');
    await cannedPage.keyboard.type('Header row missing');
    await cannedPage.keyboard.press('Tab');
    await cannedPage.keyboard.type('Hello {{requester_name}}, see {{faq:what-files-make-up-an-upload}}.');
    await tabTo(cannedPage, '[data-save-label]');
    await cannedPage.keyboard.press('Enter');
    await waitForText(cannedPage, '[data-canned-status]', /was created/);

    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), agent, '/desk/');
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
    await waitForText(page, '[data-history]', /Created by email from registrar@district\.example\.gov/);
    await waitForText(page, '.desk-message--internal .desk-message__meta', /in the help desk$/);
    await waitForText(page, '[data-ticket-facts]', /[AP]M [A-Z]{2,5}\b/);
    const quote = page.locator('.message-quote');
    expect(await quote.locator('summary').textContent()).toBe('Show quoted text');
    expect(await quote.locator('.message-quote__text').isVisible()).toBe(false);
    await waitForText(page, '[data-messages]', /The header row is there now\./);

    // Assign to me, then reply with the canned response and solve.
    await tabTo(page, '[data-assign-me]');
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-ticket-status]', /assigned to you/);

    await tabTo(page, '#reply-canned');
    // The starter responses come first in title order, so the one made above is chosen by its label.
    await page.selectOption('#reply-canned', { label: 'Header row missing' });
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

  test('internal note with a file from the reply box', async () => {
    const { testApp } = server.get();
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      agent,
      `/desk/ticket/?id=${ticketId}`,
    );
    await page.locator('[data-ticket-content]').waitFor({ state: 'visible' });
    expect(await page.locator('#reply-attachments-hint').textContent()).toMatch(
      /Up to 5 files of at most 10 MB each: PDF, .*CSV, Word or Excel/,
    );

    await tabTo(page, '#reply-body');
    await page.keyboard.type('Screenshot of the rejected file, for the desk only.');
    await tabTo(page, '#visibility-public');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#visibility-internal').isChecked()).toBe(true);
    await tabTo(page, '#reply-attachments');
    await page.locator('#reply-attachments').setInputFiles({
      name: 'rejected-file.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('line 1: header row missing'),
    });
    await tabTo(page, '[data-reply-form] button[type="submit"]');
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-ticket-status]', /internal note with 1 file was added/);

    const link = page.locator('.desk-message--internal a', { hasText: 'rejected-file.txt' });
    expect(await link.count()).toBe(1);
    const db = testApp.database.db;
    const file = db.select().from(ticketAttachments).where(eq(ticketAttachments.fileName, 'rejected-file.txt')).get()!;
    const message = db.select().from(ticketMessages).where(eq(ticketMessages.id, file.ticketMessageId!)).get()!;
    expect(message.visibility).toBe('internal');
    expect(readCspViolations(page)).toEqual([]);
  });

  test('admin sets a cap with the keyboard', async () => {
    const { testApp } = server.get();
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), admin, '/desk/agents/');
    await waitForText(page, '[data-agent-rows]', /Test agent/);

    await tabTo(page, '#cap-agent');
    const agentOption = await page
      .locator('#cap-agent option', { hasText: /Test agent/ })
      .first()
      .getAttribute('value');
    for (let step = 0; step < 5 && (await page.locator('#cap-agent').inputValue()) !== agentOption; step += 1) {
      await page.keyboard.press('ArrowDown');
    }
    expect(await page.locator('#cap-value').inputValue()).toBe('25');

    await tabTo(page, '#cap-value');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('900');
    await page.keyboard.press('Enter');
    await waitForText(page, '#cap-value-error', /whole number from 1 to 500/);

    await tabTo(page, '#cap-value');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('40');
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-agents-status]', /can now hold 40 open tickets/);
    await waitForText(page, '[data-agent-rows]', /40/);

    const settings = testApp.database.db
      .select()
      .from(deskAgentSettings)
      .where(eq(deskAgentSettings.personId, Number(agentOption)))
      .get();
    expect(settings?.openTicketCap).toBe(40);
    expect(readCspViolations(page)).toEqual([]);
  });

  test('agent sees caps read-only', async () => {
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), agent, '/desk/agents/');
    await waitForText(page, '[data-agent-rows]', /\(me\)/);
    expect(await page.locator('[data-cap-section]').isHidden()).toBe(true);
    await page.locator('[data-caps-readonly]').waitFor({ state: 'visible' });
    expect(await page.locator('main input:visible, main select:visible').count()).toBe(0);
  });

  test('phone call link opens the phone form', async () => {
    const { url } = server.get();
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), agent, '/desk/');
    await tabTo(page, 'a[href="/support/phone/"]');
    expect(await page.locator('a[href="/support/phone/"]').textContent()).toBe('Log a phone call');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${url}/support/phone/`);
    await page.locator('[data-gate-content]').waitFor({ state: 'visible' });
  });

  test('console pages pass axe', async () => {
    const pages: [TestPerson, string][] = [
      [agent, '/desk/?queue=all'],
      [agent, `/desk/ticket/?id=${ticketId}`],
      [agent, '/desk/canned-responses/'],
      [agent, '/desk/agents/'],
      [admin, '/desk/agents/'],
    ];
    for (const [person, path] of pages) {
      const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), person, path, {
        bypassCSP: true,
      });
      // The solved ticket is only in All tickets, which the address selects.
      if (path.startsWith('/desk/?')) await waitForText(page, '[data-ticket-rows]', /Upload/);
      if (path.startsWith('/desk/ticket/')) await page.locator('[data-ticket-content]').waitFor({ state: 'visible' });
      if (path === '/desk/canned-responses/') await waitForText(page, '[data-canned-count]', /response/);
      if (path === '/desk/agents/') await waitForText(page, '[data-agents-count]', /available/);
      expect(await findAxeViolations(page), `${person.role} ${path}`).toEqual([]);
    }
  });

  test('state user sees the denied message', async () => {
    const stateUser = await createPerson(server.get().testApp.database.db, { role: 'state_user', state: 'TX' });
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), stateUser, '/desk/', {
      waitForGate: false,
    });
    await page.locator('[data-gate-denied]').waitFor({ state: 'visible' });
    expect(await page.locator('[data-gate-content]').isHidden()).toBe(true);
  });
});
