import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { collectionInfo } from '../site/lib/collections';
import { checkContent } from '../scripts/lib/content-check';
import { distDirectory, rootDirectory, testSiteUrl } from './helpers/constants';
import { listBuiltPages } from './helpers/pages';

const { entries } = checkContent(rootDirectory);
const builtPages = new Set(listBuiltPages(distDirectory));

function readPage(sitePath: string): string {
  return readFileSync(path.join(distDirectory, sitePath, 'index.html'), 'utf8');
}

describe('static build', () => {
  test('makes a page for every content entry', () => {
    const missing = entries
      .map((entry) => `${collectionInfo[entry.collection].path}${entry.slug}/`)
      .filter((sitePath) => !builtPages.has(sitePath));

    expect(missing).toEqual([]);
  });

  test('makes the home, listing, search and 404 pages', () => {
    for (const sitePath of ['/', '/search/', ...Object.values(collectionInfo).map((info) => info.path)]) {
      expect(builtPages, sitePath).toContain(sitePath);
    }
    expect(existsSync(path.join(distDirectory, '404.html'))).toBe(true);
  });

  test('puts the title of an entry on its page', () => {
    const faq = entries.find((entry) => entry.collection === 'faqs');
    const html = readPage(`/faqs/${faq?.slug}/`);

    expect(html).toContain(String(faq?.data.title).replace(/'/g, '&#39;').replace(/"/g, '&quot;'));
  });

  test('resolves every internal link in the content', () => {
    const broken: string[] = [];
    for (const entry of entries) {
      const links = [
        ...((entry.data.related as { href: string }[] | undefined) ?? []).map((link) => link.href),
        ...[...entry.body.matchAll(/\]\((\/[^)\s#]*)(#[^)\s]*)?\)/g)].map((match) => match[1] ?? ''),
      ];
      for (const link of links) {
        if (!link.startsWith('/')) continue;
        const target = link.split('#')[0] ?? '';
        const exists = target.startsWith('/downloads/')
          ? existsSync(path.join(distDirectory, target))
          : builtPages.has(target);
        if (!exists) broken.push(`${entry.file} -> ${link}`);
      }
    }

    expect(broken).toEqual([]);
  });

  test('writes a sitemap with absolute page addresses', () => {
    const sitemap = readFileSync(path.join(distDirectory, 'sitemap-0.xml'), 'utf8');

    expect(existsSync(path.join(distDirectory, 'sitemap-index.xml'))).toBe(true);
    expect(sitemap).toContain(`<loc>${testSiteUrl}/faqs/</loc>`);
    expect(sitemap).toContain(`<loc>${testSiteUrl}/newsletters/2026-q4/</loc>`);
  });

  test('writes an RSS feed with every newsletter issue', () => {
    const feed = readFileSync(path.join(distDirectory, 'newsletters/rss.xml'), 'utf8');
    const issues = entries.filter((entry) => entry.collection === 'newsletters');

    expect(feed).toContain('<rss');
    expect(feed.match(/<item>/g)).toHaveLength(issues.length);
    expect(feed).toContain(`${testSiteUrl}/newsletters/2026-q1/`);
  });

  test('ships a search index with type and topic filters', () => {
    const entry = JSON.parse(readFileSync(path.join(distDirectory, 'pagefind/pagefind-entry.json'), 'utf8')) as {
      languages: Record<string, { page_count: number }>;
    };
    const pageCount = Object.values(entry.languages).reduce((sum, language) => sum + language.page_count, 0);

    expect(pageCount).toBe(entries.length);
    expect(existsSync(path.join(distDirectory, 'pagefind/pagefind.js'))).toBe(true);
  });

  test('keeps inline scripts out of every page', () => {
    for (const sitePath of builtPages) {
      const html = sitePath.endsWith('.html')
        ? readFileSync(path.join(distDirectory, sitePath), 'utf8')
        : readPage(sitePath);
      const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>/g)];
      expect(inline, sitePath).toEqual([]);
    }
  });
});
