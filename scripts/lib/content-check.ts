/**
 * Validates every content file against the collection schemas the site build
 * uses, so a bad front matter fails with one readable message per problem
 * before Astro starts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ZodIssue } from 'zod';
import { collectionSchemas, newsletterSections, type CollectionName } from '../../site/lib/content-schemas';

export interface ContentEntry {
  collection: CollectionName;
  slug: string;
  file: string;
  data: Record<string, unknown>;
  body: string;
}

export interface ContentReport {
  entries: ContentEntry[];
  problems: string[];
}

const frontMatterPattern = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

export function checkContent(root: string): ContentReport {
  const entries: ContentEntry[] = [];
  const problems: string[] = [];

  for (const collection of Object.keys(collectionSchemas) as CollectionName[]) {
    const directory = path.join(root, 'content', collection);
    if (!existsSync(directory)) {
      problems.push(`content/${collection}: folder is missing; create it and add at least one .mdx file.`);
      continue;
    }

    for (const name of readdirSync(directory).sort()) {
      if (!name.endsWith('.mdx')) continue;
      const file = path.posix.join('content', collection, name);
      const entry = readEntry(root, collection, file, problems);
      if (entry) entries.push(entry);
    }
  }

  problems.push(...findDownloadProblems(root, entries));
  problems.push(...findBrokenLinks(root, entries));
  return { entries, problems };
}

function readEntry(
  root: string,
  collection: CollectionName,
  file: string,
  problems: string[],
): ContentEntry | undefined {
  const source = readFileSync(path.join(root, file), 'utf8');
  const match = frontMatterPattern.exec(source);
  if (!match) {
    problems.push(
      `${file}: no front matter found; start the file with a "---" line, the fields, and another "---" line.`,
    );
    return undefined;
  }

  let raw: unknown;
  try {
    raw = parseYaml(match[1] ?? '');
  } catch (error) {
    problems.push(`${file}: front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }

  const result = collectionSchemas[collection].safeParse(raw ?? {});
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${file}: ${describeIssue(issue)}`);
    return undefined;
  }

  const body = match[2] ?? '';
  if (body.trim().length === 0)
    problems.push(`${file}: the body is empty; write the entry's text below the front matter.`);
  if (collection === 'newsletters') {
    for (const heading of newsletterSections) {
      if (!new RegExp(`^## ${heading} \\S`, 'm').test(body)) {
        problems.push(
          `${file}: missing the section heading "## ${heading} <title>"; every issue needs a success story, a best practice and a technical tip.`,
        );
      }
    }
  }

  const slug = path.basename(file, '.mdx');
  return { collection, slug, file, data: result.data as Record<string, unknown>, body };
}

function describeIssue(issue: ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.join('.') : '(front matter)';
  if (issue.code === 'invalid_type' && issue.received === 'undefined') {
    return `field "${field}" is missing; it is required (expected ${issue.expected}).`;
  }
  if (issue.code === 'invalid_type') {
    return `field "${field}" has the wrong type: expected ${issue.expected}, received ${issue.received}.`;
  }
  if (issue.code === 'invalid_date') {
    return `field "${field}" is missing or not a valid date; write it as YYYY-MM-DD (or an ISO date-time with offset for event times).`;
  }
  if (issue.code === 'invalid_enum_value') {
    return `field "${field}" is "${String(issue.received)}", which is not allowed; use one of: ${issue.options.join(', ')}.`;
  }
  if (issue.code === 'unrecognized_keys') {
    return `unknown field(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}${field === '(front matter)' ? '' : ` in "${field}"`}; remove them or check the spelling.`;
  }
  return `field "${field}": ${issue.message}`;
}

function findDownloadProblems(root: string, entries: ContentEntry[]): string[] {
  const problems: string[] = [];
  for (const entry of entries) {
    const files: string[] = [];
    const download = entry.data.download as { file: string } | undefined;
    if (download) files.push(download.file);
    const materials = (entry.data.materials as { file: string }[] | undefined) ?? [];
    files.push(...materials.map((material) => material.file));

    for (const file of files) {
      if (!existsSync(path.join(root, 'site/public/downloads', file))) {
        problems.push(
          `${entry.file}: download "${file}" does not exist; add it to site/public/downloads/ or remove the reference.`,
        );
      }
    }
  }
  return problems;
}

/** Site pages that do not come from a content entry. */
const fixedPages = ['/', '/search/', '/rules-of-behavior/', '/sign-in/', '/newsletters/rss.xml'];

/** Finds internal links, in `related` and in the Markdown body, that lead to no page or download. */
function findBrokenLinks(root: string, entries: ContentEntry[]): string[] {
  const pages = new Set([
    ...fixedPages,
    ...Object.keys(collectionSchemas).map((collection) => `/${collection}/`),
    ...entries.map((entry) => `/${entry.collection}/${entry.slug}/`),
  ]);
  const problems: string[] = [];

  for (const entry of entries) {
    const related = ((entry.data.related as { href: string }[] | undefined) ?? []).map((link) => link.href);
    const inBody = [...entry.body.matchAll(/\]\((\/[^)\s]*)\)/g)].map((match) => match[1] ?? '');
    for (const link of [...related, ...inBody]) {
      if (!link.startsWith('/')) continue;
      const target = link.split('#')[0] ?? '';
      const exists = target.startsWith('/downloads/')
        ? existsSync(path.join(root, 'site/public', target))
        : pages.has(target);
      if (!exists)
        problems.push(
          `${entry.file}: link "${link}" leads to no page of the site; fix the address (pages end with "/").`,
        );
    }
  }
  return problems;
}
