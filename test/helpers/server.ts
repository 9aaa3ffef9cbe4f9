/** Starts the real application on 127.0.0.1 with a temporary SQLite file. */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll } from 'vitest';
import pino from 'pino';
import { createApp, type AppDependencies } from '../../api/app';
import type { Clock } from '../../api/shared/clock';
import { createMailQueue } from '../../api/shared/mail-queue';
import { openDatabase, type DatabaseHandle } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import { distDirectory } from './constants';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  database: DatabaseHandle;
  config: AppDependencies['config'];
  /** Temporary folder holding the database and the mailbox. */
  directory: string;
  cleanup: () => void;
}

export interface TestAppOptions {
  dist?: string;
  clock?: Clock;
  siteUrl?: string;
  businessHours?: string;
}

export function createTestApp(options: TestAppOptions = {}): TestApp {
  const directory = mkdtempSync(path.join(tmpdir(), 'msix-assist-test-'));
  const database = openDatabase(path.join(directory, 'test.sqlite'));
  applyMigrations(database.db);
  const config = {
    siteUrl: options.siteUrl ?? 'http://localhost:4321',
    mailFrom: 'MSIX Assist <no-reply@msix-assist.test>',
    mailboxDirectory: path.join(directory, 'mailbox'),
    smtpUrl: undefined,
    mailRatePerSecond: 1000,
    mailRatePerDay: 10_000_000,
    postalAddress:
      'Office of Migrant Education, U.S. Department of Education, 400 Maryland Avenue SW, Washington, DC 20202',
    supportAddress: 'MSIX Assist Support <support@msix-assist.test>',
    attachmentsDirectory: path.join(directory, 'attachments'),
    uploadsDirectory: path.join(directory, 'uploads'),
    businessHours: options.businessHours ?? 'Mon-Fri 08:00-17:00',
  };
  const app = createApp({
    database,
    logger: pino({ level: 'silent' }),
    clock: options.clock ?? (() => new Date()),
    config,
    mail: createMailQueue(config),
    linkSecret: 'test-link-secret-that-is-long-enough-0123456789',
    distDirectory: options.dist ?? distDirectory,
    buildState: { upToDate: true },
  });

  return {
    app,
    database,
    config,
    directory,
    cleanup: () => {
      database.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export interface RunningServer {
  url: string;
  testApp: TestApp;
  close: () => Promise<void>;
}

export async function startTestServer(options: TestAppOptions = {}): Promise<RunningServer> {
  const testApp = createTestApp(options);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: testApp.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    testApp,
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

/**
 * Starts a server for one describe block and closes it afterwards. Each block
 * gets its own database, so the per-IP throttles (every browser request comes
 * from 127.0.0.1) start at zero.
 */
export function useServer(options: TestAppOptions = {}): { get: () => RunningServer } {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(options);
  });
  afterAll(async () => {
    await server?.close();
  });
  return {
    get: () => {
      if (!server) throw new Error('the test server has not started');
      return server;
    },
  };
}
