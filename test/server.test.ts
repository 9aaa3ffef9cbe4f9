import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createTestApp } from './helpers/server';
import { distDirectory, rootDirectory } from './helpers/constants';

describe('server routes', () => {
  const { app, cleanup } = createTestApp();
  afterAll(cleanup);

  test('serves the home page as HTML that revalidates', async () => {
    const response = await app.request('/');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
    expect(await response.text()).toContain('MSIX Assist');
  });

  test('serves a FAQ page', async () => {
    const response = await app.request('/faqs/what-is-an-msix-id/');

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('MSIX ID');
  });

  test('redirects a directory path to its trailing slash', async () => {
    const response = await app.request('/faqs?topic=accounts');

    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/faqs/?topic=accounts');
  });

  test('caches hashed assets for a year', async () => {
    const stylesheet = readdirSync(path.join(distDirectory, '_astro')).find((name) => name.endsWith('.css'));
    const response = await app.request(`/_astro/${stylesheet}`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  test('serves scripts and the search index with their types', async () => {
    const script = await app.request('/pagefind/pagefind.js');
    const wasm = readdirSync(path.join(distDirectory, 'pagefind')).find((name) => name.endsWith('.pagefind'));
    const index = await app.request(`/pagefind/${wasm}`);

    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  test('serves a TA tool download as an attachment', async () => {
    const response = await app.request('/downloads/mde-crosswalk-template.csv');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="mde-crosswalk-template.csv"');
  });

  test('serves the RSS feed as XML', async () => {
    const response = await app.request('/newsletters/rss.xml');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
  });

  test('answers an unknown page with the site 404 page', async () => {
    const response = await app.request('/no-such-page/');

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('Page not found');
  });

  test('answers an unknown API route with a JSON error', async () => {
    const response = await app.request('/api/no-such-route');
    const body = (await response.json()) as { error: { code: string; requestId: string } };

    expect(response.status).toBe(404);
    expect(body.error.code).toBe('not_found');
    expect(body.error.requestId).toBe(response.headers.get('x-request-id'));
  });

  test('reports database and build status at /api/health', async () => {
    const response = await app.request('/api/health');
    const body = (await response.json()) as {
      status: string;
      database: { ok: boolean; migrationsApplied: number; journalMode: string };
      build: { present: boolean; pages: number };
    };

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(body.status).toBe('ok');
    expect(body.database).toEqual({ ok: true, migrationsApplied: 17, journalMode: 'wal' });
    expect(body.build.present).toBe(true);
    expect(body.build.pages).toBeGreaterThan(60);
  });

  test('sends security headers on every response', async () => {
    const response = await app.request('/');

    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('health without a build', () => {
  test('answers 503 when dist/ is missing', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'msix-empty-dist-'));
    const { app, cleanup } = createTestApp({ dist: empty });

    const response = await app.request('/api/health');
    const body = (await response.json()) as { status: string; build: { present: boolean } };

    expect(response.status).toBe(503);
    expect(body.status).toBe('unavailable');
    expect(body.build.present).toBe(false);
    cleanup();
    rmSync(empty, { recursive: true, force: true });
  });
});

describe('npm start process', () => {
  function startProcess(environment: Record<string, string>) {
    const child = spawn(process.execPath, [path.join(rootDirectory, 'node_modules/tsx/dist/cli.mjs'), 'api/start.ts'], {
      cwd: rootDirectory,
      env: { ...process.env, LOG_FORMAT: 'json', BUILD_ON_START: 'false', ...environment },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited, output: () => output };
  }

  test('rejects an invalid PORT with a message naming it', async () => {
    const started = startProcess({ PORT: 'eighty' });

    expect(await started.exited).toBe(1);
    expect(started.output()).toContain(
      'PORT is "eighty", which is not valid; expected a whole number from 0 to 65535 (0 picks any free port).',
    );
  });

  test('serves, then stops cleanly on SIGTERM', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'msix-start-'));
    const started = startProcess({ PORT: '0', DATABASE_PATH: path.join(directory, 'db.sqlite') });

    await waitFor(() => started.output().includes('MSIX Assist is running at'));
    const port = /localhost:(\d+)\//.exec(started.output())?.[1];
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    started.child.kill('SIGTERM');

    expect(health.status).toBe(200);
    expect(await started.exited).toBe(0);
    expect(started.output()).toContain('"msg":"stopped"');
    rmSync(directory, { recursive: true, force: true });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within the timeout');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
