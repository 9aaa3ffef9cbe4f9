import rss from '@astrojs/rss';
import type { APIContext } from 'astro';
import { getCollection } from 'astro:content';
import { entryPath } from '../../lib/collections';

export async function GET(context: APIContext) {
  const issues = (await getCollection('newsletters')).sort((a, b) => b.data.date.getTime() - a.data.date.getTime());

  return rss({
    title: 'MSIX Assist quarterly newsletter',
    description: 'Success stories, best practices and technical tips on records exchange for migratory children.',
    site: context.site ?? 'http://localhost:4321',
    items: issues.map((issue) => ({
      title: issue.data.title,
      description: issue.data.summary,
      pubDate: issue.data.date,
      link: entryPath('newsletters', issue.id),
    })),
    customData: '<language>en-us</language>',
  });
}
