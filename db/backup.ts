/** Online backup of the SQLite database, followed by an integrity check of the copy. */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export interface BackupResult {
  target: string;
  bytes: number;
  integrity: 'ok';
}

export class BackupError extends Error {
  override name = 'BackupError';
}

/**
 * Copies the live database page by page with SQLite's backup API, so writers
 * keep working during the copy, then opens the copy read-only and runs
 * `PRAGMA integrity_check`.
 */
export async function backupDatabase(source: Database.Database, target: string): Promise<BackupResult> {
  if (existsSync(target)) throw new BackupError(`Backup target ${target} already exists; choose a new file name.`);
  mkdirSync(path.dirname(path.resolve(target)), { recursive: true });

  const { totalPages } = await source.backup(target);
  const copy = new Database(target, { fileMustExist: true });
  try {
    // The copy inherits WAL mode; a rollback journal keeps the backup a single self-contained file.
    copy.pragma('journal_mode = DELETE');
    const rows = copy.pragma('integrity_check') as { integrity_check: string }[];
    const problems = rows.map((row) => row.integrity_check).filter((result) => result !== 'ok');
    if (problems.length > 0)
      throw new BackupError(`Integrity check of ${target} failed: ${problems.slice(0, 5).join('; ')}`);

    const pageSize = copy.pragma('page_size', { simple: true }) as number;
    return { target, bytes: totalPages * pageSize, integrity: 'ok' };
  } finally {
    copy.close();
  }
}
