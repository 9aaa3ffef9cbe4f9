/**
 * `npm run db:backup -- [target-file]`: backs up the database at DATABASE_PATH
 * (default data/msix-assist.sqlite) while the server may keep running.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BackupError, backupDatabase } from './backup';
import { openDatabase } from './client';
import { defaultDatabasePath } from './defaults';

const source = process.env.DATABASE_PATH || defaultDatabasePath;
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const target = process.argv[2] ?? path.join(path.dirname(source), 'backups', `msix-assist-${stamp}.sqlite`);

if (!existsSync(source)) {
  console.error(
    `No database at ${source}. Set DATABASE_PATH to the database file, or run npm start once to create it.`,
  );
  process.exit(1);
}

const handle = openDatabase(source);
try {
  const result = await backupDatabase(handle.sqlite, target);
  console.log(`Backup written to ${result.target} (${result.bytes} bytes); integrity check: ${result.integrity}.`);
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  handle.close();
}
