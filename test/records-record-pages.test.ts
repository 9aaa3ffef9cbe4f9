/**
 * The student records pages in headless Chromium against the real app: the
 * search page (keyboard only, nothing in the address), the consolidated
 * record with its purpose, sections and access log, the printable record,
 * and axe-core on each of them.
 */
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { indexStudents } from '../api/records/search/index-students';
import { auditLog, consolidatedRecords, courses, students } from '../db/schema';
import { createPerson, type TestPerson } from './helpers/accounts';
import { findAxeViolations, openSignedIn, readCspViolations, tabTo, useChromium } from './helpers/page-session';
import { useServer } from './helpers/server';

const chromium = useChromium();

const msixId = '200000000001';
const server = useServer();
const people: Record<string, TestPerson> = {};

beforeAll(async () => {
  const db = server.get().testApp.database.db;
  const now = new Date().toISOString();
  const record = db
    .insert(consolidatedRecords)
    .values({ msixId, createdAt: now, updatedAt: now })
    .returning({ id: consolidatedRecords.id })
    .get();
  const base = { consolidatedRecordId: record.id, multipleBirth: false, createdAt: now, updatedAt: now };
  const ids = [
    db
      .insert(students)
      .values({
        ...base,
        state: 'TX',
        stateStudentId: 'TX1001',
        firstName: 'María',
        middleName: 'Guadalupe',
        lastName1: 'García',
        lastName2: 'López',
        sex: 'Female',
        birthDate: '2009-03-07',
        birthDateVerification: '1004',
        contentSha256: 'tx',
      })
      .returning({ id: students.id })
      .get().id,
    db
      .insert(students)
      .values({
        ...base,
        state: 'FL',
        stateStudentId: 'FL77',
        firstName: 'Maria',
        lastName1: 'Garcia-Lopez',
        sex: 'Female',
        birthDate: '2009-07-03',
        contentSha256: 'fl',
      })
      .returning({ id: students.id })
      .get().id,
  ];
  db.insert(courses)
    .values({
      studentId: ids[0]!,
      courseTitle: 'Biology',
      subjectArea: 'Science',
      beginYear: 2025,
      endYear: 2026,
      clockHours: 31,
      gradeToDate: '91',
      courseSection: 'FY',
      termType: '0828',
    })
    .run();
  indexStudents(db, ids);

  people.viewer = await createPerson(db, { role: 'state_user', state: 'TX', recordsAccess: 'viewer' });
  people.administrator = await createPerson(db, {
    role: 'state_coordinator',
    state: 'FL',
    recordsAccess: 'data_administrator',
  });
  people.noGrant = await createPerson(db, { role: 'state_user', state: 'TX' });
  people.adminNoGrant = await createPerson(db, { role: 'admin', state: null });
  people.admin = await createPerson(db, { role: 'admin', state: null, recordsAccess: 'data_administrator' });
});

function auditActions(action: string) {
  return server.get().testApp.database.db.select().from(auditLog).where(eq(auditLog.action, action)).all();
}

/** Fills the search form with the keyboard only and submits it with Enter. */
async function searchByKeyboard(page: Page): Promise<void> {
  await tabTo(page, '#search-purpose');
  await page.keyboard.press('ArrowDown');
  await tabTo(page, '#search-first-name');
  await page.keyboard.type('Maria');
  await tabTo(page, '#search-last-name');
  await page.keyboard.type('Lopez Garsia');
  await page.keyboard.press('Enter');
  await page.locator('[data-search-rows] tr').first().waitFor();
}

describe('records search page', () => {
  test('keyboard search finds the child', async () => {
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), people.viewer!, '/records/');
    await searchByKeyboard(page);

    const row = page.locator('[data-search-rows] tr').first();
    expect(await row.locator('th').innerText()).toBe('María Guadalupe García López');
    expect(await row.innerText()).toContain('FL, TX');
    expect(await row.innerText()).toContain('Last name matches a spelling variant, in the other order');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('results-heading');
    expect(readCspViolations(page)).toEqual([]);
  });

  test('search stays out of the address and history', async () => {
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), people.viewer!, '/records/');
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const historyBefore = await page.evaluate(() => history.length);
    await searchByKeyboard(page);

    expect(page.url()).toBe(`${server.get().url}/records/`);
    expect(await page.evaluate(() => history.length)).toBe(historyBefore);
    expect(requests.filter((url) => /maria|garsia|lopez/i.test(url))).toEqual([]);
  });

  test('leaving the page clears the results', async () => {
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), people.viewer!, '/records/');
    await searchByKeyboard(page);
    await page.goto(`${server.get().url}/account/`);
    await page.goBack();
    await page.locator('[data-gate-content]').waitFor({ state: 'visible' });

    expect(await page.locator('[data-search-rows] tr').count()).toBe(0);
    expect(await page.inputValue('#search-last-name')).toBe('');
  });

  test('missing purpose is reported on its field', async () => {
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), people.viewer!, '/records/');
    await page.fill('#search-last-name', 'Garcia');
    await page.click('[data-search-form] button[type="submit"]');

    await page.locator('#search-purpose-error').waitFor({ state: 'visible' });
    expect(await page.getAttribute('#search-purpose', 'aria-invalid')).toBe('true');
  });

  test('person without records access is told so', async () => {
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), people.noGrant!, '/records/', {
      waitForGate: false,
    });
    await page.locator('[data-gate-denied]').waitFor({ state: 'visible' });

    expect(await page.locator('[data-gate-denied-text]').innerText()).toContain('records access');
    expect(await page.locator('[data-search-form]').isVisible()).toBe(false);
  });

  test('admin without records access is pointed to People', async () => {
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      people.adminNoGrant!,
      '/records/',
      {
        waitForGate: false,
      },
    );
    await page.locator('[data-gate-denied]').waitFor({ state: 'visible' });

    expect(await page.locator('[data-gate-denied-text]').innerText()).toContain('give yourself records access');
    expect(await page.locator('[data-gate-denied-text] a').getAttribute('href')).toBe('/console/people/');
  });

  test('search page passes axe with results', async () => {
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), people.viewer!, '/records/', {
      bypassCSP: true,
    });
    expect(await findAxeViolations(page)).toEqual([]);
    await searchByKeyboard(page);

    expect(await findAxeViolations(page)).toEqual([]);
  });
});

/** Returns the visible task links of the search page as label and address pairs. */
async function readVisibleTaskLinks(page: Page): Promise<string[]> {
  await page.locator('[data-records-links]').waitFor({ state: 'visible' });
  const links = page.locator('[data-records-links] a');
  const visible: string[] = [];
  for (const link of await links.all()) {
    if (await link.isVisible()) visible.push(`${await link.innerText()} ${await link.getAttribute('href')}`);
  }
  return visible;
}

describe('records task links', () => {
  test('viewer sees move notices only', async () => {
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), people.viewer!, '/records/');

    expect(await readVisibleTaskLinks(page)).toEqual(['Move notices /records/move-notices/']);
  });

  test('data administrator sees the state tasks', async () => {
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      people.administrator!,
      '/records/',
    );

    expect(await readVisibleTaskLinks(page)).toEqual([
      'Upload records /records/uploads/',
      'Data quality /records/quality/',
      'Records worklist /records/worklist/',
      'Move notices /records/move-notices/',
    ]);
  });

  test('admin also sees nicknames and passes axe', async () => {
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), people.admin!, '/records/', {
      bypassCSP: true,
    });

    expect(await readVisibleTaskLinks(page)).toEqual([
      'Upload records /records/uploads/',
      'Data quality /records/quality/',
      'Records worklist /records/worklist/',
      'Move notices /records/move-notices/',
      'Nicknames /records/nicknames/',
    ]);
    expect(await findAxeViolations(page)).toEqual([]);
  });

  test('task links are reachable by keyboard', async () => {
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      people.administrator!,
      '/records/',
    );
    await tabTo(page, '[data-records-link="uploads"] a');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.get().url}/records/uploads/`);

    expect(new URL(page.url()).pathname).toBe('/records/uploads/');
  });
});

describe('consolidated record pages', () => {
  test('result opens the record with every section', async () => {
    const before = auditActions('records.view').length;
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), people.viewer!, '/records/');
    await searchByKeyboard(page);
    await page.locator('[data-search-rows] a').first().click();
    await page.locator('[data-record]').waitFor({ state: 'visible' });

    expect(page.url()).toBe(`${server.get().url}/records/record/?msix=${msixId}`);
    expect(await page.locator('h1').innerText()).toBe('Consolidated record of María Guadalupe García López');
    expect(await page.title()).not.toContain('García');
    expect(await page.locator('[data-record-section="courses"]').innerText()).toContain('In progress');
    expect(await page.getAttribute('[data-record-link="move-notice"]', 'href')).toBe(
      `/records/move-notice/?msix=${msixId}`,
    );
    expect(await page.getAttribute('[data-record-link="changes"]', 'href')).toBe(`/records/changes/?msix=${msixId}`);
    expect(auditActions('records.view').length).toBe(before + 1);
    expect(auditActions('records.view').at(-1)?.detail).toBe('purpose=enrollment');
    expect(readCspViolations(page)).toEqual([]);
  });

  test('direct link asks for the purpose first', async () => {
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      people.viewer!,
      `/records/record/?msix=${msixId}`,
    );
    await page.locator('[data-record-purpose-form]').waitFor({ state: 'visible' });
    await page.selectOption('#record-purpose', 'other');
    await page.fill('#record-purpose-text', 'Checking a transcript request');
    await page.click('[data-record-purpose-form] button[type="submit"]');
    await page.locator('[data-record]').waitFor({ state: 'visible' });

    expect(auditActions('records.view').at(-1)?.detail).toBe('purpose=other: Checking a transcript request');
  });

  test('data administrator of a reporting state sees the access log', async () => {
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      people.administrator!,
      '/records/',
    );
    await searchByKeyboard(page);
    await page.locator('[data-search-rows] a').first().click();
    await page.locator('[data-access-log]').waitFor({ state: 'visible' });

    expect(await page.locator('[data-access-log-content]').innerText()).toContain('Viewed');
  });

  test('print page shows the record and is audited', async () => {
    const before = auditActions('records.print').length;
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), people.viewer!, '/records/');
    await searchByKeyboard(page);
    await page.locator('[data-search-rows] a').first().click();
    await page.locator('[data-record]').waitFor({ state: 'visible' });
    await page.click('[data-record-link="print"]');
    await page.locator('[data-record]').waitFor({ state: 'visible' });

    expect(page.url()).toBe(`${server.get().url}/records/record/print/?msix=${msixId}`);
    expect(await page.locator('[data-record-section="courses"]').innerText()).toContain('Biology');
    expect(await page.locator('[data-record-section="courses"]').innerText()).toContain(
      'Full year (FY), Semester (0828)',
    );
    expect(await page.locator('[data-record-section="identity"]').innerText()).toContain('Birth certificate (1004)');
    expect(auditActions('records.print').length).toBe(before + 1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.usa-header').isVisible()).toBe(false);
    expect(await page.locator('[data-print-button]').isVisible()).toBe(false);
  });

  test('record and print pages pass axe', async () => {
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      people.administrator!,
      '/records/',
      {
        bypassCSP: true,
      },
    );
    await searchByKeyboard(page);
    await page.locator('[data-search-rows] a').first().click();
    await page.locator('[data-access-log]').waitFor({ state: 'visible' });
    expect(await findAxeViolations(page)).toEqual([]);

    await page.click('[data-record-link="print"]');
    await page.locator('[data-record]').waitFor({ state: 'visible' });
    expect(await findAxeViolations(page)).toEqual([]);
  });
});
