/** First-run demo records: a modest synthetic set, imported and linked, so the records search works out of the box. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppDatabase } from '../../../db/client';
import { students } from '../../../db/schema';
import type { Logger } from '../../logger';
import type { Clock } from '../../shared/clock';
import { importUpload } from '../uploads/import';
import { generateRecords } from './generate';
import { DirectorySink } from './writer';

/** Children in the demo set: enough for cross-state children, near matches and twins, small enough to import in seconds. */
export const demoChildren = 2_000;
/** Fixed seed, so every fresh installation gets the same demo children. */
const demoSeed = 20_260_101;

/**
 * Seeds demo records into a database that has no student yet and returns
 * whether it seeded. The generated files for all states are written to a
 * temporary folder, which is deleted afterwards. Each state is imported in
 * turn through the same import as `npm run records -- import`, which links
 * and indexes the students.
 */
export async function seedDemoRecords(db: AppDatabase, clock: Clock, logger: Logger): Promise<boolean> {
  if (db.select({ id: students.id }).from(students).limit(1).get()) return false;

  const directory = mkdtempSync(path.join(os.tmpdir(), 'msix-demo-records-'));
  try {
    const sink = new DirectorySink(directory);
    const summary = generateRecords({ children: demoChildren, seed: demoSeed, today: clock() }, sink);
    sink.close();

    const states = readdirSync(directory).filter((name) => /^[A-Z]{2}$/.test(name));
    let accepted = 0;
    let rejected = 0;
    for (const state of states) {
      const result = await importUpload(
        db,
        { state, directory: path.join(directory, state), source: 'command_line', ip: 'local' },
        { clock, logger },
      );
      accepted += result.studentsAccepted;
      rejected += result.studentsRejected;
      if (result.status !== 'completed') {
        logger.warn(
          { state, uploadId: result.uploadId },
          `demo records: the upload for ${state} was rejected: ${result.rejectionMessage}`,
        );
      }
    }
    logger.info(
      { children: summary.children, states: states.length, accepted, rejected },
      'demo records: imported synthetic students for all states',
    );
    return true;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
