/**
 * First-run demo activity for the dashboard. STUB: helper H4 writes it.
 */
import type { AppDatabase } from '../../db/client';

/** Seeds several years of synthetic activity once and returns whether it seeded. */
export function seedDemoActivity(db: AppDatabase, now: Date): boolean {
  void db;
  void now;
  return false;
}
