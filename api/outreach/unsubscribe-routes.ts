/**
 * One-click unsubscribe (RFC 8058) at /unsubscribe/<token>, outside /api so
 * mail providers can POST to it without an Origin header or a JSON body.
 * GET only shows a page with a confirm button and changes nothing, because
 * mail scanners open links. POST unsubscribes, whatever its body or content
 * type, and returns 200 with a page, never a redirect. Every answer is
 * Cache-Control: no-store.
 */
import { Hono, type Context } from 'hono';
import { eq } from 'drizzle-orm';
import { subscribers } from '../../db/schema';
import type { AppDependencies, AppEnv } from '../app';
import { getClientIp } from '../shared/client-ip';
import { unsubscribeSubscriber } from './subscribers/unsubscribe';
import { readUnsubscribeToken, type UnsubscribeTokenContent } from './unsubscribe-links';

/** Longer tokens are rejected before the signature check; real ones are under 200 characters. */
const maxTokenLength = 1000;

export function unsubscribePages(dependencies: AppDependencies) {
  const { database, clock, linkSecret } = dependencies;
  const routes = new Hono<AppEnv>();

  function readToken(c: Context<AppEnv>): { token: string; content: UnsubscribeTokenContent } | undefined {
    const token = c.req.param('token') ?? '';
    const content = token.length > maxTokenLength ? undefined : readUnsubscribeToken(token, linkSecret, clock());
    return content ? { token, content } : undefined;
  }

  routes.get('/unsubscribe/:token', (c) => {
    const link = readToken(c);
    const subscriber = link
      ? database.db
          .select({ status: subscribers.status })
          .from(subscribers)
          .where(eq(subscribers.id, link.content.subscriberId))
          .get()
      : undefined;
    if (!link || !subscriber) return sendPage(c, 400, invalidLinkPage);
    if (subscriber.status === 'unsubscribed') return sendPage(c, 200, unsubscribedPage);
    return sendPage(c, 200, confirmPage(link.token));
  });

  routes.post('/unsubscribe/:token', (c) => {
    const link = readToken(c);
    const result = link
      ? unsubscribeSubscriber(
          database.db,
          { subscriberId: link.content.subscriberId, campaignId: link.content.campaignId, channel: 'one_click' },
          { ip: getClientIp(c), requestId: c.get('requestId'), now: clock() },
        )
      : undefined;
    if (!result) return sendPage(c, 400, invalidLinkPage);
    return sendPage(c, 200, unsubscribedPage);
  });

  return routes;
}

interface PageContent {
  title: string;
  /** Trusted HTML of the page's main content after the heading. */
  body: string;
}

function confirmPage(token: string): PageContent {
  const action = `/unsubscribe/${encodeURIComponent(token)}`;
  return {
    title: 'Unsubscribe from the MSIX newsletter',
    body: [
      '<p>Select the button to stop receiving the quarterly newsletter of the MSIX technical-assistance program at this address.</p>',
      `<form method="post" action="${escapeHtml(action)}">`,
      '<input type="hidden" name="List-Unsubscribe" value="One-Click">',
      '<button type="submit">Unsubscribe</button>',
      '</form>',
      '<p>If you opened this page by mistake, close it: nothing changes until you select the button.</p>',
    ].join('\n'),
  };
}

const unsubscribedPage: PageContent = {
  title: 'You are unsubscribed',
  body: [
    '<p>This address will not receive the MSIX newsletter any more.</p>',
    '<p>If you change your mind, sign up again on the <a href="/newsletters/">newsletters page</a>.</p>',
  ].join('\n'),
};

const invalidLinkPage: PageContent = {
  title: 'This unsubscribe link does not work',
  body: [
    '<p>The link is incomplete, was changed, or is more than a year old. Some email programs cut long links in two.</p>',
    '<p>To stop receiving the newsletter, open the unsubscribe link at the bottom of the most recent issue. If that does not work either, contact the MSIX technical-assistance help desk and ask to be removed from the newsletter list.</p>',
  ].join('\n'),
};

function sendPage(c: Context<AppEnv>, status: 200 | 400, page: PageContent) {
  c.header('Cache-Control', 'no-store');
  return c.html(renderPage(page), status);
}

/**
 * Renders a small page without inline script or style, which the site's
 * Content-Security-Policy forbids; its look comes from site/public/styles/plain-page.css.
 */
function renderPage(page: PageContent): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(page.title)} | MSIX Assist</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/styles/plain-page.css">
</head>
<body>
<header><a class="site-name" href="/">MSIX Assist</a><span>Technical assistance for the Migrant Student Information Exchange</span></header>
<main>
<h1>${escapeHtml(page.title)}</h1>
${page.body}
</main>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
