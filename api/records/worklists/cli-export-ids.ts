/**
 * `npm run records -- export-ids --state XX`: writes the state's crosswalk
 * (state_student_id,msix_id) as CSV to standard output, one line per student
 * of the state that has a consolidated record, sorted by state student ID.
 * Uses the database at DATABASE_PATH.
 */
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../../db/client';
import { applyMigrations } from '../../../db/migrate';
import { ConfigError, loadConfig } from '../../config';
import { stateCodes } from '../../shared/states';
import { crosswalkHeader, iterateCrosswalkLines } from './export-ids';

const usage = 'Usage: npm run records -- export-ids --state XX   (XX: the USPS code of the state, such as TX)';

/** Lines collected before each write to standard output. */
const linesPerWrite = 1000;

/** Runs the command; returns 0 on success, 1 on a failure, 2 on bad arguments. */
export async function run(args: string[]): Promise<number> {
  let state: string;
  try {
    state = readState(args);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }

  let databasePath: string;
  try {
    databasePath = loadConfig().databasePath;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 1;
  }

  const database = openDatabase(databasePath);
  try {
    applyMigrations(database.db);
    const written = await writeLines(iterateCrosswalkLines(database.sqlite, state));
    if (written === 0) console.error(`No student of ${state} has a consolidated record; only the header was written.`);
    return 0;
  } finally {
    database.close();
  }
}

function readState(args: string[]): string {
  const { values, positionals } = parseArgs({ args, options: { state: { type: 'string' } }, allowPositionals: true });
  if (positionals.length > 0) throw new Error(`Unexpected argument "${positionals[0] ?? ''}".`);
  const state = values.state?.trim().toUpperCase();
  if (!state) throw new Error('Missing --state.');
  if (!(stateCodes as readonly string[]).includes(state)) {
    throw new Error(`--state ${values.state ?? ''} is not a USPS state code such as TX.`);
  }
  return state;
}

/** Writes the header and the lines with CRLF ends, waiting whenever standard output is full; returns the count of lines. */
async function writeLines(lines: Iterable<string>): Promise<number> {
  let batch: string[] = [crosswalkHeader];
  let count = 0;
  const flush = async () => {
    const chunk = `${batch.join('\r\n')}\r\n`;
    batch = [];
    if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
  };

  for (const line of lines) {
    batch.push(line);
    count += 1;
    if (batch.length >= linesPerWrite) await flush();
  }
  await flush();
  return count;
}
