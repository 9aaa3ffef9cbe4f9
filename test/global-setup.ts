/** Builds dist/ once before the tests when it is missing or older than its sources. */
import { computeFingerprint, readBuildInfo } from '../scripts/lib/build-fingerprint';
import { buildSite } from '../scripts/lib/site-build';
import { testSiteUrl } from './helpers/constants';

export default async function setup(): Promise<void> {
  const root = process.cwd();
  const info = readBuildInfo(`${root}/dist`);
  if (info?.fingerprint === computeFingerprint(root, testSiteUrl)) return;

  await buildSite({ root, siteUrl: testSiteUrl, log: (message) => console.log(`[build] ${message}`) });
}
