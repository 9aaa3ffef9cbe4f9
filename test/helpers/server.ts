/** Starts the real application on 127.0.0.1 with a temporary SQLite file. */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { createApp } from '../../api/app';
import { openDatabase, type DatabaseHandle } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import { distDirectory } from './constants';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  database: DatabaseHandle;
  cleanup: () => void;
}

export function createTestApp(options: { dist?: string } = {}): TestApp {
  const directory = mkdtempSync(path.join(tmpdir(), 'msix-assist-test-'));
  const database = openDatabase(path.join(directory, 'test.sqlite'));
  applyMigrations(database.db);
  const app = createApp({
    database,
    logger: pino({ level: 'silent' }),
    distDirectory: options.dist ?? distDirectory,
    buildState: { upToDate: true },
  });

  return {
    app,
    database,
    cleanup: () => {
      database.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export interface RunningServer {
  url: string;
  close: () => Promise<void>;
}

export async function startTestServer(): Promise<RunningServer> {
  const testApp = createTestApp();
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: testApp.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          testApp.cleanup();
          resolve();
        });
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
