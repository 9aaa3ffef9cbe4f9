/**
 * The records upload and data-quality pages in headless Chromium against the
 * real app: choosing files, watching the import, reading the result and the
 * report, the keyboard path, CSP, and axe-core on each page.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createPerson, type TestPerson } from './helpers/accounts';
import { launchChromium } from './helpers/browser';
import {
  findAxeViolations,
  openSignedIn,
  readCspViolations,
  readText,
  tabTo,
  waitForText,
} from './helpers/page-session';
import { useServer } from './helpers/server';
import { completeUpload, studentRow, toCsv } from './fixtures/records/upload-files';

let browser: Browser;
const contexts: BrowserContext[] = [];
let fileDirectory: string;

beforeAll(async () => {
  browser = await launchChromium();
  fileDirectory = mkdtempSync(path.join(tmpdir(), 'msix-upload-page-'));
});

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
});

afterAll(async () => {
  await browser?.close();
  rmSync(fileDirectory, { recursive: true, force: true });
});

/** Returns the cell texts of the first row of a table body. */
function readFirstRow(page: Page, bodySelector: string): Promise<string[]> {
  return page.locator(`${bodySelector} tr`).first().locator('td').allTextContents();
}

describe('records upload pages', () => {
  const server = useServer();
  let administrator: TestPerson;
  let viewer: TestPerson;

  beforeAll(async () => {
    const db = server.get().testApp.database.db;
    administrator = await createPerson(db, {
      role: 'state_coordinator',
      state: 'TX',
      recordsAccess: 'data_administrator',
    });
    viewer = await createPerson(db, { role: 'state_user', state: 'TX', recordsAccess: 'viewer' });
  });

  test('upload shows progress, result and report', async () => {
    const files = completeUpload(['P1', 'P2', 'P3']);
    files['students.csv'] = toCsv([studentRow('P1'), studentRow('P2'), studentRow('P3', { birth_date: '2031-02-30' })]);
    const paths = ['students.csv', 'enrollments.csv', 'courses.csv'].map((name) => {
      const filePath = path.join(fileDirectory, name);
      writeFileSync(filePath, files[name]!);
      return filePath;
    });

    const page = await openSignedIn(browser, contexts, server.get(), administrator, '/records/uploads/');
    expect(await readText(page, '[data-own-state]')).toBe('Records of Texas (TX)');
    await tabTo(page, '#upload-files');
    await page.setInputFiles('#upload-files', paths);
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressLabels: string[] }).progressLabels = seen;
      const label = document.querySelector('[data-progress-label]')!;
      new MutationObserver(() => seen.push(label.textContent ?? '')).observe(label, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await tabTo(page, '[data-upload-form] button[type="submit"]');
    await page.keyboard.press('Enter');

    await page.locator('#result-heading').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('result-heading');
    expect(await readText(page, '[data-result-alert] .usa-alert__heading')).toBe('Some students were rejected');
    const terms = await page.locator('[data-result-counts] dt').allTextContents();
    const values = await page.locator('[data-result-counts] dd').allTextContents();
    const counts = Object.fromEntries(terms.map((term, index) => [term, values[index]]));
    expect(counts).toMatchObject({
      'Students received': '3',
      'Accepted (new or changed)': '2',
      'Unchanged (same as on file)': '0',
      Rejected: '1',
    });
    await page.locator('[data-problem-rows] tr').first().waitFor();
    expect(await readFirstRow(page, '[data-problem-rows]')).toEqual([
      'P3',
      'students.csv',
      '4',
      'birth_date',
      'Error',
      'students.csv line 4, column birth_date: "2031-02-30" is not a real date; use YYYY-MM-DD or YYYYMMDD.',
    ]);
    expect(page.url()).toMatch(/\/records\/uploads\/\?upload=\d+$/);
    const progressLabels = await page.evaluate(
      () => (window as unknown as { progressLabels: string[] }).progressLabels,
    );
    expect(progressLabels).toContain('Sending files');
    expect(await page.locator('[data-progress]').isVisible()).toBe(false);
    expect(readCspViolations(page)).toEqual([]);

    await page.locator('a', { hasText: 'Data-quality report of this upload' }).click();
    await waitForText(page, '[data-upload-summary]', /Rejected1/);
    expect(await readFirstRow(page, '[data-rules-rows]')).toEqual([
      'Not a real date, or not YYYY-MM-DD or YYYYMMDD',
      '1',
      '1',
    ]);
    expect(await readFirstRow(page, '[data-top-rows]')).toEqual([
      'Not a real date, or not YYYY-MM-DD or YYYYMMDD',
      'students.csv, birth_date',
      '1',
      'students.csv, line 4, column birth_date',
    ]);
    expect(await page.locator('[data-completeness-rows] tr').count()).toBeGreaterThan(5);
    expect(readCspViolations(page)).toEqual([]);
  });

  test('viewer sees no upload form', async () => {
    const page = await openSignedIn(browser, contexts, server.get(), viewer, '/records/uploads/');

    await page.locator('[data-no-grant]').waitFor({ state: 'visible' });
    expect(await page.locator('[data-upload-form]').isVisible()).toBe(false);
  });

  test('upload and quality pages pass axe', async () => {
    const upload = await openSignedIn(browser, contexts, server.get(), administrator, '/records/uploads/?upload=1', {
      bypassCSP: true,
    });
    await upload.locator('[data-problem-rows] tr').first().waitFor();
    expect(await findAxeViolations(upload)).toEqual([]);

    const state = await openSignedIn(browser, contexts, server.get(), viewer, '/records/quality/', { bypassCSP: true });
    await state.locator('[data-state-rows] tr').first().waitFor();
    expect(await readText(state, '#state-heading')).toBe('Uploads of Texas (TX)');
    expect(await findAxeViolations(state)).toEqual([]);

    const report = await openSignedIn(browser, contexts, server.get(), viewer, '/records/quality/?upload=1', {
      bypassCSP: true,
    });
    await report.locator('[data-completeness-rows] tr').first().waitFor();
    expect(await findAxeViolations(report)).toEqual([]);
  });
});
