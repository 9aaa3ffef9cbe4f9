/**
 * Front-matter schemas of the knowledge portal's content collections.
 *
 * Authors: every field below describes what it holds and what is allowed. The site
 * build and `npm run check:content` reject a file whose front matter does not
 * match, naming the file, the field and the problem.
 */
import { z } from 'zod';
import { audienceIds, topicIds } from './taxonomy';

const topic = z.enum(topicIds).describe(`One topic id. Allowed: ${topicIds.join(', ')}.`);

const topicList = z
  .array(topic)
  .min(1, 'List at least one topic.')
  .describe('Topics this entry belongs to; the first one is shown as its main topic.');

const audienceList = z
  .array(z.enum(audienceIds))
  .min(1, 'List at least one audience.')
  .describe(`Who the entry is written for. Allowed: ${audienceIds.join(', ')}.`);

const personByRole = z
  .object({
    role: z
      .string()
      .min(3)
      .describe('The person\'s role, such as "State MSIX coordinator". Content names people by role only.'),
    organization: z
      .string()
      .min(2)
      .describe(
        'Where the role sits, such as "A Midwestern state education agency" or "MSIX technical-assistance team".',
      ),
  })
  .strict();

const link = z
  .object({
    title: z.string().min(3).describe('Link text a reader sees.'),
    href: z
      .string()
      .regex(/^(\/|https:\/\/)/, 'Use a site path starting with "/" or a full https:// address.')
      .describe('A page of this site ("/faqs/…", "/tools/…") or an https:// address.'),
  })
  .strict();

const downloadFile = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]*\.(csv|txt|md)$/,
    'Use a lowercase file name with hyphens ending in .csv, .txt or .md, such as "mde-crosswalk-template.csv".',
  )
  .describe('File name under site/public/downloads/. The file must ship in the repository.');

export const faqSchema = z
  .object({
    title: z
      .string()
      .min(10)
      .endsWith('?', 'Write the title as the question a reader asks, ending with "?".')
      .describe('The question, as a reader would ask it.'),
    topic: topic.describe(`The FAQ topic the question is filed under. Allowed: ${topicIds.join(', ')}.`),
    audience: audienceList,
    shortAnswer: z
      .string()
      .min(20)
      .max(320, 'Keep the short answer to one or two sentences (at most 320 characters).')
      .describe('One or two sentences shown first; the MDX body gives the detail.'),
    related: z
      .array(link)
      .min(1, 'List at least one related resource.')
      .describe('Related FAQs, tools, webinars or sources, shown after the detail.'),
    order: z.number().int().min(0).default(100).describe('Sort position within the topic; lower comes first.'),
    updated: z.coerce.date().describe('Date of the last review, YYYY-MM-DD.'),
  })
  .strict();

export const webinarSchema = z
  .object({
    title: z.string().min(5).describe('Webinar title.'),
    date: z.coerce.date().describe('Date it was held, YYYY-MM-DD.'),
    durationMinutes: z.number().int().min(15).max(240).describe('Length in minutes.'),
    presenters: z.array(personByRole).min(1).describe('Presenters, by role and organization.'),
    audience: audienceList,
    topics: topicList,
    summary: z.string().min(40).max(400).describe('Two or three sentences for listings and search results.'),
    agenda: z.array(z.string().min(3)).min(2).describe('Agenda items in order.'),
    takeaways: z.array(z.string().min(10)).min(2).describe('Key takeaways, one sentence each.'),
    materials: z
      .array(z.object({ title: z.string().min(3), file: downloadFile }).strict())
      .default([])
      .describe('Slides or handouts that ship in site/public/downloads/. Leave empty when no file ships.'),
  })
  .strict();

export const whitePaperSchema = z
  .object({
    title: z.string().min(5).describe('Paper title.'),
    date: z.coerce.date().describe('Publication date, YYYY-MM-DD.'),
    authors: z.array(personByRole).min(1).describe('Authors, by role and organization.'),
    audience: audienceList,
    topics: topicList,
    summary: z.string().min(40).max(500).describe('An abstract of two to four sentences.'),
    sources: z
      .array(z.object({ title: z.string().min(3), citation: z.string().min(3) }).strict())
      .min(1, 'Name at least one source; every statement of law or regulation needs one.')
      .describe('Laws, regulations and documents the paper relies on, such as "34 CFR 200.85".'),
  })
  .strict();

export const newsletterSchema = z
  .object({
    title: z.string().min(5).describe('Issue title.'),
    year: z.number().int().min(2000).max(2100).describe('Calendar year of the issue.'),
    quarter: z.number().int().min(1).max(4).describe('Calendar quarter of the issue, 1 to 4.'),
    date: z.coerce.date().describe('Publication date, YYYY-MM-DD.'),
    summary: z
      .string()
      .min(40)
      .max(400)
      .describe('What the issue covers, for the archive, RSS and the email preheader.'),
    topics: topicList,
    audience: audienceList,
  })
  .strict();

/** Headings every newsletter body must contain, each followed by its own title text. */
export const newsletterSections = ['Success story:', 'Best practice:', 'Technical tip:'] as const;

export const toolSchema = z
  .object({
    title: z.string().min(5).describe('Tool name.'),
    kind: z
      .enum(['checklist', 'template', 'worksheet', 'guide'])
      .describe('What sort of tool it is: checklist, template, worksheet or guide.'),
    summary: z.string().min(40).max(400).describe('What the tool is for, in two or three sentences.'),
    topics: topicList,
    audience: audienceList,
    download: z
      .object({
        file: downloadFile,
        format: z
          .enum(['CSV', 'Text', 'Markdown'])
          .describe('Format shown beside the download link: CSV, Text or Markdown.'),
      })
      .strict()
      .describe('The downloadable file.'),
    updated: z.coerce.date().describe('Date of the last review, YYYY-MM-DD.'),
  })
  .strict();

export const eventSchema = z
  .object({
    title: z.string().min(5).describe('Event title.'),
    kind: z
      .enum(['conference', 'webinar', 'training', 'office-hours'])
      .describe('conference, webinar, training or office-hours.'),
    start: z.coerce.date().describe('Start, as an ISO date-time with offset, such as 2027-02-10T14:00:00-05:00.'),
    end: z.coerce.date().describe('End, in the same form as start.'),
    timeZone: z
      .string()
      .refine(isKnownTimeZone, 'Use an IANA time zone name such as "America/New_York" or "America/Denver".')
      .default('America/New_York')
      .describe('IANA time zone where the event happens; its times are shown in this zone.'),
    location: z.string().min(2).describe('"Online" or the city and state.'),
    audience: audienceList,
    topics: topicList,
    summary: z.string().min(40).max(400).describe('What the event covers and who should attend.'),
    registration: z
      .enum(['open', 'closed', 'not-required'])
      .default('not-required')
      .describe('open: the event takes registrations on this site; closed: registration has ended; not-required.'),
    recording: z
      .string()
      .regex(/^\/webinars\/[a-z0-9-]+\/$/, 'Use the archive page path, such as "/webinars/finding-a-child/".')
      .optional()
      .describe('For a past webinar, the archive page that holds its summary.'),
  })
  .strict()
  .refine((event) => event.end > event.start, { message: 'end must be after start.', path: ['end'] });

function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const collectionSchemas = {
  faqs: faqSchema,
  webinars: webinarSchema,
  'white-papers': whitePaperSchema,
  newsletters: newsletterSchema,
  tools: toolSchema,
  events: eventSchema,
} as const;

export type CollectionName = keyof typeof collectionSchemas;
