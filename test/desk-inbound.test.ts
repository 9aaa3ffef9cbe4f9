/**
 * Support mail end to end. A real SMTP client sends mail to the inbound
 * listener, which files it in a real SQLite database. Acknowledgements go out
 * through the outbox worker to a real SMTP sink.
 */
import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startInboundMail, type InboundMailListener } from '../api/desk/inbound/listener';
import {
  outboxMessages,
  ticketAttachments,
  ticketEvents,
  ticketMailIds,
  ticketMessages,
  tickets,
  ticketSurveys,
} from '../db/schema';
import { createMailTransport, createOutboxWorker, type MailTransport, type OutboxWorker } from '../emails';
import { startSmtpSink, type SmtpSink } from './fixtures/smtp-sink';
import { createPerson, sendJson, signInAs } from './helpers/accounts';
import { createFakeClock, minutes } from './helpers/clock';
import { createTestApp, type TestApp } from './helpers/server';

const supportAddress = 'support@msix-assist.test';
const clock = createFakeClock(new Date('2026-12-07T15:00:00.000Z'));

let testApp: TestApp;
let listener: InboundMailListener;
let client: Transporter<SMTPTransport.SentMessageInfo>;
let sink: SmtpSink;
let outgoing: MailTransport;
let worker: OutboxWorker;
let messageCounter = 0;
const logLines: string[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    logLines.push(chunk.toString());
    callback();
  },
});

beforeAll(async () => {
  testApp = createTestApp({ clock });
  const { config, database } = testApp;
  listener = await startInboundMail({
    database,
    logger: pino({ level: 'info' }, logStream),
    clock,
    mail: { link: (path) => new URL(path, config.siteUrl).href, queue: () => {} },
    settings: {
      host: '127.0.0.1',
      port: 0,
      supportAddress: config.supportAddress,
      mailFrom: config.mailFrom,
      siteUrl: config.siteUrl,
      attachmentsDirectory: config.attachmentsDirectory,
      businessHours: config.businessHours,
    },
    maxMessageBytes: 1024 * 1024,
  });
  client = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });

  sink = await startSmtpSink({ keepRaw: true });
  outgoing = createMailTransport({ smtpUrl: sink.url, mailFrom: config.mailFrom, mailboxDirectory: testApp.directory });
  worker = createOutboxWorker({ database, transport: outgoing, logger: pino({ level: 'silent' }), clock });
});

afterAll(async () => {
  client?.close();
  await listener?.stop();
  outgoing?.close();
  await sink?.close();
  testApp?.cleanup();
});

function nextMessageId(): string {
  messageCounter += 1;
  return `<message-${messageCounter}@district.example.org>`;
}

/** Sends a hand-built message over SMTP; `lines` are its header and body lines. */
async function sendRaw(lines: string[], envelope: { from?: string; to?: string } = {}) {
  return client.sendMail({
    envelope: { from: envelope.from ?? 'sender@district.example.org', to: envelope.to ?? supportAddress },
    raw: `${lines.join('\r\n')}\r\n`,
  });
}

interface SimpleMail {
  from: string;
  subject: string;
  text?: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  attachments?: { filename: string; content: Buffer | string; contentType?: string }[];
}

/** Sends a message built by nodemailer, with its own Message-ID unless one is given; returns the Message-ID. */
async function sendMail(mail: SimpleMail): Promise<string> {
  const messageId = mail.messageId ?? nextMessageId();
  await client.sendMail({ to: supportAddress, text: 'Please help.', ...mail, messageId });
  return messageId;
}

function ticketByMessageId(messageId: string) {
  const row = testApp.database.db
    .select({ ticketId: ticketMailIds.ticketId })
    .from(ticketMailIds)
    .where(eq(ticketMailIds.messageId, messageId))
    .get();
  if (!row) throw new Error(`no ticket stored Message-ID ${messageId}`);
  return readTicket(row.ticketId);
}

function readTicket(id: number) {
  const ticket = testApp.database.db.select().from(tickets).where(eq(tickets.id, id)).get();
  if (!ticket) throw new Error(`ticket ${id} is missing`);
  return ticket;
}

function messagesOf(ticketId: number) {
  return testApp.database.db
    .select()
    .from(ticketMessages)
    .where(eq(ticketMessages.ticketId, ticketId))
    .orderBy(ticketMessages.id)
    .all();
}

function eventsOf(ticketId: number) {
  return testApp.database.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).all();
}

function countTickets(): number {
  return testApp.database.db.select({ id: tickets.id }).from(tickets).all().length;
}

function acknowledgementsTo(address: string) {
  return testApp.database.db
    .select()
    .from(outboxMessages)
    .where(eq(outboxMessages.recipient, address))
    .all()
    .filter((row) => row.kind === 'ticket_acknowledgement');
}

/** Sends every queued message to the sink and returns the newly received ones, parsed. */
async function deliverOutbox(): Promise<ParsedMail[]> {
  const before = sink.raw.length;
  while ((await worker.runOnce()) > 0) {
    // Keep going until the outbox has nothing due.
  }
  return Promise.all(sink.raw.slice(before).map((raw) => simpleParser(raw)));
}

describe('new ticket from email', () => {
  test('opens a ticket and sends a threaded acknowledgement', async () => {
    const messageId = await sendMail({
      from: 'Rosa Delgado <Rosa.Delgado@District.example.org>',
      subject: 'Cannot sign in to MSIX',
      text: 'My account is locked after the password change.',
    });

    const ticket = ticketByMessageId(messageId);
    expect(ticket.subject).toBe('Cannot sign in to MSIX');
    expect(ticket.requesterEmail).toBe('rosa.delgado@district.example.org');
    expect(ticket.requesterName).toBe('Rosa Delgado');
    expect(ticket.requesterId).toBeNull();
    expect(ticket.category).toBe('other');
    expect(ticket.priority).toBe('normal');
    expect(ticket.channel).toBe('email');
    expect(messagesOf(ticket.id).map((message) => message.bodyText)).toEqual([
      'My account is locked after the password change.',
    ]);

    const delivered = await deliverOutbox();
    const acknowledgement = delivered.find(
      (mail) => mail.to && 'text' in mail.to && mail.to.text.includes('rosa.delgado'),
    );
    expect(acknowledgement?.subject).toContain(`[Ticket #${ticket.id}]`);
    expect(acknowledgement?.headers.get('auto-submitted')).toBe('auto-generated');
    expect(acknowledgement?.inReplyTo).toBe(messageId);
    expect(acknowledgement?.replyTo?.value[0]?.address).toBe(supportAddress);
  });

  test('links the requester to an active account with that address', async () => {
    const person = await createPerson(testApp.database.db, { role: 'state_user', state: 'OR' });
    const messageId = await sendMail({ from: `Registrar <${person.email.toUpperCase()}>`, subject: 'Report question' });

    const ticket = ticketByMessageId(messageId);
    expect(ticket.requesterId).toBe(person.id);
    expect(ticket.state).toBe('OR');
  });

  test('opens a ticket without acknowledgement for an address the outbox cannot send to', async () => {
    const messageId = nextMessageId();
    await sendRaw([
      'From: José <josé@district.example.org>',
      `To: ${supportAddress}`,
      'Subject: Internationalized sender',
      `Message-ID: ${messageId}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hola.',
    ]);

    const ticket = ticketByMessageId(messageId);
    expect(ticket.requesterEmail).toBe('josé@district.example.org');
    expect(acknowledgementsTo('josé@district.example.org')).toHaveLength(0);
    expect(eventsOf(ticket.id).map((event) => event.type)).toContain('acknowledgement_skipped');
  });

  test('redelivery of the same message changes nothing', async () => {
    const messageId = nextMessageId();
    const lines = [
      'From: Lee Park <lee.park@district.example.org>',
      `To: ${supportAddress}`,
      'Subject: Move notice did not arrive',
      `Message-ID: ${messageId}`,
      '',
      'The move notice for a student from Georgia is missing.',
    ];
    await sendRaw(lines);
    const ticketsBefore = countTickets();
    const ticket = ticketByMessageId(messageId);

    await sendRaw(lines);

    expect(countTickets()).toBe(ticketsBefore);
    expect(messagesOf(ticket.id)).toHaveLength(1);
    expect(acknowledgementsTo('lee.park@district.example.org')).toHaveLength(1);
  });

  test('redelivery of a message without Message-ID changes nothing', async () => {
    const lines = [
      'From: noid@district.example.org',
      `To: ${supportAddress}`,
      'Subject: Sent by a program that sets no Message-ID',
      '',
      'Hello.',
    ];
    const ticketsBefore = countTickets();

    await sendRaw(lines);
    await sendRaw(lines);

    expect(countTickets()).toBe(ticketsBefore + 1);
    expect(acknowledgementsTo('noid@district.example.org')).toHaveLength(1);
    const stored = testApp.database.db.select().from(ticketMailIds).all();
    expect(stored.filter((row) => row.messageId.endsWith('@inbound.invalid>'))).toHaveLength(1);
  });
});

describe('threading of replies', () => {
  const requester = 'mara.quinn@state.example.gov';

  /** Opens a ticket by mail and returns it with the Message-ID of its acknowledgement as sent. */
  async function openTicket(subject: string) {
    const messageId = await sendMail({ from: `Mara Quinn <${requester}>`, subject });
    const ticket = ticketByMessageId(messageId);
    const delivered = await deliverOutbox();
    const acknowledgement = delivered.find((mail) => mail.subject?.includes(`[Ticket #${ticket.id}]`));
    if (!acknowledgement?.messageId) throw new Error('the acknowledgement was not delivered');
    return { ticket, messageId, acknowledgementId: acknowledgement.messageId };
  }

  test('reply with In-Reply-To only joins the ticket', async () => {
    const { ticket, acknowledgementId } = await openTicket('Upload rejected');
    const ticketsBefore = countTickets();

    await sendRaw([
      `From: ${requester}`,
      `To: ${supportAddress}`,
      'Subject: Re: Upload rejected',
      `Message-ID: ${nextMessageId()}`,
      `In-Reply-To: ${acknowledgementId}`,
      '',
      'Here is the file name: students.csv',
    ]);

    expect(countTickets()).toBe(ticketsBefore);
    expect(messagesOf(ticket.id).map((message) => message.bodyText)).toContain('Here is the file name: students.csv');
  });

  test('References chain whose first message the desk never sent joins the ticket', async () => {
    const { ticket, acknowledgementId } = await openTicket('Enrollment dates');
    const ticketsBefore = countTickets();

    await sendMail({
      from: requester,
      subject: 'Re: Enrollment dates',
      text: 'Adding my colleague’s notes.',
      inReplyTo: '<colleague-note@other.example.org>',
      references: ['<never-seen-by-desk@other.example.org>', acknowledgementId, '<colleague-note@other.example.org>'],
    });

    expect(countTickets()).toBe(ticketsBefore);
    expect(messagesOf(ticket.id).at(-1)?.bodyText).toBe('Adding my colleague’s notes.');
  });

  test('reply with an edited subject joins through its headers', async () => {
    const { ticket, messageId } = await openTicket('Training dates');
    const ticketsBefore = countTickets();

    await sendMail({
      from: requester,
      subject: 'New topic entirely, no token here',
      text: 'One more question.',
      inReplyTo: messageId,
      references: [messageId],
    });

    expect(countTickets()).toBe(ticketsBefore);
    expect(messagesOf(ticket.id).at(-1)?.bodyText).toBe('One more question.');
  });

  test('subject token joins whatever prefixes surround it', async () => {
    const { ticket } = await openTicket('Data quality report');
    const ticketsBefore = countTickets();
    const subjects = [
      `Re: [Ticket #${ticket.id}] Data quality report`,
      `AW: [Ticket #${ticket.id}] Data quality report`,
      `RV: RE: [Ticket #${ticket.id}] Data quality report`,
      `Fwd: re: [Ticket #${ticket.id}] Data quality report`,
      `FW: Thanks, one more thing about [ticket #${ticket.id}] and the report`,
    ];

    for (const subject of subjects) await sendMail({ from: requester, subject, text: subject });

    expect(countTickets()).toBe(ticketsBefore);
    const bodies = messagesOf(ticket.id).map((message) => message.bodyText);
    for (const subject of subjects) expect(bodies).toContain(subject);
  });

  test('same In-Reply-To from a different sender opens a new ticket', async () => {
    const { ticket, acknowledgementId } = await openTicket('Account locked');
    const messagesBefore = messagesOf(ticket.id).length;

    const messageId = await sendMail({
      from: 'Someone Else <someone.else@elsewhere.example.org>',
      subject: `Re: [Ticket #${ticket.id}] Account locked`,
      text: 'I have the same problem.',
      inReplyTo: acknowledgementId,
      references: [acknowledgementId],
    });

    const created = ticketByMessageId(messageId);
    expect(created.id).not.toBe(ticket.id);
    expect(created.requesterEmail).toBe('someone.else@elsewhere.example.org');
    expect(messagesOf(ticket.id)).toHaveLength(messagesBefore);
    expect(eventsOf(created.id).find((event) => event.type === 'email_not_threaded')?.fromValue).toBe(`#${ticket.id}`);
  });

  test('reply to a closed ticket opens a new one', async () => {
    const { ticket, acknowledgementId } = await openTicket('Closed question');
    testApp.database.db.update(tickets).set({ status: 'closed' }).where(eq(tickets.id, ticket.id)).run();

    const messageId = await sendMail({ from: requester, subject: 'Re: Closed question', inReplyTo: acknowledgementId });

    const created = ticketByMessageId(messageId);
    expect(created.id).not.toBe(ticket.id);
    expect(eventsOf(created.id).find((event) => event.type === 'email_not_threaded')?.toValue).toBe(
      'that ticket is closed',
    );
  });
});

describe('encoded subjects', () => {
  test('decodes an ISO-8859-1 Q-encoded subject in full', async () => {
    const messageId = nextMessageId();
    await sendRaw([
      'From: =?ISO-8859-1?Q?Jos=E9_Pe=F1a?= <jose.pena@district.example.org>',
      `To: ${supportAddress}`,
      'Subject: =?ISO-8859-1?Q?Solicitud_de_acceso:_la_se=F1ora_Mu=F1oz_no_puede_entrar?=',
      `Message-ID: ${messageId}`,
      'Content-Type: text/plain; charset=ISO-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Gracias por la ayuda, se=F1ora.',
    ]);

    const ticket = ticketByMessageId(messageId);
    expect(ticket.subject).toBe('Solicitud de acceso: la señora Muñoz no puede entrar');
    expect(ticket.requesterName).toBe('José Peña');
    expect(messagesOf(ticket.id)[0]?.bodyText).toBe('Gracias por la ayuda, señora.');
  });

  test('decodes a folded UTF-8 subject split inside a character', async () => {
    const subject = 'Überprüfung der Datenübermittlung – 日本語のテスト';
    const bytes = Buffer.from(subject, 'utf8');
    // Byte 16 falls inside the three bytes of the en dash.
    const first = bytes.subarray(0, 16).toString('base64');
    const second = bytes.subarray(16).toString('base64');
    const messageId = nextMessageId();

    await sendRaw([
      'From: ana@state.example.gov',
      `To: ${supportAddress}`,
      `Subject: =?UTF-8?B?${first}?=`,
      ` =?UTF-8?B?${second}?=`,
      `Message-ID: ${messageId}`,
      '',
      'Body.',
    ]);

    expect(ticketByMessageId(messageId).subject).toBe(subject);
  });
});

describe('loop guard', () => {
  const cases: { name: string; headers: string[]; envelopeFrom?: string; reason: string }[] = [
    { name: 'Auto-Submitted: auto-replied', headers: ['Auto-Submitted: auto-replied'], reason: 'auto_submitted' },
    { name: 'Precedence: bulk', headers: ['Precedence: bulk'], reason: 'precedence' },
    { name: 'Precedence: junk', headers: ['Precedence: junk'], reason: 'precedence' },
    { name: 'Precedence: list', headers: ['Precedence: list'], reason: 'precedence' },
    { name: 'Return-Path: <>', headers: ['Return-Path: <>'], reason: 'empty_return_path' },
    { name: 'empty envelope sender', headers: [], envelopeFrom: '', reason: 'empty_return_path' },
    { name: 'X-Autoreply', headers: ['X-Autoreply: yes'], reason: 'autoreply_header' },
    { name: 'X-Autorespond', headers: ['X-Autorespond: vacation'], reason: 'autoreply_header' },
    { name: 'List-Id', headers: ['List-Id: MEP directors <mep-directors.lists.example.org>'], reason: 'mailing_list' },
  ];

  test.each(cases)('$name becomes a ticket without acknowledgement', async ({ headers, envelopeFrom, reason }) => {
    const address = `robot-${messageCounter + 1}@district.example.org`;
    const messageId = nextMessageId();
    await sendRaw(
      [
        `From: ${address}`,
        `To: ${supportAddress}`,
        'Subject: Out of office',
        `Message-ID: ${messageId}`,
        ...headers,
        '',
        'Away.',
      ],
      { from: envelopeFrom ?? address },
    );

    const ticket = ticketByMessageId(messageId);
    expect(acknowledgementsTo(address)).toHaveLength(0);
    expect(eventsOf(ticket.id).find((event) => event.type === 'automatic_mail')?.toValue).toBe(reason);
  });

  test('forwarded delivery report becomes a ticket without acknowledgement', async () => {
    const address = 'mailer-daemon@relay.example.org';
    const messageId = nextMessageId();
    await sendRaw(
      [
        `From: Mail Delivery System <${address}>`,
        `To: ${supportAddress}`,
        'Subject: Undelivered Mail Returned to Sender',
        `Message-ID: ${messageId}`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="report-boundary"',
        '',
        '--report-boundary',
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        '--report-boundary',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; relay.example.org',
        '',
        'Final-Recipient: rfc822; gone@district.example.org',
        'Action: failed',
        'Status: 5.1.1',
        '--report-boundary--',
      ],
      { from: 'forwarder@relay.example.org' },
    );

    const ticket = ticketByMessageId(messageId);
    expect(acknowledgementsTo(address)).toHaveLength(0);
    expect(eventsOf(ticket.id).find((event) => event.type === 'automatic_mail')?.toValue).toBe('delivery_report');
    expect(messagesOf(ticket.id)[0]?.bodyText).toContain('Your message could not be delivered.');
  });

  test('out-of-office reply joins its ticket without acknowledgement', async () => {
    const address = 'vacationing@district.example.org';
    const openingId = await sendMail({ from: address, subject: 'Question before my leave' });
    const ticket = ticketByMessageId(openingId);
    const ticketsBefore = countTickets();

    await sendMail({
      from: address,
      subject: `Automatic reply: [Ticket #${ticket.id}] Question before my leave`,
      text: 'I am out of the office until January 4.',
      inReplyTo: openingId,
      headers: { 'Auto-Submitted': 'auto-replied' },
    });

    expect(countTickets()).toBe(ticketsBefore);
    expect(messagesOf(ticket.id).at(-1)?.bodyText).toBe('I am out of the office until January 4.');
    expect(acknowledgementsTo(address)).toHaveLength(1);
    expect(eventsOf(ticket.id).find((event) => event.type === 'automatic_mail')?.toValue).toBe('auto_submitted');
  });

  test('Auto-Submitted: no still gets an acknowledgement', async () => {
    const address = 'person.writing@district.example.org';
    await sendMail({ from: address, subject: 'Real question', headers: { 'Auto-Submitted': 'no' } });
    expect(acknowledgementsTo(address)).toHaveLength(1);
  });

  test('mail from the desk’s own address is dropped', async () => {
    const ticketsBefore = countTickets();
    await sendMail({ from: `MSIX Assist Support <${supportAddress}>`, subject: 'Loop' });
    expect(countTickets()).toBe(ticketsBefore);
  });
});

describe('bodies and attachments', () => {
  test('sanitizes the HTML body and keeps markup in the text body as text', async () => {
    const messageId = await sendMail({
      from: 'kim@state.example.gov',
      subject: '<b>Bold</b> subject <script>alert(1)</script>',
      text: 'Type <script>alert(1)</script> in the field & see.',
      html:
        '<p onclick="steal()">Type <b>this</b></p><script>alert(1)</script>' +
        '<a href="javascript:alert(2)">bad</a> <a href="https://msix.example.gov/">good</a>' +
        '<img src="https://tracker.example/pixel.gif">',
    });

    const ticket = ticketByMessageId(messageId);
    expect(ticket.subject).toBe('<b>Bold</b> subject <script>alert(1)</script>');
    const [message] = messagesOf(ticket.id);
    expect(message?.bodyText).toBe('Type <script>alert(1)</script> in the field & see.');
    expect(message?.bodyHtml).toContain('<b>this</b>');
    expect(message?.bodyHtml).toContain('href="https://msix.example.gov/"');
    expect(message?.bodyHtml).not.toMatch(/<script|onclick|javascript:|<img/);
  });

  test('derives the text body from the sanitized HTML of an HTML-only message', async () => {
    const messageId = nextMessageId();
    await sendRaw([
      'From: kim@state.example.gov',
      `To: ${supportAddress}`,
      'Subject: HTML only',
      `Message-ID: ${messageId}`,
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>First line</p><script>alert(1)</script><p>Second &amp; last</p>',
    ]);

    const [message] = messagesOf(ticketByMessageId(messageId).id);
    expect(message?.bodyText).toBe('First line\nSecond & last');
  });

  test('keeps an over-long text body whole as a file', async () => {
    const paragraph = 'The upload for the spring term failed with row errors. ';
    const text = paragraph.repeat(500);
    const messageId = await sendMail({ from: 'kim@state.example.gov', subject: 'Long log pasted', text });

    const ticket = ticketByMessageId(messageId);
    const [message] = messagesOf(ticket.id);
    expect(message?.bodyText.length).toBeLessThan(text.length);
    const file = testApp.database.db
      .select()
      .from(ticketAttachments)
      .where(eq(ticketAttachments.ticketId, ticket.id))
      .get();
    expect(file?.fileName).toBe('full-message.txt');
    expect(file?.sizeBytes).toBe(Buffer.byteLength(text.trim()));
  });

  test('keeps allowed attachments and notes the rejected ones', async () => {
    const messageId = await sendMail({
      from: 'kim@state.example.gov',
      subject: 'Upload errors attached',
      attachments: [
        { filename: 'errors.csv', content: 'row,problem\n4,birth date missing\n', contentType: 'text/csv' },
        { filename: 'tool.exe', content: Buffer.from('MZ fake program'), contentType: 'application/x-msdownload' },
      ],
    });

    const ticket = ticketByMessageId(messageId);
    const files = testApp.database.db
      .select()
      .from(ticketAttachments)
      .where(eq(ticketAttachments.ticketId, ticket.id))
      .all();
    expect(files.map((file) => file.fileName)).toEqual(['errors.csv']);
    const note = messagesOf(ticket.id).find((message) => message.visibility === 'internal');
    expect(note?.bodyText).toContain('tool.exe');
  });
});

describe('attachment downloads', () => {
  test('only people who may see the ticket download a mailed file', async () => {
    const db = testApp.database.db;
    const requester = await createPerson(db, { role: 'state_user', state: 'WA' });
    const coordinator = await createPerson(db, { role: 'state_coordinator', state: 'WA' });
    const agent = await createPerson(db, { role: 'agent' });
    const otherUser = await createPerson(db, { role: 'state_user', state: 'WA' });
    const otherCoordinator = await createPerson(db, { role: 'state_coordinator', state: 'ID' });
    const pdf = Buffer.from('%PDF-1.4\n% synthetic test file\n%%EOF\n');

    const messageId = await sendMail({
      from: requester.email,
      subject: 'Rejection report',
      attachments: [{ filename: 'rejections.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    const ticket = ticketByMessageId(messageId);
    const file = db.select().from(ticketAttachments).where(eq(ticketAttachments.ticketId, ticket.id)).get();
    if (!file) throw new Error('the attachment was not stored');
    const path = `/api/tickets/${ticket.id}/attachments/${file.id}`;

    for (const person of [requester, coordinator, agent]) {
      const response = await sendJson(testApp.app, 'GET', path, { cookie: await signInAs(testApp.app, person) });
      expect(response.status, person.role).toBe(200);
      expect(response.headers.get('content-disposition'), person.role).toContain('attachment');
      expect(Buffer.from(await response.arrayBuffer()).equals(pdf), person.role).toBe(true);
    }
    for (const person of [otherUser, otherCoordinator]) {
      const response = await sendJson(testApp.app, 'GET', path, { cookie: await signInAs(testApp.app, person) });
      expect(response.status, `${person.role} of ${person.state}`).toBe(404);
    }
    expect((await sendJson(testApp.app, 'GET', path)).status).toBe(401);
  });
});

describe('listener log', () => {
  test('names each filed message by ticket, never its sender, subject or body', async () => {
    const linesBefore = logLines.length;
    const messageId = await sendMail({
      from: 'Quinn Harlow <quinn.harlow@district.example.org>',
      subject: 'Lost access to the Harlow district account',
      text: 'Student Ava Example was born on 2014-02-03.',
    });

    const ticket = ticketByMessageId(messageId);
    const written = logLines.slice(linesBefore).join('');
    expect(written).toContain('incoming message opened a ticket');
    expect(written).toContain(`"ticketId":${ticket.id}`);
    expect(written).not.toMatch(/harlow/i);
    expect(written).not.toContain('Ava Example');
    expect(written).not.toContain('2014-02-03');
  });
});

describe('SMTP replies', () => {
  test('rejects mail to another recipient with 550', async () => {
    const error = await client
      .sendMail({ from: 'kim@state.example.gov', to: 'sales@msix-assist.test', subject: 'Hello', text: 'Hi' })
      .catch((caught: unknown) => caught as { responseCode?: number; response?: string });
    expect(error).toMatchObject({ responseCode: 550 });
    expect((error as { response?: string }).response).toContain(`only for the support desk address ${supportAddress}`);
  });

  test('rejects a message over the size limit with 552', async () => {
    const ticketsBefore = countTickets();
    const error = await sendMail({
      from: 'kim@state.example.gov',
      subject: 'Huge',
      text: 'x'.repeat(2 * 1024 * 1024),
    }).catch((caught: unknown) => caught as { responseCode?: number; response?: string });

    expect(error).toMatchObject({ responseCode: 552 });
    expect((error as { response?: string }).response).toContain('up to 1 MB');
    expect(countTickets()).toBe(ticketsBefore);
  });

  test('rejects a message without a From address with 550', async () => {
    const error = await sendRaw([`To: ${supportAddress}`, 'Subject: Nobody', '', 'Who sent this?']).catch(
      (caught: unknown) => caught as { responseCode?: number },
    );
    expect(error).toMatchObject({ responseCode: 550 });
  });
});

describe('automatic mail on a ticket', () => {
  /** Opens a ticket by mail, assigns it to a new agent and returns both, with the agent's session cookie. */
  async function openAssignedTicket(address: string, subject: string) {
    const db = testApp.database.db;
    const openingId = await sendMail({ from: address, subject });
    const ticket = ticketByMessageId(openingId);
    const agent = await createPerson(db, { role: 'agent' });
    db.update(tickets).set({ assigneeId: agent.id }).where(eq(tickets.id, ticket.id)).run();
    return { ticket, openingId, agent, agentCookie: await signInAs(testApp.app, agent) };
  }

  function noticesTo(address: string) {
    return testApp.database.db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.recipient, address))
      .all()
      .filter((row) => row.kind === 'ticket_assignee_notice');
  }

  test.each(['pending', 'solved'] as const)('out-of-office reply leaves a %s ticket as it is', async (status) => {
    const address = `away-${status}@district.example.org`;
    const { ticket, openingId, agent, agentCookie } = await openAssignedTicket(address, `Roster question ${status}`);
    const answer = await sendJson(testApp.app, 'POST', `/api/tickets/${ticket.id}/messages`, {
      cookie: agentCookie,
      body: { visibility: 'public', bodyText: 'Which school year is the roster for?', status },
    });
    expect(answer.status).toBe(201);
    const before = readTicket(ticket.id);
    const eventCount = eventsOf(ticket.id).length;
    clock.advance(minutes(1));

    await sendMail({
      from: address,
      subject: `Automatic reply: [Ticket #${ticket.id}] Roster question`,
      text: 'I am out of the office until January 4.',
      inReplyTo: openingId,
      headers: { 'Auto-Submitted': 'auto-replied' },
    });

    const after = readTicket(ticket.id);
    expect(messagesOf(ticket.id).at(-1)?.bodyText).toBe('I am out of the office until January 4.');
    expect(after.status).toBe(status);
    expect(after.updatedAt).toBe(before.updatedAt);
    expect(after.slaPausedAt).toBe(before.slaPausedAt);
    const newEvents = eventsOf(ticket.id).slice(eventCount);
    expect(newEvents.map((event) => event.type)).toEqual(['automatic_mail']);
    expect(newEvents[0]?.toValue).toBe('auto_submitted');
    expect(noticesTo(agent.email)).toHaveLength(0);
  });

  test('ticket opened by automatic mail gets no survey', async () => {
    const address = `newsletter-${messageCounter + 1}@lists.example.org`;
    const messageId = nextMessageId();
    await sendRaw([
      `From: ${address}`,
      `To: ${supportAddress}`,
      'Subject: Weekly digest',
      `Message-ID: ${messageId}`,
      'Precedence: bulk',
      '',
      'This week in migrant education.',
    ]);
    const ticket = ticketByMessageId(messageId);
    const agentCookie = await signInAs(testApp.app, await createPerson(testApp.database.db, { role: 'agent' }));
    const setStatus = (status: string) =>
      sendJson(testApp.app, 'POST', `/api/tickets/${ticket.id}/messages`, {
        cookie: agentCookie,
        body: { visibility: 'internal', bodyText: `Bulk mail, marking ${status}.`, status },
      });

    expect((await setStatus('solved')).status).toBe(201);
    expect((await setStatus('open')).status).toBe(201);
    expect((await setStatus('solved')).status).toBe(201);

    expect(readTicket(ticket.id).status).toBe('solved');
    const surveys = testApp.database.db.select().from(ticketSurveys).where(eq(ticketSurveys.ticketId, ticket.id)).all();
    expect(surveys).toHaveLength(0);
    const mailTo = testApp.database.db.select().from(outboxMessages).where(eq(outboxMessages.recipient, address)).all();
    expect(mailTo).toHaveLength(0);
    const skipped = eventsOf(ticket.id).filter((event) => event.type === 'survey_skipped');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.toValue).toBe('automatic mail opened the ticket');
  });

  test('automatic mail history is written with its ticket', async () => {
    const address = `robot-history-${messageCounter + 1}@district.example.org`;
    const messageId = nextMessageId();
    await sendRaw([
      `From: ${address}`,
      `To: ${supportAddress}`,
      'Subject: Delivery delayed',
      `Message-ID: ${messageId}`,
      'Auto-Submitted: auto-generated',
      '',
      'Still trying.',
    ]);

    const ticket = ticketByMessageId(messageId);
    const events = eventsOf(ticket.id);
    expect(events.map((event) => event.type)).toEqual(['created', 'automatic_mail']);
    expect(events[1]?.createdAt).toBe(events[0]?.createdAt);
  });

  test('emailed reply on an assigned ticket notifies the assignee', async () => {
    const address = 'lena.ortiz@district.example.org';
    const { ticket, openingId, agent } = await openAssignedTicket(address, 'Move notice missing');
    await deliverOutbox();
    const reply = `<b>Still missing</b> for the Yakima move. ${'x'.repeat(520)}TAIL-NOT-QUOTED`;

    await sendMail({ from: address, subject: 'Re: Move notice missing', text: reply, inReplyTo: openingId });

    const notices = noticesTo(agent.email);
    expect(notices).toHaveLength(1);
    const notice = notices[0]!;
    expect(notice.subject).toContain(`[Ticket #${ticket.id}]`);
    expect(JSON.parse(notice.headers)['Auto-Submitted']).toBe('auto-generated');
    expect(notice.textBody).toContain(`/desk/ticket/?id=${ticket.id}`);
    expect(notice.textBody).toContain('<b>Still missing</b> for the Yakima move.');
    expect(notice.textBody).not.toContain('TAIL-NOT-QUOTED');
    expect(notice.htmlBody).toContain('&lt;b&gt;Still missing&lt;/b&gt;');
    expect(notice.htmlBody).not.toContain('<b>Still');
    const storedIds = testApp.database.db
      .select()
      .from(ticketMailIds)
      .where(eq(ticketMailIds.messageId, notice.messageId))
      .all();
    expect(storedIds).toHaveLength(0);

    const delivered = (await deliverOutbox()).filter((mail) => mail.subject === notice.subject);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.headers.get('auto-submitted')).toBe('auto-generated');
  });
});
