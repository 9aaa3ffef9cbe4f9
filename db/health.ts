import type Database from 'better-sqlite3';

export interface DatabaseStatus {
  ok: boolean;
  migrationsApplied: number;
  journalMode: string;
  error?: string;
}

/** Runs a trivial query and reads the migration count, for the health endpoint. */
export function checkDatabase(sqlite: Database.Database): DatabaseStatus {
  try {
    sqlite.prepare('SELECT 1').get();
    const migrations = sqlite.prepare('SELECT count(*) AS count FROM __drizzle_migrations').get() as { count: number };
    const journalMode = sqlite.pragma('journal_mode', { simple: true }) as string;
    return { ok: true, migrationsApplied: migrations.count, journalMode };
  } catch (error) {
    return { ok: false, migrationsApplied: 0, journalMode: 'unknown', error: (error as Error).message };
  }
}
