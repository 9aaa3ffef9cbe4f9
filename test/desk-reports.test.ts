import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseCsv } from '../api/shared/csv';
import { auditLog, ticketSurveys, tickets } from '../db/schema';
import { createPerson, sendJson, signInAs } from './helpers/accounts';
import { createTestApp, type TestApp } from './helpers/server';

// Reports run at Friday 2026-12-04 10:00 EST over November 2026 (Eastern dates).
const now = new Date('2026-12-04T15:00:00.000Z');
const november = 'from=2026-11-02&to=2026-11-29';

type TicketValues = Partial<typeof tickets.$inferInsert> & { createdAt: string };

let testApp: TestApp;
const cookies: Record<string, string> = {};
const ids: Record<string, number> = {};

function insertTicket(name: string, values: TicketValues) {
  const row = testApp.database.db
    .insert(tickets)
    .values({
      subject: `Ticket ${name}`,
      requesterEmail: 'requester@district.example.gov',
      requesterName: 'Requester',
      category: 'other',
      channel: 'web',
      status: 'open',
      updatedAt: values.createdAt,
      ...values,
    })
    .returning({ id: tickets.id })
    .get();
  ids[name] = row.id;
}

function insertSurvey(ticket: string, sentAt: string, answeredAt: string | null, rating: number | null) {
  testApp.database.db
    .insert(ticketSurveys)
    .values({ ticketId: ids[ticket]!, tokenHash: `hash-${ticket}`, sentAt, answeredAt, rating })
    .run();
}

beforeAll(async () => {
  testApp = createTestApp({ clock: () => now });
  const db = testApp.database.db;
  for (const role of ['agent', 'admin', 'state_user', 'state_coordinator'] as const) {
    cookies[role] = await signInAs(testApp.app, await createPerson(db, { role, state: 'TX' }));
  }

  // Week 45. First reply in 30 minutes, solved on time.
  insertTicket('t1', {
    state: 'TX',
    category: 'account_access',
    createdAt: '2026-11-02T15:00:00.000Z',
    firstResponseAt: '2026-11-02T15:30:00.000Z',
    firstResponseDueAt: '2026-11-02T16:00:00.000Z',
    firstResponseMinutes: 30,
    status: 'solved',
    solvedAt: '2026-11-03T15:00:00.000Z',
    resolutionDueAt: '2026-11-05T15:00:00.000Z',
    resolutionMinutes: 600,
  });
  // Week 45. First reply late, and still open past its resolution due time.
  insertTicket('t2', {
    state: 'TX',
    category: 'records_search',
    channel: 'email',
    createdAt: '2026-11-03T15:00:00.000Z',
    firstResponseAt: '2026-11-03T17:00:00.000Z',
    firstResponseDueAt: '2026-11-03T16:00:00.000Z',
    firstResponseMinutes: 90,
    resolutionDueAt: '2026-11-10T15:00:00.000Z',
  });
  // Week 46. First reply on time, solved late.
  insertTicket('t3', {
    state: 'CA',
    category: 'records_search',
    channel: 'phone',
    createdAt: '2026-11-10T15:00:00.000Z',
    firstResponseAt: '2026-11-10T17:00:00.000Z',
    firstResponseDueAt: '2026-11-10T23:00:00.000Z',
    firstResponseMinutes: 120,
    status: 'solved',
    solvedAt: '2026-11-20T15:00:00.000Z',
    resolutionDueAt: '2026-11-16T15:00:00.000Z',
    resolutionMinutes: 1200,
  });
  // Week 47. No state; answered on time; resolution not due yet.
  insertTicket('t4', {
    createdAt: '2026-11-17T15:00:00.000Z',
    firstResponseAt: '2026-11-17T19:00:00.000Z',
    firstResponseDueAt: '2026-11-17T23:00:00.000Z',
    firstResponseMinutes: 240,
    resolutionDueAt: '2026-12-10T15:00:00.000Z',
  });
  // Week 48. New; nothing due yet.
  insertTicket('t5', {
    state: 'CA',
    category: 'training',
    status: 'new',
    createdAt: '2026-11-24T15:00:00.000Z',
    firstResponseDueAt: '2026-12-20T15:00:00.000Z',
    resolutionDueAt: '2026-12-30T15:00:00.000Z',
  });
  // Week 48. Pending since before its resolution due time, so that clock does not count.
  insertTicket('t6', {
    state: 'TX',
    category: 'data_quality',
    channel: 'email',
    status: 'pending',
    createdAt: '2026-11-25T15:00:00.000Z',
    firstResponseAt: '2026-11-25T15:45:00.000Z',
    firstResponseDueAt: '2026-11-25T16:00:00.000Z',
    firstResponseMinutes: 60,
    resolutionDueAt: '2026-12-01T00:00:00.000Z',
    slaPausedAt: '2026-11-26T15:00:00.000Z',
  });
  // Merged into t1: left out everywhere.
  insertTicket('t7', {
    state: 'TX',
    status: 'closed',
    createdAt: '2026-11-05T15:00:00.000Z',
    mergedIntoId: ids.t1!,
    firstResponseMinutes: 5000,
  });
  // Created in October and on hold: only in the backlog.
  insertTicket('t8', { state: 'TX', status: 'on_hold', createdAt: '2026-10-01T15:00:00.000Z' });
  // Sunday 29 November 22:00 EST, which is 30 November in UTC: inside the period, week 48.
  insertTicket('t9', {
    state: 'TX',
    category: 'reports',
    status: 'new',
    createdAt: '2026-11-30T03:00:00.000Z',
    firstResponseDueAt: '2026-12-07T14:00:00.000Z',
    resolutionDueAt: '2026-12-14T14:00:00.000Z',
  });
  // Sunday 1 November 23:30 EST: before the period.
  insertTicket('t10', { state: 'NY', status: 'closed', createdAt: '2026-11-02T04:30:00.000Z' });
  // Friday 4 December, five hours old: only in the backlog.
  insertTicket('t11', { state: 'CA', createdAt: '2026-12-04T10:00:00.000Z' });
  // Created in October, surveyed in November.
  insertTicket('t12', { state: 'TX', status: 'closed', createdAt: '2026-10-20T15:00:00.000Z' });
  insertTicket('formula', {
    subject: '=HYPERLINK("http://example.com","open me")',
    state: 'WY',
    status: 'closed',
    createdAt: '2026-08-03T15:00:00.000Z',
  });

  insertSurvey('t1', '2026-11-03T15:00:00.000Z', '2026-11-04T15:00:00.000Z', 5);
  insertSurvey('t3', '2026-11-11T15:00:00.000Z', '2026-11-12T15:00:00.000Z', 2);
  insertSurvey('t10', '2026-11-02T05:00:00.000Z', '2026-12-01T15:00:00.000Z', 4);
  insertSurvey('t12', '2026-11-20T15:00:00.000Z', '2026-11-21T15:00:00.000Z', 4);
});

afterAll(() => testApp.cleanup());

async function getReport(query: string, role = 'agent') {
  const response = await sendJson(testApp.app, 'GET', `/api/desk/reports?${query}`, { cookie: cookies[role] });
  expect(response.status).toBe(200);
  return response.json();
}

async function getCsv(name: string, query: string) {
  const response = await sendJson(testApp.app, 'GET', `/api/desk/reports/${name}/csv?${query}`, {
    cookie: cookies.agent,
  });
  expect(response.status).toBe(200);
  return { response, rows: parseCsv(await response.text()) };
}

describe('desk report figures', () => {
  test('volume by state, category, channel and week', async () => {
    const report = await getReport(november);
    expect(report.volume.total).toBe(7);
    expect(report.volume.byState).toEqual([
      { key: 'TX', count: 4 },
      { key: 'CA', count: 2 },
      { key: 'none', count: 1 },
    ]);
    expect(report.volume.byCategory).toEqual([
      { key: 'account_access', count: 1 },
      { key: 'records_search', count: 2 },
      { key: 'data_submission', count: 0 },
      { key: 'data_quality', count: 1 },
      { key: 'move_notices', count: 0 },
      { key: 'reports', count: 1 },
      { key: 'training', count: 1 },
      { key: 'other', count: 1 },
    ]);
    expect(report.volume.byChannel).toEqual([
      { key: 'web', count: 4 },
      { key: 'email', count: 2 },
      { key: 'phone', count: 1 },
    ]);
    expect(report.volume.byWeek).toEqual([
      { week: '2026-W45', weekStart: '2026-11-02', count: 2 },
      { week: '2026-W46', weekStart: '2026-11-09', count: 1 },
      { week: '2026-W47', weekStart: '2026-11-16', count: 1 },
      { week: '2026-W48', weekStart: '2026-11-23', count: 3 },
    ]);
  });

  test('median and p90 business minutes', async () => {
    const report = await getReport(november);
    // First response 30, 60, 90, 120, 240: p90 sits 60% of the way from 120 to 240.
    expect(report.responseTimes.firstResponse).toEqual({ tickets: 5, medianMinutes: 90, p90Minutes: 192 });
    // Resolution 600 and 1200.
    expect(report.responseTimes.resolution).toEqual({ tickets: 2, medianMinutes: 900, p90Minutes: 1140 });
  });

  test('compliance skips clocks not yet due', async () => {
    const report = await getReport(november);
    expect(report.compliance.firstResponse).toEqual({ counted: 5, met: 4, missed: 1, percentMet: 80 });
    expect(report.compliance.resolution).toEqual({ counted: 3, met: 1, missed: 2, percentMet: 33.3 });
  });

  test('backlog by age band and status', async () => {
    const report = await getReport(november);
    expect(report.backlog.total).toBe(7);
    const rows = Object.fromEntries(
      report.backlog.rows.map((row: { band: string; byStatus: object; total: number }) => [row.band, row]),
    );
    expect(rows.under_1_day).toEqual({
      band: 'under_1_day',
      byStatus: { new: 0, open: 1, pending: 0, on_hold: 0 },
      total: 1,
    });
    expect(rows['1_to_3_days'].total).toBe(0);
    expect(rows['3_to_7_days'].byStatus).toEqual({ new: 1, open: 0, pending: 0, on_hold: 0 });
    expect(rows['7_to_30_days'].byStatus).toEqual({ new: 1, open: 1, pending: 1, on_hold: 0 });
    expect(rows['30_days_or_more'].byStatus).toEqual({ new: 0, open: 1, pending: 0, on_hold: 1 });
  });

  test('satisfaction counts answers in the period', async () => {
    const report = await getReport(november);
    expect(report.satisfaction).toEqual({
      surveysSent: 4,
      answers: 3,
      averageRating: 3.67,
      distribution: [
        { rating: 1, count: 0 },
        { rating: 2, count: 1 },
        { rating: 3, count: 0 },
        { rating: 4, count: 1 },
        { rating: 5, count: 1 },
      ],
    });
    expect(report.faqDeflections).toEqual({ draftsWithOpenedSuggestion: 0, filed: 0, leftWithoutFiling: 0 });
  });

  test('state filter narrows every section', async () => {
    const report = await getReport(`${november}&state=tx`);
    expect(report.filters.state).toBe('TX');
    expect(report.volume.total).toBe(4);
    expect(report.backlog.total).toBe(4);
    expect(report.satisfaction.answers).toBe(2);
    expect(report.satisfaction.averageRating).toBe(4.5);
  });

  test('default period is the last 30 days', async () => {
    const report = await getReport('');
    expect(report.filters.from).toBe('2026-11-05');
    expect(report.filters.to).toBe('2026-12-04');
    expect(report.filters.timeZone).toBe('America/New_York');
  });

  test.each([
    ['from=2026-11-29&to=2026-11-02', 'to: must be on or after from (2026-11-29).'],
    ['from=2026-02-30', 'from: is not a calendar date.'],
    ['from=11/02/2026', 'from: must be a date such as 2026-12-04.'],
    ['from=2020-01-01&to=2026-01-01', 'choose at most 732 days'],
    ['state=XX', 'state: must be a USPS state code such as TX.'],
  ])('rejects %s', async (query, message) => {
    const response = await sendJson(testApp.app, 'GET', `/api/desk/reports?${query}`, { cookie: cookies.agent });
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toContain(message);
  });
});

describe('desk report CSV', () => {
  test('compliance CSV matches the figures', async () => {
    const { response, rows } = await getCsv('compliance', november);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="desk-compliance-2026-11-02-to-2026-11-29.csv"',
    );
    expect(rows).toEqual([
      ['clock', 'counted', 'met', 'missed', 'percent_met'],
      ['First response', '5', '4', '1', '80'],
      ['Resolution', '3', '1', '2', '33.3'],
    ]);
  });

  test('volume, times, backlog and satisfaction CSVs', async () => {
    const volume = (await getCsv('volume', november)).rows;
    expect(volume[1]).toEqual(['Total', 'All tickets', '7']);
    expect(volume).toContainEqual(['State', 'No state', '1']);
    expect(volume).toContainEqual(['Category', 'Data submission and MDEs', '0']);
    expect(volume).toContainEqual(['ISO week', '2026-W48 (from 2026-11-23)', '3']);

    expect((await getCsv('times', november)).rows[1]).toEqual(['First response', '5', '90', '192']);
    expect((await getCsv('backlog', november)).rows.at(-1)).toEqual(['All ages', '2', '3', '1', '1', '7']);
    expect((await getCsv('satisfaction', november)).rows).toContainEqual(['Average rating', '3.67']);
  });

  test('tickets CSV neutralizes formulas', async () => {
    const { rows } = await getCsv('tickets', 'from=2026-08-01&to=2026-08-31');
    expect(rows).toHaveLength(2);
    expect(rows[1]![0]).toBe(String(ids.formula));
    expect(rows[1]![7]).toBe('\'=HYPERLINK("http://example.com","open me")');
  });

  test('tickets CSV lists SLA outcomes without requester details', async () => {
    const { rows } = await getCsv('tickets', november);
    expect(rows).toHaveLength(8);
    expect(rows[0]).not.toContain('requester_email');
    const second = rows.find((row) => row[0] === String(ids.t2))!;
    expect(second[11]).toBe('no');
    expect(second[15]).toBe('no');
    const fifth = rows.find((row) => row[0] === String(ids.t5))!;
    expect(fifth[11]).toBe('not yet due');
    expect(rows.flat().join(' ')).not.toContain('requester@district.example.gov');
  });

  test('unknown report name is 404', async () => {
    const response = await sendJson(testApp.app, 'GET', '/api/desk/reports/people/csv', { cookie: cookies.agent });
    expect(response.status).toBe(404);
  });
});

describe('desk report access', () => {
  test.each(['state_user', 'state_coordinator'])('%s gets 403', async (role) => {
    for (const path of ['/api/desk/reports', '/api/desk/reports/tickets/csv', '/api/desk/sla-targets']) {
      const response = await sendJson(testApp.app, 'GET', path, { cookie: cookies[role] });
      expect(response.status).toBe(403);
    }
  });

  test('visitor gets 401', async () => {
    const response = await sendJson(testApp.app, 'GET', '/api/desk/reports');
    expect(response.status).toBe(401);
  });

  test('admin reads the report', async () => {
    expect((await getReport(november, 'admin')).volume.total).toBe(7);
  });
});

describe('SLA targets API', () => {
  test('agents list the seeded targets', async () => {
    const response = await sendJson(testApp.app, 'GET', '/api/desk/sla-targets', { cookie: cookies.agent });
    expect(response.status).toBe(200);
    const { targets } = await response.json();
    expect(targets.map((target: { priority: string }) => target.priority)).toEqual(['urgent', 'high', 'normal', 'low']);
    expect(targets[0]).toMatchObject({ firstResponseMinutes: 60, resolutionMinutes: 480 });
    expect(targets[3]).toMatchObject({ firstResponseMinutes: 960, resolutionMinutes: 4800 });
  });

  test('admin changes a target with an audit row', async () => {
    const response = await sendJson(testApp.app, 'PUT', '/api/desk/sla-targets/high', {
      cookie: cookies.admin,
      body: { firstResponseMinutes: 120, resolutionMinutes: 960 },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      priority: 'high',
      firstResponseMinutes: 120,
      resolutionMinutes: 960,
    });
    const audit = testApp.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'desk.sla_target.update'))
      .all();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toBe('first_response 240->120; resolution 1440->960');
  });

  test('agent cannot change targets', async () => {
    const response = await sendJson(testApp.app, 'PUT', '/api/desk/sla-targets/high', {
      cookie: cookies.agent,
      body: { firstResponseMinutes: 120, resolutionMinutes: 960 },
    });
    expect(response.status).toBe(403);
  });

  test('invalid target names the field', async () => {
    const response = await sendJson(testApp.app, 'PUT', '/api/desk/sla-targets/normal', {
      cookie: cookies.admin,
      body: { firstResponseMinutes: 600, resolutionMinutes: 300 },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toBe(
      'resolutionMinutes: must be at least the first-response target.',
    );
    const unknown = await sendJson(testApp.app, 'PUT', '/api/desk/sla-targets/critical', {
      cookie: cookies.admin,
      body: { firstResponseMinutes: 60, resolutionMinutes: 300 },
    });
    expect(unknown.status).toBe(404);
  });
});
