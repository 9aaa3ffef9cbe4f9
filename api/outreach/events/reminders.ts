/**
 * Event reminders, meant to run every few minutes from the maintenance loop.
 *
 * Rules, for registrations with status "registered" only:
 * - day reminder: when the start is 24 hours away or less and more than one
 *   hour away, for registrations made at least 24 hours before the start.
 * - hour reminder: when the start is one hour away or less and has not come,
 *   for registrations made at least one hour before the start.
 * Either is queued once: the stamp column (day_reminder_queued_at or
 * hour_reminder_queued_at) is set in the same transaction as the outbox
 * message, and only when it was still empty, so no run or second process
 * queues it twice. A day reminder whose window passed while nothing ran is
 * skipped, not sent late.
 */
import { and, eq, isNull, lte } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { eventRegistrations } from '../../../db/schema';
import { OutboxMessageError } from '../../../emails/addresses';
import { renderDayReminder, renderHourReminder } from '../../../emails/templates/events';
import { recordAudit } from '../../audit/record';
import type { Logger } from '../../logger';
import type { MailQueue } from '../../shared/action-context';
import type { Clock } from '../../shared/clock';
import { listEvents, toEventFacts, type EventInfo } from './event-content';
import { dayReminderLeadMs, hourReminderLeadMs } from './register';

export interface EventReminderOptions {
  db: AppDatabase;
  clock: Clock;
  mail: Pick<MailQueue, 'queue'>;
  /** Public address of the site, used for the event links. */
  siteUrl: string;
  /** Receives one summary line per run and each reminder that could not be queued, with ids only. */
  logger?: Pick<Logger, 'info' | 'error'>;
}

/** Reminders queued by one run, and reminders that failed to queue. */
export interface EventReminderCounts {
  day: number;
  hour: number;
  failed: number;
}

type ReminderKind = 'day' | 'hour';

const stampColumns = {
  day: eventRegistrations.dayReminderQueuedAt,
  hour: eventRegistrations.hourReminderQueuedAt,
} as const;

/** Queues every reminder that is due and not yet queued, and returns what this run queued. */
export function runEventReminders(options: EventReminderOptions): EventReminderCounts {
  const now = options.clock();
  const counts: EventReminderCounts = { day: 0, hour: 0, failed: 0 };

  for (const event of listEvents()) {
    const untilStart = event.start.getTime() - now.getTime();
    if (untilStart <= 0 || untilStart > dayReminderLeadMs) continue;
    const kind: ReminderKind = untilStart > hourReminderLeadMs ? 'day' : 'hour';
    queueReminders(options, event, kind, now, counts);
  }

  if (counts.day + counts.hour + counts.failed > 0) options.logger?.info({ ...counts }, 'event reminders run finished');
  return counts;
}

function queueReminders(
  options: EventReminderOptions,
  event: EventInfo,
  kind: ReminderKind,
  now: Date,
  counts: EventReminderCounts,
): void {
  const { db, mail, logger } = options;
  const stampColumn = stampColumns[kind];
  const lead = kind === 'day' ? dayReminderLeadMs : hourReminderLeadMs;
  const registeredBy = new Date(event.start.getTime() - lead).toISOString();
  const due = and(
    eq(eventRegistrations.eventSlug, event.slug),
    eq(eventRegistrations.status, 'registered'),
    isNull(stampColumn),
    lte(eventRegistrations.createdAt, registeredBy),
  );
  const facts = toEventFacts(event, options.siteUrl);

  const candidates = db.select().from(eventRegistrations).where(due).all();
  for (const registration of candidates) {
    try {
      const queued = db.transaction(
        (tx) => {
          // The conditions are checked again here, because a cancellation or another run may have come first.
          const stamped = tx
            .update(eventRegistrations)
            .set(
              kind === 'day' ? { dayReminderQueuedAt: now.toISOString() } : { hourReminderQueuedAt: now.toISOString() },
            )
            .where(and(eq(eventRegistrations.id, registration.id), due))
            .run();
          if (stamped.changes === 0) return false;

          const render = kind === 'day' ? renderDayReminder : renderHourReminder;
          mail.queue(tx, {
            kind: kind === 'day' ? 'event_reminder_day' : 'event_reminder_hour',
            to: registration.email,
            message: render({ name: registration.name, event: facts }),
            now,
          });
          recordAudit(tx, {
            ip: 'local',
            action: 'event_registration.reminder_queued',
            objectType: 'event_registration',
            objectId: registration.id,
            outcome: 'success',
            detail: `${kind}:${event.slug}`,
            at: now,
          });
          return true;
        },
        { behavior: 'immediate' },
      );
      if (queued) counts[kind] += 1;
    } catch (error) {
      counts.failed += 1;
      // The outbox's messages can quote the address, so only the error's type and the ids are logged.
      logger?.error(
        {
          eventSlug: event.slug,
          registrationId: registration.id,
          reminder: kind,
          error:
            error instanceof OutboxMessageError
              ? `invalid ${error.field}`
              : error instanceof Error
                ? error.name
                : 'unknown',
        },
        'event reminder could not be queued',
      );
    }
  }
}
