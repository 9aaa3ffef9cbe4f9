import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { AppDatabase } from './client';

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Applies the committed drizzle-kit migrations that the database has not seen yet. */
export function applyMigrations(db: AppDatabase): void {
  migrate(db, { migrationsFolder });
}
