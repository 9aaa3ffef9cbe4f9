import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Actor } from '../api/auth/actor';
import { setEventContentRoot } from '../api/outreach/events/event-content';
import { importAttendance, maxAttendanceCsvBytes } from '../api/outreach/events/attendance';
import { foldLine } from '../api/outreach/events/ical';
import { runEventReminders } from '../api/outreach/events/reminders';
import { createMailQueue } from '../api/shared/mail-queue';
import { AppError } from '../api/errors';
import { auditLog, eventRegistrations, outboxMessages } from '../db/schema';
import { createMailTransport, createOutboxWorker, MailSendError, type MailTransport } from '../emails';
import { calendarEventHeader } from '../emails/transport';
import { createPerson, sendJson, signInAs, type TestPerson } from './helpers/accounts';
import { createFakeClock, days, hours, minutes } from './helpers/clock';
import { createTestApp, type TestApp } from './helpers/server';

/** The open webinar starts 2027-03-17 14:00 in New York, which is 18:00 UTC. */
const webinarStart = new Date('2027-03-17T18:00:00.000Z');
const webinarTitle = 'Live webinar: placement, credits; and a \\ backslash';
const longSummary =
  'A one-hour live webinar for registrars, counselors and recruiters on reading the consolidated record, ' +
  'placing a migratory child who arrives mid-year; scheduling courses cut short, with clock hours and grade to date; ' +
  'and what to do when the record is thin, including whom to call in the sending state and which forms to keep.';

const eventFiles: Record<string, string> = {
  'open-webinar': frontMatter({
    title: webinarTitle,
    start: '2027-03-17T14:00:00-04:00',
    end: '2027-03-17T15:00:00-04:00',
    location: 'Online, by video call',
    registration: 'open',
    summary: longSummary,
  }),
  'closed-webinar': frontMatter({
    title: 'Live webinar with closed registration',
    start: '2027-04-14T14:00:00-04:00',
    end: '2027-04-14T15:00:00-04:00',
    location: 'Online',
    registration: 'closed',
    summary: longSummary,
  }),
  'past-webinar': frontMatter({
    title: 'Live webinar that already took place',
    start: '2027-01-20T14:00:00-05:00',
    end: '2027-01-20T15:00:00-05:00',
    location: 'Online',
    registration: 'open',
    summary: longSummary,
  }),
  'drop-in-office-hours': frontMatter({
    title: 'Drop-in office hours',
    start: '2027-03-24T13:00:00-04:00',
    end: '2027-03-24T14:30:00-04:00',
    location: 'Online',
    registration: 'not-required',
    summary: longSummary,
  }),
};

function frontMatter(fields: Record<string, string>): string {
  const lines = Object.entries(fields).map(([name, value]) => `${name}: ${JSON.stringify(value)}`);
  return [
    '---',
    'kind: webinar',
    'timeZone: "America/New_York"',
    'audience: [school-staff]',
    'topics: [consolidated-record]',
    ...lines,
    '---',
    '',
    'What the session covers.',
    '',
  ].join('\n');
}

interface TestSmtpServer {
  url: string;
  received: Buffer[];
  close: () => Promise<void>;
}

async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: Buffer[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks));
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let contentRoot: string;
let smtp: TestSmtpServer;

beforeAll(async () => {
  contentRoot = mkdtempSync(path.join(tmpdir(), 'msix-events-content-'));
  mkdirSync(path.join(contentRoot, 'content', 'events'), { recursive: true });
  for (const [slug, text] of Object.entries(eventFiles)) {
    writeFileSync(path.join(contentRoot, 'content', 'events', `${slug}.mdx`), text);
  }
  setEventContentRoot(contentRoot);
  smtp = await startSmtpServer();
});

afterAll(async () => {
  setEventContentRoot(undefined);
  rmSync(contentRoot, { recursive: true, force: true });
  await smtp.close();
});

describe('event registration', () => {
  const clock = createFakeClock(new Date('2027-03-10T15:00:00.000Z'));
  let testApp: TestApp;
  let transport: MailTransport;

  beforeEach(() => {
    clock.set(new Date('2027-03-10T15:00:00.000Z'));
    smtp.received.length = 0;
    testApp = createTestApp({ clock });
    transport = createMailTransport(
      {
        smtpUrl: smtp.url,
        mailFrom: testApp.config.mailFrom,
        mailboxDirectory: path.join(testApp.directory, 'unused'),
      },
      { clock },
    );
  });

  afterEach(() => {
    transport.close();
    testApp.cleanup();
  });

  function register(slug: string, body: unknown) {
    return sendJson(testApp.app, 'POST', `/api/events/${slug}/registrations`, { body });
  }

  function cancel(token: string) {
    return sendJson(testApp.app, 'POST', '/api/registrations/cancel', { body: { token } });
  }

  /** Sends every queued message to the SMTP sink and returns the messages received by this call, parsed. */
  async function deliver(): Promise<{ raw: string; mail: ParsedMail }[]> {
    const before = smtp.received.length;
    const worker = createOutboxWorker({
      database: testApp.database,
      transport,
      logger: pino({ level: 'silent' }),
      clock,
    });
    while ((await worker.runOnce()) > 0) {
      // Each run sends one batch; the loop ends when nothing is due.
    }
    const raws = smtp.received.slice(before).map((buffer) => buffer.toString('utf8'));
    return Promise.all(raws.map(async (raw) => ({ raw, mail: await simpleParser(raw) })));
  }

  function registrations() {
    return testApp.database.db.select().from(eventRegistrations).all();
  }

  function outboxRows() {
    return testApp.database.db.select().from(outboxMessages).all();
  }

  function calendarPart(mail: ParsedMail): Attachment {
    const part = mail.attachments.find((attachment) => attachment.contentType === 'text/calendar');
    if (!part) throw new Error(`no text/calendar part in: ${mail.attachments.map((a) => a.contentType).join(', ')}`);
    return part;
  }

  /** Unfolds the calendar's folded content lines and splits the text at CRLF. */
  function calendarLines(content: string): string[] {
    return content.replace(/\r\n /g, '').split('\r\n');
  }

  function property(lines: string[], name: string): string | undefined {
    const line = lines.find((candidate) => candidate.startsWith(`${name}:`) || candidate.startsWith(`${name};`));
    return line?.slice(line.indexOf(':') + 1);
  }

  function cancelToken(mail: ParsedMail): string {
    const match = /\/events\/cancel\/#token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '');
    if (!match?.[1]) throw new Error('no cancellation link in the message');
    return match[1];
  }

  const person = {
    name: 'Dana Registrar',
    email: 'Dana.Registrar@District.Example.org',
    state: 'tx',
    role: 'school-staff',
  };

  describe('list of registrable events', () => {
    test('lists only open upcoming events', async () => {
      const response = await sendJson(testApp.app, 'GET', '/api/events/registrable');

      expect(response.status).toBe(200);
      const body = (await response.json()) as { events: unknown[] };
      expect(body.events).toEqual([
        {
          slug: 'open-webinar',
          title: webinarTitle,
          start: '2027-03-17T18:00:00.000Z',
          end: '2027-03-17T19:00:00.000Z',
          timeZone: 'America/New_York',
          location: 'Online, by video call',
        },
      ]);
    });
  });

  describe('registration', () => {
    test('confirmation carries calendar invitation', async () => {
      const response = await register('open-webinar', person);

      expect(response.status).toBe(200);
      const [row, ...otherRows] = registrations();
      expect(otherRows).toHaveLength(0);
      expect(row?.email).toBe('dana.registrar@district.example.org');
      expect(row?.state).toBe('TX');
      expect(row?.role).toBe('school-staff');
      expect(row?.status).toBe('registered');

      const [message, ...others] = await deliver();
      expect(others).toHaveLength(0);
      const { raw, mail } = message!;
      expect(mail.to).toMatchObject({ text: 'dana.registrar@district.example.org' });
      expect(mail.subject).toBe(`Registration confirmed: ${webinarTitle}`);
      expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
      expect(raw).not.toMatch(/X-MSIX-Calendar-Event/i);
      expect(mail.text).toContain('When: Wednesday, March 17, 2027 at 2:00 PM EDT to 3:00 PM EDT');
      expect(mail.text).toContain('http://localhost:4321/events/open-webinar/');

      const token = cancelToken(mail);
      expect(row?.cancelTokenHash).toBe(createHash('sha256').update(token).digest('hex'));
      expect(row?.cancelTokenHash).not.toContain(token);

      const part = calendarPart(mail);
      const contentType = part.headers.get('content-type') as { value: string; params: Record<string, string> };
      expect(contentType.params.method).toBe('REQUEST');
      expect(mail.attachments.some((attachment) => attachment.filename === 'invite.ics')).toBe(true);

      const content = part.content.toString('utf8');
      expect(content.endsWith('\r\n')).toBe(true);
      expect(content).not.toMatch(/[^\r]\n/);
      const physicalLines = content.split('\r\n');
      expect(physicalLines.every((line) => Buffer.byteLength(line, 'utf8') <= 75)).toBe(true);
      expect(physicalLines.some((line) => line.startsWith(' '))).toBe(true);

      const lines = calendarLines(content);
      expect(lines[0]).toBe('BEGIN:VCALENDAR');
      expect(property(lines, 'VERSION')).toBe('2.0');
      expect(property(lines, 'PRODID')).toBe('-//MSIX Assist//Event registration//EN');
      expect(property(lines, 'METHOD')).toBe('REQUEST');
      expect(property(lines, 'UID')).toMatch(
        new RegExp(`^registration-${row?.id}-20270310T150000000Z@msix-assist\\.test$`),
      );
      expect(property(lines, 'DTSTAMP')).toBe('20270310T150000Z');
      expect(property(lines, 'DTSTART')).toBe('20270317T180000Z');
      expect(property(lines, 'DTEND')).toBe('20270317T190000Z');
      expect(property(lines, 'SEQUENCE')).toBe('0');
      expect(property(lines, 'SUMMARY')).toBe('Live webinar: placement\\, credits\\; and a \\\\ backslash');
      expect(property(lines, 'LOCATION')).toBe('Online\\, by video call');
      expect(property(lines, 'DESCRIPTION')).toBe(
        `${longSummary.replace(/,/g, '\\,').replace(/;/g, '\\;')}\\n\\nEvent page: http://localhost:4321/events/open-webinar/`,
      );
      expect(property(lines, 'URL')).toBe('http://localhost:4321/events/open-webinar/');
      expect(property(lines, 'ORGANIZER')).toBe('mailto:no-reply@msix-assist.test');
      expect(lines.find((line) => line.startsWith('ATTENDEE'))).toBe(
        'ATTENDEE;CN="Dana Registrar";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:dana.registrar@district.example.org',
      );
      expect(lines.at(-2)).toBe('END:VCALENDAR');
    });

    test('answers with the event and a message', async () => {
      const response = await register('open-webinar', person);

      const body = (await response.json()) as { message: string; event: { slug: string; title: string } };
      expect(body.event.slug).toBe('open-webinar');
      expect(body.event.title).toBe(webinarTitle);
      expect(body.message).toContain(webinarTitle);
      expect(JSON.stringify(body)).not.toContain('dana');
    });

    test('records an audit row', async () => {
      await register('open-webinar', person);

      const [entry] = testApp.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.action, 'event_registration.created'))
        .all();
      expect(entry?.objectType).toBe('event_registration');
      expect(entry?.objectId).toBe(String(registrations()[0]?.id));
      expect(entry?.detail).toBe('event:open-webinar');
      expect(entry?.actorEmail).toBeNull();
    });

    test('duplicate registration answers the same', async () => {
      const first = await register('open-webinar', person);
      const second = await register('open-webinar', { ...person, email: 'dana.registrar@district.example.org' });

      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(await second.json()).toEqual(await first.json());
      expect(registrations()).toHaveLength(1);
      expect(outboxRows()).toHaveLength(1);
    });

    test.each([
      ['closed registration', 'closed-webinar', 409, 'registration_closed', /has closed/],
      ['started event', 'past-webinar', 409, 'registration_closed', /has ended/],
      ['no registration needed', 'drop-in-office-hours', 409, 'registration_not_required', /needs no registration/],
      ['unknown event', 'no-such-webinar', 404, 'event_not_found', /No event "no-such-webinar"/],
    ])('refuses %s', async (_case, slug, status, code, message) => {
      const response = await register(slug, person);

      expect(response.status).toBe(status);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.message).toMatch(message);
      expect(registrations()).toHaveLength(0);
      expect(outboxRows()).toHaveLength(0);
    });

    test('refuses event that started minutes ago', async () => {
      clock.set(new Date(webinarStart.getTime() + minutes(5)));

      const response = await register('open-webinar', person);

      expect(response.status).toBe(409);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.message).toBe(`"${webinarTitle}" has already started, so it takes no more registrations.`);
    });

    test.each([
      ['CR/LF in name', { name: 'Dana\r\nBcc: victim@example.org' }, 'name'],
      ['LF in name', { name: 'Dana\nRegistrar' }, 'name'],
      ['tab in name', { name: 'Dana\tRegistrar' }, 'name'],
      ['line separator in name', { name: 'Dana\u2028Registrar' }, 'name'],
      ['short name', { name: ' D ' }, 'name'],
      ['long name', { name: 'D'.repeat(101) }, 'name'],
      ['CR/LF in email', { email: 'dana@example.org\r\nBcc: victim@example.org' }, 'email'],
      ['invalid email', { email: 'dana at example.org' }, 'email'],
      ['unknown state', { state: 'ZZ' }, 'state'],
      ['unknown role', { role: 'hackers' }, 'role'],
    ])('rejects %s', async (_case, change, field) => {
      const response = await register('open-webinar', { ...person, ...change });

      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; fields: { field: string }[] } };
      expect(body.error.code).toBe('invalid_input');
      expect(body.error.fields.map((problem) => problem.field)).toEqual([field]);
      expect(registrations()).toHaveLength(0);
      expect(outboxRows()).toHaveLength(0);
    });

    test('accepts missing state and role', async () => {
      const response = await register('open-webinar', { name: 'Dana Registrar', email: 'dana@example.org', state: '' });

      expect(response.status).toBe(200);
      expect(registrations()[0]?.state).toBeNull();
      expect(registrations()[0]?.role).toBeNull();
    });

    test('throttles one address', async () => {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 6; attempt += 1) statuses.push((await register('open-webinar', person)).status);

      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    });
  });

  describe('calendar transport', () => {
    test('malformed calendar header is a permanent error', async () => {
      let error: unknown;
      try {
        await transport.send({
          messageId: '<calendar-test@msix-assist.test>',
          to: 'registrar@district.example.org',
          subject: 'Calendar test',
          text: 'Calendar test',
          headers: { [calendarEventHeader]: 'not json' },
        });
      } catch (caught) {
        error = caught;
      }

      expect(error).toBeInstanceOf(MailSendError);
      expect((error as MailSendError).temporary).toBe(false);
      expect((error as Error).message).toMatch(/X-MSIX-Calendar-Event value is not JSON/);
      expect(smtp.received).toHaveLength(0);
    });

    test('folding keeps UTF-8 characters whole', () => {
      const line = `DESCRIPTION:${'é'.repeat(100)}`;

      const parts = foldLine(line).split('\r\n');

      expect(parts.length).toBeGreaterThan(1);
      expect(parts.every((part) => Buffer.byteLength(part, 'utf8') <= 75)).toBe(true);
      expect(parts.slice(1).every((part) => part.startsWith(' '))).toBe(true);
      expect(parts.map((part, index) => (index === 0 ? part : part.slice(1))).join('')).toBe(line);
      expect(parts.join('')).not.toContain('\uFFFD');
    });
  });

  describe('cancellation', () => {
    test('link works once and sends METHOD:CANCEL', async () => {
      await register('open-webinar', person);
      const [confirmation] = await deliver();
      const token = cancelToken(confirmation!.mail);
      const invitationUid = property(calendarLines(calendarPart(confirmation!.mail).content.toString('utf8')), 'UID');
      clock.advance(hours(1));

      const first = await cancel(token);
      const second = await cancel(token);

      expect(first.status).toBe(200);
      const body = (await first.json()) as { message: string; event: { slug: string } };
      expect(body.event.slug).toBe('open-webinar');
      expect(second.status).toBe(409);
      expect(((await second.json()) as { error: { code: string } }).error.code).toBe('already_cancelled');
      const [row] = registrations();
      expect(row?.status).toBe('cancelled');
      expect(row?.cancelledAt).toBe(clock().toISOString());

      const [message, ...others] = await deliver();
      expect(others).toHaveLength(0);
      expect(message?.mail.subject).toBe(`Registration cancelled: ${webinarTitle}`);
      const part = calendarPart(message!.mail);
      const contentType = part.headers.get('content-type') as { params: Record<string, string> };
      expect(contentType.params.method).toBe('CANCEL');
      const lines = calendarLines(part.content.toString('utf8'));
      expect(property(lines, 'METHOD')).toBe('CANCEL');
      expect(property(lines, 'UID')).toBe(invitationUid);
      expect(property(lines, 'SEQUENCE')).toBe('1');
      expect(property(lines, 'STATUS')).toBe('CANCELLED');
      expect(property(lines, 'DTSTART')).toBe('20270317T180000Z');
    });

    test.each([
      ['unknown token', 'A'.repeat(43)],
      ['short token', 'abc'],
      ['token with symbols', `${'A'.repeat(40)}<>!`],
    ])('rejects %s', async (_case, token) => {
      const response = await cancel(token);

      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_link');
    });

    test('rejects missing token', async () => {
      const response = await sendJson(testApp.app, 'POST', '/api/registrations/cancel', { body: {} });

      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_link');
    });

    test('registering again gives a new calendar event', async () => {
      await register('open-webinar', person);
      const [confirmation] = await deliver();
      const firstUid = property(calendarLines(calendarPart(confirmation!.mail).content.toString('utf8')), 'UID');
      await cancel(cancelToken(confirmation!.mail));
      await deliver();
      clock.advance(hours(2));

      const response = await register('open-webinar', { ...person, name: 'Dana R. Registrar' });

      expect(response.status).toBe(200);
      const [row, ...otherRows] = registrations();
      expect(otherRows).toHaveLength(0);
      expect(row?.status).toBe('registered');
      expect(row?.cancelledAt).toBeNull();
      expect(row?.name).toBe('Dana R. Registrar');
      const [again] = await deliver();
      const secondUid = property(calendarLines(calendarPart(again!.mail).content.toString('utf8')), 'UID');
      expect(secondUid).not.toBe(firstUid);
      expect(row?.cancelTokenHash).toBe(createHash('sha256').update(cancelToken(again!.mail)).digest('hex'));
    });
  });

  describe('reminders', () => {
    function runReminders() {
      return runEventReminders({
        db: testApp.database.db,
        clock,
        mail: createMailQueue(testApp.config),
        siteUrl: testApp.config.siteUrl,
      });
    }

    function remindersTo(kind: string): string[] {
      return outboxRows()
        .filter((row) => row.kind === kind)
        .map((row) => row.recipient)
        .sort();
    }

    test('day and hour reminders go once each', async () => {
      await register('open-webinar', { name: 'Early Registrar', email: 'early@example.org' });
      await register('open-webinar', { name: 'Cancelled Registrar', email: 'cancelled@example.org' });
      const confirmations = await deliver();
      const cancelled = confirmations.find(({ mail }) => mail.text?.includes('Hello Cancelled Registrar'));
      expect((await cancel(cancelToken(cancelled!.mail))).status).toBe(200);

      clock.set(new Date(webinarStart.getTime() - hours(25)));
      expect(runReminders()).toEqual({ day: 0, hour: 0, failed: 0 });

      clock.set(new Date(webinarStart.getTime() - hours(23)));
      expect(runReminders()).toEqual({ day: 1, hour: 0, failed: 0 });
      expect(runReminders()).toEqual({ day: 0, hour: 0, failed: 0 });

      await register('open-webinar', { name: 'Late Registrar', email: 'late@example.org' });
      clock.advance(minutes(10));
      expect(runReminders()).toEqual({ day: 0, hour: 0, failed: 0 });

      clock.set(new Date(webinarStart.getTime() - minutes(59)));
      expect(runReminders()).toEqual({ day: 0, hour: 2, failed: 0 });
      expect(runReminders()).toEqual({ day: 0, hour: 0, failed: 0 });

      clock.set(new Date(webinarStart.getTime() + minutes(1)));
      expect(runReminders()).toEqual({ day: 0, hour: 0, failed: 0 });

      expect(remindersTo('event_reminder_day')).toEqual(['early@example.org']);
      expect(remindersTo('event_reminder_hour')).toEqual(['early@example.org', 'late@example.org']);
      const [early] = registrations().filter((row) => row.email === 'early@example.org');
      expect(early?.dayReminderQueuedAt).toBe(new Date(webinarStart.getTime() - hours(23)).toISOString());
      expect(early?.hourReminderQueuedAt).toBe(new Date(webinarStart.getTime() - minutes(59)).toISOString());
    });

    test('reminder message names the event and time', async () => {
      await register('open-webinar', person);
      await deliver();
      clock.set(new Date(webinarStart.getTime() - hours(20)));

      runReminders();

      const [message] = await deliver();
      expect(message?.mail.subject).toBe(`Reminder: ${webinarTitle}, Wed, Mar 17, 2:00 PM EDT`);
      expect(message?.mail.text).toContain('Wednesday, March 17, 2027 at 2:00 PM EDT');
      expect(message?.mail.text).toContain('http://localhost:4321/events/open-webinar/');
    });

    test('day window missed leaves only the hour reminder', async () => {
      await register('open-webinar', person);
      clock.set(new Date(webinarStart.getTime() - minutes(30)));

      expect(runReminders()).toEqual({ day: 0, hour: 1, failed: 0 });
      expect(registrations()[0]?.dayReminderQueuedAt).toBeNull();
    });

    test('registration within the hour gets no reminder', async () => {
      clock.set(new Date(webinarStart.getTime() - minutes(30)));
      await register('open-webinar', person);

      expect(runReminders()).toEqual({ day: 0, hour: 0, failed: 0 });
      const [confirmation] = await deliver();
      expect(confirmation?.mail.text).toContain('no reminder will follow this message');
    });
  });

  describe('admin', () => {
    let admin: TestPerson;
    let adminCookie: string;

    beforeEach(async () => {
      admin = await createPerson(testApp.database.db, { role: 'admin', now: clock() });
      adminCookie = await signInAs(testApp.app, admin);
    });

    async function registerThree(): Promise<void> {
      for (const email of ['a@example.org', 'b@example.org', 'c@example.org']) {
        expect((await register('open-webinar', { name: `Registrar ${email[0]}`, email })).status).toBe(200);
      }
    }

    test('lists registrations with counts', async () => {
      await registerThree();
      const [confirmation] = await deliver();
      await cancel(cancelToken(confirmation!.mail));

      const response = await sendJson(testApp.app, 'GET', '/api/events/open-webinar/registrations', {
        cookie: adminCookie,
      });

      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        event: { slug: string };
        counts: Record<string, number>;
        registrations: { email: string; status: string }[];
      };
      expect(body.event.slug).toBe('open-webinar');
      expect(body.counts).toEqual({ registered: 2, cancelled: 1, attended: 0 });
      expect(body.registrations.map((row) => row.email)).toEqual(['a@example.org', 'b@example.org', 'c@example.org']);
    });

    test('imports attendance and reports problems', async () => {
      await registerThree();
      const csv = [
        'Attendee Report',
        'Report Generated:,2027-03-17',
        'Attended,User Name,E-Mail,Join Time',
        'Yes,Registrar A,A@Example.org,2027-03-17 14:01',
        'No,Registrar B,b@example.org,',
        'Yes,Registrar A,a@example.org,2027-03-17 14:20',
        'Yes,Walk-in,stranger@example.org,2027-03-17 14:02',
        'Maybe,Registrar C,c@example.org,',
        'Yes,Typo,not-an-address,',
        'Yes,Nobody,,',
      ].join('\r\n');

      const response = await sendJson(testApp.app, 'POST', '/api/events/open-webinar/attendance', {
        cookie: adminCookie,
        body: { csv },
      });

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        matched: 2,
        unmatched: [{ line: 7, email: 'stranger@example.org' }],
        errors: [
          { line: 8, column: 'Attended', value: 'Maybe', problem: 'must be yes or no' },
          {
            line: 9,
            column: 'E-Mail',
            value: 'not-an-address',
            problem: 'is not an email address such as registrar@district.example.gov',
          },
          { line: 10, column: 'E-Mail', value: '', problem: 'is empty; every row needs an address' },
        ],
      });
      const attended = Object.fromEntries(registrations().map((row) => [row.email, row.attended]));
      expect(attended).toEqual({ 'a@example.org': true, 'b@example.org': false, 'c@example.org': null });
      const [entry] = testApp.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.action, 'event_attendance.imported'))
        .all();
      expect(entry?.actorId).toBe(admin.id);
      expect(entry?.detail).toBe('matched:2;unmatched:1;errors:3');
    });

    test('attendance without attended column counts as yes', async () => {
      await registerThree();

      const response = await sendJson(testApp.app, 'POST', '/api/events/open-webinar/attendance', {
        cookie: adminCookie,
        body: { csv: 'email\nc@example.org\n' },
      });

      expect(await response.json()).toEqual({ matched: 1, unmatched: [], errors: [] });
      expect(registrations().find((row) => row.email === 'c@example.org')?.attended).toBe(true);
    });

    test('attendance without email column is rejected', async () => {
      const response = await sendJson(testApp.app, 'POST', '/api/events/open-webinar/attendance', {
        cookie: adminCookie,
        body: { csv: 'Name,Duration\nRegistrar A,60\n' },
      });

      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('missing_email_column');
      expect(body.error.message).toContain('"Name", "Duration"');
    });

    test('attendance over 1 MB is rejected', () => {
      const csv = `email\n${'a@example.org\n'.repeat(Math.ceil(maxAttendanceCsvBytes / 14) + 1)}`;

      const actor: Actor = {
        id: admin.id,
        email: admin.email,
        displayName: 'Test admin',
        role: 'admin',
        state: null,
        recordsAccess: 'none',
        status: 'active',
      };

      const importLarge = () =>
        importAttendance(testApp.database.db, actor, 'open-webinar', { csv }, { ip: '127.0.0.1', now: clock() });

      expect(importLarge).toThrow(AppError);
      expect(importLarge).toThrow(/larger than 1 MB/);
    });

    test('exports formula-safe CSV', async () => {
      await register('open-webinar', {
        name: '=HYPERLINK("http://evil.example")',
        email: 'formula@example.org',
        state: 'TX',
      });

      const response = await sendJson(testApp.app, 'GET', '/api/events/open-webinar/registrations/export', {
        cookie: adminCookie,
      });

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).toBe(
        'attachment; filename="registrations-open-webinar-2027-03-10.csv"',
      );
      const lines = (await response.text()).split('\r\n');
      expect(lines[0]).toBe('name,email,state,role,status,attended,registered_at,cancelled_at');
      expect(lines[1]).toBe(
        `"'=HYPERLINK(""http://evil.example"")","formula@example.org","TX",,"registered","","2027-03-10T15:00:00.000Z",`,
      );
      const [entry] = testApp.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.action, 'event_registration.exported'))
        .all();
      expect(entry?.actorId).toBe(admin.id);
    });

    test.each([
      ['GET', '/api/events/open-webinar/registrations'],
      ['GET', '/api/events/open-webinar/registrations/export'],
      ['POST', '/api/events/open-webinar/attendance'],
    ])('%s %s is for admins only', async (method, url) => {
      const agent = await createPerson(testApp.database.db, { role: 'agent', now: clock() });
      const coordinator = await createPerson(testApp.database.db, { role: 'state_coordinator', now: clock() });
      const body = { csv: 'email\na@example.org\n' };

      const visitor = await sendJson(testApp.app, method, url, { body });
      const asAgent = await sendJson(testApp.app, method, url, { cookie: await signInAs(testApp.app, agent), body });
      const asCoordinator = await sendJson(testApp.app, method, url, {
        cookie: await signInAs(testApp.app, coordinator),
        body,
      });
      const asAdmin = await sendJson(testApp.app, method, url, { cookie: adminCookie, body });

      expect(visitor.status).toBe(401);
      expect(asAgent.status).toBe(403);
      expect(asCoordinator.status).toBe(403);
      expect(asAdmin.status).toBe(200);
    });

    test('unknown event answers 404', async () => {
      const response = await sendJson(testApp.app, 'GET', '/api/events/no-such-event/registrations', {
        cookie: adminCookie,
      });

      expect(response.status).toBe(404);
    });
  });
});
