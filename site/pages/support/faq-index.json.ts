/**
 * The FAQ index that the new-ticket form matches in the browser: titles,
 * slugs and short answers of the portal's FAQs, all public content.
 */
import { getCollection } from 'astro:content';

export async function GET() {
  const faqs = await getCollection('faqs');
  const entries = faqs
    .map((faq) => ({ slug: faq.id, title: faq.data.title, summary: faq.data.shortAnswer, topic: faq.data.topic }))
    .sort((a, b) => a.slug.localeCompare(b.slug));
  return new Response(JSON.stringify(entries), { headers: { 'Content-Type': 'application/json' } });
}
