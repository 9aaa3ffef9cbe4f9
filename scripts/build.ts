/** `npm run build`: checks content, builds the static site and its search index into dist/. */
import { buildSite, SiteBuildError } from './lib/site-build';

const siteUrl = process.env.SITE_URL || 'http://localhost:4321';

try {
  const info = await buildSite({ root: process.cwd(), siteUrl, log: (message) => console.log(message) });
  console.log(`Built ${info.pages} pages into dist/.`);
} catch (error) {
  if (!(error instanceof SiteBuildError)) throw error;
  console.error(error.message);
  process.exit(1);
}
