/**
 * Warns assignees by email before a ticket breaches its SLA. Run by the
 * maintenance loop every five minutes.
 *
 * A clock warns once per due time, when the ticket is within one business
 * hour of the due time or past it, and is not pending, solved or closed.
 * Unassigned tickets get no email: they show in the console's "breaching
 * soon" queue, which reads the same due columns.
 */
import { and, eq, inArray, isNotNull, isNull, lte, or } from 'drizzle-orm';
import type { AppDatabase } from '../../../db/client';
import { people, tickets } from '../../../db/schema';
import { renderSlaWarning, type SlaClock } from '../../../emails/templates/desk-sla';
import type { Logger } from '../../logger';
import type { MailQueue } from '../../shared/action-context';
import type { Clock } from '../../shared/clock';
import { addBusinessMinutes, parseBusinessHours, type BusinessHours } from './business-hours';
import { defaultTimeZone, stateTimeZones, timeZoneOfState } from './time-zones';

export interface SlaWarningOptions {
  db: AppDatabase;
  clock: Clock;
  mail: MailQueue;
  siteUrl: string;
  logger: Logger;
  businessHours: string;
}

/** Business minutes before a due time at which the assignee is warned. */
export const slaWarningLeadMinutes = 60;

/** Statuses whose clocks run; pending pauses them, and solved and closed stop them. */
const runningStatuses = ['new', 'open', 'on_hold'] as const;

/**
 * Returns, per time zone, the latest due time that is within `leadMinutes`
 * business minutes of `now`. The console can use it for its own windows.
 */
export function slaWarningCutoffs(now: Date, hours: BusinessHours, leadMinutes: number): Map<string, Date> {
  const zones = new Set([defaultTimeZone, ...Object.values(stateTimeZones)]);
  return new Map([...zones].map((zone) => [zone, addBusinessMinutes(now, leadMinutes, hours, zone)]));
}

export function runSlaWarnings(options: SlaWarningOptions): void {
  const { db, mail, logger } = options;
  const now = options.clock();
  const hours = parseBusinessHours(options.businessHours);
  const cutoffs = slaWarningCutoffs(now, hours, slaWarningLeadMinutes);
  const latestCutoff = new Date(Math.max(...[...cutoffs.values()].map((cutoff) => cutoff.getTime()))).toISOString();

  const candidates = db
    .select({
      id: tickets.id,
      subject: tickets.subject,
      priority: tickets.priority,
      state: tickets.state,
      firstResponseAt: tickets.firstResponseAt,
      firstResponseDueAt: tickets.firstResponseDueAt,
      firstResponseWarnedAt: tickets.firstResponseWarnedAt,
      resolutionDueAt: tickets.resolutionDueAt,
      resolutionWarnedAt: tickets.resolutionWarnedAt,
      assigneeEmail: people.email,
      assigneeName: people.displayName,
    })
    .from(tickets)
    .innerJoin(people, eq(people.id, tickets.assigneeId))
    .where(
      and(
        inArray(tickets.status, runningStatuses),
        isNull(tickets.slaPausedAt),
        isNull(tickets.mergedIntoId),
        eq(people.status, 'active'),
        or(
          and(
            isNull(tickets.firstResponseAt),
            isNull(tickets.firstResponseWarnedAt),
            isNotNull(tickets.firstResponseDueAt),
            lte(tickets.firstResponseDueAt, latestCutoff),
          ),
          and(
            isNull(tickets.resolutionWarnedAt),
            isNotNull(tickets.resolutionDueAt),
            lte(tickets.resolutionDueAt, latestCutoff),
          ),
        ),
      ),
    )
    .all();

  let sent = 0;
  for (const ticket of candidates) {
    const zone = timeZoneOfState(ticket.state);
    const cutoff = cutoffs.get(zone)!.toISOString();
    const clocks: Array<{ clock: SlaClock; due: string }> = [];
    if (
      ticket.firstResponseAt === null &&
      ticket.firstResponseWarnedAt === null &&
      ticket.firstResponseDueAt !== null &&
      ticket.firstResponseDueAt <= cutoff
    ) {
      clocks.push({ clock: 'first_response', due: ticket.firstResponseDueAt });
    }
    if (ticket.resolutionWarnedAt === null && ticket.resolutionDueAt !== null && ticket.resolutionDueAt <= cutoff) {
      clocks.push({ clock: 'resolution', due: ticket.resolutionDueAt });
    }
    if (clocks.length === 0) continue;

    const message = renderSlaWarning({
      recipientName: ticket.assigneeName,
      ticketId: ticket.id,
      ticketSubject: ticket.subject,
      priority: ticket.priority,
      clocks: clocks.map((entry) => ({
        clock: entry.clock,
        dueText: formatDueTime(entry.due, zone),
        breached: entry.due <= now.toISOString(),
      })),
      link: mail.link(`/desk/ticket/?id=${ticket.id}`),
    });

    db.transaction((tx) => {
      const warnedAt = now.toISOString();
      tx.update(tickets)
        .set({
          ...(clocks.some((entry) => entry.clock === 'first_response') ? { firstResponseWarnedAt: warnedAt } : {}),
          ...(clocks.some((entry) => entry.clock === 'resolution') ? { resolutionWarnedAt: warnedAt } : {}),
        })
        .where(eq(tickets.id, ticket.id))
        .run();
      mail.queue(tx, { kind: 'desk_sla_warning', to: ticket.assigneeEmail, message, now });
    });
    sent += 1;
  }

  if (sent > 0) logger.info({ job: 'slaWarnings', sent }, 'SLA warnings queued');
}

const dueFormatters = new Map<string, Intl.DateTimeFormat>();

/** Formats a due time in the ticket's zone, such as "Monday, December 7, 2026, 8:30 AM EST". */
export function formatDueTime(iso: string, timeZone: string): string {
  let formatter = dueFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    });
    dueFormatters.set(timeZone, formatter);
  }
  return formatter.format(new Date(iso));
}
