import type { Database } from 'better-sqlite3';
import type { AppDatabase } from '../../../db/client';

/**
 * Returns the better-sqlite3 connection behind a drizzle database. The search
 * runs prepared SQL on it directly because its queries pass id and key lists
 * through json_each, which drizzle's query builder does not express.
 * drizzle-orm 0.45 sets `$client` on every database it creates, but its
 * `BetterSQLite3Database` type does not declare it.
 */
export function connectionOf(db: AppDatabase): Database {
  return (db as AppDatabase & { $client: Database }).$client;
}
