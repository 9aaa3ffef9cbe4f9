/** The public list of events that take registrations now. */
import { acceptsRegistrations, listEvents, summarizeEvent, type EventSummary } from './event-content';

/** Returns the upcoming events whose registration is open, soonest first. */
export function listRegistrableEvents(now: Date): EventSummary[] {
  return listEvents()
    .filter((event) => acceptsRegistrations(event, now))
    .map(summarizeEvent);
}
