/**
 * The requester pages of the help desk in headless Chromium against the real
 * app: filing a ticket with FAQ suggestions, a visitor's confirmation, the
 * ticket list, one ticket with a reply and the close button, the survey, and
 * axe-core and the keyboard on each of them.
 */
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { addAgentMessage } from '../api/desk/tickets/messages';
import { faqSuggestionDrafts, outboxMessages, ticketAttachments, ticketMessages, tickets } from '../db/schema';
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
import { useServer } from './helpers/server';

const chromium = useChromium();

const server = useServer();
let requester: TestPerson;
let coordinator: TestPerson;
let agent: TestPerson;

beforeAll(async () => {
  const db = server.get().testApp.database.db;
  requester = await createPerson(db, { role: 'state_user', state: 'TX' });
  coordinator = await createPerson(db, { role: 'state_coordinator', state: 'TX' });
  agent = await createPerson(db, { role: 'agent' });
});

function database() {
  return server.get().testApp.database.db;
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  expect(await findAxeViolations(page)).toEqual([]);
}

/** Returns the fragment link of the newest mail of `kind` to `to`, as a site path. */
function emailedPath(to: string, kind: string, pagePath: string): string {
  const rows = database().select().from(outboxMessages).where(eq(outboxMessages.recipient, to)).all();
  const mail = rows.filter((row) => row.kind === kind).at(-1);
  if (!mail) throw new Error(`no ${kind} mail to ${to}`);
  const match = new RegExp(`${pagePath.replace(/\//g, '\\/')}#token=[A-Za-z0-9_-]+`).exec(mail.textBody);
  if (!match) throw new Error(`no ${pagePath} link in the ${kind} mail`);
  return match[0];
}

function solveTicket(ticketId: number): void {
  addAgentMessage(
    database(),
    server.get().testApp.config,
    ticketId,
    {
      id: agent.id,
      email: agent.email,
      displayName: 'Agent Rivera',
      role: 'agent',
      state: null,
      recordsAccess: 'none',
      status: 'active',
    },
    { visibility: 'public', bodyText: 'We reset the account; you can sign in now.', status: 'solved' },
    { now: new Date(), ip: '127.0.0.1' },
  );
}

describe('support pages', () => {
  test('file a ticket with FAQ suggestions', async () => {
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), requester, '/support/', {
      waitForGate: false,
    });
    await page.locator('[data-ticket-form]').waitFor({ state: 'visible' });
    expect(await page.locator('[data-visitor-fields]').isHidden()).toBe(true);

    await page.fill('#support-subject', 'How do I apply for an MSIX account?');
    await page.locator('[data-suggestions]').waitFor({ state: 'visible' });
    const suggestions = page.locator('[data-suggestion-list] a');
    expect(await suggestions.count()).toBeGreaterThan(0);
    expect(await suggestions.count()).toBeLessThanOrEqual(3);
    await waitForText(page, '[data-suggestion-list]', /apply for an MSIX account/i);

    // Opening a suggestion records it for the draft; coming back restores the draft.
    await page
      .locator('[data-suggestion-list] a', { hasText: /apply for an MSIX account/i })
      .first()
      .click();
    await page.waitForURL(/\/faqs\//);
    await expect.poll(() => database().select().from(faqSuggestionDrafts).all().length).toBe(1);
    await page.goBack();
    await page.locator('[data-ticket-form]').waitFor({ state: 'visible' });
    expect(await page.inputValue('#support-subject')).toBe('How do I apply for an MSIX account?');

    await page.selectOption('#support-category', 'account_access');
    await page.fill('#support-description', 'My new registrar needs an account. <b>Who</b> approves it?');
    await page.setInputFiles('#support-attachments', {
      name: 'request form.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% synthetic\n'),
    });
    await page.click('[data-submit]');
    await waitForText(page, '[data-done-heading]', /^Ticket #\d+ is open$/);

    const ticket = database().select().from(tickets).where(eq(tickets.requesterId, requester.id)).get()!;
    expect(ticket.subject).toBe('How do I apply for an MSIX account?');
    const draft = database().select().from(faqSuggestionDrafts).get()!;
    expect(draft.ticketId).toBe(ticket.id);
    const attachment = database()
      .select()
      .from(ticketAttachments)
      .where(eq(ticketAttachments.ticketId, ticket.id))
      .get();
    expect(attachment?.fileName).toBe('request form.pdf');
    expect(readCspViolations(page)).toEqual([]);
  });

  test('visitor confirms address by email link', async () => {
    const page = await openPage(chromium.browser, chromium.contexts);
    await page.goto(`${server.get().url}/support/`);
    await page.locator('[data-visitor-fields]').waitFor({ state: 'visible' });
    await page.fill('#support-name', 'Robin Visitor');
    await page.fill('#support-email', 'robin.visitor@district.example.org');
    await page.selectOption('#support-state', 'NM');
    await page.fill('#support-subject', 'Move notice not received');
    await page.selectOption('#support-category', 'move_notices');
    await page.fill('#support-description', 'We expected a move notice last week and nothing came.');
    await page.click('[data-submit]');
    await waitForText(page, '[data-done-heading]', /Check your email/);

    const path = emailedPath('robin.visitor@district.example.org', 'ticket_visitor_confirmation', '/support/confirm/');
    await page.goto(`${server.get().url}${path}`);
    await waitForText(page, '[data-confirm-heading]', /ticket #\d+ is open/);
    expect(page.url()).not.toContain('token');
    const ticket = database()
      .select()
      .from(tickets)
      .where(eq(tickets.requesterEmail, 'robin.visitor@district.example.org'))
      .get();
    expect(ticket?.state).toBe('NM');
    expect(readCspViolations(page)).toEqual([]);
  });

  test('ticket list, reply by keyboard and close', async () => {
    const markupSubject = '<img src=x onerror=alert(1)> Report export';
    const created = database()
      .insert(tickets)
      .values({
        subject: markupSubject,
        requesterId: requester.id,
        requesterEmail: requester.email,
        requesterName: 'Test requester',
        state: 'TX',
        category: 'reports',
        channel: 'web',
        status: 'pending',
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      })
      .returning()
      .get();
    database()
      .insert(ticketMessages)
      .values({
        ticketId: created.id,
        visibility: 'public',
        authorType: 'requester',
        authorName: 'Test requester',
        channel: 'web',
        bodyText: '<script>alert("x")</script> The export is empty.',
        createdAt: new Date().toISOString(),
      })
      .run();

    const list = await openSignedIn(chromium.browser, chromium.contexts, server.get(), requester, '/support/tickets/');
    await list.locator('[data-ticket-table]').waitFor({ state: 'visible' });
    await list.locator('[data-ticket-rows] a', { hasText: 'Report export' }).click();
    await list.waitForURL(/\/support\/ticket\/\?id=/);
    await waitForText(list, '[data-ticket-heading]', /Report export/);
    expect(await readText(list, '[data-ticket-heading]')).toBe(`Ticket #${created.id}: ${markupSubject}`);
    expect(await readText(list, '[data-conversation]')).toContain('<script>alert("x")</script>');

    await tabTo(list, '#reply-body');
    await list.keyboard.type('Here is the export I tried.');
    await tabTo(list, '[data-reply-submit]');
    await list.keyboard.press('Enter');
    await waitForText(list, '[data-reply-status]', /added/);
    await waitForText(list, '[data-conversation]', /Here is the export I tried\./);
    expect(database().select().from(tickets).where(eq(tickets.id, created.id)).get()?.status).toBe('open');

    await tabTo(list, '[data-close-start]');
    await list.keyboard.press('Enter');
    await tabTo(list, '[data-close-confirm-button]');
    await list.keyboard.press('Enter');
    await list.locator('[data-closed-note]').waitFor({ state: 'visible' });
    expect(database().select().from(tickets).where(eq(tickets.id, created.id)).get()?.status).toBe('closed');
    expect(readCspViolations(list)).toEqual([]);
  });

  test('survey answered once', async () => {
    const ticket = database().select().from(tickets).where(eq(tickets.requesterId, requester.id)).get()!;
    solveTicket(ticket.id);
    const path = emailedPath(requester.email, 'ticket_survey', '/support/survey/');
    const page = await openPage(chromium.browser, chromium.contexts);
    await page.goto(`${server.get().url}${path}`);
    await page.locator('[data-survey-form]').waitFor({ state: 'visible' });
    await tabTo(page, '#rating-1');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.fill('#survey-comment', 'Fast answer.');
    await page.click('[data-survey-submit]');
    await page.locator('[data-survey-done]').waitFor({ state: 'visible' });

    const again = await openPage(chromium.browser, chromium.contexts);
    await again.goto(`${server.get().url}${path}`);
    await waitForText(again, '[data-survey-alert]', /already answered/);
  });

  test('agent logs a phone call', async () => {
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), agent, '/support/phone/', {
      bypassCSP: true,
    });
    await page.fill('#phone-name', 'Casey Caller');
    await page.fill('#phone-email', 'casey.caller@district.example.org');
    await page.selectOption('#phone-state', 'AZ');
    await page.fill('#phone-subject', 'Cannot find the child count report');
    await page.selectOption('#phone-category', 'reports');
    await page.selectOption('#phone-priority', 'high');
    await page.fill('#phone-description', 'Caller asked where the child count report moved to.');
    await expectNoAxeViolations(page);
    await page.click('[data-phone-submit]');
    await waitForText(page, '[data-phone-done-heading]', /^Ticket #\d+ is logged$/);

    const ticket = database()
      .select()
      .from(tickets)
      .where(eq(tickets.requesterEmail, 'casey.caller@district.example.org'))
      .get();
    expect(ticket?.channel).toBe('phone');
    expect(ticket?.priority).toBe('high');
    expect(ticket?.state).toBe('AZ');
    await expectNoAxeViolations(page);
  });

  test('axe on every support page', async () => {
    const ticket = database().select().from(tickets).where(eq(tickets.requesterId, requester.id)).get()!;

    const visitor = await openPage(chromium.browser, chromium.contexts, { bypassCSP: true });
    await visitor.goto(`${server.get().url}/support/`);
    await visitor.locator('[data-visitor-fields]').waitFor({ state: 'visible' });
    await visitor.fill('#support-subject', 'How do I review a near match?');
    await visitor.locator('[data-suggestions]').waitFor({ state: 'visible' });
    await expectNoAxeViolations(visitor);
    await visitor.click('[data-submit]');
    await visitor.locator('[data-form-alert] [role="alert"]').waitFor();
    const problems = await visitor.locator('[data-form-alert] li').allTextContents();
    expect(problems[0]).toMatch(/^Your name /);
    expect(problems[2]).toBe('Your state is missing. Choose a state from the list.');
    expect(problems[3]).toBe('Topic is missing. Choose a topic from the list.');
    expect(problems[4]).toBe('Description must have at least 10 characters. Say what you tried and what happened.');
    await expectNoAxeViolations(visitor);

    const signedIn = await openSignedIn(chromium.browser, chromium.contexts, server.get(), coordinator, '/support/', {
      bypassCSP: true,
      waitForGate: false,
    });
    await signedIn.locator('[data-attachments-wrapper]').waitFor({ state: 'visible' });
    await expectNoAxeViolations(signedIn);

    const list = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      coordinator,
      '/support/tickets/',
      {
        bypassCSP: true,
      },
    );
    await list.locator('[data-scope-form]').waitFor({ state: 'visible' });
    await list.check('#scope-state');
    await list.locator('[data-requester-column]').waitFor({ state: 'visible' });
    await expectNoAxeViolations(list);

    const one = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      coordinator,
      `/support/ticket/?id=${ticket.id}`,
      {
        bypassCSP: true,
      },
    );
    await one.locator('[data-ticket-content]').waitFor({ state: 'visible' });
    await expectNoAxeViolations(one);

    for (const path of ['/support/confirm/', '/support/survey/']) {
      const page = await openPage(chromium.browser, chromium.contexts, { bypassCSP: true });
      await page.goto(`${server.get().url}${path}`);
      await page.locator('[data-missing-token]').waitFor({ state: 'visible' });
      await expectNoAxeViolations(page);
    }
  });
});
