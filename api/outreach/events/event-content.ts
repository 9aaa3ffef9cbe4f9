/**
 * Events from content/events/*.mdx, read once through the content check and
 * kept for the life of the process, so a content change needs a restart (as
 * it needs a rebuild of the site).
 */
import type { EventFacts } from '../../../emails/templates/events';
import { checkContent } from '../../../scripts/lib/content-check';
import { AppError } from '../../errors';

export type RegistrationSetting = 'open' | 'closed' | 'not-required';

export interface EventInfo {
  /** The file name without .mdx, which is also the page address /events/<slug>/. */
  slug: string;
  title: string;
  kind: string;
  start: Date;
  end: Date;
  /** IANA time zone in which the event's times are shown, such as America/New_York. */
  timeZone: string;
  location: string;
  summary: string;
  registration: RegistrationSetting;
}

/** The event fields the public API returns. Times are ISO 8601 strings in UTC. */
export interface EventSummary {
  slug: string;
  title: string;
  start: string;
  end: string;
  timeZone: string;
  location: string;
}

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

let contentRoot: string | undefined;
let cachedEvents: EventInfo[] | undefined;

/**
 * Reads events from another repository root from now on, such as a test's
 * temporary folder; undefined goes back to the working directory.
 */
export function setEventContentRoot(root: string | undefined): void {
  contentRoot = root;
  cachedEvents = undefined;
}

/** Returns every event with valid front matter, sorted by start. Files that fail the content check are left out. */
export function listEvents(): EventInfo[] {
  cachedEvents ??= readEvents(contentRoot ?? process.cwd());
  return cachedEvents;
}

export function findEvent(slug: string): EventInfo | undefined {
  if (!slugPattern.test(slug)) return undefined;
  return listEvents().find((event) => event.slug === slug);
}

/** Returns the event, or throws a 404 that names the slug. */
export function requireEvent(slug: string): EventInfo {
  const event = findEvent(slug);
  if (!event) {
    throw new AppError(
      404,
      'event_not_found',
      `No event "${slug}" was found. Check the address, or pick an event from the events page.`,
    );
  }
  return event;
}

/** Checks whether the event takes registrations now: registration is open and the event has not started. */
export function acceptsRegistrations(event: EventInfo, now: Date): boolean {
  return event.registration === 'open' && now.getTime() < event.start.getTime();
}

/** Throws a 409 that explains why the event does not take registrations, or returns when it does. */
export function assertAcceptsRegistrations(event: EventInfo, now: Date): void {
  if (event.registration === 'not-required') {
    throw new AppError(
      409,
      'registration_not_required',
      `"${event.title}" needs no registration. Join it from its event page at the time it starts.`,
    );
  }
  if (event.registration === 'closed') {
    throw new AppError(409, 'registration_closed', `Registration for "${event.title}" has closed.`);
  }
  if (now.getTime() >= event.end.getTime()) {
    throw new AppError(
      409,
      'registration_closed',
      `"${event.title}" has ended, so it takes no more registrations. Its event page lists any recording.`,
    );
  }
  if (now.getTime() >= event.start.getTime()) {
    throw new AppError(
      409,
      'registration_closed',
      `"${event.title}" has already started, so it takes no more registrations.`,
    );
  }
}

export function summarizeEvent(event: EventInfo): EventSummary {
  return {
    slug: event.slug,
    title: event.title,
    start: event.start.toISOString(),
    end: event.end.toISOString(),
    timeZone: event.timeZone,
    location: event.location,
  };
}

/** Returns the event's page on the public site, such as https://assist.example.gov/events/summer-webinar/. */
export function eventPageUrl(siteUrl: string, slug: string): string {
  return `${siteUrl.replace(/\/+$/, '')}/events/${slug}/`;
}

/** Returns what the email templates show about the event. */
export function toEventFacts(event: EventInfo, siteUrl: string): EventFacts {
  return {
    title: event.title,
    start: event.start,
    end: event.end,
    timeZone: event.timeZone,
    location: event.location,
    summary: event.summary,
    link: eventPageUrl(siteUrl, event.slug),
  };
}

function readEvents(root: string): EventInfo[] {
  return checkContent(root)
    .entries.filter((entry) => entry.collection === 'events')
    .map((entry) => {
      const data = entry.data;
      return {
        slug: entry.slug,
        title: String(data.title),
        kind: String(data.kind),
        start: data.start as Date,
        end: data.end as Date,
        timeZone: String(data.timeZone),
        location: String(data.location),
        summary: String(data.summary),
        registration: data.registration as RegistrationSetting,
      };
    })
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}
