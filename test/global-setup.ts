/**
 * Builds dist/ once before the tests when it is missing or older than its
 * sources. A lock folder keeps two test runs on one checkout from building
 * into dist/ at the same time. SKIP_SITE_BUILD=1 skips the build.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { computeFingerprint, readBuildInfo } from '../scripts/lib/build-fingerprint';
import { buildSite } from '../scripts/lib/site-build';
import { testSiteUrl } from './helpers/constants';

const lockPath = `${process.cwd()}/.build-lock`;
/** A lock older than this is left over from a run that was killed. */
const staleLockMs = 10 * 60_000;

export default async function setup(): Promise<void> {
  // For API-only test runs while the site is being edited; page tests need the build.
  if (process.env.SKIP_SITE_BUILD === '1') return;
  const root = process.cwd();
  await acquireLock();
  try {
    const info = readBuildInfo(`${root}/dist`);
    if (info?.fingerprint === computeFingerprint(root, testSiteUrl)) return;
    await buildSite({ root, siteUrl: testSiteUrl, log: (message) => console.log(`[build] ${message}`) });
  } finally {
    rmSync(lockPath, { recursive: true, force: true });
  }
}

async function acquireLock(): Promise<void> {
  for (;;) {
    try {
      mkdirSync(lockPath);
      return;
    } catch {
      const lock = statSync(lockPath, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > staleLockMs) rmSync(lockPath, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
