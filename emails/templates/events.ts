/**
 * Messages about event registrations: the confirmation, the cancellation and
 * the reminders a day and an hour before. Plain text first, and the HTML part
 * has the same content. Times are shown in the event's own time zone.
 */
import { formatEventTime } from '../../site/lib/collections';
import { oneLine, paragraph, render, subjectTitle, type Block, type RenderedMessage } from './blocks';

export interface EventFacts {
  title: string;
  start: Date;
  end: Date;
  /** IANA time zone, such as America/New_York. */
  timeZone: string;
  location: string;
  summary: string;
  /** The event's page on the public site. */
  link: string;
}

const signature = 'MSIX Assist, the MSIX technical-assistance portal';

export function renderRegistrationConfirmation(options: {
  name: string;
  event: EventFacts;
  cancelLink: string;
  /** Whether the day-before reminder will come: false when the registration is less than 24 hours before the start. */
  dayReminder: boolean;
  /** Whether the hour-before reminder will come: false when the registration is less than an hour before the start. */
  hourReminder: boolean;
}): RenderedMessage {
  const { name, event, cancelLink } = options;
  const subject = `Registration confirmed: ${subjectTitle(event.title)}`;
  return render(subject, [
    paragraph(`Hello ${oneLine(name)},`),
    paragraph(`You are registered for "${oneLine(event.title)}".`),
    eventBlock(event),
    paragraph(oneLine(event.summary)),
    paragraph(
      'This message carries a calendar invitation. Open it, or the attached invite.ics file, to add the event to Outlook, Google Calendar or Apple Calendar.',
    ),
    paragraph(reminderLine(options.dayReminder, options.hourReminder)),
    paragraph('The event page has the details and any updates:'),
    { kind: 'link', href: event.link },
    paragraph(
      'If you cannot attend, cancel your registration with this link. You will then receive no reminders, and your calendar program can remove the event:',
    ),
    { kind: 'link', href: cancelLink },
    paragraph('If you did not register for this event, use the same link to cancel the registration.'),
    paragraph(signature),
  ]);
}

export function renderCancellationConfirmation(options: {
  name: string;
  event: EventFacts;
  /** Whether the event still takes registrations, so the person can register again. */
  registrationOpen: boolean;
}): RenderedMessage {
  const { name, event } = options;
  const subject = `Registration cancelled: ${subjectTitle(event.title)}`;
  const blocks: Block[] = [
    paragraph(`Hello ${oneLine(name)},`),
    paragraph(
      `Your registration for "${oneLine(event.title)}" on ${describeEventTime(event)} is cancelled. You will receive no reminders for it.`,
    ),
    paragraph(
      'This message carries a calendar update that marks the event as cancelled, so your calendar program can remove it.',
    ),
  ];
  if (options.registrationOpen) {
    blocks.push(paragraph('If you change your mind, register again on the event page:'), {
      kind: 'link',
      href: event.link,
    });
  }
  blocks.push(paragraph(signature));
  return render(subject, blocks);
}

export function renderDayReminder(options: { name: string; event: EventFacts }): RenderedMessage {
  const { name, event } = options;
  const subject = `Reminder: ${subjectTitle(event.title)}, ${formatShortTime(event.start, event.timeZone)}`;
  return render(subject, [
    paragraph(`Hello ${oneLine(name)},`),
    paragraph(`"${oneLine(event.title)}", which you registered for, takes place within the next day.`),
    eventBlock(event),
    paragraph('The event page has the details and any updates:'),
    { kind: 'link', href: event.link },
    paragraph(
      'If you can no longer attend, use the cancellation link in your registration confirmation. You will get one more reminder an hour before the start.',
    ),
    paragraph(signature),
  ]);
}

export function renderHourReminder(options: { name: string; event: EventFacts }): RenderedMessage {
  const { name, event } = options;
  const subject = `Starting within the hour: ${subjectTitle(event.title)}`;
  return render(subject, [
    paragraph(`Hello ${oneLine(name)},`),
    paragraph(`"${oneLine(event.title)}", which you registered for, starts within the hour.`),
    eventBlock(event),
    paragraph('The event page has the details and any updates:'),
    { kind: 'link', href: event.link },
    paragraph(signature),
  ]);
}

/**
 * Describes the event's time in its own time zone, such as "Wednesday, March
 * 17, 2027 at 2:00 PM EDT to 3:00 PM EDT". The end shows its date too when it
 * falls on another day.
 */
export function describeEventTime(event: Pick<EventFacts, 'start' | 'end' | 'timeZone'>): string {
  const { start, end, timeZone } = event;
  const startText = formatEventTime(start, timeZone);
  if (localDate(start, timeZone) !== localDate(end, timeZone))
    return `${startText} to ${formatEventTime(end, timeZone)}`;

  const endTime = new Intl.DateTimeFormat('en-US', {
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(end);
  return `${startText} to ${endTime}`;
}

/** Formats the calendar date of a time in the time zone, such as 2027-03-17. */
function localDate(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).format(date);
}

function eventBlock(event: EventFacts): Block {
  return {
    kind: 'list',
    items: [`Event: ${oneLine(event.title)}`, `When: ${describeEventTime(event)}`, `Where: ${oneLine(event.location)}`],
  };
}

function reminderLine(dayReminder: boolean, hourReminder: boolean): string {
  if (dayReminder && hourReminder)
    return 'We will send you a reminder a day before the start and another an hour before.';
  if (hourReminder) return 'We will send you a reminder an hour before the start.';
  return 'The event starts soon, so no reminder will follow this message.';
}

/** Formats a start time briefly, such as "Wed, Mar 17, 2:00 PM EDT". */
function formatShortTime(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(date);
}
