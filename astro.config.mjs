// @ts-check
import { fileURLToPath } from 'node:url';
import mdx from '@astrojs/mdx';
import sitemap from '@astrojs/sitemap';
import { defineConfig } from 'astro/config';

const uswdsImages = fileURLToPath(new URL('./node_modules/@uswds/uswds/dist/img', import.meta.url));
const uswdsPackages = fileURLToPath(new URL('./node_modules/@uswds/uswds/packages', import.meta.url));

// The public address is baked into the sitemap, RSS and canonical links.
const siteUrl = process.env.SITE_URL || 'http://localhost:4321';

// Account, console, plan, help desk, records and signed-in dashboard pages serve people with an account or a link, not searchers, so the sitemap leaves them out.
const pathsLeftOutOfSitemap = [
  '/sign-in/',
  '/invitation/',
  '/reset-password/',
  '/account/',
  '/rules-of-behavior/',
  '/console/',
  '/plans/',
  '/newsletters/preferences/',
  '/events/cancel/',
  '/desk/',
  '/records/',
  '/support/tickets/',
  '/support/ticket/',
  '/support/confirm/',
  '/support/survey/',
  '/support/phone/',
  '/dashboard/national/',
  '/dashboard/states/',
  '/dashboard/compare/',
  '/dashboard/flows/',
];

/** @param {string} page the page's absolute address */
function isInSitemap(page) {
  const { pathname } = new URL(page);
  return !pathsLeftOutOfSitemap.some((path) => pathname.startsWith(path));
}

export default defineConfig({
  site: siteUrl,
  srcDir: './site',
  publicDir: './site/public',
  outDir: './dist',
  output: 'static',
  build: { format: 'directory' },
  integrations: [mdx(), sitemap({ filter: isInSitemap })],
  vite: {
    resolve: {
      alias: { '~uswds-img': uswdsImages },
    },
    css: {
      preprocessorOptions: {
        scss: { loadPaths: [uswdsPackages], quietDeps: true, silenceDeprecations: ['import', 'global-builtin'] },
      },
    },
    build: {
      // Keep every script and image a separate file so the pages run under a
      // Content-Security-Policy without 'unsafe-inline'.
      assetsInlineLimit: 0,
    },
  },
});
