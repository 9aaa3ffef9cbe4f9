import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { eligibleForCampaigns } from '../api/outreach/subscribers/eligibility';
import { isSuppressed } from '../api/outreach/subscribers/suppress';
import {
  buildPreferencesUrl,
  buildUnsubscribeLinks,
  readUnsubscribeMailSubject,
  readUnsubscribeToken,
} from '../api/outreach/unsubscribe-links';
import { auditLog, subscribers, suppressions } from '../db/schema';
import { createFakeClock, days } from './helpers/clock';
import { startTestServer, type RunningServer } from './helpers/server';

const linkSecret = 'test-link-secret-that-is-long-enough-0123456789';
const mailFrom = 'MSIX Assist <no-reply@msix-assist.test>';
const siteUrl = 'https://msix-assist.example.org';

describe('unsubscribe links', () => {
  const now = new Date('2026-12-04T15:00:00.000Z');

  test('build RFC 8058 headers', () => {
    const links = buildUnsubscribeLinks({
      subscriberId: 42,
      campaignId: 7,
      siteUrl,
      mailFrom,
      secret: linkSecret,
      now,
    });

    expect(links.url).toMatch(/^https:\/\/msix-assist\.example\.org\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(links.mailto).toMatch(
      /^mailto:unsubscribe@msix-assist\.test\?subject=unsubscribe%20[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
    );
    expect(links.headers).toEqual({
      'List-Unsubscribe': `<${links.url}>, <${links.mailto}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(links.headers['List-Unsubscribe']).not.toMatch(/[\r\n]/);
  });

  test('token holds ids, never address', () => {
    const { url } = buildUnsubscribeLinks({
      subscriberId: 42,
      campaignId: 7,
      siteUrl,
      mailFrom,
      secret: linkSecret,
      now,
    });
    const token = url.slice(url.lastIndexOf('/') + 1);

    const payload = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as unknown;
    expect(payload).toEqual({ purpose: 'unsubscribe', id: 42, issuedAt: now.getTime(), campaignId: 7 });
    expect(readUnsubscribeToken(token, linkSecret, now)).toEqual({ subscriberId: 42, campaignId: 7 });
    expect(readUnsubscribeToken(token, 'another-secret-that-is-long-enough-0000', now)).toBeUndefined();
  });

  test('mailto subject carries token', () => {
    const { mailto } = buildUnsubscribeLinks({ subscriberId: 5, siteUrl, mailFrom, secret: linkSecret, now });
    const subject = decodeURIComponent(new URL(mailto).searchParams.get('subject') ?? '');

    expect(readUnsubscribeMailSubject(subject, linkSecret, now)).toEqual({ subscriberId: 5, campaignId: null });
    expect(readUnsubscribeMailSubject(`Re: ${subject}`, linkSecret, now)).toBeUndefined();
  });

  test('site URL trailing slash ignored', () => {
    const { url } = buildUnsubscribeLinks({
      subscriberId: 5,
      siteUrl: `${siteUrl}/`,
      mailFrom,
      secret: linkSecret,
      now,
    });
    const preferences = buildPreferencesUrl({ subscriberId: 5, siteUrl: `${siteUrl}/`, secret: linkSecret, now });

    expect(url.startsWith(`${siteUrl}/unsubscribe/`)).toBe(true);
    expect(preferences.startsWith(`${siteUrl}/newsletters/preferences/#token=`)).toBe(true);
  });
});

describe('unsubscribe pages', () => {
  let clock: ReturnType<typeof createFakeClock>;
  let server: RunningServer;

  beforeEach(async () => {
    clock = createFakeClock();
    server = await startTestServer({ clock });
  });

  afterEach(async () => {
    await server.close();
  });

  const db = () => server.testApp.database.db;

  function createSubscriber(email: string, status: 'pending' | 'confirmed' = 'confirmed'): number {
    const now = clock().toISOString();
    return db()
      .insert(subscribers)
      .values({
        email,
        status,
        source: 'signup',
        confirmedAt: status === 'confirmed' ? now : null,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: subscribers.id })
      .get().id;
  }

  /** Returns the path of a subscriber's unsubscribe URL, built as a campaign delivery builds it. */
  function unsubscribePath(subscriberId: number, campaignId?: number): string {
    const { url } = buildUnsubscribeLinks({
      subscriberId,
      campaignId,
      siteUrl: server.testApp.config.siteUrl,
      mailFrom: server.testApp.config.mailFrom,
      secret: linkSecret,
      now: clock(),
    });
    return new URL(url).pathname;
  }

  function readSubscriber(id: number) {
    return db().select().from(subscribers).where(eq(subscribers.id, id)).get();
  }

  function unsubscribeAudits() {
    return db().select().from(auditLog).where(eq(auditLog.action, 'subscriber.unsubscribed')).all();
  }

  /** Sends a POST the way a mail provider sends it: form-encoded, no cookie, no Origin, redirects not followed. */
  function postOneClick(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
      ...init,
    });
  }

  test('GET shows button and changes nothing', async () => {
    const id = createSubscriber('reader@district.example.org');
    const path = unsubscribePath(id, 7);

    const response = await fetch(`${server.url}${path}`, { redirect: 'manual' });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('set-cookie')).toBeNull();
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<title>Unsubscribe from the MSIX newsletter | MSIX Assist</title>');
    expect(html).toContain('<h1>Unsubscribe from the MSIX newsletter</h1>');
    expect(html).toContain(`<form method="post" action="${path}">`);
    expect(html).toContain('<button type="submit">Unsubscribe</button>');
    expect(html).toContain('<a class="site-name" href="/">MSIX Assist</a>');
    expect(html).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
    expect(html).not.toContain('reader@district.example.org');

    expect(readSubscriber(id)?.status).toBe('confirmed');
    expect(db().select().from(suppressions).all()).toHaveLength(0);
    expect(unsubscribeAudits()).toHaveLength(0);
  });

  test('HEAD changes nothing', async () => {
    const id = createSubscriber('scanner@district.example.org');

    const response = await fetch(`${server.url}${unsubscribePath(id)}`, { method: 'HEAD' });

    expect(response.status).toBe(200);
    expect(readSubscriber(id)?.status).toBe('confirmed');
  });

  test('one-click POST unsubscribes', async () => {
    const id = createSubscriber('leaving@district.example.org');

    const response = await postOneClick(unsubscribePath(id, 7));

    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('<h1>You are unsubscribed</h1>');
    expect(html).toContain('<a href="/newsletters/">newsletters page</a>');

    const subscriber = readSubscriber(id);
    expect(subscriber?.status).toBe('unsubscribed');
    expect(subscriber?.unsubscribedAt).toBe(clock().toISOString());
    const [suppression, ...others] = db().select().from(suppressions).all();
    expect(others).toHaveLength(0);
    expect(suppression).toMatchObject({ email: 'leaving@district.example.org', reason: 'unsubscribed', campaignId: 7 });
    expect(isSuppressed(db(), 'Leaving@District.example.org')).toBe(true);
    const eligible = db().select().from(subscribers).where(eligibleForCampaigns(db())).all();
    expect(eligible).toHaveLength(0);

    const [audit] = unsubscribeAudits();
    expect(audit).toMatchObject({
      actorId: null,
      actorEmail: null,
      objectType: 'subscriber',
      objectId: String(id),
      outcome: 'success',
      detail: 'via one_click, campaign 7',
      ip: '127.0.0.1',
    });
  });

  test('second POST answers 200', async () => {
    const id = createSubscriber('twice@district.example.org');
    const path = unsubscribePath(id, 7);

    const first = await postOneClick(path);
    const second = await postOneClick(path);

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(await second.text()).toContain('You are unsubscribed');
    expect(db().select().from(suppressions).all()).toHaveLength(1);
    expect(unsubscribeAudits()).toHaveLength(1);
  });

  test.each([
    ['no body', { body: null, headers: {} }],
    ['JSON', { body: '{"unsubscribe":true}', headers: { 'Content-Type': 'application/json' } }],
    ['plain text', { body: 'unsubscribe', headers: { 'Content-Type': 'text/plain' } }],
    [
      'foreign Origin',
      { headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://mail.example.com' } },
    ],
  ])('POST with %s unsubscribes', async (_case, init) => {
    const id = createSubscriber('any-body@district.example.org');

    const response = await postOneClick(unsubscribePath(id), init);

    expect(response.status).toBe(200);
    expect(readSubscriber(id)?.status).toBe('unsubscribed');
  });

  test('page form posts to same URL', async () => {
    const id = createSubscriber('form@district.example.org');
    const page = await (await fetch(`${server.url}${unsubscribePath(id, 3)}`)).text();
    const action = /<form method="post" action="([^"]+)">/.exec(page)?.[1] ?? '';

    const response = await postOneClick(action);

    expect(response.status).toBe(200);
    expect(readSubscriber(id)?.status).toBe('unsubscribed');
  });

  test('GET after unsubscribe shows status', async () => {
    const id = createSubscriber('done@district.example.org');
    const path = unsubscribePath(id);
    await postOneClick(path);

    const response = await fetch(`${server.url}${path}`);

    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1>You are unsubscribed</h1>');
    expect(html).not.toContain('<form');
  });

  test('pending subscriber can unsubscribe', async () => {
    const id = createSubscriber('pending@district.example.org', 'pending');

    const response = await postOneClick(unsubscribePath(id));

    expect(response.status).toBe(200);
    expect(readSubscriber(id)?.status).toBe('unsubscribed');
    expect(readSubscriber(id)?.confirmTokenHash).toBeNull();
  });

  test('link works after 30 days', async () => {
    const id = createSubscriber('late-reader@district.example.org');
    const path = unsubscribePath(id, 4);

    clock.advance(days(31));
    expect((await fetch(`${server.url}${path}`)).status).toBe(200);
    clock.advance(days(300));
    const response = await postOneClick(path);

    expect(response.status).toBe(200);
    expect(readSubscriber(id)?.status).toBe('unsubscribed');
  });

  test('link expires after 365 days', async () => {
    const id = createSubscriber('very-late@district.example.org');
    const path = unsubscribePath(id);
    clock.advance(days(366));

    const response = await postOneClick(path);

    expect(response.status).toBe(400);
    expect(readSubscriber(id)?.status).toBe('confirmed');
  });

  test('invalid tokens answer 400 page', async () => {
    const id = createSubscriber('target@district.example.org');
    const valid = unsubscribePath(id).slice('/unsubscribe/'.length);
    const [body, signature] = valid.split('.');
    const forgedBody = Buffer.from(
      JSON.stringify({ purpose: 'unsubscribe', id: id + 1, issuedAt: clock().getTime() }),
    ).toString('base64url');
    const preferencesUrl = buildPreferencesUrl({
      subscriberId: id,
      siteUrl: server.testApp.config.siteUrl,
      secret: linkSecret,
      now: clock(),
    });
    const preferencesToken = preferencesUrl.slice(preferencesUrl.indexOf('#token=') + '#token='.length);
    const missingSubscriber = unsubscribePath(id + 100).slice('/unsubscribe/'.length);

    for (const token of [
      `${forgedBody}.${signature}`,
      `${body}.${signature?.slice(0, -3)}abc`,
      preferencesToken,
      missingSubscriber,
      'not-a-token',
      'x'.repeat(2000),
    ]) {
      for (const method of ['GET', 'POST']) {
        const response = await fetch(`${server.url}/unsubscribe/${token}`, { method, redirect: 'manual' });
        expect(response.status).toBe(400);
        expect(response.headers.get('cache-control')).toBe('no-store');
        const html = await response.text();
        expect(html).toContain('<h1>This unsubscribe link does not work</h1>');
        expect(html).toContain('open the unsubscribe link at the bottom of the most recent issue');
      }
    }
    expect(readSubscriber(id)?.status).toBe('confirmed');
    expect(db().select().from(suppressions).all()).toHaveLength(0);
  });

  test('keeps stronger suppression', async () => {
    const id = createSubscriber('bounced@district.example.org');
    db()
      .insert(suppressions)
      .values({ email: 'bounced@district.example.org', reason: 'hard_bounce', createdAt: clock().toISOString() })
      .run();

    const response = await postOneClick(unsubscribePath(id, 9));

    expect(response.status).toBe(200);
    const [suppression] = db().select().from(suppressions).all();
    expect(suppression?.reason).toBe('hard_bounce');
    expect(suppression?.campaignId).toBeNull();
    expect(readSubscriber(id)?.status).toBe('unsubscribed');
  });
});
