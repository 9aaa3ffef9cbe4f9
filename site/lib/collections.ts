/** Labels, paths and sort orders of the portal's content collections. */
import type { CollectionName } from './content-schemas';

export interface CollectionInfo {
  name: CollectionName;
  /** Plural label for navigation and headings. */
  label: string;
  /** Singular label used as the pagefind "type" filter value. */
  singular: string;
  path: string;
  description: string;
}

export const collectionInfo: Record<CollectionName, CollectionInfo> = {
  faqs: {
    name: 'faqs',
    label: 'FAQs',
    singular: 'FAQ',
    path: '/faqs/',
    description: 'Short answers to the questions state and district staff ask most about MSIX and records exchange.',
  },
  webinars: {
    name: 'webinars',
    label: 'Webinars',
    singular: 'Webinar',
    path: '/webinars/',
    description: 'Archived training webinars with agendas, key takeaways and transcript outlines.',
  },
  'white-papers': {
    name: 'white-papers',
    label: 'White papers',
    singular: 'White paper',
    path: '/white-papers/',
    description: 'In-depth papers on interstate coordination, credit accrual, data quality and planning.',
  },
  newsletters: {
    name: 'newsletters',
    label: 'Newsletters',
    singular: 'Newsletter',
    path: '/newsletters/',
    description: 'The quarterly newsletter: success stories, best practices and technical tips from the states.',
  },
  tools: {
    name: 'tools',
    label: 'TA tools',
    singular: 'TA tool',
    path: '/tools/',
    description: 'Checklists, templates and worksheets to download and use in your state or district.',
  },
  events: {
    name: 'events',
    label: 'Events',
    singular: 'Event',
    path: '/events/',
    description: 'Upcoming webinars, office hours and trainings, and recent events.',
  },
};

export const navigationOrder: CollectionName[] = ['faqs', 'webinars', 'white-papers', 'newsletters', 'tools', 'events'];

export function entryPath(collection: CollectionName, id: string): string {
  return `${collectionInfo[collection].path}${id}/`;
}

const longDate = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });

/** Formats a calendar date from front matter, which is stored as UTC midnight. */
export function formatDate(date: Date): string {
  return longDate.format(date);
}

/** Formats an event time in the time zone where the event happens, naming the zone (EST, MDT…). */
export function formatEventTime(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(date);
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
