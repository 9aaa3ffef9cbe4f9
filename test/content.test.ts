import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkContent, type ContentEntry } from '../scripts/lib/content-check';
import { rootDirectory } from './helpers/constants';

describe('content in the repository', () => {
  const report = checkContent(rootDirectory);
  const entriesOf = (collection: ContentEntry['collection']) =>
    report.entries.filter((entry) => entry.collection === collection);

  test('passes the content check', () => {
    expect(report.problems).toEqual([]);
  });

  test('has at least 40 FAQs in at least 6 topics', () => {
    const faqs = entriesOf('faqs');
    const topics = new Set(faqs.map((faq) => faq.data.topic));

    expect(faqs.length).toBeGreaterThanOrEqual(40);
    expect(topics.size).toBeGreaterThanOrEqual(6);
  });

  test('covers each required FAQ topic', () => {
    const topics = new Set(entriesOf('faqs').map((faq) => faq.data.topic));
    const required = [
      'accounts',
      'finding-a-child',
      'consolidated-record',
      'submitting-data',
      'data-quality',
      'move-notices',
      'privacy-security',
      'reports',
    ];

    for (const topic of required) expect(topics, `FAQ topic ${topic}`).toContain(topic);
  });

  test('has at least 8 archived webinars, all in the past', () => {
    const webinars = entriesOf('webinars');

    expect(webinars.length).toBeGreaterThanOrEqual(8);
    for (const webinar of webinars)
      expect((webinar.data.date as Date).getTime(), webinar.file).toBeLessThan(Date.parse('2026-12-04'));
  });

  test('has at least 4 white papers, each naming sources', () => {
    const papers = entriesOf('white-papers');

    expect(papers.length).toBeGreaterThanOrEqual(4);
    for (const paper of papers) expect((paper.data.sources as unknown[]).length, paper.file).toBeGreaterThan(0);
  });

  test('has 4 quarterly newsletters in different quarters', () => {
    const issues = entriesOf('newsletters');
    const quarters = new Set(issues.map((issue) => `${issue.data.year}-Q${issue.data.quarter}`));

    expect(issues.length).toBeGreaterThanOrEqual(4);
    expect(quarters.size).toBe(issues.length);
  });

  test('has at least 8 TA tools with distinct download files', () => {
    const tools = entriesOf('tools');
    const files = new Set(tools.map((tool) => (tool.data.download as { file: string }).file));

    expect(tools.length).toBeGreaterThanOrEqual(8);
    expect(files.size).toBe(tools.length);
  });

  test('lists upcoming webinars and other events', () => {
    const events = entriesOf('events');
    const upcomingWebinars = events.filter(
      (event) => event.data.kind === 'webinar' && (event.data.start as Date).getTime() > Date.parse('2026-12-04'),
    );

    expect(events.length).toBeGreaterThanOrEqual(4);
    expect(upcomingWebinars.length).toBeGreaterThanOrEqual(1);
    expect(new Set(events.map((event) => event.data.kind)).size).toBeGreaterThanOrEqual(2);
  });

  test('never states the unverified day counts of 34 CFR 200.85', () => {
    const dayCount = /\b(10|ten|30|thirty|4|four) (working|calendar|business) days\b/i;

    for (const entry of report.entries) expect(entry.body, entry.file).not.toMatch(dayCount);
  });
});

describe('content check on a bad file', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'msix-content-'));
    cpSync(path.join(rootDirectory, 'content'), path.join(root, 'content'), { recursive: true });
    cpSync(path.join(rootDirectory, 'site/public/downloads'), path.join(root, 'site/public/downloads'), {
      recursive: true,
    });
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function writeFaq(name: string, frontMatter: string, body = 'Detail text.\n'): void {
    writeFileSync(path.join(root, 'content/faqs', name), `---\n${frontMatter}\n---\n\n${body}`);
  }

  test('names the file, field and allowed topics', () => {
    writeFaq(
      'bad-topic.mdx',
      [
        'title: "Can I log in from home?"',
        'topic: logins',
        'audience: [school-staff]',
        'shortAnswer: "Yes, from any computer your agency allows for official work."',
        'related: [{ title: "FAQs", href: "/faqs/" }]',
        'updated: 2026-10-01',
      ].join('\n'),
    );

    const problems = checkContent(root).problems.filter((problem) => problem.includes('bad-topic.mdx'));

    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('content/faqs/bad-topic.mdx');
    expect(problems[0]).toContain('field "topic" is "logins"');
    expect(problems[0]).toContain('finding-a-child');
    rmSync(path.join(root, 'content/faqs/bad-topic.mdx'));
  });

  test('reports a missing required field and an unknown one', () => {
    writeFaq(
      'missing-answer.mdx',
      [
        'title: "Who approves my account?"',
        'topic: accounts',
        'audience: [school-staff]',
        'related: [{ title: "FAQs", href: "/faqs/" }]',
        'updated: 2026-10-01',
        'author: Somebody',
      ].join('\n'),
    );

    const problems = checkContent(root).problems.filter((problem) => problem.includes('missing-answer.mdx'));

    expect(problems).toContain(
      'content/faqs/missing-answer.mdx: field "shortAnswer" is missing; it is required (expected string).',
    );
    expect(problems.some((problem) => problem.includes('unknown field(s) "author"'))).toBe(true);
    rmSync(path.join(root, 'content/faqs/missing-answer.mdx'));
  });

  test('reports YAML that does not parse', () => {
    writeFaq('broken-yaml.mdx', 'title: "Unclosed\ntopic: [accounts');

    const problems = checkContent(root).problems.filter((problem) => problem.includes('broken-yaml.mdx'));

    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('front matter is not valid YAML');
    rmSync(path.join(root, 'content/faqs/broken-yaml.mdx'));
  });

  test('reports a download that does not ship', () => {
    rmSync(path.join(root, 'site/public/downloads/enrollment-checklist.txt'));

    const problems = checkContent(root).problems;

    expect(problems).toContain(
      'content/tools/enrollment-checklist.mdx: download "enrollment-checklist.txt" does not exist; add it to site/public/downloads/ or remove the reference.',
    );
  });

  test('reports a newsletter without its technical tip', () => {
    const file = path.join(root, 'content/newsletters/bad-issue.mdx');
    writeFileSync(
      file,
      [
        '---',
        'title: "Test issue"',
        'year: 2027',
        'quarter: 1',
        'date: 2027-01-15',
        'summary: "An issue written only to check that the content check finds a missing section."',
        'topics: [data-quality]',
        'audience: [state-coordinators]',
        '---',
        '',
        '## Success story: A test',
        '',
        'Text.',
        '',
        '## Best practice: A test',
        '',
        'Text.',
        '',
      ].join('\n'),
    );

    const problems = checkContent(root).problems.filter((problem) => problem.includes('bad-issue.mdx'));

    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('## Technical tip:');
    rmSync(file);
  });
});
