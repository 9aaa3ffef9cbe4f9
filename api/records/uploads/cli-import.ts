/**
 * `npm run records -- import --state XX DIR`: imports a state's MDE files
 * from a folder through the same service as the browser upload. Progress
 * goes to standard error; the summary goes to standard output. Exit codes:
 * 0 when the upload was checked (even if some students were rejected),
 * 1 when the upload was rejected whole or failed, 2 for a usage error.
 */
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { and, asc, eq } from 'drizzle-orm';
import { openDatabase } from '../../../db/client';
import { applyMigrations } from '../../../db/migrate';
import { uploadProblems } from '../../../db/schema';
import { ConfigError, loadConfig } from '../../config';
import { AppError } from '../../errors';
import { stateCodes } from '../../shared/states';
import { uploadFileNames } from './columns';
import { importUpload, type ImportProgress } from './import';

const usage = `Usage: npm run records -- import --state XX DIR

  --state XX   USPS code of the state that submits the records, such as TX.
  DIR          Folder with students.csv and, when the state has them, ${uploadFileNames.slice(1).join(', ')}.

The database is the one in DATABASE_PATH (default data/msix-assist.sqlite).`;

/** Problems printed at the end; the full list is in the upload's report. */
const problemsShown = 20;

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { state: { type: 'string' } } });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const state = parsed.values.state?.toUpperCase();
  const directory = parsed.positionals[0];
  if (!state || !directory || parsed.positionals.length !== 1) {
    console.error(`${!state ? 'The --state option is missing.' : 'Give exactly one folder.'}\n\n${usage}`);
    return 2;
  }
  if (!(stateCodes as readonly string[]).includes(state)) {
    console.error(`--state: "${state}" is not a state code; use a USPS code such as TX.\n\n${usage}`);
    return 2;
  }
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    console.error(`Folder not found: ${directory}. Give the folder that contains students.csv.`);
    return 2;
  }

  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }

  const database = openDatabase(config.databasePath);
  try {
    applyMigrations(database.db);
    const printer = new ProgressPrinter();
    const result = await importUpload(
      database.db,
      { state, directory, source: 'command_line', ip: 'local' },
      { clock: () => new Date(), onProgress: (progress) => printer.print(progress) },
    );

    const reportLink = `${config.siteUrl}/records/quality/?upload=${result.uploadId}`;
    if (result.status === 'rejected') {
      console.error(`Upload ${result.uploadId} was rejected; nothing was imported.\n${result.rejectionMessage ?? ''}`);
      return 1;
    }
    const problems = database.db
      .select({ message: uploadProblems.message })
      .from(uploadProblems)
      .where(and(eq(uploadProblems.uploadId, result.uploadId)))
      .orderBy(asc(uploadProblems.id))
      .limit(problemsShown + 1)
      .all();
    if (problems.length > 0) {
      console.error('\nProblems found:');
      for (const problem of problems.slice(0, problemsShown)) console.error(`  ${problem.message}`);
      if (problems.length > problemsShown) console.error(`  ... and more; see the report.`);
    }
    console.log(
      [
        `Upload ${result.uploadId} for ${state} is complete.`,
        `  Students received:  ${result.studentsReceived}`,
        `  Accepted:           ${result.studentsAccepted}`,
        `  Unchanged:          ${result.studentsUnchanged} (identical to what was on file)`,
        `  Rejected:           ${result.studentsRejected}`,
        `  Data-quality score: ${result.qualityScore ?? 'none (no students)'}`,
        `Report: ${reportLink}`,
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    database.close();
  }
}

/**
 * Prints a progress line at most once a second, and the last figures of each
 * phase when the next phase starts, so the final counts are always shown.
 */
class ProgressPrinter {
  private lastPrinted = 0;
  private pending: ImportProgress | null = null;

  print(progress: ImportProgress): void {
    const now = Date.now();
    if (this.pending && this.pending.phase !== progress.phase) {
      console.error(describeProgress(this.pending));
      this.lastPrinted = now;
    }
    this.pending = progress;
    if (progress.phase === 'finished' || now - this.lastPrinted < 1000) return;
    console.error(describeProgress(progress));
    this.lastPrinted = now;
    this.pending = null;
  }
}

function describeProgress(progress: ImportProgress): string {
  const percent = (part: number, whole: number) => (whole === 0 ? 100 : Math.floor((100 * part) / whole));
  switch (progress.phase) {
    case 'reading':
      return `Reading files: ${formatMegabytes(progress.bytesRead)} of ${formatMegabytes(progress.bytesTotal)} (${percent(progress.bytesRead, progress.bytesTotal)}%)`;
    case 'checking':
      return `Checking students: ${progress.studentsChecked} of ${progress.studentsTotal} (${percent(progress.studentsChecked, progress.studentsTotal)}%), accepted ${progress.accepted}, unchanged ${progress.unchanged}, rejected ${progress.rejected}`;
    case 'linking':
      return `Linking ${progress.accepted} new or changed students with records of other states...`;
    case 'finished':
      return 'Import finished.';
  }
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}
