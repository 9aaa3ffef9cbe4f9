/**
 * Serves the static build in dist/: long-lived caching for content-hashed
 * files, revalidation for everything else, directory paths redirected to
 * their trailing-slash form, and the site's own 404 page.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app';

const oneYearSeconds = 31_536_000;

/** Content types the site uses that are not in Hono's default table, or need a charset. */
const contentTypes: Record<string, string> = {
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  pf_meta: 'application/octet-stream',
  pf_index: 'application/octet-stream',
  pf_fragment: 'application/octet-stream',
  pagefind: 'application/octet-stream',
  wasm: 'application/wasm',
};

export function mountSite(app: Hono<AppEnv>, distDirectory: string): void {
  const notFoundPage = path.join(distDirectory, '404.html');

  app.use('*', setCacheHeaders());
  app.use('*', redirectDirectoryPaths(distDirectory));
  app.use(
    '*',
    serveStatic({
      root: path.relative(process.cwd(), distDirectory) || '.',
      onFound: (file, c) => {
        const type = contentTypes[path.extname(file).slice(1)];
        if (type) c.header('Content-Type', type);
      },
    }),
  );

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/')) {
      return c.json(
        { error: { code: 'not_found', message: 'No such API route.', requestId: c.get('requestId') } },
        404,
      );
    }
    if (!existsSync(notFoundPage)) return c.text('Page not found.', 404);
    c.header('Cache-Control', 'no-cache');
    return c.body(readFileSync(notFoundPage, 'utf8'), 404, { 'Content-Type': 'text/html; charset=utf-8' });
  });
}

function setCacheHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.res.status !== 200 || c.req.path.startsWith('/api/')) return;

    if (isContentHashed(c.req.path)) {
      c.header('Cache-Control', `public, max-age=${oneYearSeconds}, immutable`);
    } else {
      c.header('Cache-Control', 'public, max-age=0, must-revalidate');
    }
    if (c.req.path.startsWith('/downloads/')) {
      c.header('Content-Disposition', `attachment; filename="${path.posix.basename(c.req.path)}"`);
    }
  };
}

/** Astro's /_astro/ bundles and pagefind's fragment, index and wasm files carry a content hash in their names. */
function isContentHashed(requestPath: string): boolean {
  if (requestPath.startsWith('/_astro/')) return true;
  return /^\/pagefind\/(fragment|index)\/.+|^\/pagefind\/.+\.(pf_meta|pagefind)$/.test(requestPath);
}

function redirectDirectoryPaths(distDirectory: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const requestPath = c.req.path;
    if (requestPath.endsWith('/') || path.posix.extname(requestPath) !== '' || requestPath.startsWith('/api/'))
      return next();

    const candidate = path.join(distDirectory, path.posix.normalize(requestPath), 'index.html');
    if (!candidate.startsWith(distDirectory) || !isFile(candidate)) return next();

    const url = new URL(c.req.url);
    return c.redirect(`${requestPath}/${url.search}`, 301);
  };
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
