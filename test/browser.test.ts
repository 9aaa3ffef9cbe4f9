import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from './helpers/browser';
import { distDirectory } from './helpers/constants';
import { listBuiltPages } from './helpers/pages';
import { startTestServer, type RunningServer } from './helpers/server';
import { findAxeViolations } from './helpers/page-session';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Opens a page for checks that inject axe-core. The injected script is inline,
 * which the site's Content-Security-Policy forbids, so these pages bypass CSP;
 * the CSP test below runs with the policy enforced.
 */
async function openPage(path: string): Promise<Page> {
  const page = await browser.newPage({ bypassCSP: true });
  const response = await page.goto(`${server.url}${path}`);
  expect(response?.status(), path).toBe(200);
  return page;
}

async function waitForResults(page: Page): Promise<void> {
  await page.waitForFunction(() => /match/.test(document.querySelector('[data-search-status]')?.textContent ?? ''));
}

describe('search in Chromium', () => {
  test('finds the FAQ for a known phrase', async () => {
    const page = await openPage('/search/?q=master%20record%20keeps%20its%20MSIX%20ID');
    await waitForResults(page);

    const links = await page
      .locator('[data-search-results] a')
      .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')));

    expect(links.slice(0, 5)).toContain('/faqs/how-do-merge-and-split-work/');
    await page.close();
  });

  test('narrows results with the content type filter', async () => {
    const page = await openPage('/search/?q=near%20match');
    await waitForResults(page);

    await page.locator('input[value="TA tool"]').focus();
    await page.keyboard.press('Space');
    await page.waitForFunction(() => {
      const types = [...document.querySelectorAll('.search-result-type')];
      return types.length > 0 && types.every((type) => type.textContent === 'TA tool');
    });
    const types = await page.locator('.search-result-type').allTextContents();

    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set(['TA tool']));
    expect(page.url()).toContain('type=TA+tool');
    await page.close();
  });

  test('hides "Show more results" until there are more', async () => {
    const empty = await openPage('/search/');
    const none = await openPage('/search/?q=kubernetes');
    await none.waitForFunction(() =>
      /No pages match/.test(document.querySelector('[data-search-status]')?.textContent ?? ''),
    );

    expect(await empty.locator('[data-search-more]').isVisible()).toBe(false);
    expect(await none.locator('[data-search-more]').isVisible()).toBe(false);
    await empty.close();
    await none.close();
  });

  test('works with the keyboard alone from the header', async () => {
    const page = await openPage('/');

    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.locator('#site-search-field').focus();
    await page.keyboard.type('partial credit');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\/\?q=partial\+credit/);
    await waitForResults(page);
    await page.locator('#search-page-field').focus();
    await page.keyboard.press('ArrowDown');
    const firstResult = await page.evaluate(() => document.activeElement?.getAttribute('href'));
    await page.keyboard.press('ArrowDown');
    const secondResult = await page.evaluate(() => document.activeElement?.getAttribute('href'));
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}${firstResult}`);

    expect(firstResult).toMatch(/^\/[a-z-]+\/[a-z0-9-]+\/$/);
    expect(secondResult).not.toBe(firstResult);
    await page.close();
  });

  test('reaches every search filter with Tab', async () => {
    const page = await openPage('/search/?q=credit');
    await waitForResults(page);
    const filterCount = await page.locator('[data-search-filters] input').count();

    const reached = new Set<string>();
    for (let step = 0; step < 60; step += 1) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() =>
        document.activeElement?.closest('[data-search-filters]') ? document.activeElement.id : '',
      );
      if (id) reached.add(id);
    }

    expect(filterCount).toBeGreaterThan(5);
    expect(reached.size).toBe(filterCount);
    await page.close();
  });
});

describe('listing filters in Chromium', () => {
  test('filters FAQs by topic with the keyboard', async () => {
    const page = await openPage('/faqs/');

    await page.locator('#filter-topic').focus();
    await page.keyboard.press('ArrowDown');
    const status = await page.locator('[data-result-count]').textContent();
    const visibleGroups = await page.locator('[data-filter-group]:not([hidden])').count();

    expect(status).toMatch(/^Showing 6 of \d+ questions$/);
    expect(visibleGroups).toBe(1);
    expect(page.url()).toContain('?topic=');
    await page.close();
  });
});

describe('accessibility with axe-core', () => {
  test.each(['/', '/faqs/what-is-an-msix-id/', '/webinars/mde-upload-files/', '/search/?q=move%20notice'])(
    '%s has no violations',
    async (path) => {
      const page = await openPage(path);
      if (path.startsWith('/search/')) await waitForResults(page);

      expect(await findAxeViolations(page)).toEqual([]);
      await page.close();
    },
  );

  test.each(['/', '/search/?q=credit', '/no-such-page/', '/faqs/'])(
    '%s has no violations on a phone screen',
    async (path) => {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 }, bypassCSP: true });
      await page.goto(`${server.url}${path}`);
      if (path.startsWith('/search/')) await waitForResults(page);

      expect(await findAxeViolations(page)).toEqual([]);
      await page.close();
    },
  );

  test('every built page has no violations', async () => {
    const failures: string[] = [];
    const page = await browser.newPage({ bypassCSP: true });
    for (const path of listBuiltPages(distDirectory)) {
      await page.goto(`${server.url}${path}`, { waitUntil: 'networkidle' });
      // Signed-in pages send visitors to the sign-in page; their own tests check them signed in.
      if (new URL(page.url()).pathname !== path.replace(/index\.html$/, '')) continue;
      for (const violation of await findAxeViolations(page)) failures.push(`${path} ${violation}`);
    }
    await page.close();

    expect(failures).toEqual([]);
  }, 300_000);
});

describe('content security policy in Chromium', () => {
  test('no built page breaks the policy', async () => {
    const violations: string[] = [];
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
    });
    for (const path of listBuiltPages(distDirectory)) {
      await page.goto(`${server.url}${path}`, { waitUntil: 'networkidle' });
    }
    await page.goto(`${server.url}/search/?q=credit`);
    await waitForResults(page);
    await page.close();

    expect(violations).toEqual([]);
  }, 300_000);
});

describe('events in Chromium', () => {
  test('an event that ended after the build moves to past events', async () => {
    const page = await browser.newPage();
    await page.clock.setFixedTime(new Date('2027-12-31T12:00:00Z'));
    await page.goto(`${server.url}/events/`);

    const upcoming = await page.locator('[data-event-group="upcoming"] li[data-event-end]').count();
    const emptyNotice = await page.locator('[data-event-group="upcoming"] [data-event-empty]').isVisible();
    const past = await page.locator('[data-event-group="past"] li[data-event-end]').count();

    expect(upcoming).toBe(0);
    expect(emptyNotice).toBe(true);
    expect(past).toBeGreaterThanOrEqual(8);
    await page.close();
  });

  test('an ended event page says it has ended', async () => {
    const page = await browser.newPage();
    await page.clock.setFixedTime(new Date('2027-12-31T12:00:00Z'));
    await page.goto(`${server.url}/events/end-of-term-course-data-webinar/`);

    expect(await page.locator('[data-show-when="past"]').isVisible()).toBe(true);
    expect(await page.locator('[data-show-when="upcoming"]').isVisible()).toBe(false);
    await page.close();
  });

  test('shows times in the time zone of the venue', async () => {
    const page = await openPage('/events/data-administrator-training-denver-2027/');
    const when = await page.locator('.entry-meta dd').first().textContent();

    expect(when).toContain('MDT');
    await page.close();
  });
});
