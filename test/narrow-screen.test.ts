/**
 * Phone-width layout: at 375 px (a common phone width) the site header and footer must not
 * push the page wider than the screen or move the site title out of view.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from './helpers/browser';
import { useServer } from './helpers/server';

const viewport = { width: 375, height: 740 };

const pages = [
  { name: 'home page', path: '/' },
  { name: 'FAQ page', path: '/faqs/can-i-email-student-information/' },
  { name: 'support page', path: '/support/' },
  { name: 'dashboard', path: '/dashboard/' },
  { name: 'sign-in page', path: '/sign-in/' },
];

interface Layout {
  documentWidth: number;
  viewportWidth: number;
  viewportHeight: number;
  title: { left: number; top: number; right: number; bottom: number };
}

function measureLayout(): Layout {
  const root = document.documentElement;
  const title = document.querySelector('.usa-logo__text a');
  if (!title) throw new Error('Site title link (.usa-logo__text a) not found on the page.');
  const box = title.getBoundingClientRect();

  return {
    documentWidth: root.scrollWidth,
    viewportWidth: root.clientWidth,
    viewportHeight: root.clientHeight,
    title: { left: box.left, top: box.top, right: box.right, bottom: box.bottom },
  };
}

describe('pages at 375 px wide', () => {
  const server = useServer();
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext({ viewport });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  test.each(pages)('$name fits the screen', async ({ path }) => {
    // The dashboard fills in its figures after load, so wait for its requests before measuring.
    const response = await page.goto(`${server.get().url}${path}`, { waitUntil: 'networkidle' });
    expect(response?.status(), path).toBe(200);

    const layout = await page.evaluate(measureLayout);

    expect(layout.documentWidth, `${path} document width`).toBeLessThanOrEqual(layout.viewportWidth);
    expect(layout.title.left, `${path} site title left edge`).toBeGreaterThanOrEqual(0);
    expect(layout.title.top, `${path} site title top edge`).toBeGreaterThanOrEqual(0);
    expect(layout.title.right, `${path} site title right edge`).toBeLessThanOrEqual(layout.viewportWidth);
    expect(layout.title.bottom, `${path} site title bottom edge`).toBeLessThanOrEqual(layout.viewportHeight);
  });
});
