/**
 * Recomputes a ticket's SLA columns (due times, pause, business minutes) from
 * its current row. Services call it inside their transaction after every change
 * of status, priority, state or first response.
 *
 * The clocks count business minutes from created_at in the requester's state
 * time zone. While the ticket is pending on the requester, both clocks stop.
 * The pause starts at the first refresh that finds status pending. At the first
 * refresh that finds another status, the pause's business minutes are added to
 * sla_paused_minutes, which moves both due times out.
 */
import { eq } from 'drizzle-orm';
import { tickets } from '../../../db/schema';
import type { DatabaseOrTransaction } from '../../audit/record';
import { addBusinessMinutes, businessMinutesBetween, parseBusinessHours } from './business-hours';
import { readSlaTarget } from './targets';
import { timeZoneOfState } from './time-zones';

export function refreshTicketSla(db: DatabaseOrTransaction, ticketId: number, now: Date, businessHours: string): void {
  const ticket = db.select().from(tickets).where(eq(tickets.id, ticketId)).get();
  if (!ticket) throw new Error(`refreshTicketSla: ticket ${ticketId} not found`);

  const hours = parseBusinessHours(businessHours);
  const zone = timeZoneOfState(ticket.state);
  const target = readSlaTarget(db, ticket.priority);
  const created = new Date(ticket.createdAt);
  const minutesSinceCreated = (end: string) => businessMinutesBetween(created, new Date(end), hours, zone);

  let slaPausedAt = ticket.slaPausedAt;
  let slaPausedMinutes = ticket.slaPausedMinutes;
  if (ticket.status === 'pending') {
    slaPausedAt ??= now.toISOString();
  } else if (slaPausedAt !== null) {
    slaPausedMinutes += Math.round(businessMinutesBetween(new Date(slaPausedAt), now, hours, zone));
    slaPausedAt = null;
  }

  // After the first public reply, later pauses and priority changes leave the first-response figures alone.
  let firstResponseDueAt = ticket.firstResponseDueAt;
  let firstResponseMinutes = ticket.firstResponseMinutes;
  const firstResponseSettled =
    ticket.firstResponseAt !== null && firstResponseMinutes !== null && firstResponseDueAt !== null;
  if (!firstResponseSettled) {
    firstResponseDueAt = addBusinessMinutes(
      created,
      target.firstResponseMinutes + slaPausedMinutes,
      hours,
      zone,
    ).toISOString();
    firstResponseMinutes =
      ticket.firstResponseAt === null
        ? null
        : Math.max(0, Math.round(minutesSinceCreated(ticket.firstResponseAt) - slaPausedMinutes));
  }

  // A reopened ticket resumes its resolution clock, and the time it spent solved counts.
  const resolvedAt =
    ticket.status === 'solved' || ticket.status === 'closed'
      ? (ticket.solvedAt ?? ticket.closedAt ?? now.toISOString())
      : null;
  const resolutionDueAt = addBusinessMinutes(
    created,
    target.resolutionMinutes + slaPausedMinutes,
    hours,
    zone,
  ).toISOString();
  const resolutionMinutes =
    resolvedAt === null ? null : Math.max(0, Math.round(minutesSinceCreated(resolvedAt) - slaPausedMinutes));

  db.update(tickets)
    .set({
      firstResponseDueAt,
      resolutionDueAt,
      slaPausedAt,
      slaPausedMinutes,
      firstResponseMinutes,
      resolutionMinutes,
      // A new due time gets its own warning.
      firstResponseWarnedAt: firstResponseDueAt === ticket.firstResponseDueAt ? ticket.firstResponseWarnedAt : null,
      resolutionWarnedAt: resolutionDueAt === ticket.resolutionDueAt ? ticket.resolutionWarnedAt : null,
    })
    .where(eq(tickets.id, ticketId))
    .run();
}
