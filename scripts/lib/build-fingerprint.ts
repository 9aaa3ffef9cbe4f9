/**
 * Fingerprint of everything the static build depends on. `npm start` rebuilds
 * when the fingerprint stored in dist/build-info.json differs, and
 * /api/health reports a stale build the same way.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Sources of the static build, including the API modules that pages import at build time. */
const inputs = [
  'site',
  'content',
  'astro.config.mjs',
  'package-lock.json',
  'api/auth/rules-of-behavior.ts',
  'api/shared/states.ts',
];

export const buildInfoFile = 'build-info.json';

export interface BuildInfo {
  fingerprint: string;
  builtAt: string;
  pages: number;
  siteUrl: string;
}

export function computeFingerprint(root: string, siteUrl: string): string {
  const hash = createHash('sha256');
  hash.update(`SITE_URL=${siteUrl}\n`);
  for (const input of inputs) {
    for (const file of listFiles(root, input)) {
      hash.update(`${file}\n`);
      hash.update(readFileSync(path.join(root, file)));
    }
  }
  return hash.digest('hex');
}

export function readBuildInfo(distDirectory: string): BuildInfo | undefined {
  const file = path.join(distDirectory, buildInfoFile);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BuildInfo;
  } catch {
    return undefined;
  }
}

function listFiles(root: string, relative: string): string[] {
  const absolute = path.join(root, relative);
  if (!existsSync(absolute)) return [];
  if (statSync(absolute).isFile()) return [relative];

  const files: string[] = [];
  for (const entry of readdirSync(absolute, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const child = path.posix.join(relative, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(root, child));
    else if (entry.isFile()) files.push(child);
  }
  return files;
}
