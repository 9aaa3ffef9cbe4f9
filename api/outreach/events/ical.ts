/**
 * iCalendar (RFC 5545) invitations for event registrations: one VEVENT per
 * registration with its times in UTC, sent with METHOD:REQUEST when a person
 * registers and METHOD:CANCEL, with the same UID and a higher SEQUENCE, when
 * they cancel. Calendar programs import both from the confirmation emails.
 */
import addressparser from 'nodemailer/lib/addressparser';
import { domainOfSender } from '../../../emails/addresses';
import type { CalendarEvent } from '../../../emails/transport';
import { eventPageUrl, type EventInfo } from './event-content';

export type CalendarMethod = 'REQUEST' | 'CANCEL';

export interface CalendarPerson {
  name: string;
  address: string;
}

export interface CalendarInvitation {
  method: CalendarMethod;
  /** Identifies the event in the recipient's calendar; a CANCEL removes the event with the same UID. */
  uid: string;
  /** Revision of the invitation. A calendar program applies an update only when its SEQUENCE is higher. */
  sequence: number;
  /** When this revision was created (DTSTAMP). */
  stamp: Date;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  location: string;
  /** The event's page on the public site. */
  url: string;
  organizer: CalendarPerson;
  attendee: CalendarPerson;
}

/** SEQUENCE of the invitation a registration sends, and of the cancellation that follows it. */
export const invitationSequence = 0;
export const cancellationSequence = 1;

/** RFC 5545 section 3.1: content lines are folded to at most 75 octets, without the CRLF. */
const maxLineOctets = 75;

/** Renders the calendar as text with CRLF line ends and folded lines. */
export function renderCalendar(invitation: CalendarInvitation): string {
  const { method, organizer, attendee } = invitation;
  const lines = [
    'BEGIN:VCALENDAR',
    'PRODID:-//MSIX Assist//Event registration//EN',
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    `METHOD:${method}`,
    'BEGIN:VEVENT',
    `UID:${invitation.uid}`,
    `DTSTAMP:${formatUtc(invitation.stamp)}`,
    `DTSTART:${formatUtc(invitation.start)}`,
    `DTEND:${formatUtc(invitation.end)}`,
    `SEQUENCE:${invitation.sequence}`,
    `STATUS:${method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    `SUMMARY:${escapeText(invitation.summary)}`,
    `DESCRIPTION:${escapeText(invitation.description)}`,
    `LOCATION:${escapeText(invitation.location)}`,
    `URL:${invitation.url}`,
    `ORGANIZER;CN=${quoteParameter(organizer.name)}:mailto:${organizer.address}`,
    // RSVP=FALSE, because replies would go to the organizer, which is the no-reply sender.
    `ATTENDEE;CN=${quoteParameter(attendee.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:${attendee.address}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/**
 * Returns the UID of a registration, such as `registration-12-20270310T140000000Z@example.org`.
 * The registration time is part of it, so registering again after a
 * cancellation creates a new calendar event instead of reviving the cancelled one.
 */
export function registrationUid(registration: { id: number; createdAt: string }, mailFrom: string): string {
  const time = registration.createdAt.replace(/[-:.]/g, '');
  return `registration-${registration.id}-${time}@${domainOfSender(mailFrom)}`;
}

/** Returns the organizer from MAIL_FROM, such as { name: 'MSIX Assist', address: 'no-reply@example.org' }. */
export function organizerFromSender(mailFrom: string): CalendarPerson {
  const [sender] = addressparser(mailFrom, { flatten: true });
  const address = sender?.address ?? `no-reply@${domainOfSender(mailFrom)}`;
  return { name: sender?.name || 'MSIX Assist', address };
}

/** Formats a time as a UTC DATE-TIME, such as 20270317T180000Z. */
export function formatUtc(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** Escapes a TEXT value (RFC 5545 section 3.3.11): backslash, semicolon, comma and line breaks. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Quotes a parameter value such as CN. A quoted value may contain any
 * character but a control character or DQUOTE, and RFC 5545 has no escape
 * for those, so they are replaced.
 */
function quoteParameter(value: string): string {
  const safe = value.replace(/"/g, "'").replace(/[\p{Cc}]/gu, ' ');
  return `"${safe}"`;
}

/**
 * Folds a content line into parts of at most 75 octets: continuation lines
 * start with one space, which counts toward their 75. Parts end between code
 * points, so a UTF-8 sequence is never split.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let currentOctets = 0;
  for (const character of line) {
    const octets = Buffer.byteLength(character, 'utf8');
    const limit = parts.length === 0 ? maxLineOctets : maxLineOctets - 1;
    if (currentOctets + octets > limit) {
      parts.push(current);
      current = '';
      currentOctets = 0;
    }
    current += character;
    currentOctets += octets;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/**
 * Builds the calendar of one registration. Both methods describe the same
 * event with the same UID; the cancellation has the higher SEQUENCE.
 */
export function registrationCalendar(options: {
  method: CalendarMethod;
  registration: { id: number; createdAt: string; name: string; email: string };
  event: EventInfo;
  siteUrl: string;
  mailFrom: string;
  now: Date;
}): CalendarEvent {
  const { method, registration, event } = options;
  const url = eventPageUrl(options.siteUrl, event.slug);
  const content = renderCalendar({
    method,
    uid: registrationUid(registration, options.mailFrom),
    sequence: method === 'CANCEL' ? cancellationSequence : invitationSequence,
    stamp: options.now,
    start: event.start,
    end: event.end,
    summary: event.title,
    description: `${event.summary}\n\nEvent page: ${url}`,
    location: event.location,
    url,
    organizer: organizerFromSender(options.mailFrom),
    attendee: { name: registration.name, address: registration.email },
  });
  return { method, content };
}
