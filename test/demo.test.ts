import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildNationalRollup } from '../api/plans/national';
import { seedDemoData } from '../api/demo/seed';
import { crosswalkEntries, people, planningSessions, plans } from '../db/schema';
import { createTestApp, type TestApp } from './helpers/server';

let testApp: TestApp;
const now = new Date('2026-12-04T15:00:00Z');

beforeEach(() => {
  testApp = createTestApp();
});

afterEach(() => testApp.cleanup());

describe('demo data', () => {
  test('seeds plans, sessions and crosswalks once', () => {
    const db = testApp.database.db;

    expect(seedDemoData(db, now)).toBe(true);
    expect(seedDemoData(db, now)).toBe(false);
    expect(db.select().from(plans).all()).toHaveLength(7);
    expect(db.select().from(planningSessions).all()).toHaveLength(7);
    expect(db.select().from(crosswalkEntries).all().length).toBeGreaterThan(100);
  });

  test('creates no account', () => {
    seedDemoData(testApp.database.db, now);

    expect(testApp.database.db.select().from(people).all()).toEqual([]);
  });

  test('tells a story in the national roll-up', () => {
    seedDemoData(testApp.database.db, now);
    const rollup = buildNationalRollup(testApp.database.db, now);

    expect(rollup.statesWithCurrentPlan).toBe(7);
    expect(rollup.milestoneStatusCounts.done).toBeGreaterThan(0);
    expect(rollup.milestoneStatusCounts.off_track).toBeGreaterThan(0);
    expect(rollup.staleCount).toBeGreaterThan(0);
  });

  test('leaves a database with plans alone', () => {
    const db = testApp.database.db;
    db.insert(plans)
      .values({
        state: 'OH',
        title: 'Ohio plan',
        periodStart: '2026-01-01',
        periodEnd: '2028-12-31',
        isCurrent: true,
        origin: 'blank',
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      })
      .run();

    expect(seedDemoData(db, now)).toBe(false);
    expect(db.select().from(plans).all()).toHaveLength(1);
  });
});
