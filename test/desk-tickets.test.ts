import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { saveUpload } from '../api/desk/tickets/attachments';
import { countFaqDeflections } from '../api/desk/tickets/faq-suggestions';
import { createTicket } from '../api/desk/tickets/create';
import { addAgentMessage } from '../api/desk/tickets/messages';
import { readSatisfaction } from '../api/desk/tickets/survey';
import { findTicketToken, ticketToken } from '../api/desk/tickets/token';
import {
  auditLog,
  outboxMessages,
  ticketAttachments,
  ticketEvents,
  ticketMailIds,
  tickets,
  ticketUploads,
} from '../db/schema';
import { createMailTransport, createOutboxWorker } from '../emails';
import { startSmtpSink } from './fixtures/smtp-sink';
import { createPerson, sendJson, signInAs, testOrigin, type TestPerson } from './helpers/accounts';
import { createFakeClock, days, hours } from './helpers/clock';
import { createTestApp, type TestApp } from './helpers/server';

interface ErrorBody {
  error: { code: string; message: string };
}
interface Created {
  ticketId: number;
  ticketMessageId: number;
  created: boolean;
}
interface TicketView {
  ticket: { id: number; subject: string; status: string; state: string | null; requesterName: string };
  messages: {
    id: number;
    visibility: string;
    authorType: string;
    bodyText: string;
    attachments: { id: number; fileName: string }[];
  }[];
  canReply: boolean;
  canClose: boolean;
}

// Friday 2026-12-04 15:00 UTC, 9:00 in Texas.
const clock = createFakeClock(new Date('2026-12-04T15:00:00Z'));
let testApp: TestApp;
let texasUser: TestPerson;
let otherTexasUser: TestPerson;
let texasCoordinator: TestPerson;
let ohioCoordinator: TestPerson;
let agent: TestPerson;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  testApp = createTestApp({ clock });
  const db = testApp.database.db;
  texasUser = await createPerson(db, { role: 'state_user', state: 'TX' });
  otherTexasUser = await createPerson(db, { role: 'state_user', state: 'TX' });
  texasCoordinator = await createPerson(db, { role: 'state_coordinator', state: 'TX' });
  ohioCoordinator = await createPerson(db, { role: 'state_coordinator', state: 'OH' });
  agent = await createPerson(db, { role: 'agent' });
  for (const [name, person] of Object.entries({
    texasUser,
    otherTexasUser,
    texasCoordinator,
    ohioCoordinator,
    agent,
  })) {
    cookies[name] = await signInAs(testApp.app, person);
  }
});

afterAll(() => testApp.cleanup());

let draftCounter = 0;
function newKey(prefix: string): string {
  draftCounter += 1;
  return `${prefix}-${draftCounter}-abcdefgh`;
}

async function fileTicket(cookie: string, fields: Record<string, unknown> = {}): Promise<Response> {
  return sendJson(testApp.app, 'POST', '/api/tickets', {
    cookie,
    body: {
      subject: 'Cannot sign in to MSIX',
      category: 'account_access',
      description: 'My password reset email never arrives. I tried twice this morning.',
      idempotencyKey: newKey('key'),
      ...fields,
    },
  });
}

async function fileAs(cookie: string, fields: Record<string, unknown> = {}): Promise<number> {
  const response = await fileTicket(cookie, fields);
  expect(response.status).toBe(201);
  return ((await response.json()) as Created).ticketId;
}

function outboxTo(address: string) {
  return testApp.database.db
    .select()
    .from(outboxMessages)
    .where(eq(outboxMessages.recipient, address))
    .orderBy(outboxMessages.id)
    .all();
}

function readTicketRow(id: number) {
  return testApp.database.db.select().from(tickets).where(eq(tickets.id, id)).get()!;
}

async function upload(cookie: string, fileName: string, contentType: string, content: Buffer): Promise<Response> {
  return testApp.app.request('/api/ticket-attachments', {
    method: 'POST',
    headers: {
      Origin: testOrigin,
      Cookie: cookie,
      'Content-Type': contentType,
      'X-File-Name': encodeURIComponent(fileName),
    },
    body: new Uint8Array(content),
  });
}

describe('ticket token', () => {
  test('token round trip with prefixes', () => {
    expect(ticketToken(123)).toBe('[Ticket #123]');
    expect(findTicketToken('Re: AW: RV: [Ticket #123] Cannot sign in')).toBe(123);
    expect(findTicketToken('Fwd: about [ticket #77] and more')).toBe(77);
    expect(findTicketToken('Ticket 123 without brackets')).toBeNull();
  });
});

describe('web intake', () => {
  test('signed-in user files a ticket', async () => {
    const ticketId = await fileAs(cookies.texasUser!);
    const ticket = readTicketRow(ticketId);
    expect(ticket.state).toBe('TX');
    expect(ticket.channel).toBe('web');
    expect(ticket.status).toBe('new');
    expect(ticket.requesterId).toBe(texasUser.id);

    const events = testApp.database.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).all();
    expect(events.map((event) => event.type)).toEqual(['created']);
    const audit = testApp.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'ticket.created'), eq(auditLog.objectId, String(ticketId))))
      .all();
    expect(audit).toHaveLength(1);
  });

  test('acknowledgement carries token and headers', async () => {
    const ticketId = await fileAs(cookies.texasUser!);
    const mail = outboxTo(texasUser.email).find((row) => row.subject.includes(ticketToken(ticketId)))!;
    expect(mail.kind).toBe('ticket_acknowledgement');
    const headers = JSON.parse(mail.headers) as Record<string, string>;
    expect(headers['Auto-Submitted']).toBe('auto-generated');
    expect(headers['Reply-To']).toBe(testApp.config.supportAddress);
    const stored = testApp.database.db
      .select()
      .from(ticketMailIds)
      .where(eq(ticketMailIds.messageId, mail.messageId))
      .get();
    expect(stored?.ticketId).toBe(ticketId);
    expect(stored?.direction).toBe('outbound');
  });

  test('same idempotency key makes one ticket', async () => {
    const idempotencyKey = newKey('double');
    const first = await fileTicket(cookies.texasUser!, { idempotencyKey, subject: 'Double submit check' });
    const second = await fileTicket(cookies.texasUser!, { idempotencyKey, subject: 'Double submit check' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    const firstBody = (await first.json()) as Created;
    const secondBody = (await second.json()) as Created;
    expect(secondBody.ticketId).toBe(firstBody.ticketId);
    expect(secondBody.created).toBe(false);
    const rows = testApp.database.db.select().from(tickets).where(eq(tickets.subject, 'Double submit check')).all();
    expect(rows).toHaveLength(1);
    const acknowledgements = outboxTo(texasUser.email).filter((row) => row.subject.includes('Double submit check'));
    expect(acknowledgements).toHaveLength(1);
  });

  test('invalid fields are named', async () => {
    const response = await fileTicket(cookies.texasUser!, { subject: '', category: 'billing' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.message).toContain('subject:');
    expect(body.error.message).toContain('category: is not a known topic. Choose one from the list.');
  });

  test('visitor form errors follow form order', async () => {
    const response = await sendJson(testApp.app, 'POST', '/api/support/visitor-requests', {
      body: { name: '', email: '', state: '', subject: '', category: '', description: '' },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { fields: { field: string; message: string }[] } };
    const fields = body.error.fields;
    expect(fields.map((problem) => problem.field)).toEqual([
      'name',
      'email',
      'state',
      'subject',
      'category',
      'description',
    ]);
    expect(fields.find((problem) => problem.field === 'state')?.message).toBe(
      'is missing. Choose a state from the list.',
    );
    expect(fields.find((problem) => problem.field === 'category')?.message).toBe(
      'is missing. Choose a topic from the list.',
    );
  });

  test('visitor ticket opens after confirmation', async () => {
    const email = 'visitor.one@district.example.org';
    const request = await sendJson(testApp.app, 'POST', '/api/support/visitor-requests', {
      body: {
        name: 'Dana <b>Visitor</b>',
        email,
        state: 'ok',
        subject: 'Question about move notices',
        category: 'move_notices',
        description: 'Who receives a move notice when a family leaves our district?',
        idempotencyKey: newKey('visitor'),
      },
    });
    expect(request.status).toBe(202);
    expect(testApp.database.db.select().from(tickets).where(eq(tickets.requesterEmail, email)).all()).toHaveLength(0);

    const confirmation = outboxTo(email)[0]!;
    expect(confirmation.kind).toBe('ticket_visitor_confirmation');
    expect(confirmation.htmlBody).toContain('Hello Dana &lt;b&gt;Visitor&lt;/b&gt;,');
    expect(confirmation.htmlBody).not.toContain('<b>Visitor');
    expect(JSON.parse(confirmation.headers)['Auto-Submitted']).toBe('auto-generated');
    const token = /\/support\/confirm\/#token=([A-Za-z0-9_-]+)/.exec(confirmation.textBody)![1]!;

    const confirmed = await sendJson(testApp.app, 'POST', '/api/support/visitor-requests/confirm', { body: { token } });
    expect(confirmed.status).toBe(201);
    const { ticketId } = (await confirmed.json()) as { ticketId: number };
    const ticket = readTicketRow(ticketId);
    expect(ticket.state).toBe('OK');
    expect(ticket.requesterId).toBeNull();
    expect(ticket.requesterName).toBe('Dana <b>Visitor</b>');
    expect(outboxTo(email).some((row) => row.kind === 'ticket_acknowledgement')).toBe(true);

    const again = await sendJson(testApp.app, 'POST', '/api/support/visitor-requests/confirm', { body: { token } });
    expect(again.status).toBe(410);
    expect(((await again.json()) as ErrorBody).error.code).toBe('link_used');
  });

  test('visitor link expires after 48 hours', async () => {
    const email = 'visitor.two@district.example.org';
    const request = await sendJson(testApp.app, 'POST', '/api/support/visitor-requests', {
      body: {
        name: 'Lee Visitor',
        email,
        state: 'NM',
        subject: 'Training dates',
        category: 'training',
        description: 'When is the next training for new data administrators?',
      },
    });
    expect(request.status).toBe(202);
    const token = /#token=([A-Za-z0-9_-]+)/.exec(outboxTo(email)[0]!.textBody)![1]!;
    const started = clock();
    clock.advance(hours(48) + 1000);
    try {
      const response = await sendJson(testApp.app, 'POST', '/api/support/visitor-requests/confirm', {
        body: { token },
      });
      expect(response.status).toBe(410);
      expect(((await response.json()) as ErrorBody).error.code).toBe('link_expired');
    } finally {
      clock.set(started);
    }
  });
});

describe('phone intake', () => {
  test('agent logs a call for a caller', async () => {
    const response = await sendJson(testApp.app, 'POST', '/api/tickets/phone-calls', {
      cookie: cookies.agent,
      body: {
        name: 'Pat Caller',
        email: 'pat.caller@district.example.org',
        state: 'KS',
        category: 'reports',
        priority: 'high',
        subject: 'Caller needs the quarterly report',
        description: 'Called at 9:10 asking where the quarterly report for Kansas is.',
      },
    });
    expect(response.status).toBe(201);
    const { ticketId } = (await response.json()) as Created;
    const ticket = readTicketRow(ticketId);
    expect(ticket.channel).toBe('phone');
    expect(ticket.priority).toBe('high');
    const created = testApp.database.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).get();
    expect(created?.actorId).toBe(agent.id);
    const acknowledgement = outboxTo('pat.caller@district.example.org')[0]!;
    expect(acknowledgement.subject).toBe(`[Ticket #${ticketId}] Caller needs the quarterly report`);
    expect(acknowledgement.textBody).toContain(`logged your call as ticket #${ticketId}`);
  });

  test('state users cannot log calls', async () => {
    const response = await sendJson(testApp.app, 'POST', '/api/tickets/phone-calls', {
      cookie: cookies.texasUser,
      body: {},
    });
    expect(response.status).toBe(403);
  });
});

describe('ticket visibility', () => {
  let ticketId: number;
  beforeAll(async () => {
    ticketId = await fileAs(cookies.texasUser!, { subject: 'Visibility check' });
  });

  test('requester and state coordinator see it', async () => {
    for (const cookie of [cookies.texasUser, cookies.texasCoordinator, cookies.agent]) {
      const response = await sendJson(testApp.app, 'GET', `/api/tickets/${ticketId}`, { cookie });
      expect(response.status).toBe(200);
    }
  });

  test('other state and other users get 404', async () => {
    for (const cookie of [cookies.ohioCoordinator, cookies.otherTexasUser]) {
      const response = await sendJson(testApp.app, 'GET', `/api/tickets/${ticketId}`, { cookie });
      expect(response.status).toBe(404);
      const reply = await sendJson(testApp.app, 'POST', `/api/tickets/${ticketId}/messages`, {
        cookie,
        body: { bodyText: 'Trying to reply' },
      });
      expect(reply.status).toBe(404);
    }
  });

  test('my tickets and state list', async () => {
    const mine = await sendJson(testApp.app, 'GET', '/api/support/my-tickets', { cookie: cookies.texasUser });
    const mineBody = (await mine.json()) as { tickets: { id: number }[] };
    expect(mineBody.tickets.some((ticket) => ticket.id === ticketId)).toBe(true);

    const coordinatorMine = await sendJson(testApp.app, 'GET', '/api/support/my-tickets', {
      cookie: cookies.texasCoordinator,
    });
    const coordinatorMineBody = (await coordinatorMine.json()) as { tickets: { id: number }[] };
    expect(coordinatorMineBody.tickets.some((ticket) => ticket.id === ticketId)).toBe(false);

    const state = await sendJson(testApp.app, 'GET', '/api/support/my-tickets?scope=state', {
      cookie: cookies.texasCoordinator,
    });
    const stateBody = (await state.json()) as { tickets: { id: number }[] };
    expect(stateBody.tickets.some((ticket) => ticket.id === ticketId)).toBe(true);

    const ohio = await sendJson(testApp.app, 'GET', '/api/support/my-tickets?scope=state', {
      cookie: cookies.ohioCoordinator,
    });
    const ohioBody = (await ohio.json()) as { tickets: { id: number }[] };
    expect(ohioBody.tickets.some((ticket) => ticket.id === ticketId)).toBe(false);

    const userState = await sendJson(testApp.app, 'GET', '/api/support/my-tickets?scope=state', {
      cookie: cookies.texasUser,
    });
    expect(userState.status).toBe(403);
  });
});

describe('attachments', () => {
  const pdf = Buffer.from('%PDF-1.4\n% synthetic test file\n');

  test('upload attaches and downloads', async () => {
    const uploaded = await upload(cookies.texasUser!, 'screen shot ü.pdf', 'application/pdf', pdf);
    expect(uploaded.status).toBe(201);
    const { id } = (await uploaded.json()) as { id: number };
    const ticketId = await fileAs(cookies.texasUser!, { subject: 'With a file', attachments: [id] });

    const attachment = testApp.database.db
      .select()
      .from(ticketAttachments)
      .where(eq(ticketAttachments.ticketId, ticketId))
      .get()!;
    expect(attachment.fileName).toBe('screen shot ü.pdf');
    expect(attachment.sizeBytes).toBe(pdf.length);
    expect(attachment.sha256).toMatch(/^[0-9a-f]{64}$/);

    const download = await testApp.app.request(`/api/tickets/${ticketId}/attachments/${attachment.id}`, {
      headers: { Cookie: cookies.texasCoordinator! },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="screen shot _.pdf"/);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);

    const denied = await testApp.app.request(`/api/tickets/${ticketId}/attachments/${attachment.id}`, {
      headers: { Cookie: cookies.ohioCoordinator! },
    });
    expect(denied.status).toBe(404);

    const reused = await fileTicket(cookies.texasUser!, { attachments: [id] });
    expect(reused.status).toBe(400);
  });

  test('type and size limits', async () => {
    const executable = await upload(cookies.texasUser!, 'setup.exe', 'application/x-msdownload', Buffer.from('MZ'));
    expect(executable.status).toBe(415);
    expect(((await executable.json()) as ErrorBody).error.message).toContain('PDF, PNG, JPEG');

    const large = await upload(cookies.texasUser!, 'big.pdf', 'application/pdf', Buffer.alloc(10 * 1024 * 1024 + 1, 1));
    expect(large.status).toBe(413);

    const octet = await upload(cookies.texasUser!, 'notes.csv', 'application/octet-stream', Buffer.from('a,b\n1,2\n'));
    expect(octet.status).toBe(201);
    expect(((await octet.json()) as { contentType: string }).contentType).toBe('text/csv');

    const ids: number[] = [];
    for (let index = 0; index < 6; index += 1) {
      const response = await upload(
        cookies.texasUser!,
        `page-${index}.txt`,
        'text/plain',
        Buffer.from(`page ${index}`),
      );
      ids.push(((await response.json()) as { id: number }).id);
    }
    const tooMany = await fileTicket(cookies.texasUser!, { attachments: ids });
    expect(tooMany.status).toBe(400);
  });

  test('unused uploads expire after 7 days', () => {
    const db = testApp.database.db;
    const owner = {
      ...otherTexasUser,
      displayName: 'Owner',
      recordsAccess: 'none' as const,
      status: 'active' as const,
    };
    const file = { fileName: 'old.txt', contentType: 'text/plain', content: Buffer.from('old') };
    const start = new Date('2026-11-01T12:00:00Z');
    const old = saveUpload(db, testApp.config.attachmentsDirectory, owner, file, start);
    const later = new Date(start.getTime() + days(8));
    saveUpload(db, testApp.config.attachmentsDirectory, owner, { ...file, fileName: 'new.txt' }, later);
    expect(db.select().from(ticketUploads).where(eq(ticketUploads.id, old.id)).get()).toBeUndefined();
  });

  test("another person's upload is rejected", async () => {
    const uploaded = await upload(cookies.otherTexasUser!, 'mine.pdf', 'application/pdf', pdf);
    const { id } = (await uploaded.json()) as { id: number };
    const response = await fileTicket(cookies.texasUser!, { attachments: [id] });
    expect(response.status).toBe(400);
  });
});

describe('conversation', () => {
  test('agent reply emailed with threading headers', async () => {
    const ticketId = await fileAs(cookies.texasUser!, { subject: 'Threading check' });
    const acknowledgement = outboxTo(texasUser.email).find((row) => row.subject.includes(ticketToken(ticketId)))!;

    const reply = await sendJson(testApp.app, 'POST', `/api/tickets/${ticketId}/messages`, {
      cookie: cookies.agent,
      body: { visibility: 'public', bodyText: 'Check your spam folder, then try again.', status: 'pending' },
    });
    expect(reply.status).toBe(201);
    const mails = outboxTo(texasUser.email).filter((row) => row.subject.includes(ticketToken(ticketId)));
    const replyMail = mails.find((row) => row.kind === 'ticket_reply')!;
    const headers = JSON.parse(replyMail.headers) as Record<string, string>;
    expect(headers['In-Reply-To']).toBe(acknowledgement.messageId);
    expect(headers.References).toContain(acknowledgement.messageId);
    expect(headers['Reply-To']).toBe(testApp.config.supportAddress);
    expect(headers['Auto-Submitted']).toBeUndefined();

    const ticket = readTicketRow(ticketId);
    expect(ticket.status).toBe('pending');
    expect(ticket.firstResponseAt).not.toBeNull();
  });

  test('internal notes are never emailed', async () => {
    const ticketId = await fileAs(cookies.texasUser!, { subject: 'Note check' });
    const before = testApp.database.db.select().from(outboxMessages).all().length;
    const note = await sendJson(testApp.app, 'POST', `/api/tickets/${ticketId}/messages`, {
      cookie: cookies.agent,
      body: { visibility: 'internal', bodyText: 'Caller sounded unsure; check the account status.' },
    });
    expect(note.status).toBe(201);
    expect(testApp.database.db.select().from(outboxMessages).all().length).toBe(before);

    const view = (await (
      await sendJson(testApp.app, 'GET', `/api/tickets/${ticketId}`, { cookie: cookies.texasUser })
    ).json()) as TicketView;
    expect(view.messages.some((message) => message.visibility === 'internal')).toBe(false);
    expect(readTicketRow(ticketId).firstResponseAt).toBeNull();
  });

  test('requester reply reopens the ticket', async () => {
    const ticketId = await fileAs(cookies.texasUser!, { subject: 'Reopen check' });
    await sendJson(testApp.app, 'POST', `/api/tickets/${ticketId}/messages`, {
      cookie: cookies.agent,
      body: { bodyText: 'Can you tell us which browser you use?', status: 'pending' },
    });
    expect(readTicketRow(ticketId).status).toBe('pending');

    const reply = await sendJson(testApp.app, 'POST', `/api/tickets/${ticketId}/messages`, {
      cookie: cookies.texasUser,
      body: { bodyText: 'I use Edge on Windows.' },
    });
    expect(reply.status).toBe(201);
    expect(readTicketRow(ticketId).status).toBe('open');
    const changes = testApp.database.db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, ticketId), eq(ticketEvents.type, 'status_changed')))
      .all();
    expect(changes.map((event) => `${event.fromValue}>${event.toValue}`)).toEqual(['new>pending', 'pending>open']);
  });

  test('closed ticket takes no replies', async () => {
    const ticketId = await fileAs(cookies.texasUser!, { subject: 'Close check' });
    const closed = await sendJson(testApp.app, 'POST', `/api/tickets/${ticketId}/close`, { cookie: cookies.texasUser });
    expect(closed.status).toBe(200);
    expect(readTicketRow(ticketId).status).toBe('closed');
    const reply = await sendJson(testApp.app, 'POST', `/api/tickets/${ticketId}/messages`, {
      cookie: cookies.texasUser,
      body: { bodyText: 'One more thing.' },
    });
    expect(reply.status).toBe(409);
  });

  test('markup stays text in API and mail', async () => {
    const subject = '<img src=x onerror=alert(1)> & <b>bold</b>';
    const ticketId = await fileAs(cookies.texasUser!, {
      subject,
      description: '<script>alert("body")</script> please help',
    });
    const view = (await (
      await sendJson(testApp.app, 'GET', `/api/tickets/${ticketId}`, { cookie: cookies.texasUser })
    ).json()) as TicketView;
    expect(view.ticket.subject).toBe(subject);
    expect(view.messages[0]!.bodyText).toBe('<script>alert("body")</script> please help');

    const mail = outboxTo(texasUser.email).find((row) => row.subject.includes(ticketToken(ticketId)))!;
    expect(mail.htmlBody).toContain('&lt;script&gt;');
    expect(mail.htmlBody).not.toContain('<script>');
    expect(mail.htmlBody).not.toContain('<img');
  });
});

describe('satisfaction survey', () => {
  test('survey works once', async () => {
    const ticketId = await fileAs(cookies.texasUser!, { subject: 'Survey check' });
    addAgentMessage(
      testApp.database.db,
      testApp.config,
      ticketId,
      { ...agent, displayName: 'Agent Smith', recordsAccess: 'none', status: 'active' },
      { visibility: 'public', bodyText: 'Your account is unlocked.', status: 'solved' },
      { now: clock(), ip: '127.0.0.1' },
    );
    expect(readTicketRow(ticketId).solvedAt).not.toBeNull();
    const survey = outboxTo(texasUser.email).find(
      (row) => row.kind === 'ticket_survey' && row.subject.includes(ticketToken(ticketId)),
    )!;
    expect(JSON.parse(survey.headers)['Auto-Submitted']).toBe('auto-generated');
    const token = /\/support\/survey\/#token=([A-Za-z0-9_-]+)/.exec(survey.textBody)![1]!;

    const read = await sendJson(testApp.app, 'POST', '/api/support/survey', { body: { token } });
    expect(((await read.json()) as { ticketId: number }).ticketId).toBe(ticketId);
    const answer = await sendJson(testApp.app, 'POST', '/api/support/survey/answer', {
      body: { token, rating: 4, comment: 'Quick and clear.' },
    });
    expect(answer.status).toBe(200);
    const again = await sendJson(testApp.app, 'POST', '/api/support/survey/answer', { body: { token, rating: 1 } });
    expect(again.status).toBe(410);

    const satisfaction = readSatisfaction(
      testApp.database.db,
      new Date('2026-12-01T00:00:00Z'),
      new Date('2026-12-31T00:00:00Z'),
    );
    expect(satisfaction.answers).toContainEqual(
      expect.objectContaining({ ticketId, rating: 4, comment: 'Quick and clear.' }),
    );

    // A second solve after a reopen sends no second survey.
    await sendJson(testApp.app, 'POST', `/api/tickets/${ticketId}/messages`, {
      cookie: cookies.texasUser,
      body: { bodyText: 'It locked again.' },
    });
    await sendJson(testApp.app, 'POST', `/api/tickets/${ticketId}/messages`, {
      cookie: cookies.agent,
      body: { bodyText: 'Unlocked again.', status: 'solved' },
    });
    const surveys = outboxTo(texasUser.email).filter(
      (row) => row.kind === 'ticket_survey' && row.subject.includes(ticketToken(ticketId)),
    );
    expect(surveys).toHaveLength(1);
  });
});

describe('FAQ suggestions', () => {
  test('deflection count after 24 hours', async () => {
    const filedDraft = newKey('draft');
    const leftDraft = newKey('draft');
    const from = clock();
    for (const draftId of [filedDraft, leftDraft, leftDraft]) {
      const response = await sendJson(testApp.app, 'POST', '/api/support/faq-openings', {
        body: { draftId, slug: 'how-do-i-apply-for-an-msix-account' },
      });
      expect(response.status).toBe(201);
    }
    await fileAs(cookies.texasUser!, { draftId: filedDraft, subject: 'Filed after reading' });

    const to = new Date(from.getTime() + hours(1));
    const early = countFaqDeflections(testApp.database.db, from, to, new Date(from.getTime() + hours(2)));
    expect(early.draftsWithOpenedSuggestion).toBe(0);

    const settled = countFaqDeflections(testApp.database.db, from, to, new Date(from.getTime() + hours(25)));
    expect(settled).toEqual({ draftsWithOpenedSuggestion: 2, filed: 1, leftWithoutFiling: 1 });
  });
});

describe('mail delivery', () => {
  test('acknowledgement reaches SMTP with headers', async () => {
    const sink = await startSmtpSink({ keepRaw: true });
    try {
      const ticketId = await fileAs(cookies.otherTexasUser!, { subject: 'Delivery check é' });
      const worker = createOutboxWorker({
        database: testApp.database,
        transport: createMailTransport({ ...testApp.config, smtpUrl: sink.url }),
        logger: pino({ level: 'silent' }),
        clock,
      });
      while ((await worker.runOnce()) > 0);

      const raws = await Promise.all(sink.raw.map((raw) => simpleParser(raw)));
      const acknowledgement = raws.find((mail) => mail.subject === `[Ticket #${ticketId}] Delivery check é`)!;
      expect(acknowledgement).toBeDefined();
      expect(acknowledgement.headers.get('auto-submitted')).toBe('auto-generated');
      expect(acknowledgement.replyTo?.value[0]?.address).toBe('support@msix-assist.test');
      const row = testApp.database.db
        .select()
        .from(ticketMailIds)
        .where(eq(ticketMailIds.messageId, acknowledgement.messageId!))
        .get();
      expect(row?.ticketId).toBe(ticketId);
    } finally {
      await sink.close();
    }
  });
});

test('stored attachment bytes unchanged', async () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const uploaded = await upload(cookies.texasUser!, 'tiny.png', 'image/png', png);
  const { id } = (await uploaded.json()) as { id: number };
  const ticketId = await fileAs(cookies.texasUser!, { attachments: [id] });
  const attachment = testApp.database.db
    .select()
    .from(ticketAttachments)
    .where(eq(ticketAttachments.ticketId, ticketId))
    .get()!;
  const path = `${testApp.config.attachmentsDirectory}/${attachment.sha256.slice(0, 2)}/${attachment.sha256}`;
  expect(readFileSync(path).equals(png)).toBe(true);
});

describe('assignee notice', () => {
  function noticesTo(address: string) {
    return outboxTo(address).filter((row) => row.kind === 'ticket_assignee_notice');
  }

  test('web reply notifies the assignee once', async () => {
    const ticketId = await fileAs(cookies.texasUser!, { subject: 'Assignee notice check' });
    const unassignedReply = await sendJson(testApp.app, 'POST', `/api/tickets/${ticketId}/messages`, {
      cookie: cookies.texasUser,
      body: { bodyText: 'Adding detail before anyone picked this up.' },
    });
    expect(unassignedReply.status).toBe(201);
    expect(noticesTo(agent.email)).toHaveLength(0);

    testApp.database.db.update(tickets).set({ assigneeId: agent.id }).where(eq(tickets.id, ticketId)).run();
    const agentReply = await sendJson(testApp.app, 'POST', `/api/tickets/${ticketId}/messages`, {
      cookie: cookies.agent,
      body: { bodyText: 'Which browser do you use?' },
    });
    expect(agentReply.status).toBe(201);
    expect(noticesTo(agent.email)).toHaveLength(0);

    const requesterReply = await sendJson(testApp.app, 'POST', `/api/tickets/${ticketId}/messages`, {
      cookie: cookies.texasUser,
      body: { bodyText: 'Edge <script>alert(1)</script> on Windows 11.' },
    });
    expect(requesterReply.status).toBe(201);

    const notices = noticesTo(agent.email);
    expect(notices).toHaveLength(1);
    const notice = notices[0]!;
    expect(notice.subject).toContain(ticketToken(ticketId));
    expect(JSON.parse(notice.headers)['Auto-Submitted']).toBe('auto-generated');
    expect(notice.textBody).toContain(`/desk/ticket/?id=${ticketId}`);
    expect(notice.textBody).toContain('Edge <script>alert(1)</script> on Windows 11.');
    expect(notice.htmlBody).toContain('&lt;script&gt;');
    expect(notice.htmlBody).not.toContain('<script>');
  });
});

describe('agent attachments', () => {
  const pdf = Buffer.from('%PDF-1.4\n% synthetic agent file\n');

  async function uploadAsAgent(fileName: string): Promise<number> {
    const response = await upload(cookies.agent!, fileName, 'application/pdf', pdf);
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: number }).id;
  }

  function attachmentNamed(ticketId: number, fileName: string) {
    return testApp.database.db
      .select()
      .from(ticketAttachments)
      .where(and(eq(ticketAttachments.ticketId, ticketId), eq(ticketAttachments.fileName, fileName)))
      .get()!;
  }

  test('note attachment stays internal', async () => {
    const ticketId = await fileAs(cookies.texasUser!, { subject: 'Agent note file check' });
    const uploadId = await uploadAsAgent('account-audit.pdf');
    const mailBefore = testApp.database.db.select().from(outboxMessages).all().length;

    const note = await sendJson(testApp.app, 'POST', `/api/tickets/${ticketId}/messages`, {
      cookie: cookies.agent,
      body: { visibility: 'internal', bodyText: 'Audit export attached.', attachments: [uploadId] },
    });
    expect(note.status).toBe(201);
    expect(testApp.database.db.select().from(outboxMessages).all().length).toBe(mailBefore);

    const file = attachmentNamed(ticketId, 'account-audit.pdf');
    const path = `/api/tickets/${ticketId}/attachments/${file.id}`;
    for (const cookie of [cookies.texasUser!, cookies.texasCoordinator!]) {
      const view = (await (
        await sendJson(testApp.app, 'GET', `/api/tickets/${ticketId}`, { cookie })
      ).json()) as TicketView;
      const names = view.messages.flatMap((message) => message.attachments.map((attachment) => attachment.fileName));
      expect(names).not.toContain('account-audit.pdf');
      expect((await sendJson(testApp.app, 'GET', path, { cookie })).status).toBe(404);
    }
    const download = await sendJson(testApp.app, 'GET', path, { cookie: cookies.agent });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
  });

  test('public reply attachment reaches the requester', async () => {
    const ticketId = await fileAs(cookies.texasUser!, { subject: 'Agent reply file check' });
    const uploadId = await uploadAsAgent('upload-guide.pdf');

    const reply = await sendJson(testApp.app, 'POST', `/api/tickets/${ticketId}/messages`, {
      cookie: cookies.agent,
      body: { visibility: 'public', bodyText: 'The guide is attached.', attachments: [uploadId] },
    });
    expect(reply.status).toBe(201);

    const view = (await (
      await sendJson(testApp.app, 'GET', `/api/tickets/${ticketId}`, { cookie: cookies.texasUser })
    ).json()) as TicketView;
    const names = view.messages.flatMap((message) => message.attachments.map((attachment) => attachment.fileName));
    expect(names).toContain('upload-guide.pdf');
    const file = attachmentNamed(ticketId, 'upload-guide.pdf');
    const download = await sendJson(testApp.app, 'GET', `/api/tickets/${ticketId}/attachments/${file.id}`, {
      cookie: cookies.texasUser,
    });
    expect(download.status).toBe(200);
    const mail = outboxTo(texasUser.email).find(
      (row) => row.kind === 'ticket_reply' && row.subject.includes(ticketToken(ticketId)),
    )!;
    expect(mail.textBody).toContain('upload-guide.pdf');

    const reused = await sendJson(testApp.app, 'POST', `/api/tickets/${ticketId}/messages`, {
      cookie: cookies.agent,
      body: { visibility: 'public', bodyText: 'Attached again.', attachments: [uploadId] },
    });
    expect(reused.status).toBe(400);
  });

  test('agent attachment limits match requesters', async () => {
    const ticketId = await fileAs(cookies.texasUser!, { subject: 'Agent file limit check' });
    const ids: number[] = [];
    for (let index = 0; index < 6; index += 1) ids.push(await uploadAsAgent(`page-${index}.pdf`));
    const tooMany = await sendJson(testApp.app, 'POST', `/api/tickets/${ticketId}/messages`, {
      cookie: cookies.agent,
      body: { visibility: 'internal', bodyText: 'Six files.', attachments: ids },
    });
    expect(tooMany.status).toBe(400);

    const requesterUpload = await upload(cookies.texasUser!, 'requester.pdf', 'application/pdf', pdf);
    const { id } = (await requesterUpload.json()) as { id: number };
    const foreign = await sendJson(testApp.app, 'POST', `/api/tickets/${ticketId}/messages`, {
      cookie: cookies.agent,
      body: { visibility: 'internal', bodyText: 'Not my upload.', attachments: [id] },
    });
    expect(foreign.status).toBe(400);
  });
});

describe('intake history', () => {
  test('failed history row rolls back its ticket', () => {
    const db = testApp.database.db;
    const ticketsBefore = db.select({ id: tickets.id }).from(tickets).all().length;
    const input = {
      subject: 'Rollback check',
      bodyText: 'The ticket must not stay without its history.',
      requester: { email: 'rollback@district.example.org', name: 'Rollback Check', personId: null },
      channel: 'email' as const,
      acknowledge: true,
      // ticket_events.type is NOT NULL, so this row fails inside the ticket's transaction.
      intakeEvents: [{ type: null as unknown as string }],
    };

    expect(() => createTicket(db, testApp.config, input, { now: clock(), ip: '127.0.0.1' })).toThrow();
    expect(db.select({ id: tickets.id }).from(tickets).all().length).toBe(ticketsBefore);
    expect(outboxTo('rollback@district.example.org')).toHaveLength(0);
  });
});
