/**
 * `npm run bench -- site`: build and search-index cost of the portal.
 *
 * Builds three projects in one run: the real content with the real site, a
 * generated content set with the real site, and the same generated set with a
 * minimal Astro site (one bare layout, MDX only) as the baseline. Measures build
 * time per page, pagefind indexing time, index bytes per page, and the bytes
 * Chromium fetches from /pagefind/ for one cold query.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { createApp } from '../../api/app';
import { loadConfig } from '../../api/config';
import { createMailQueue } from '../../api/shared/mail-queue';
import { openDatabase } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import { launchChromium } from '../../test/helpers/browser';
import { indexSite } from '../lib/site-build';
import { generateContent } from './generate-content';

export interface SiteBuildFigures {
  label: string;
  pages: number;
  buildSeconds: number;
  buildMsPerPage: number;
  indexSeconds: number;
  indexBytes: number;
  indexBytesPerPage: number;
  coldQueryBytes: number | null;
}

const root = process.cwd();
const workDirectory = path.join(root, 'bench-work', 'site');
const generatedPages = Number(process.env.BENCH_SITE_PAGES || 5000);

export async function benchSite(log: (message: string) => void): Promise<SiteBuildFigures[]> {
  rmSync(workDirectory, { recursive: true, force: true });
  mkdirSync(workDirectory, { recursive: true });

  const real = prepareProject('real', { copyContent: true });
  const full = prepareProject('generated-full', { copyContent: false });
  const minimal = prepareMinimalProject('generated-minimal');
  const generated = generateContent(full, generatedPages, 'enrollment-checklist.txt');
  cpSync(path.join(full, 'content'), path.join(minimal, 'content'), { recursive: true });
  log(`Generated ${generated.pages} pages of synthetic content.`);

  const figures: SiteBuildFigures[] = [];
  figures.push(await measure('Real content, portal site', real, 'partial credit', log));
  figures.push(await measure(`${generated.pages} generated pages, portal site`, full, generated.queryPhrase, log));
  figures.push(await measure(`${generated.pages} generated pages, minimal Astro site (baseline)`, minimal, null, log));
  return figures;
}

async function measure(
  label: string,
  projectDirectory: string,
  query: string | null,
  log: (message: string) => void,
): Promise<SiteBuildFigures> {
  log(`Building: ${label}…`);
  const started = performance.now();
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/astro/astro.js'), 'build'], {
    cwd: projectDirectory,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', SITE_URL: 'http://localhost:4321' },
  });
  if (result.status !== 0) throw new Error(`astro build failed for ${label} with exit code ${result.status}`);
  const buildSeconds = (performance.now() - started) / 1000;

  const distDirectory = path.join(projectDirectory, 'dist');
  const indexStarted = performance.now();
  await indexSite(distDirectory, () => {});
  const indexSeconds = (performance.now() - indexStarted) / 1000;

  const pages = countPages(distDirectory);
  const indexBytes = directoryBytes(path.join(distDirectory, 'pagefind'));
  const coldQueryBytes = query ? await measureColdQuery(distDirectory, query) : null;

  return {
    label,
    pages,
    buildSeconds: round(buildSeconds, 2),
    buildMsPerPage: round((buildSeconds * 1000) / pages, 2),
    indexSeconds: round(indexSeconds, 2),
    indexBytes,
    indexBytesPerPage: Math.round(indexBytes / pages),
    coldQueryBytes,
  };
}

/** Copies the site sources into a work folder, links node_modules and copies the real content when asked. */
function prepareProject(name: string, options: { copyContent: boolean }): string {
  const directory = path.join(workDirectory, name);
  mkdirSync(directory, { recursive: true });
  for (const item of ['site', 'astro.config.mjs', 'tsconfig.json', 'package.json']) {
    cpSync(path.join(root, item), path.join(directory, item), { recursive: true });
  }
  if (options.copyContent) cpSync(path.join(root, 'content'), path.join(directory, 'content'), { recursive: true });
  symlinkSync(path.join(root, 'node_modules'), path.join(directory, 'node_modules'), 'dir');
  return directory;
}

/** Writes the baseline project: the same collections through one bare layout, without the design system or search UI. */
function prepareMinimalProject(name: string): string {
  const directory = path.join(workDirectory, name);
  const source = path.join(directory, 'src');
  mkdirSync(path.join(source, 'pages', '[collection]'), { recursive: true });
  symlinkSync(path.join(root, 'node_modules'), path.join(directory, 'node_modules'), 'dir');
  writeFileSync(path.join(directory, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(
    path.join(directory, 'astro.config.mjs'),
    "import mdx from '@astrojs/mdx';\nimport { defineConfig } from 'astro/config';\nexport default defineConfig({ integrations: [mdx()] });\n",
  );

  const collections = ['faqs', 'webinars', 'white-papers', 'newsletters', 'tools', 'events'];
  writeFileSync(
    path.join(source, 'content.config.ts'),
    [
      "import { glob } from 'astro/loaders';",
      "import { defineCollection } from 'astro:content';",
      'export const collections = {',
      ...collections.map(
        (collection) =>
          `  '${collection}': defineCollection({ loader: glob({ pattern: '*.mdx', base: './content/${collection}' }) }),`,
      ),
      '};',
    ].join('\n'),
  );
  writeFileSync(
    path.join(source, 'pages', '[collection]', '[slug].astro'),
    [
      '---',
      "import { getCollection, render } from 'astro:content';",
      `const names = ${JSON.stringify(collections)};`,
      'export async function getStaticPaths() {',
      `  const names = ${JSON.stringify(collections)};`,
      '  const lists = await Promise.all(names.map(async (name) => (await getCollection(name)).map((entry) => ({ params: { collection: name, slug: entry.id }, props: { entry } }))));',
      '  return lists.flat();',
      '}',
      'const { entry } = Astro.props;',
      'const { Content } = await render(entry);',
      'void names;',
      '---',
      '<html lang="en"><head><meta charset="utf-8" /><title>{entry.data.title}</title></head>',
      '<body><main data-pagefind-body><h1>{entry.data.title}</h1><Content /></main></body></html>',
    ].join('\n'),
  );
  return directory;
}

async function measureColdQuery(distDirectory: string, query: string): Promise<number> {
  const database = openDatabase(':memory:');
  applyMigrations(database.db);
  const config = {
    ...loadConfig({}),
    siteUrl: 'http://localhost:4321',
    mailboxDirectory: path.join(workDirectory, 'mailbox'),
  };
  const app = createApp({
    database,
    logger: pino({ level: 'silent' }),
    clock: () => new Date(),
    config,
    mail: createMailQueue(config),
    linkSecret: 'benchmark-link-secret-that-is-long-enough-0123',
    distDirectory,
    buildState: { upToDate: true },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  const browser = await launchChromium();

  try {
    const page = await browser.newPage();
    const sizes: Promise<number>[] = [];
    page.on('requestfinished', (request) => {
      if (new URL(request.url()).pathname.startsWith('/pagefind/'))
        sizes.push(request.sizes().then((size) => size.responseBodySize + size.responseHeadersSize));
    });
    await page.goto(`http://127.0.0.1:${port}/search/?q=${encodeURIComponent(query)}`);
    await page.waitForFunction(
      () => /match/.test(document.querySelector('[data-search-status]')?.textContent ?? ''),
      undefined,
      { timeout: 60_000 },
    );
    await page.waitForLoadState('networkidle');
    return (await Promise.all(sizes)).reduce((sum, size) => sum + size, 0);
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
    database.close();
  }
}

function countPages(directory: string): number {
  let count = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== 'pagefind' && entry.name !== '_astro')
      count += countPages(path.join(directory, entry.name));
    else if (entry.isFile() && entry.name.endsWith('.html')) count += 1;
  }
  return count;
}

function directoryBytes(directory: string): number {
  let total = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const child = path.join(directory, entry.name);
    total += entry.isDirectory() ? directoryBytes(child) : statSync(child).size;
  }
  return total;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
