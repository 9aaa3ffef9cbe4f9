/**
 * The portal's FAQs as canned responses use them: slug (the file name in
 * content/faqs/ without .mdx) and title (from the front matter). Read once
 * per process, because the content only changes with a new build and restart.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

export interface FaqEntry {
  slug: string;
  title: string;
}

const faqDirectory = new URL('../../../content/faqs/', import.meta.url);

let cached: Map<string, FaqEntry> | undefined;

/** Returns the FAQs by slug. */
export function loadFaqs(): Map<string, FaqEntry> {
  if (cached) return cached;
  const faqs = new Map<string, FaqEntry>();
  for (const fileName of readdirSync(faqDirectory).sort()) {
    if (!fileName.endsWith('.mdx')) continue;
    const slug = fileName.slice(0, -'.mdx'.length);
    faqs.set(slug, { slug, title: readTitle(readFileSync(new URL(fileName, faqDirectory), 'utf8')) ?? slug });
  }
  cached = faqs;
  return faqs;
}

function readTitle(source: string): string | null {
  const frontMatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(source);
  if (!frontMatter) return null;
  const data: unknown = parseYaml(frontMatter[1]!);
  if (data && typeof data === 'object' && 'title' in data && typeof data.title === 'string') return data.title;
  return null;
}

/** Absolute link of an FAQ on the portal. */
export function faqLink(siteUrl: string, slug: string): string {
  return new URL(`/faqs/${slug}/`, siteUrl).href;
}
