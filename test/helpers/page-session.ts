/**
 * Shared helpers for page tests in Chromium: open a page signed in as a test
 * person, collect Content-Security-Policy reports, run axe-core, and move the
 * focus with the Tab key.
 */
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { testPassword, type TestPerson } from './accounts';
import { launchChromium } from './browser';
import type { RunningServer } from './server';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

const cspViolations = new WeakMap<Page, string[]>();

/** One Chromium for a test file, and the contexts its tests opened, which close after each test. */
export interface ChromiumSession {
  readonly browser: Browser;
  readonly contexts: BrowserContext[];
}

/**
 * Launches Chromium before the file's tests, closes the contexts each test
 * opened after it, and closes Chromium at the end. Call it at the top of a
 * page test file.
 */
export function useChromium(): ChromiumSession {
  let browser: Browser | undefined;
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

  return {
    get browser() {
      if (!browser) throw new Error('Chromium is not running yet: use the browser inside a test or a beforeAll hook.');
      return browser;
    },
    contexts,
  };
}

/** Console messages in which Chromium reports something the Content-Security-Policy blocked. */
export function readCspViolations(page: Page): string[] {
  return cspViolations.get(page) ?? [];
}

/** Opens a new browser context and page, recording CSP reports. Pass `bypassCSP` only for axe-core checks. */
export async function openPage(
  browser: Browser,
  contexts: BrowserContext[],
  options: { bypassCSP?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({ bypassCSP: options.bypassCSP ?? false });
  contexts.push(context);
  const page = await context.newPage();
  const violations: string[] = [];
  cspViolations.set(page, violations);
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy'))
      violations.push(message.text());
  });
  return page;
}

/**
 * Signs the browser in by POSTing from its own request context, which shares
 * cookies with the page, then opens `path` and waits for the page gate to open.
 */
export async function openSignedIn(
  browser: Browser,
  contexts: BrowserContext[],
  server: RunningServer,
  person: Pick<TestPerson, 'email'>,
  path: string,
  options: { bypassCSP?: boolean; waitForGate?: boolean } = {},
): Promise<Page> {
  const page = await openPage(browser, contexts, options);
  const response = await page.request.post(`${server.url}/api/auth/sign-in`, {
    data: { email: person.email, password: testPassword },
    headers: { Origin: server.url },
  });
  expect(response.status()).toBe(200);
  await page.goto(`${server.url}${path}`);
  if (options.waitForGate ?? true) await page.locator('[data-gate-content]').waitFor({ state: 'visible' });
  return page;
}

/** Runs axe-core (WCAG 2.1 A and AA and best practices) and returns one line per violation. */
export async function findAxeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations;
  });
  return violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
}

/** Presses Tab until the focused element matches `selector`. */
export async function tabTo(page: Page, selector: string, limit = 300): Promise<void> {
  for (let step = 0; step < limit; step += 1) {
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Returns the text of the first element matching `selector`, with runs of white space collapsed. */
export async function readText(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Waits until the first element matching `selector` has text matching `pattern`. */
export async function waitForText(page: Page, selector: string, pattern: RegExp): Promise<void> {
  await page.waitForFunction(
    ({ selector, source, flags }) =>
      new RegExp(source, flags).test(document.querySelector(selector)?.textContent ?? ''),
    { selector, source: pattern.source, flags: pattern.flags },
  );
}
