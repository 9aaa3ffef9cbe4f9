/**
 * The static build: content check, Astro build, pagefind index, then
 * dist/build-info.json with the fingerprint of the inputs.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as pagefind from 'pagefind';
import { buildInfoFile, computeFingerprint, type BuildInfo } from './build-fingerprint';
import { checkContent } from './content-check';

export interface SiteBuildOptions {
  root: string;
  siteUrl: string;
  log: (message: string) => void;
}

export class SiteBuildError extends Error {
  override name = 'SiteBuildError';
}

export async function buildSite({ root, siteUrl, log }: SiteBuildOptions): Promise<BuildInfo> {
  const report = checkContent(root);
  if (report.problems.length > 0) {
    throw new SiteBuildError(`Content check failed:\n${report.problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }

  const fingerprint = computeFingerprint(root, siteUrl);
  log(`Building the site from ${report.entries.length} content entries…`);
  const astro = spawnSync(process.execPath, [path.join(root, 'node_modules/astro/astro.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SITE_URL: siteUrl, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  if (astro.status !== 0)
    throw new SiteBuildError(`astro build failed with exit code ${astro.status}; see its output above.`);

  const distDirectory = path.join(root, 'dist');
  const pages = await indexSite(distDirectory, log);
  const info: BuildInfo = { fingerprint, builtAt: new Date().toISOString(), pages, siteUrl };
  writeFileSync(path.join(distDirectory, buildInfoFile), `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

export async function indexSite(distDirectory: string, log: (message: string) => void): Promise<number> {
  const { index, errors } = await pagefind.createIndex({});
  if (!index) throw new SiteBuildError(`pagefind could not start: ${errors.join('; ')}`);

  const added = await index.addDirectory({ path: distDirectory });
  if (added.errors.length > 0)
    throw new SiteBuildError(`pagefind failed to index ${distDirectory}: ${added.errors.join('; ')}`);
  const written = await index.writeFiles({ outputPath: path.join(distDirectory, 'pagefind') });
  if (written.errors.length > 0)
    throw new SiteBuildError(`pagefind failed to write its index: ${written.errors.join('; ')}`);
  await pagefind.close();

  log(`Indexed ${added.page_count} pages for search.`);
  return countHtmlPages(distDirectory);
}

function countHtmlPages(directory: string): number {
  let count = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== 'pagefind') count += countHtmlPages(path.join(directory, entry.name));
    else if (entry.isFile() && entry.name.endsWith('.html')) count += 1;
  }
  return count;
}
