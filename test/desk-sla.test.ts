import { eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Actor } from '../api/auth/actor';
import { addBusinessMinutes, businessMinutesBetween, parseBusinessHours } from '../api/desk/sla/business-hours';
import { federalHolidays, isFederalHoliday } from '../api/desk/sla/holidays';
import { refreshTicketSla } from '../api/desk/sla/refresh';
import { timeZoneOfState } from '../api/desk/sla/time-zones';
import { runSlaWarnings } from '../api/desk/sla/warnings';
import { createTicket, type DeskSettings } from '../api/desk/tickets/create';
import { addAgentMessage, addRequesterReply } from '../api/desk/tickets/messages';
import { setTicketStatus } from '../api/desk/tickets/status';
import { createMailQueue } from '../api/shared/mail-queue';
import { deskSlaTargets, outboxMessages, tickets } from '../db/schema';
import { createMailTransport, createOutboxWorker } from '../emails';
import { startSmtpSink, type SmtpSink } from './fixtures/smtp-sink';
import { createPerson } from './helpers/accounts';
import { createTestApp, type TestApp } from './helpers/server';

const weekdays = parseBusinessHours('Mon-Fri 08:00-17:00');
const newYork = 'America/New_York';

const add = (startIso: string, minutes: number, zone = newYork, hours = weekdays) =>
  addBusinessMinutes(new Date(startIso), minutes, hours, zone).toISOString();
const between = (fromIso: string, toIso: string, zone = newYork, hours = weekdays) =>
  businessMinutesBetween(new Date(fromIso), new Date(toIso), hours, zone);

describe('business hours arithmetic', () => {
  test('Friday 16:30 plus one hour is Monday 8:30', () => {
    // 2026-12-04 is a Friday; New York is on EST (UTC-5).
    expect(add('2026-12-04T21:30:00.000Z', 60)).toBe('2026-12-07T13:30:00.000Z');
  });

  test('overnight carry-over resumes at opening', () => {
    // Tuesday 16:00 plus 2 hours: one hour Tuesday, one hour Wednesday from 8:00.
    expect(add('2026-12-08T21:00:00.000Z', 120)).toBe('2026-12-09T14:00:00.000Z');
  });

  test('start before opening counts from opening', () => {
    expect(add('2026-12-08T11:00:00.000Z', 30)).toBe('2026-12-08T13:30:00.000Z');
  });

  test('target ending at closing stays that day', () => {
    expect(add('2026-12-08T21:00:00.000Z', 60)).toBe('2026-12-08T22:00:00.000Z');
  });

  test('start on Saturday counts from Monday', () => {
    expect(add('2026-12-05T15:00:00.000Z', 90)).toBe('2026-12-07T14:30:00.000Z');
  });

  test('zero minutes returns the start', () => {
    expect(add('2026-12-05T15:00:00.000Z', 0)).toBe('2026-12-05T15:00:00.000Z');
  });

  test('minutes between skip nights and weekends', () => {
    expect(between('2026-12-04T21:30:00.000Z', '2026-12-07T13:30:00.000Z')).toBe(60);
    // Monday 9:00 to Wednesday 12:00: 8 h Monday, 9 h Tuesday, 4 h Wednesday.
    expect(between('2026-12-07T14:00:00.000Z', '2026-12-09T17:00:00.000Z')).toBe(21 * 60);
    expect(between('2026-12-05T12:00:00.000Z', '2026-12-06T20:00:00.000Z')).toBe(0);
  });

  test('minutes between reversed instants are zero', () => {
    expect(between('2026-12-09T17:00:00.000Z', '2026-12-07T14:00:00.000Z')).toBe(0);
  });

  test('adding then counting round-trips', () => {
    const start = '2026-12-03T19:17:00.000Z';
    for (const minutes of [1, 59, 540, 2400, 4800]) {
      expect(between(start, add(start, minutes))).toBe(minutes);
    }
  });
});

describe('federal holidays', () => {
  // Observed dates worked out by hand from a calendar.
  const expected2026 = [
    ["New Year's Day", '2026-01-01', '2026-01-01'],
    ['Birthday of Martin Luther King, Jr.', '2026-01-19', '2026-01-19'],
    ["Washington's Birthday", '2026-02-16', '2026-02-16'],
    ['Memorial Day', '2026-05-25', '2026-05-25'],
    ['Juneteenth National Independence Day', '2026-06-19', '2026-06-19'],
    ['Independence Day', '2026-07-04', '2026-07-03'],
    ['Labor Day', '2026-09-07', '2026-09-07'],
    ['Columbus Day', '2026-10-12', '2026-10-12'],
    ['Veterans Day', '2026-11-11', '2026-11-11'],
    ['Thanksgiving Day', '2026-11-26', '2026-11-26'],
    ['Christmas Day', '2026-12-25', '2026-12-25'],
  ];
  const expected2027 = [
    ["New Year's Day", '2027-01-01', '2027-01-01'],
    ['Birthday of Martin Luther King, Jr.', '2027-01-18', '2027-01-18'],
    ["Washington's Birthday", '2027-02-15', '2027-02-15'],
    ['Memorial Day', '2027-05-31', '2027-05-31'],
    ['Juneteenth National Independence Day', '2027-06-19', '2027-06-18'],
    ['Independence Day', '2027-07-04', '2027-07-05'],
    ['Labor Day', '2027-09-06', '2027-09-06'],
    ['Columbus Day', '2027-10-11', '2027-10-11'],
    ['Veterans Day', '2027-11-11', '2027-11-11'],
    ['Thanksgiving Day', '2027-11-25', '2027-11-25'],
    ['Christmas Day', '2027-12-25', '2027-12-24'],
  ];

  test.each([
    [2026, expected2026],
    [2027, expected2027],
  ])('dates and observed days of %i', (year, expected) => {
    const actual = federalHolidays(year).map((holiday) => [holiday.name, holiday.date, holiday.observed]);
    expect(actual).toEqual(expected);
  });

  test('Sunday New Year observed Monday', () => {
    // 2023-01-01 was a Sunday.
    expect(federalHolidays(2023)[0]!.observed).toBe('2023-01-02');
    expect(isFederalHoliday(2023, 1, 2)).toBe(true);
  });

  test('Saturday New Year observed the previous December 31', () => {
    // 2028-01-01 is a Saturday, so offices close on Friday 2027-12-31.
    expect(isFederalHoliday(2027, 12, 31)).toBe(true);
  });

  test('Juneteenth only from 2021', () => {
    expect(isFederalHoliday(2020, 6, 19)).toBe(false);
    expect(federalHolidays(2020)).toHaveLength(10);
    expect(federalHolidays(2021)).toHaveLength(11);
    expect(isFederalHoliday(2021, 6, 18)).toBe(true);
  });

  test.each([...expected2026, ...expected2027].filter(([, , observed]) => !['2027-12-24'].includes(observed!)))(
    '%s (%s) has no business minutes on %s',
    (_name, _date, observed) => {
      const midnight = new Date(`${observed}T05:00:00.000Z`);
      const nextMidnight = new Date(midnight.getTime() + 24 * 3_600_000);
      expect(businessMinutesBetween(midnight, nextMidnight, weekdays, newYork)).toBe(0);
    },
  );

  test('observed Christmas 2027 closes Friday', () => {
    // Friday 2027-12-24 (observed Christmas) and Friday 2027-12-31 (observed New Year's Day 2028) are both closed.
    expect(between('2027-12-24T05:00:00.000Z', '2027-12-25T05:00:00.000Z')).toBe(0);
    expect(add('2027-12-23T21:30:00.000Z', 60)).toBe('2027-12-27T13:30:00.000Z');
    expect(add('2027-12-30T21:30:00.000Z', 60)).toBe('2028-01-03T13:30:00.000Z');
  });

  test('Thanksgiving skipped when adding', () => {
    // Wednesday 2026-11-25 16:30 plus one hour is Friday 8:30.
    expect(add('2026-11-25T21:30:00.000Z', 60)).toBe('2026-11-27T13:30:00.000Z');
  });

  test('observed Independence Day skipped when adding', () => {
    // Thursday 2026-07-02 16:30 EDT plus one hour: Friday 3 July is observed, so Monday 6 July 8:30.
    expect(add('2026-07-02T20:30:00.000Z', 60)).toBe('2026-07-06T12:30:00.000Z');
  });

  test('an ordinary weekday has nine hours', () => {
    expect(between('2026-12-08T05:00:00.000Z', '2026-12-09T05:00:00.000Z')).toBe(540);
  });
});

describe('time zones', () => {
  test.each([
    ['TX', 'America/Chicago'],
    ['AZ', 'America/Phoenix'],
    ['HI', 'Pacific/Honolulu'],
    ['AK', 'America/Anchorage'],
    ['PR', 'America/Puerto_Rico'],
    ['IN', 'America/Indiana/Indianapolis'],
    ['tn', 'America/Chicago'],
    [null, 'America/New_York'],
    ['ZZ', 'America/New_York'],
  ])('state %s uses %s', (state, zone) => {
    expect(timeZoneOfState(state)).toBe(zone);
  });

  test('Texas Friday 16:30 due Monday 8:30 Central', () => {
    expect(add('2026-12-04T22:30:00.000Z', 60, 'America/Chicago')).toBe('2026-12-07T14:30:00.000Z');
  });

  test('Hawaii local Friday is Saturday in UTC', () => {
    // Friday 16:30 HST is 02:30 UTC on Saturday.
    expect(add('2026-12-05T02:30:00.000Z', 60, 'Pacific/Honolulu')).toBe('2026-12-07T18:30:00.000Z');
  });

  test('Arizona keeps UTC-7 in summer while Denver moves', () => {
    // Friday 2026-07-10 16:30 MST in Phoenix is 23:30 UTC; Monday 8:30 MST is 15:30 UTC.
    expect(add('2026-07-10T23:30:00.000Z', 60, 'America/Phoenix')).toBe('2026-07-13T15:30:00.000Z');
    // Denver is on MDT (UTC-6) then, so the same local times are an hour earlier in UTC.
    expect(add('2026-07-10T22:30:00.000Z', 60, 'America/Denver')).toBe('2026-07-13T14:30:00.000Z');
  });

  test('Puerto Rico has no daylight saving time', () => {
    expect(add('2026-07-10T20:30:00.000Z', 60, 'America/Puerto_Rico')).toBe('2026-07-13T12:30:00.000Z');
    expect(add('2026-12-04T20:30:00.000Z', 60, 'America/Puerto_Rico')).toBe('2026-12-07T12:30:00.000Z');
  });

  test('spring-forward weekend keeps local opening time', () => {
    // Friday 2026-03-06 16:30 EST to Monday 2026-03-09 8:30 EDT.
    expect(add('2026-03-06T21:30:00.000Z', 60)).toBe('2026-03-09T12:30:00.000Z');
    expect(between('2026-03-06T21:30:00.000Z', '2026-03-09T12:30:00.000Z')).toBe(60);
  });

  test('fall-back weekend keeps local opening time', () => {
    // Friday 2026-10-30 16:30 EDT to Monday 2026-11-02 8:30 EST.
    expect(add('2026-10-30T20:30:00.000Z', 60)).toBe('2026-11-02T13:30:00.000Z');
    expect(between('2026-10-30T20:30:00.000Z', '2026-11-02T13:30:00.000Z')).toBe(60);
  });

  test('round-the-clock hours count real DST day lengths', () => {
    const always = parseBusinessHours('Sun-Sat 00:00-24:00');
    // Saturday 2026-03-07 00:00 EST to Monday 2026-03-09 00:00 EDT: Sunday has 23 hours.
    expect(between('2026-03-07T05:00:00.000Z', '2026-03-09T04:00:00.000Z', newYork, always)).toBe(47 * 60);
    // Saturday 2026-10-31 00:00 EDT to Monday 2026-11-02 00:00 EST: Sunday has 25 hours.
    expect(between('2026-10-31T04:00:00.000Z', '2026-11-02T05:00:00.000Z', newYork, always)).toBe(49 * 60);
  });
});

describe('parseBusinessHours', () => {
  test('reads several groups and periods', () => {
    const hours = parseBusinessHours('Mon-Thu 07:30-18:00, Fri 08:00-12:00');
    expect(hours.days[1]).toEqual([[450, 1080]]);
    expect(hours.days[4]).toEqual([[450, 1080]]);
    expect(hours.days[5]).toEqual([[480, 720]]);
    expect(hours.days[0]).toEqual([]);
    expect(hours.days[6]).toEqual([]);
  });

  test('reads a lunch break and a wrapping range', () => {
    const hours = parseBusinessHours('sun-thu 08:00-12:00 13:00-17:00');
    expect(hours.days[0]).toEqual([
      [480, 720],
      [780, 1020],
    ]);
    expect(hours.days[5]).toEqual([]);
    const wrapping = parseBusinessHours('Fri-Mon 10:00-14:00');
    expect(wrapping.days.map((periods) => periods.length)).toEqual([1, 1, 0, 0, 0, 1, 1]);
  });

  test('short Friday counts in the sum', () => {
    const hours = parseBusinessHours('Mon-Thu 07:30-18:00, Fri 08:00-12:00');
    // Friday 11:30 EST plus one hour: 30 minutes Friday, 30 minutes Monday from 7:30.
    expect(add('2026-12-04T16:30:00.000Z', 60, newYork, hours)).toBe('2026-12-07T13:00:00.000Z');
  });

  test.each([
    ['', 'it is empty'],
    ['Mon-Fri 8-5', 'not a day or day range'],
    ['Mon-Fry 08:00-17:00', '"Fry" is not a day'],
    ['Mon-Fri 17:00-08:00', 'does not end after it starts'],
    ['Mon-Fri 08:00-12:00 11:00-17:00', 'overlap'],
    ['Mon-Fri 08:00-24:30', 'not a time'],
    ['Mon-Fri 08:61-17:00', 'not a time'],
  ])('rejects %j', (value, problem) => {
    expect(() => parseBusinessHours(value)).toThrow(problem);
    expect(() => parseBusinessHours(value)).toThrow(`BUSINESS_HOURS is ${JSON.stringify(value)}`);
    expect(() => parseBusinessHours(value)).toThrow('Mon-Fri 08:00-17:00');
  });
});

function actorOf(person: { id: number; email: string; role: Actor['role']; state: string | null }): Actor {
  return { ...person, displayName: 'Agent Rivera', recordsAccess: 'none', status: 'active' };
}

describe('SLA columns of tickets', () => {
  let testApp: TestApp;
  let settings: DeskSettings;
  const context = (iso: string) => ({ now: new Date(iso), ip: '127.0.0.1' });

  beforeEach(() => {
    testApp = createTestApp();
    settings = { ...testApp.config };
  });
  afterEach(() => testApp.cleanup());

  const readTicket = (id: number) => testApp.database.db.select().from(tickets).where(eq(tickets.id, id)).get()!;

  function fileTicket(iso: string, state: string | null, priority: 'urgent' | 'normal') {
    return createTicket(
      testApp.database.db,
      settings,
      {
        subject: 'Cannot sign in',
        bodyText: 'My password reset link expired.',
        requester: { email: 'registrar@district.example.gov', name: 'Registrar', state },
        priority,
        channel: 'web',
        acknowledge: false,
      },
      context(iso),
    ).ticketId;
  }

  test('creation sets both due times in the state zone', () => {
    // Friday 2026-12-04 16:30 CST, urgent: 1 h first response, 8 h resolution.
    const id = fileTicket('2026-12-04T22:30:00.000Z', 'TX', 'urgent');
    const ticket = readTicket(id);
    expect(ticket.firstResponseDueAt).toBe('2026-12-07T14:30:00.000Z');
    // 30 minutes Friday, then 7 h 30 min Monday: 15:30 CST.
    expect(ticket.resolutionDueAt).toBe('2026-12-07T21:30:00.000Z');
    expect(ticket.slaPausedAt).toBeNull();
    expect(ticket.slaPausedMinutes).toBe(0);
    expect(ticket.firstResponseMinutes).toBeNull();
  });

  test('pending pauses both clocks and pushes due times', async () => {
    const agent = await createPerson(testApp.database.db, { role: 'agent' });
    // Monday 2026-12-07 9:00 EST, normal: 8 h first response, 40 h resolution.
    const id = fileTicket('2026-12-07T14:00:00.000Z', 'NY', 'normal');
    expect(readTicket(id).resolutionDueAt).toBe('2026-12-11T18:00:00.000Z');

    // Monday 10:00: the agent replies and waits on the requester.
    addAgentMessage(
      testApp.database.db,
      settings,
      id,
      actorOf(agent),
      { visibility: 'public', bodyText: 'Which browser do you use?', status: 'pending' },
      context('2026-12-07T15:00:00.000Z'),
    );
    let ticket = readTicket(id);
    expect(ticket.firstResponseMinutes).toBe(60);
    expect(ticket.firstResponseDueAt).toBe('2026-12-07T22:00:00.000Z');
    expect(ticket.slaPausedAt).toBe('2026-12-07T15:00:00.000Z');

    // Tuesday 10:00: the requester replies, which reopens the ticket. Paused: 7 h Monday and 2 h Tuesday.
    addRequesterReply(
      testApp.database.db,
      settings,
      id,
      { email: 'registrar@district.example.gov', name: 'Registrar', bodyText: 'Edge.', channel: 'web' },
      context('2026-12-08T15:00:00.000Z'),
    );
    ticket = readTicket(id);
    expect(ticket.status).toBe('open');
    expect(ticket.slaPausedAt).toBeNull();
    expect(ticket.slaPausedMinutes).toBe(540);
    expect(ticket.resolutionDueAt).toBe('2026-12-14T18:00:00.000Z');
    expect(ticket.firstResponseDueAt).toBe('2026-12-07T22:00:00.000Z');
    expect(ticket.firstResponseMinutes).toBe(60);

    // Wednesday 12:00: solved. Monday 9-17, Tuesday 8-17, Wednesday 8-12 less the 9 h pause: 12 h.
    testApp.database.db.transaction((tx) => {
      setTicketStatus(tx, settings, readTicket(id), 'solved', agent.id, new Date('2026-12-09T17:00:00.000Z'));
    });
    expect(readTicket(id).resolutionMinutes).toBe(720);
  });

  test('a changed target applies at the next refresh', () => {
    const id = fileTicket('2026-12-07T14:00:00.000Z', null, 'normal');
    testApp.database.db
      .update(deskSlaTargets)
      .set({ firstResponseMinutes: 30 })
      .where(eq(deskSlaTargets.priority, 'normal'))
      .run();
    refreshTicketSla(testApp.database.db, id, new Date('2026-12-07T14:05:00.000Z'), settings.businessHours);
    expect(readTicket(id).firstResponseDueAt).toBe('2026-12-07T14:30:00.000Z');
  });
});

describe('SLA warnings', () => {
  let testApp: TestApp;
  let sink: SmtpSink;
  let settings: DeskSettings;
  let now: Date;

  beforeAll(async () => {
    sink = await startSmtpSink({ keepRaw: true });
  });
  afterAll(async () => {
    await sink.close();
  });
  beforeEach(() => {
    testApp = createTestApp();
    settings = { ...testApp.config };
    sink.messageIds.length = 0;
    sink.raw.length = 0;
  });
  afterEach(() => testApp.cleanup());

  const db = () => testApp.database.db;

  function fileAssignedTicket(
    iso: string,
    assigneeId: number | null,
    subject = 'Upload rejected',
    priority: 'urgent' | 'normal' = 'urgent',
  ) {
    const { ticketId } = createTicket(
      db(),
      settings,
      {
        subject,
        bodyText: 'The MDE file upload was rejected.',
        requester: { email: 'data@state.example.gov', name: 'Data Lead', state: 'NY' },
        priority,
        channel: 'web',
        acknowledge: false,
      },
      { now: new Date(iso), ip: '127.0.0.1' },
    );
    db().update(tickets).set({ assigneeId }).where(eq(tickets.id, ticketId)).run();
    return ticketId;
  }

  function runWarnings(iso: string) {
    now = new Date(iso);
    runSlaWarnings({
      db: db(),
      clock: () => now,
      mail: createMailQueue(testApp.config),
      siteUrl: testApp.config.siteUrl,
      logger: pino({ level: 'silent' }),
      businessHours: settings.businessHours,
    });
  }

  async function deliverAll() {
    const transport = createMailTransport({
      smtpUrl: sink.url,
      mailFrom: testApp.config.mailFrom,
      mailboxDirectory: testApp.config.mailboxDirectory,
    });
    const worker = createOutboxWorker({
      database: testApp.database,
      transport,
      logger: pino({ level: 'silent' }),
      clock: () => now,
    });
    await worker.runOnce();
    transport.close();
    return Promise.all(sink.raw.map((raw) => simpleParser(raw)));
  }

  test('assignee warned once per clock with Auto-Submitted', async () => {
    const agent = await createPerson(db(), { role: 'agent', email: 'agent.rivera@msix-assist.test' });
    // Monday 2026-12-07 9:00 EST, urgent: first response due 10:00, resolution due 17:00.
    const id = fileAssignedTicket('2026-12-07T14:00:00.000Z', agent.id, '<b>Upload</b> rejected');

    runWarnings('2026-12-07T14:05:00.000Z');
    runWarnings('2026-12-07T14:10:00.000Z');
    let mail = await deliverAll();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.to).toMatchObject({ text: 'agent.rivera@msix-assist.test' });
    expect(mail[0]!.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail[0]!.subject).toBe(`SLA due soon: Ticket ${id}, <b>Upload</b> rejected`);
    expect(mail[0]!.text).toContain('first response target is due Monday, December 7, 2026 at 10:00 AM EST');
    expect(mail[0]!.text).toContain(`http://localhost:4321/desk/ticket/?id=${id}`);
    expect(mail[0]!.html).toContain('&lt;b&gt;Upload&lt;/b&gt;');
    expect(readTicketWarned(id).firstResponseWarnedAt).toBe('2026-12-07T14:05:00.000Z');
    expect(readTicketWarned(id).resolutionWarnedAt).toBeNull();

    // 16:05: the resolution clock is within its last business hour.
    sink.raw.length = 0;
    runWarnings('2026-12-07T21:05:00.000Z');
    runWarnings('2026-12-07T21:30:00.000Z');
    mail = await deliverAll();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain('resolution target is due');
    expect(readTicketWarned(id).resolutionWarnedAt).toBe('2026-12-07T21:05:00.000Z');
  });

  test('breached and never warned says missed', async () => {
    const agent = await createPerson(db(), { role: 'agent' });
    const id = fileAssignedTicket('2026-12-07T14:00:00.000Z', agent.id);
    // Tuesday 9:00: both clocks are past due.
    runWarnings('2026-12-08T14:00:00.000Z');
    const mail = await deliverAll();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe(`SLA missed: Ticket ${id}, Upload rejected`);
    expect(mail[0]!.text).toContain('The first response target was missed');
    expect(mail[0]!.text).toContain('The resolution target was missed');
  });

  test('warning starts one business hour before', async () => {
    const agent = await createPerson(db(), { role: 'agent' });
    // Monday 9:00 EST, normal priority: first response due 17:00.
    fileAssignedTicket('2026-12-07T14:00:00.000Z', agent.id, 'Upload rejected', 'normal');
    runWarnings('2026-12-07T20:59:00.000Z');
    expect(await countQueuedWarnings()).toBe(0);
    // 16:00 is exactly one business hour before the due time.
    runWarnings('2026-12-07T21:00:00.000Z');
    expect(await countQueuedWarnings()).toBe(1);
  });

  test('unassigned and pending tickets get no email', async () => {
    const agent = await createPerson(db(), { role: 'agent' });
    fileAssignedTicket('2026-12-07T14:00:00.000Z', null);
    const pending = fileAssignedTicket('2026-12-07T14:00:00.000Z', agent.id);
    db().update(tickets).set({ status: 'pending' }).where(eq(tickets.id, pending)).run();
    refreshTicketSla(db(), pending, new Date('2026-12-07T14:01:00.000Z'), settings.businessHours);

    runWarnings('2026-12-08T14:00:00.000Z');
    expect(await countQueuedWarnings()).toBe(0);
  });

  function readTicketWarned(id: number) {
    return db().select().from(tickets).where(eq(tickets.id, id)).get()!;
  }

  async function countQueuedWarnings() {
    return db()
      .select()
      .from(outboxMessages)
      .all()
      .filter((row) => row.kind === 'desk_sla_warning').length;
  }
});
