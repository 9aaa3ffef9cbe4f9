import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { backupDatabase, BackupError } from '../db/backup';
import { openDatabase, type DatabaseHandle } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { appMeta } from '../db/schema';

describe('database', () => {
  let directory: string;
  let handle: DatabaseHandle;

  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), 'msix-db-'));
    handle = openDatabase(path.join(directory, 'nested', 'app.sqlite'));
    applyMigrations(handle.db);
  });

  afterEach(() => {
    handle.close();
    rmSync(directory, { recursive: true, force: true });
  });

  test('opens in WAL mode with foreign keys and a busy timeout', () => {
    expect(handle.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(handle.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(handle.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  test('applies migrations once', () => {
    applyMigrations(handle.db);
    const count = handle.sqlite.prepare('SELECT count(*) AS count FROM __drizzle_migrations').get() as {
      count: number;
    };

    expect(count.count).toBe(17);
  });

  test('backs up a live database and checks the copy', async () => {
    handle.db
      .insert(appMeta)
      .values({ key: 'installed_at', value: '2026-12-04', updatedAt: '2026-12-04T00:00:00Z' })
      .run();
    const target = path.join(directory, 'backups', 'copy.sqlite');

    const result = await backupDatabase(handle.sqlite, target);
    const copy = new Database(target, { readonly: true });
    const row = copy.prepare('SELECT value FROM app_meta WHERE key = ?').get('installed_at') as { value: string };
    copy.close();

    expect(result.integrity).toBe('ok');
    expect(existsSync(`${target}-wal`)).toBe(false);
    expect(existsSync(`${target}-shm`)).toBe(false);
    expect(result.bytes).toBeGreaterThan(0);
    expect(row.value).toBe('2026-12-04');
  });

  test('refuses to overwrite an existing backup', async () => {
    const target = path.join(directory, 'copy.sqlite');
    await backupDatabase(handle.sqlite, target);

    await expect(backupDatabase(handle.sqlite, target)).rejects.toThrow(BackupError);
  });
});
