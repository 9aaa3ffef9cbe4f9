/**
 * The nickname table page (/records/nicknames/) in headless Chromium against
 * the real app: an admin adds and deletes a pair with the keyboard, other
 * roles see the page refused, and axe-core finds nothing.
 */
import { describe, expect, test } from 'vitest';
import { createPerson } from './helpers/accounts';
import {
  findAxeViolations,
  openSignedIn,
  readCspViolations,
  readText,
  tabTo,
  useChromium,
  waitForText,
} from './helpers/page-session';
import { useServer } from './helpers/server';

const chromium = useChromium();

describe('nickname page', () => {
  const server = useServer();

  test('admin adds and deletes a nickname', async () => {
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), admin, '/records/nicknames/');
    await waitForText(page, '[data-nickname-count]', /\d+ nickname pairs/);
    expect(await page.locator('[data-nickname-rows] tr', { hasText: 'Guadalupe' }).count()).toBeGreaterThan(0);

    await tabTo(page, '#nickname-full-name');
    await page.keyboard.type('Anastasia');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Tasia');
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-nickname-status]', /Added Tasia as a nickname of Anastasia/);
    expect(await page.inputValue('#nickname-full-name')).toBe('');

    await page.fill('#nickname-filter', 'tasia');
    await waitForText(page, '[data-nickname-count]', /1 of \d+ nickname pairs match/);
    await tabTo(page, 'button[aria-label="Delete Tasia as a nickname of Anastasia"]');
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-nickname-status]', /Deleted Tasia/);
    expect(await readText(page, '[data-nickname-count]')).toMatch(/^0 of \d+ nickname pairs match\.$/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('list-heading');
    expect(readCspViolations(page)).toEqual([]);
  });

  test('empty and duplicate entries show field errors', async () => {
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), admin, '/records/nicknames/');
    await waitForText(page, '[data-nickname-count]', /\d+ nickname pairs/);

    await page.click('[data-nickname-form] button[type="submit"]');
    await page.locator('#nickname-full-name-error').waitFor({ state: 'visible' });
    expect(await page.getAttribute('#nickname-full-name', 'aria-invalid')).toBe('true');

    await page.fill('#nickname-full-name', 'Guadalupe');
    await page.fill('#nickname-nickname', 'Lupe');
    await page.click('[data-nickname-form] button[type="submit"]');
    await waitForText(page, '[data-nickname-form] [data-form-alert]', /already has lupe as a nickname of guadalupe/);
  });

  test('coordinator sees the page refused', async () => {
    const coordinator = await createPerson(server.get().testApp.database.db, {
      role: 'state_coordinator',
      state: 'TX',
      recordsAccess: 'data_administrator',
    });
    const page = await openSignedIn(
      chromium.browser,
      chromium.contexts,
      server.get(),
      coordinator,
      '/records/nicknames/',
      {
        waitForGate: false,
      },
    );
    await page.locator('[data-gate-denied]').waitFor({ state: 'visible' });
    expect(await readText(page, '[data-gate-denied-text]')).toContain('admins');
    expect(await page.locator('[data-gate-content]').isVisible()).toBe(false);
  });

  test('page passes axe-core', async () => {
    const admin = await createPerson(server.get().testApp.database.db, { role: 'admin' });
    const page = await openSignedIn(chromium.browser, chromium.contexts, server.get(), admin, '/records/nicknames/', {
      bypassCSP: true,
    });
    await waitForText(page, '[data-nickname-count]', /\d+ nickname pairs/);
    expect(await findAxeViolations(page)).toEqual([]);
  });
});
