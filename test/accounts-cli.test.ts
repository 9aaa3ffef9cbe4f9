import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createApp } from '../api/app';
import { loadConfig } from '../api/config';
import { createMailQueue } from '../api/shared/mail-queue';
import pino from 'pino';
import { openDatabase } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { people } from '../db/schema';
import { sendJson, testPassword } from './helpers/accounts';
import { distDirectory, rootDirectory } from './helpers/constants';

const directory = mkdtempSync(path.join(tmpdir(), 'msix-cli-'));
const databasePath = path.join(directory, 'cli.sqlite');

afterAll(() => rmSync(directory, { recursive: true, force: true }));

function runAccounts(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [path.join(rootDirectory, 'node_modules/tsx/dist/cli.mjs'), 'api/cli/accounts.ts', ...args],
    {
      cwd: rootDirectory,
      env: { ...process.env, DATABASE_PATH: databasePath, SITE_URL: 'https://portal.example.org' },
      encoding: 'utf8',
    },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('accounts command', () => {
  test('a new database has no account at all', () => {
    const database = openDatabase(path.join(directory, 'empty.sqlite'));
    applyMigrations(database.db);

    expect(database.db.select().from(people).all()).toEqual([]);
    database.close();
  });

  test('creates the first admin and prints a link that sets the password', async () => {
    const result = runAccounts('create-admin', '--email', 'Program.Lead@ed.example.gov', '--name', 'Program Lead');
    const token = /https:\/\/portal\.example\.org\/invitation\/#token=([A-Za-z0-9_-]+)/.exec(result.output)?.[1];

    const database = openDatabase(databasePath);
    const config = {
      ...loadConfig({}),
      siteUrl: 'https://portal.example.org',
      mailboxDirectory: path.join(directory, 'mailbox'),
    };
    const app = createApp({
      database,
      logger: pino({ level: 'silent' }),
      clock: () => new Date(),
      config,
      mail: createMailQueue(config),
      linkSecret: 'test-link-secret-that-is-long-enough-0123456789',
      distDirectory,
      buildState: { upToDate: true },
    });
    const accepted = await sendJson(app, 'POST', '/api/auth/invitations/accept', {
      body: { token, password: `${testPassword} admin` },
    });
    const signIn = await sendJson(app, 'POST', '/api/auth/sign-in', {
      body: { email: 'program.lead@ed.example.gov', password: `${testPassword} admin` },
    });
    const body = (await signIn.json()) as { person: { role: string } };
    database.close();

    expect(result.status).toBe(0);
    expect(token).toBeDefined();
    expect(accepted.status).toBe(200);
    expect(signIn.status).toBe(200);
    expect(body.person.role).toBe('admin');
  });

  test('refuses an address that already has an account', () => {
    const result = runAccounts('create-admin', '--email', 'program.lead@ed.example.gov', '--name', 'Someone Else');

    expect(result.status).toBe(1);
    expect(result.output).toContain('program.lead@ed.example.gov already has an account');
  });

  test('explains a missing or invalid option', () => {
    const missing = runAccounts('create-admin', '--email', 'x@ed.example.gov');
    const invalid = runAccounts('create-admin', '--email', 'not-an-address', '--name', 'Some Name');
    const unknown = runAccounts('make-admin');

    expect(missing.status).toBe(2);
    expect(missing.output).toContain('--name is required.');
    expect(invalid.output).toContain('--email must be a valid email address');
    expect(unknown.output).toContain('Usage: npm run accounts -- create-admin --email ADDRESS --name "FULL NAME"');
  });
});
