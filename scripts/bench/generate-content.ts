/**
 * Writes a synthetic content set that passes the collection schemas, for
 * build and search benchmarks. Text comes from a seeded generator, so every
 * run produces the same pages.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { audienceIds, topicIds } from '../../site/lib/taxonomy';

const vocabulary = (
  'record exchange enrollment placement credit accrual course history assessment consolidated state district ' +
  'registrar counselor recruiter migratory child family move notice qualifying arrival date eligibility ' +
  'upload validation rejection completeness near match merge split worklist data administrator coordinator ' +
  'training security privacy report count reconciliation partial clock hours grade term semester school ' +
  'project summer program identifier birth certificate surname parent guardian transfer packet agency'
).split(' ');

/** Share of the generated pages that each collection receives; they add up to 1. */
const mix = { faqs: 0.4, webinars: 0.2, 'white-papers': 0.1, newsletters: 0.1, tools: 0.1, events: 0.1 } as const;

export interface GeneratedContent {
  pages: number;
  /** A phrase that occurs in the generated text, for search benchmarks. */
  queryPhrase: string;
}

export function generateContent(root: string, totalPages: number, downloadFile: string): GeneratedContent {
  const random = seededRandom(20261204);
  const words = (count: number) =>
    Array.from({ length: count }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(' ');
  const sentence = (count: number) => {
    const text = words(count);
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  const body = () =>
    Array.from(
      { length: 4 },
      (_, index) => `## Section ${index + 1}\n\n${sentence(40)} ${sentence(35)}\n\n${sentence(30)}\n`,
    ).join('\n');
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;

  let written = 0;
  for (const [collection, share] of Object.entries(mix)) {
    const directory = path.join(root, 'content', collection);
    mkdirSync(directory, { recursive: true });
    const count = Math.round(totalPages * share);

    for (let index = 0; index < count; index += 1) {
      const topic = pick(topicIds);
      const audience = pick(audienceIds);
      const title = `${sentence(6).slice(0, -1)} ${index}`;
      const frontMatter = frontMatterFor(collection, {
        title,
        topic,
        audience,
        index,
        summary: sentence(14),
        downloadFile,
      });
      writeFileSync(path.join(directory, `${collection}-${index}.mdx`), `---\n${frontMatter}\n---\n\n${body()}`);
      written += 1;
    }
  }

  return { pages: written, queryPhrase: 'near match worklist' };
}

interface EntryFields {
  title: string;
  topic: string;
  audience: string;
  index: number;
  summary: string;
  downloadFile: string;
}

function frontMatterFor(collection: string, fields: EntryFields): string {
  const { title, topic, audience, index, summary, downloadFile } = fields;
  const day = String((index % 28) + 1).padStart(2, '0');
  const common = [`title: "${title}"`, `audience: [${audience}]`];
  const person = '[{ role: "Data specialist", organization: "MSIX technical-assistance team" }]';

  switch (collection) {
    case 'faqs':
      return [
        `title: "${title}?"`,
        `topic: ${topic}`,
        `audience: [${audience}]`,
        `shortAnswer: "${summary}"`,
        'related: [{ title: "All FAQs", href: "/faqs/" }]',
        'updated: 2026-10-01',
      ].join('\n');
    case 'webinars':
      return [
        ...common,
        `date: 2025-05-${day}`,
        'durationMinutes: 60',
        `presenters: ${person}`,
        `topics: [${topic}]`,
        `summary: "${summary}"`,
        'agenda: ["Welcome", "Walk-through", "Questions"]',
        'takeaways: ["Check the record before enrolling.", "Ask the help desk when stuck."]',
      ].join('\n');
    case 'white-papers':
      return [
        ...common,
        `date: 2026-02-${day}`,
        `authors: ${person}`,
        `topics: [${topic}]`,
        `summary: "${summary}"`,
        'sources: [{ title: "MSIX regulations", citation: "34 CFR 200.81-200.89" }]',
      ].join('\n');
    case 'newsletters':
      return [
        ...common,
        `year: ${2000 + (index % 100)}`,
        `quarter: ${(index % 4) + 1}`,
        `date: 2026-01-${day}`,
        `summary: "${summary}"`,
        `topics: [${topic}]`,
      ].join('\n');
    case 'tools':
      return [
        ...common,
        'kind: checklist',
        `summary: "${summary}"`,
        `topics: [${topic}]`,
        `download: { file: ${downloadFile}, format: Text }`,
        'updated: 2026-10-01',
      ].join('\n');
    default:
      return [
        ...common,
        'kind: webinar',
        `start: 2027-03-${day}T14:00:00-05:00`,
        `end: 2027-03-${day}T15:00:00-05:00`,
        'location: Online',
        `topics: [${topic}]`,
        `summary: "${summary}"`,
      ].join('\n');
  }
}

/** Mulberry32: a small deterministic generator, enough for filler text. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
