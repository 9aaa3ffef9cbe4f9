/**
 * The ticket page of the help desk for desk staff, in headless Chromium
 * against the real app: an agent replies with a file, and the requester's page
 * then shows it as a download.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, test } from 'vitest';
import { createTicket } from '../api/desk/tickets/create';
import { outboxMessages, ticketAttachments } from '../db/schema';
import { createPerson, type TestPerson } from './helpers/accounts';
import { findAxeViolations, openSignedIn, readCspViolations, useChromium, waitForText } from './helpers/page-session';
import { useServer } from './helpers/server';

const chromium = useChromium();

const server = useServer();
let requester: TestPerson;
let agent: TestPerson;

beforeAll(async () => {
  const db = server.get().testApp.database.db;
  requester = await createPerson(db, { role: 'state_user', state: 'KS' });
  agent = await createPerson(db, { role: 'agent' });
});

describe('ticket page for desk staff', () => {
  test('agent reply with a file reaches the requester', async () => {
    const { testApp } = server.get();
    const { ticketId } = createTicket(
      testApp.database.db,
      testApp.config,
      {
        subject: 'Enrollment report layout',
        bodyText: 'Which columns does the enrollment report need?',
        requester: { email: requester.email, name: 'Kansas Registrar', personId: requester.id, state: 'KS' },
        category: 'reports',
        channel: 'web',
        acknowledge: false,
      },
      { now: new Date(), ip: '127.0.0.1' },
    );

    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      agent,
      `/support/ticket/?id=${ticketId}`,
      {
        bypassCSP: true,
      },
    );
    await page.locator('[data-reply-section]').waitFor({ state: 'visible' });
    expect(await findAxeViolations(page)).toEqual([]);
    await page.fill('#reply-body', 'The layout guide is attached.');
    await page.setInputFiles('#reply-attachments', {
      name: 'report layout.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% synthetic layout guide\n'),
    });
    await page.click('[data-reply-submit]');
    await waitForText(page, '[data-reply-status]', /added/);

    const attachment = testApp.database.db
      .select()
      .from(ticketAttachments)
      .where(eq(ticketAttachments.ticketId, ticketId))
      .get();
    expect(attachment?.fileName).toBe('report layout.pdf');
    const replyMail = testApp.database.db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.recipient, requester.email))
      .all()
      .find((row) => row.kind === 'ticket_reply');
    expect(replyMail?.textBody).toContain('report layout.pdf');

    const requesterPage = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      requester,
      `/support/ticket/?id=${ticketId}`,
    );
    await waitForText(requesterPage, '[data-conversation]', /report layout\.pdf/);
    const [download] = await Promise.all([
      requesterPage.waitForEvent('download'),
      requesterPage.locator('[data-conversation] a', { hasText: 'report layout.pdf' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('report layout.pdf');
    expect(readCspViolations(page)).toEqual([]);
    expect(readCspViolations(requesterPage)).toEqual([]);
  });
});
