import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { and, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { refreshDashboard } from '../api/dashboard/refresh';
import { metricIds, nationalScope } from '../api/dashboard/metrics';
import { addQuarters, quarterOf } from '../api/dashboard/quarters';
import {
  demoActivitySeededKey,
  seedDemoActivity,
  seedDemoActivityWithSummary,
  type DemoActivitySummary,
} from '../api/demo/activity';
import { seedDemoData } from '../api/demo/seed';
import { seedDemoRecords } from '../api/records/synthetic/seed';
import {
  appMeta,
  dashboardFigures,
  dashboardFlows,
  eventRegistrations,
  moveNotices,
  outboxMessages,
  people,
  plans,
  recordNearMatches,
  students,
  subscribers,
  suppressions,
  tickets,
  usageEvents,
} from '../db/schema';
import { createPerson, sendJson } from './helpers/accounts';
import { createTestApp, type TestApp } from './helpers/server';

const now = new Date('2026-12-04T15:00:00Z');
const currentQuarter = quarterOf(now.toISOString());
const quarters = Array.from({ length: 12 }, (_, index) => addQuarters(currentQuarter, index - 11));

/** Everything the seed writes except plans and records, which come from the other demo seeds. */
function countRows(app: TestApp) {
  const db = app.database.db;
  const count = (table: SQLiteTable) =>
    db
      .select({ count: sql<number>`count(*)` })
      .from(table)
      .get()!.count;
  return {
    usageEvents: count(usageEvents),
    tickets: count(tickets),
    subscribers: count(subscribers),
    registrations: count(eventRegistrations),
    outbox: count(outboxMessages),
  };
}

describe('demo activity on a first run', () => {
  let app: TestApp;
  let summary: DemoActivitySummary | null;

  beforeAll(async () => {
    app = createTestApp({ clock: () => now });
    const db = app.database.db;
    seedDemoData(db, now);
    await seedDemoRecords(db, () => now, pino({ level: 'silent' }));
    summary = seedDemoActivityWithSummary(db, now);
    refreshDashboard(db, { now, forceFlows: true });
  }, 120_000);

  afterAll(() => app.cleanup());

  test('seeds every part', () => {
    expect(summary).not.toBeNull();
    for (const part of [
      'usageEvents',
      'uploads',
      'moveNotices',
      'nearMatches',
      'milestoneUpdates',
      'tickets',
      'subscribers',
      'campaigns',
      'deliveries',
      'registrations',
      'accounts',
    ] as const) {
      expect(summary?.[part], part).toBeGreaterThan(0);
    }
    expect(summary?.usageEvents).toBeGreaterThan(30_000);
    expect(summary?.usageEvents).toBeLessThan(70_000);
  });

  test('second run seeds nothing', () => {
    const before = countRows(app);

    expect(seedDemoActivity(app.database.db, now)).toBe(false);
    expect(seedDemoActivity(app.database.db, new Date('2027-06-01T12:00:00Z'))).toBe(false);
    expect(countRows(app)).toEqual(before);
    expect(app.database.db.select().from(appMeta).where(eq(appMeta.key, demoActivitySeededKey)).get()?.value).toBe(
      now.toISOString(),
    );
  });

  test('writes nothing after now', () => {
    const db = app.database.db;
    const latest = db
      .select({ at: sql<string>`max(${usageEvents.occurredAt})` })
      .from(usageEvents)
      .get()!.at;
    const latestTicket = db
      .select({ at: sql<string>`max(${tickets.closedAt})` })
      .from(tickets)
      .get()!.at;

    expect(latest < now.toISOString()).toBe(true);
    expect(latestTicket < now.toISOString()).toBe(true);
  });

  test('queues no mail', () => {
    const db = app.database.db;
    const unsent = db.select().from(outboxMessages).where(ne(outboxMessages.status, 'sent')).all();
    const notCampaign = db
      .select()
      .from(outboxMessages)
      .where(sql`${outboxMessages.campaignId} IS NULL`)
      .all();

    expect(unsent).toEqual([]);
    expect(notCampaign).toEqual([]);
  });

  test('uses example.org addresses and suppresses them', () => {
    const db = app.database.db;
    const addresses = [
      ...db.select({ email: people.email }).from(people).all(),
      ...db.select({ email: subscribers.email }).from(subscribers).all(),
      ...db.select({ email: eventRegistrations.email }).from(eventRegistrations).all(),
      ...db.select({ email: tickets.requesterEmail }).from(tickets).all(),
      ...db.select({ email: outboxMessages.recipient }).from(outboxMessages).all(),
    ].map((row) => row.email);
    const suppressed = new Set(
      db
        .select({ email: suppressions.email })
        .from(suppressions)
        .all()
        .map((row) => row.email),
    );
    const unsuppressed = db
      .select({ email: subscribers.email })
      .from(subscribers)
      .all()
      .filter((row) => !suppressed.has(row.email));

    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.filter((address) => !address.endsWith('@example.org'))).toEqual([]);
    expect(unsuppressed).toEqual([]);
  });

  test('leaves no ticket open', () => {
    const open = app.database.db.select().from(tickets).where(ne(tickets.status, 'closed')).all();

    expect(open).toEqual([]);
  });

  test('registrations have reminders marked as queued', () => {
    const waiting = app.database.db
      .select()
      .from(eventRegistrations)
      .where(
        sql`${eventRegistrations.dayReminderQueuedAt} IS NULL OR ${eventRegistrations.hourReminderQueuedAt} IS NULL`,
      )
      .all();

    expect(waiting).toEqual([]);
  });

  test('demo accounts are deactivated without a password', () => {
    const accounts = app.database.db.select().from(people).all();

    expect(accounts.length).toBe(summary?.accounts);
    for (const account of accounts) {
      expect(account.status, account.email).toBe('deactivated');
      expect(account.passwordHash, account.email).toBeNull();
      expect(account.displayName, account.email).toMatch(/^Demo /);
    }
  });

  test('demo accounts cannot sign in or reset a password', async () => {
    const account = app.database.db.select().from(people).where(eq(people.role, 'state_coordinator')).get()!;
    const outboxBefore = countRows(app).outbox;

    const signIn = await sendJson(app.app, 'POST', '/api/auth/sign-in', {
      body: { email: account.email, password: 'lantern orchard velvet 4817' },
    });
    const reset = await sendJson(app.app, 'POST', '/api/auth/password-reset/request', {
      body: { email: account.email },
    });

    expect(signIn.status).toBe(401);
    expect(signIn.headers.get('set-cookie') ?? '').not.toContain('msix_session=');
    expect(reset.status).toBe(202);
    expect(countRows(app).outbox).toBe(outboxBefore);
  });

  test('near matches name no student', () => {
    const db = app.database.db;
    const resolved = db
      .select({ a: recordNearMatches.studentAId, b: recordNearMatches.studentBId, reasons: recordNearMatches.reasons })
      .from(recordNearMatches)
      .where(isNotNull(recordNearMatches.resolvedAt))
      .all();
    const ids = [...new Set(resolved.flatMap((row) => [row.a, row.b]))];
    const names = new Map(
      db
        .select({ id: students.id, first: students.firstName, last: students.lastName1 })
        .from(students)
        .where(inArray(students.id, ids))
        .all()
        .map((row) => [row.id, [row.first, row.last]]),
    );

    expect(resolved.length).toBe(summary?.nearMatches);
    for (const row of resolved) {
      const text = row.reasons.toLowerCase();
      for (const name of [...(names.get(row.a) ?? []), ...(names.get(row.b) ?? [])]) {
        if (name.length >= 3) expect(text, `near match ${row.a}-${row.b}`).not.toContain(name.toLowerCase());
      }
    }
  });

  test('national searches grow over three years', () => {
    const searches = nationalValues('searches');
    const firstYear = sum(searches.slice(0, 4));
    const lastYear = sum(searches.slice(8));

    expect(firstYear).toBeGreaterThan(0);
    expect(lastYear).toBeGreaterThan(firstYear * 1.8);
  });

  test('large states use the exchange more', () => {
    const total = (state: string) =>
      app.database.db
        .select({ total: sql<number>`sum(${dashboardFigures.value})` })
        .from(dashboardFigures)
        .where(and(eq(dashboardFigures.metric, 'searches'), eq(dashboardFigures.state, state)))
        .get()!.total ?? 0;

    expect(total('CA')).toBeGreaterThan(total('TX'));
    expect(total('TX')).toBeGreaterThan(total('OH') * 5);
  });

  test('an improving state raises its quality score', () => {
    const scores = app.database.db
      .select({ quarter: dashboardFigures.quarter, value: dashboardFigures.value })
      .from(dashboardFigures)
      .where(and(eq(dashboardFigures.metric, 'quality_score'), eq(dashboardFigures.state, 'FL')))
      .all()
      .filter((row) => row.value !== null);
    const early = scores.filter((row) => row.quarter <= quarters[3]!).map((row) => row.value!);
    const late = scores.filter((row) => row.quarter >= quarters[8]!).map((row) => row.value!);

    expect(early.length).toBeGreaterThan(0);
    expect(late.length).toBeGreaterThan(0);
    expect(average(late)).toBeGreaterThan(average(early) + 10);
  });

  test('current quarter continues the upload trend', () => {
    // The demo records import lands in the current quarter and must count as one of its uploads, not add to them.
    for (const metric of ['uploads', 'students_submitted'] as const) {
      const values = nationalValues(metric);
      const previous = values[10] ?? 0;
      const current = values[11] ?? 0;

      expect(previous, metric).toBeGreaterThan(0);
      expect(current, metric).toBeLessThanOrEqual(previous * 1.5);
    }
  });

  test('current quarter continues the quality trend', () => {
    for (const metric of ['quality_score', 'mde_completeness'] as const) {
      const values = nationalValues(metric);
      const previous = values[10] ?? 0;
      const current = values[11] ?? 0;

      expect(Math.abs(current - previous), metric).toBeLessThan(4);
    }
  });

  test('move notices stay within moves between states', () => {
    const db = app.database.db;
    const flows = db
      .select()
      .from(dashboardFlows)
      .all()
      .filter((flow) => flow.fromState !== '' && flow.fromState !== flow.toState);
    const childrenByYear = new Map<number, number>();
    for (const flow of flows) childrenByYear.set(flow.year, (childrenByYear.get(flow.year) ?? 0) + flow.children);
    const routes = new Set(flows.map((flow) => `${flow.year} ${flow.fromState} ${flow.toState}`));
    const notices = db.select().from(moveNotices).all();
    const noticesByYear = new Map<number, number>();
    for (const notice of notices) {
      const year = Number(notice.sentAt.slice(0, 4));
      noticesByYear.set(year, (noticesByYear.get(year) ?? 0) + 1);
    }

    expect(notices.length).toBeGreaterThan(0);
    for (const [year, count] of noticesByYear) {
      const children = childrenByYear.get(year) ?? 0;
      expect(count, `notices sent in ${year}`).toBeLessThanOrEqual(children);
      expect(count, `notices sent in ${year}`).toBeGreaterThanOrEqual(children * 0.4);
    }
    const offRoute = notices.filter(
      (notice) => !routes.has(`${notice.expectedArrivalDate.slice(0, 4)} ${notice.fromState} ${notice.toState}`),
    );
    expect(offRoute).toEqual([]);
  });

  test('move notice response time falls', () => {
    const hours = nationalValues('move_notice_response_hours').filter((value): value is number => value !== null);

    expect(hours.length).toBeGreaterThanOrEqual(8);
    expect(average(hours.slice(-4))).toBeLessThan(average(hours.slice(0, 4)) * 0.75);
  });

  test('every metric has national figures in most quarters', () => {
    const firstPlanQuarter = quarterOf(
      app.database.db
        .select({ start: sql<string>`min(${plans.periodStart})` })
        .from(plans)
        .get()!.start,
    );

    for (const metric of metricIds) {
      const values = nationalValues(metric);
      const measured = values.filter((value) => value !== null).length;
      if (metric === 'plan_progress' || metric === 'milestones_behind') {
        // The demo plans began within the three years; before that no plan existed to measure.
        const planQuarters = quarters.filter((quarter) => quarter >= firstPlanQuarter).length;
        expect(measured, metric).toBe(planQuarters);
      } else {
        expect(measured, metric).toBeGreaterThanOrEqual(10);
      }
    }
  });

  test('plan progress climbs', () => {
    const progress = nationalValues('plan_progress').filter((value): value is number => value !== null);

    expect(progress.length).toBeGreaterThan(2);
    expect(progress[progress.length - 1]!).toBeGreaterThan(progress[0]! + 10);
  });

  function nationalValues(metric: string): (number | null)[] {
    const rows = app.database.db
      .select({ quarter: dashboardFigures.quarter, value: dashboardFigures.value })
      .from(dashboardFigures)
      .where(and(eq(dashboardFigures.metric, metric), eq(dashboardFigures.state, nationalScope)))
      .all();
    const byQuarter = new Map(rows.map((row) => [row.quarter, row.value]));
    return quarters.map((quarter) => byQuarter.get(quarter) ?? null);
  }
});

describe('demo activity on a database in use', () => {
  let app: TestApp;

  beforeAll(() => {
    app = createTestApp({ clock: () => now });
  });

  afterAll(() => app.cleanup());

  test('same now gives the same activity', () => {
    const other = createTestApp({ clock: () => now });
    try {
      seedDemoData(app.database.db, now);
      seedDemoData(other.database.db, now);
      seedDemoActivity(app.database.db, now);
      seedDemoActivity(other.database.db, now);
      const read = (target: TestApp) =>
        target.database.db.select().from(usageEvents).orderBy(usageEvents.id).limit(500).all();

      expect(countRows(other)).toEqual(countRows(app));
      expect(read(other)).toEqual(read(app));
    } finally {
      other.cleanup();
    }
  });

  test('skips tables that hold data', () => {
    const fresh = createTestApp({ clock: () => now });
    try {
      const db = fresh.database.db;
      db.insert(tickets)
        .values({
          subject: 'Existing ticket',
          requesterEmail: 'someone@example.org',
          requesterName: 'Someone',
          category: 'other',
          channel: 'web',
          createdAt: now.toISOString(),
          updatedAt: now.toISOString(),
        })
        .run();

      expect(seedDemoActivity(db, now)).toBe(true);
      expect(db.select().from(tickets).all()).toHaveLength(1);
      expect(countRows(fresh).usageEvents).toBeGreaterThan(0);
    } finally {
      fresh.cleanup();
    }
  });

  test('seeds nothing once someone has an account', async () => {
    const fresh = createTestApp({ clock: () => now });
    try {
      await createPerson(fresh.database.db, { role: 'admin' });

      expect(seedDemoActivity(fresh.database.db, now)).toBe(false);
      expect(countRows(fresh).usageEvents).toBe(0);
    } finally {
      fresh.cleanup();
    }
  });
});

function sum(values: readonly (number | null)[]): number {
  return values.reduce<number>((total, value) => total + (value ?? 0), 0);
}

function average(values: readonly number[]): number {
  return sum(values) / values.length;
}
