/** Opens the SQLite database with the settings every process of the product uses. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema';

export type AppDatabase = BetterSQLite3Database<typeof schema>;

export interface DatabaseHandle {
  sqlite: Database.Database;
  db: AppDatabase;
  close: () => void;
}

/** Milliseconds a writer waits for another connection's lock before SQLITE_BUSY. */
const busyTimeoutMs = 5000;

export function openDatabase(file: string): DatabaseHandle {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  // The records search reads scattered index pages. A 64 MiB page cache and memory-mapped reads
  // (up to 1 GiB of the file) spare it most read system calls, and both take memory only as it is used.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 1073741824');

  const db = drizzle(sqlite, { schema });
  return { sqlite, db, close: () => sqlite.close() };
}
