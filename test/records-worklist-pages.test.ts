/**
 * The records worklist, merge and split, and move-notice pages in headless
 * Chromium against the real app: confirming a near match and validating the
 * merge, sending and acknowledging a move notice, and axe-core on each page.
 */
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { consolidatedRecords, moveNotices, outboxMessages, recordNearMatches, students } from '../db/schema';
import { createPerson, sendJson, signInAs } from './helpers/accounts';
import { launchChromium } from './helpers/browser';
import {
  findAxeViolations,
  openSignedIn,
  readCspViolations,
  readText,
  tabTo,
  waitForText,
} from './helpers/page-session';
import { useServer, type RunningServer } from './helpers/server';

let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});
afterAll(async () => {
  await browser?.close();
});

let counter = 0;

/** Inserts a student of `state` in a new consolidated record and returns both ids and the MSIX ID. */
function seedStudent(server: RunningServer, state: string, firstName: string) {
  counter += 1;
  const db = server.testApp.database.db;
  const now = new Date().toISOString();
  const record = db
    .insert(consolidatedRecords)
    .values({ msixId: String(500_000_000_000 + counter), createdAt: now, updatedAt: now })
    .returning()
    .get();
  const student = db
    .insert(students)
    .values({
      state,
      stateStudentId: `${state}${counter}`,
      consolidatedRecordId: record.id,
      firstName,
      lastName1: 'Hernandez',
      lastName2: 'Cruz',
      sex: 'Male',
      birthDate: '2011-06-15',
      multipleBirth: false,
      contentSha256: `sha-${counter}`,
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
  return { studentId: student.id, recordId: record.id, msixId: record.msixId };
}

function seedNearMatch(server: RunningServer, first: number, second: number): number {
  const reasons = {
    score: 8,
    decision: 'near_match',
    flags: ['first_name_differs'],
    fields: [
      {
        field: 'first_name',
        outcome: 'disagree',
        method: 'different',
        detail: 'First names are different.',
        weight: -3,
      },
      { field: 'surnames', outcome: 'agree', method: 'exact', detail: 'All surnames agree.', weight: 5 },
    ],
    thresholds: { link: 10.5, nearMatch: 6.5 },
  };
  return server.testApp.database.db
    .insert(recordNearMatches)
    .values({
      studentAId: Math.min(first, second),
      studentBId: Math.max(first, second),
      score: 8,
      reasons: JSON.stringify(reasons),
      createdAt: new Date().toISOString(),
    })
    .returning()
    .get().id;
}

describe('worklist page', () => {
  const server = useServer();

  test('confirm and validate a near match', async () => {
    const db = server.get().testApp.database.db;
    const texas = seedStudent(server.get(), 'TX', 'José');
    const california = seedStudent(server.get(), 'CA', 'Jesús');
    const nearMatchId = seedNearMatch(server.get(), texas.studentId, california.studentId);
    const texasAdministrator = await createPerson(db, {
      role: 'state_coordinator',
      state: 'TX',
      recordsAccess: 'data_administrator',
    });
    const californiaAdministrator = await createPerson(db, {
      role: 'state_user',
      state: 'CA',
      recordsAccess: 'data_administrator',
    });

    const page = await openSignedIn(browser, contexts, server.get(), texasAdministrator, '/records/worklist/');
    await waitForText(page, '[data-near-matches]', /First names are different/);
    expect(await readText(page, '[data-near-matches] table')).toContain('José Hernandez Cruz');
    expect(await readText(page, '[data-near-matches] table')).toContain('Jesús Hernandez Cruz');
    expect(await readText(page, '[data-export-paragraph]')).toContain('Texas');
    expect(await readText(page, '.worklist-reasons')).toContain(
      'Match strength 8. Records are linked automatically at 10.5 or more, and come to this worklist from 6.5.',
    );
    expect(await readText(page, '.worklist-badges')).toMatch(/(Opened today|Open \d+ days?) Waiting since /);

    await page.getByRole('button', { name: 'Confirm: same child' }).click();
    await waitForText(page, '[data-near-matches] [data-form-alert]', /comment/i);

    await page.getByLabel('Comment (required)').fill('Same parents and the same school in both states.');
    await page.getByRole('button', { name: 'Confirm: same child' }).click();
    await waitForText(page, '[data-worklist-status]', /waits for a second data administrator/);
    await waitForText(page, '[data-change-requests]', /Merge request/);
    expect(await readText(page, '[data-change-requests]')).toContain('You asked for this change');
    expect(readCspViolations(page)).toEqual([]);

    const second = await openSignedIn(browser, contexts, server.get(), californiaAdministrator, '/records/worklist/');
    await waitForText(second, '[data-change-requests]', /Merge request/);
    await tabTo(second, 'button[value="validate"]');
    await second.keyboard.press('Enter');
    await waitForText(second, '[data-worklist-status]', /Validated/);

    const records = db
      .select({ recordId: students.consolidatedRecordId })
      .from(students)
      .all()
      .map((row) => row.recordId);
    expect(new Set(records).size).toBe(1);
    const nearMatch = db.select().from(recordNearMatches).where(eq(recordNearMatches.id, nearMatchId)).get();
    expect(nearMatch?.status).toBe('confirmed');
  });

  test('worklist and changes pages pass axe', async () => {
    const db = server.get().testApp.database.db;
    const first = seedStudent(server.get(), 'NM', 'Luis');
    const second = seedStudent(server.get(), 'AZ', 'Luisa');
    const nearMatchId = seedNearMatch(server.get(), first.studentId, second.studentId);
    db.update(recordNearMatches)
      .set({ escalatedAt: new Date().toISOString() })
      .where(eq(recordNearMatches.id, nearMatchId))
      .run();
    const administrator = await createPerson(db, {
      role: 'state_coordinator',
      state: 'NM',
      recordsAccess: 'data_administrator',
    });
    const colleague = await createPerson(db, { role: 'state_user', state: 'NM', recordsAccess: 'data_administrator' });
    const third = seedStudent(server.get(), 'NM', 'Luz');
    const fourth = seedStudent(server.get(), 'NM', 'Luz');
    const requested = await sendJson(server.get().testApp.app, 'POST', '/api/record-changes', {
      cookie: await signInAs(server.get().testApp.app, colleague),
      body: { kind: 'merge', msixId: third.msixId, otherMsixId: fourth.msixId, reason: 'Same child reported twice.' },
    });
    expect(requested.status).toBe(201);

    const worklist = await openSignedIn(browser, contexts, server.get(), administrator, '/records/worklist/', {
      bypassCSP: true,
    });
    await waitForText(worklist, '[data-near-matches]', /Luisa/);
    await waitForText(worklist, '[data-change-requests]', /Merge request/);
    expect(await readText(worklist, '[data-near-matches]')).toContain('Escalated');
    expect(await findAxeViolations(worklist)).toEqual([]);

    const changes = await openSignedIn(
      browser,
      contexts,
      server.get(),
      administrator,
      `/records/changes/?msix=${first.msixId}`,
      { bypassCSP: true },
    );
    await waitForText(changes, '[data-record-table]', /Luis/);
    await changes.locator('[data-merge-form]').waitFor({ state: 'visible' });
    expect(await findAxeViolations(changes)).toEqual([]);
    expect(changes.url()).not.toContain('Luis');
  });
});

describe('move notice pages', () => {
  const server = useServer();

  test('send and acknowledge a move notice', async () => {
    const db = server.get().testApp.database.db;
    const child = seedStudent(server.get(), 'TX', 'Mateo');
    const sender = await createPerson(db, { role: 'state_user', state: 'TX', recordsAccess: 'viewer' });
    const coordinator = await createPerson(db, { role: 'state_coordinator', state: 'FL' });
    const arrival = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);

    const page = await openSignedIn(
      browser,
      contexts,
      server.get(),
      sender,
      `/records/move-notice/?msix=${child.msixId}`,
      {
        bypassCSP: true,
      },
    );
    expect(await readText(page, '[data-notice-msix]')).toBe(`MSIX ID ${child.msixId}`);
    expect(await findAxeViolations(page)).toEqual([]);
    await page.getByLabel('State the child is moving to (required)').selectOption('FL');
    await page.getByLabel('City, if known').fill('Immokalee');
    await page.getByLabel('Expected arrival date (required)').fill(arrival);
    await page.getByLabel('Comment').fill('Mateo finishes grade 7 in Texas first.');
    await page.getByRole('button', { name: 'Send the move notice' }).click();
    await waitForText(page, '[data-notice-status]', /Move notice sent to Florida/);

    const mail = db.select().from(outboxMessages).where(eq(outboxMessages.recipient, coordinator.email)).all();
    expect(mail).toHaveLength(1);
    expect(mail[0]?.textBody).not.toContain('Mateo');

    const received = await openSignedIn(browser, contexts, server.get(), coordinator, '/records/move-notices/', {
      bypassCSP: true,
    });
    await waitForText(received, '[data-received-table]', new RegExp(child.msixId));
    expect(await findAxeViolations(received)).toEqual([]);
    await received.getByRole('button', { name: `Acknowledge the move notice for MSIX ID ${child.msixId}` }).click();
    await received.getByLabel('Note to the sending state (optional)').fill('Our recruiter will visit the family.');
    await received.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await waitForText(received, '[data-notices-status]', /acknowledged/);
    expect(await readText(received, '[data-received-table]')).toContain('Our recruiter will visit the family.');

    const notice = db.select().from(moveNotices).get();
    expect(notice?.status).toBe('acknowledged');
    expect(notice?.responseMinutes).not.toBeNull();
  });
});
