import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ValidationError } from '../api/shared/validation';
import { eligibleForCampaigns } from '../api/outreach/subscribers/eligibility';
import { importSubscribers } from '../api/outreach/subscribers/import';
import { isSuppressed, suppress } from '../api/outreach/subscribers/suppress';
import { buildPreferencesUrl, buildUnsubscribeLinks } from '../api/outreach/unsubscribe-links';
import { parseCsvRecords } from '../api/shared/csv';
import { createMailQueue } from '../api/shared/mail-queue';
import { auditLog, outboxMessages, subscribers, suppressions } from '../db/schema';
import { createMailTransport, createOutboxWorker } from '../emails';
import { createPerson, signInAs, testOrigin, type TestPerson } from './helpers/accounts';
import { createFakeClock, days, hours, minutes } from './helpers/clock';
import { createTestApp, type TestApp } from './helpers/server';

const linkSecret = 'test-link-secret-that-is-long-enough-0123456789';
const signUpMessage =
  'Thank you. If this address can receive the newsletter, a confirmation email is on its way: open the link in it within 7 days to start your subscription.';

describe('subscribers', () => {
  let clock: ReturnType<typeof createFakeClock>;
  let testApp: TestApp;
  let ipCounter = 0;

  beforeEach(() => {
    clock = createFakeClock();
    testApp = createTestApp({ clock });
  });

  afterEach(() => {
    testApp.cleanup();
  });

  const db = () => testApp.database.db;

  /** Returns a fresh client address per call unless one is given, so the per-IP limit only counts where a test wants it. */
  function nextIp(): string {
    ipCounter += 1;
    return `198.51.100.${ipCounter % 250}`;
  }

  async function request(
    method: string,
    url: string,
    options: { body?: unknown; cookie?: string; ip?: string } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { Origin: testOrigin };
    if (options.cookie) headers.Cookie = options.cookie;
    if (method !== 'GET') headers['Content-Type'] = 'application/json';
    const env = { incoming: { socket: { remoteAddress: options.ip ?? nextIp() } } };
    return testApp.app.request(
      url,
      { method, headers, body: method === 'GET' ? undefined : JSON.stringify(options.body ?? {}) },
      env,
    );
  }

  function signUp(body: Record<string, unknown>, ip?: string) {
    return request('POST', '/api/subscribers', { body, ...(ip ? { ip } : {}) });
  }

  function findSubscriber(email: string) {
    return db().select().from(subscribers).where(eq(subscribers.email, email)).get();
  }

  function confirmationMails(email: string) {
    return db()
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.recipient, email), eq(outboxMessages.kind, 'subscription_confirmation')))
      .all();
  }

  /** Returns the token of the newest confirmation email sent to the address. */
  function latestConfirmToken(email: string): string {
    const mail = confirmationMails(email).at(-1);
    const token = /\/newsletters\/subscribe\/#token=([A-Za-z0-9_-]+)/.exec(mail?.textBody ?? '')?.[1];
    if (!token) throw new Error(`no confirmation link was sent to ${email}`);
    return token;
  }

  function isEligible(email: string): boolean {
    const row = db()
      .select({ id: subscribers.id })
      .from(subscribers)
      .where(and(eq(subscribers.email, email), eligibleForCampaigns(db())))
      .get();
    return row !== undefined;
  }

  async function subscribeAndConfirm(email: string, details: Record<string, unknown> = {}): Promise<number> {
    expect((await signUp({ email, ...details })).status).toBe(202);
    const response = await request('POST', '/api/subscribers/confirm', { body: { token: latestConfirmToken(email) } });
    expect(response.status).toBe(200);
    const subscriber = findSubscriber(email);
    if (!subscriber) throw new Error(`${email} was not stored`);
    return subscriber.id;
  }

  async function signInAdmin(): Promise<{ admin: TestPerson; cookie: string }> {
    const admin = await createPerson(db(), { role: 'admin', now: clock() });
    return { admin, cookie: await signInAs(testApp.app, admin) };
  }

  function auditRows(action: string) {
    return db().select().from(auditLog).where(eq(auditLog.action, action)).all();
  }

  describe('sign-up', () => {
    test('queues confirmation for new address', async () => {
      const response = await signUp({
        email: ' Registrar@District.Example.org ',
        name: 'Ana Registrar',
        state: 'tx',
        role: 'school-staff',
        topics: ['finding-a-child', 'data-quality', 'finding-a-child'],
      });

      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ message: signUpMessage });
      const subscriber = findSubscriber('registrar@district.example.org');
      expect(subscriber?.status).toBe('pending');
      expect(subscriber?.source).toBe('signup');
      expect(subscriber?.name).toBe('Ana Registrar');
      expect(subscriber?.state).toBe('TX');
      expect(subscriber?.role).toBe('school-staff');
      expect(JSON.parse(subscriber?.topics ?? '')).toEqual(['finding-a-child', 'data-quality']);
      expect(subscriber?.confirmSentAt).toBe(clock().toISOString());

      const [mail, ...others] = confirmationMails('registrar@district.example.org');
      expect(others).toHaveLength(0);
      expect(mail?.subject).toBe('Confirm your subscription to the MSIX newsletter');
      expect(mail?.textBody).toContain('http://localhost:4321/newsletters/subscribe/#token=');
      expect(mail?.textBody).toContain('expires in 7 days');
      expect(mail?.textBody).not.toContain('Ana Registrar');
      const token = latestConfirmToken('registrar@district.example.org');
      expect(subscriber?.confirmTokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(subscriber?.confirmTokenHash).not.toContain(token);
    });

    test('audits without actor email', async () => {
      await signUp({ email: 'counselor@district.example.org' });

      const [row] = auditRows('subscriber.signup');
      expect(row?.actorEmail).toBeNull();
      expect(row?.actorId).toBeNull();
      expect(row?.objectType).toBe('subscriber');
      expect(row?.objectId).toBe(String(findSubscriber('counselor@district.example.org')?.id));
      expect(row?.outcome).toBe('success');
      expect(row?.detail).toBe('created');
    });

    test('answers alike for every status', async () => {
      await subscribeAndConfirm('confirmed@district.example.org');
      await signUp({ email: 'pending@district.example.org' });
      suppress(db(), { email: 'bounced@district.example.org', reason: 'hard_bounce', now: clock() });
      const mailsBefore = db().select().from(outboxMessages).all().length;

      const answers = [];
      for (const email of [
        'new@district.example.org',
        'pending@district.example.org',
        'confirmed@district.example.org',
        'bounced@district.example.org',
      ]) {
        const response = await signUp({ email, name: 'Someone Else' });
        answers.push({ status: response.status, body: await response.json() });
      }

      for (const answer of answers) expect(answer).toEqual({ status: 202, body: { message: signUpMessage } });
      expect(db().select().from(outboxMessages).all().length).toBe(mailsBefore + 2);
      expect(confirmationMails('new@district.example.org')).toHaveLength(1);
      expect(confirmationMails('pending@district.example.org')).toHaveLength(2);
      expect(confirmationMails('confirmed@district.example.org')).toHaveLength(1);
      expect(confirmationMails('bounced@district.example.org')).toHaveLength(0);
      expect(findSubscriber('confirmed@district.example.org')?.name).toBeNull();
      expect(findSubscriber('bounced@district.example.org')).toBeUndefined();
    });

    test.each([
      ['CR LF and header', 'Ana\r\nBcc: victim@example.org'],
      ['LF', 'Ana\nRegistrar'],
      ['trailing CR', 'Ana Registrar\r'],
      ['NUL', 'Ana\u0000Registrar'],
      ['escape', 'Ana\u001b[31m'],
      ['line separator', 'Ana\u2028Registrar'],
    ])('rejects name with %s', async (_case, name) => {
      const response = await signUp({ email: 'injected@district.example.org', name });

      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; fields: { field: string; message: string }[] } };
      expect(body.error.code).toBe('invalid_input');
      expect(body.error.fields).toEqual([
        {
          field: 'name',
          message: 'must not contain line breaks (CR or LF) or other control characters; write it on one line.',
        },
      ]);
      expect(findSubscriber('injected@district.example.org')).toBeUndefined();
      expect(db().select().from(outboxMessages).all()).toHaveLength(0);
    });

    test.each([
      ['header in email', { email: 'a@district.example.org\r\nBcc: victim@example.org' }, 'email'],
      ['display name email', { email: 'Ana <a@district.example.org>' }, 'email'],
      ['unknown state', { email: 'a@district.example.org', state: 'XX' }, 'state'],
      ['state with CR LF', { email: 'a@district.example.org', state: 'TX\r\n' }, 'state'],
      ['unknown role', { email: 'a@district.example.org', role: 'principal' }, 'role'],
      ['unknown topic', { email: 'a@district.example.org', topics: ['gardening'] }, 'topics.0'],
    ])('rejects %s', async (_case, body, field) => {
      const response = await signUp(body);

      expect(response.status).toBe(400);
      const answer = (await response.json()) as { error: { fields: { field: string }[] } };
      expect(answer.error.fields.map((problem) => problem.field)).toEqual([field]);
      expect(db().select().from(subscribers).all()).toHaveLength(0);
    });

    test('throttles per address', async () => {
      const email = 'busy@district.example.org';
      for (let attempt = 0; attempt < 3; attempt += 1) expect((await signUp({ email })).status).toBe(202);

      const response = await signUp({ email });

      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('3600');
      expect(confirmationMails(email)).toHaveLength(3);
      clock.advance(hours(1));
      expect((await signUp({ email })).status).toBe(202);
    });

    test('throttles per IP address', async () => {
      const ip = '203.0.113.9';
      for (let index = 0; index < 20; index += 1) {
        expect((await signUp({ email: `person${index}@district.example.org` }, ip)).status).toBe(202);
      }

      const response = await signUp({ email: 'person20@district.example.org' }, ip);

      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(findSubscriber('person20@district.example.org')).toBeUndefined();
      expect((await signUp({ email: 'person20@district.example.org' }, '203.0.113.10')).status).toBe(202);
    });

    test('keeps throttle keys free of addresses', async () => {
      await signUp({ email: 'private@district.example.org' });

      const keys = testApp.database.sqlite.prepare('SELECT key FROM throttle_counters').all() as { key: string }[];
      expect(keys.length).toBeGreaterThan(0);
      for (const { key } of keys) expect(key).not.toContain('private');
    });
  });

  describe('double opt-in', () => {
    test('pending address is never eligible', async () => {
      await signUp({ email: 'pending@district.example.org' });

      expect(findSubscriber('pending@district.example.org')?.status).toBe('pending');
      expect(isEligible('pending@district.example.org')).toBe(false);
    });

    test('confirm link works once', async () => {
      await signUp({ email: 'reader@district.example.org' });
      const token = latestConfirmToken('reader@district.example.org');
      clock.advance(days(6));

      const first = await request('POST', '/api/subscribers/confirm', { body: { token } });
      const second = await request('POST', '/api/subscribers/confirm', { body: { token } });

      expect(first.status).toBe(200);
      const answer = (await first.json()) as { preferencesUrl: string };
      expect(answer.preferencesUrl).toMatch(/^http:\/\/localhost:4321\/newsletters\/preferences\/#token=/);
      const subscriber = findSubscriber('reader@district.example.org');
      expect(subscriber?.status).toBe('confirmed');
      expect(subscriber?.confirmedAt).toBe(clock().toISOString());
      expect(subscriber?.confirmTokenHash).toBeNull();
      expect(isEligible('reader@district.example.org')).toBe(true);
      expect(second.status).toBe(400);
      expect(((await second.json()) as { error: { code: string } }).error.code).toBe('invalid_link');
      expect(auditRows('subscriber.confirmed')).toHaveLength(1);
    });

    test('confirm link expires after 7 days', async () => {
      await signUp({ email: 'late@district.example.org' });
      const token = latestConfirmToken('late@district.example.org');
      clock.advance(days(7) + minutes(1));

      const response = await request('POST', '/api/subscribers/confirm', { body: { token } });

      expect(response.status).toBe(400);
      const answer = (await response.json()) as { error: { code: string; message: string } };
      expect(answer.error.code).toBe('invalid_link');
      expect(answer.error.message).toContain('Sign up again');
      expect(findSubscriber('late@district.example.org')?.status).toBe('pending');
    });

    test('new sign-up retires earlier link', async () => {
      await signUp({ email: 'twice@district.example.org' });
      const first = latestConfirmToken('twice@district.example.org');
      await signUp({ email: 'twice@district.example.org' });
      const second = latestConfirmToken('twice@district.example.org');

      const old = await request('POST', '/api/subscribers/confirm', { body: { token: first } });
      const current = await request('POST', '/api/subscribers/confirm', { body: { token: second } });

      expect(old.status).toBe(400);
      expect(current.status).toBe(200);
    });

    test('confirmation mail arrives over SMTP', async () => {
      const received: Buffer[] = [];
      const server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, _session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            received.push(Buffer.concat(chunks));
            callback(null);
          });
        },
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.server.address() as AddressInfo;
      const unusedMailbox = mkdtempSync(path.join(tmpdir(), 'msix-subscribers-'));
      const transport = createMailTransport(
        { smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: testApp.config.mailFrom, mailboxDirectory: unusedMailbox },
        { clock },
      );

      try {
        await signUp({ email: 'smtp-reader@district.example.org', name: 'Ana Registrar' });
        const worker = createOutboxWorker({
          database: testApp.database,
          transport,
          logger: pino({ level: 'silent' }),
          clock,
        });
        expect(await worker.runOnce()).toBe(1);

        const [raw, ...others] = received;
        expect(others).toHaveLength(0);
        const mail = await simpleParser(raw ?? Buffer.alloc(0));
        const to = mail.to && 'text' in mail.to ? mail.to.text : undefined;
        expect(to).toBe('smtp-reader@district.example.org');
        expect(mail.subject).toBe('Confirm your subscription to the MSIX newsletter');
        expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
        const token = /#token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
        expect(token).toBeDefined();
        expect(mail.html).toContain('Confirm my subscription');

        const response = await request('POST', '/api/subscribers/confirm', { body: { token } });
        expect(response.status).toBe(200);
        expect(findSubscriber('smtp-reader@district.example.org')?.status).toBe('confirmed');
      } finally {
        transport.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        rmSync(unusedMailbox, { recursive: true, force: true });
      }
    });
  });

  describe('re-subscribe', () => {
    test('unsubscribed address can subscribe again', async () => {
      const id = await subscribeAndConfirm('returning@district.example.org');
      const unsubscribeUrl = new URL(
        buildUnsubscribeLinks({
          subscriberId: id,
          campaignId: 3,
          siteUrl: testApp.config.siteUrl,
          mailFrom: testApp.config.mailFrom,
          secret: linkSecret,
          now: clock(),
        }).url,
      );
      expect((await testApp.app.request(unsubscribeUrl.pathname, { method: 'POST' })).status).toBe(200);
      expect(isSuppressed(db(), 'returning@district.example.org')).toBe(true);

      expect((await signUp({ email: 'returning@district.example.org' })).status).toBe(202);
      expect(findSubscriber('returning@district.example.org')?.status).toBe('pending');
      expect(confirmationMails('returning@district.example.org')).toHaveLength(2);
      expect(isSuppressed(db(), 'returning@district.example.org')).toBe(true);
      expect(isEligible('returning@district.example.org')).toBe(false);

      const token = latestConfirmToken('returning@district.example.org');
      expect((await request('POST', '/api/subscribers/confirm', { body: { token } })).status).toBe(200);
      expect(findSubscriber('returning@district.example.org')?.status).toBe('confirmed');
      expect(findSubscriber('returning@district.example.org')?.unsubscribedAt).toBeNull();
      expect(isSuppressed(db(), 'returning@district.example.org')).toBe(false);
      expect(isEligible('returning@district.example.org')).toBe(true);
    });

    test.each(['hard_bounce', 'complaint', 'manual'] as const)('%s blocks re-subscribe', async (reason) => {
      await subscribeAndConfirm('blocked@district.example.org');
      suppress(db(), { email: 'BLOCKED@district.example.org', reason, now: clock() });
      const before = findSubscriber('blocked@district.example.org');

      const response = await signUp({ email: 'blocked@district.example.org', name: 'New Name' });

      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ message: signUpMessage });
      expect(findSubscriber('blocked@district.example.org')).toEqual(before);
      expect(confirmationMails('blocked@district.example.org')).toHaveLength(1);
      expect(isSuppressed(db(), 'blocked@district.example.org')).toBe(true);
      expect(isEligible('blocked@district.example.org')).toBe(false);
      expect(auditRows('subscriber.signup').at(-1)?.detail).toBe(`suppressed_${reason}`);
    });

    test('bounce after unsubscribe stays', async () => {
      const id = await subscribeAndConfirm('bounced-later@district.example.org');
      const { url } = buildUnsubscribeLinks({
        subscriberId: id,
        siteUrl: testApp.config.siteUrl,
        mailFrom: testApp.config.mailFrom,
        secret: linkSecret,
        now: clock(),
      });
      await testApp.app.request(new URL(url).pathname, { method: 'POST' });
      const upgraded = suppress(db(), {
        email: 'bounced-later@district.example.org',
        reason: 'hard_bounce',
        now: clock(),
      });
      const kept = suppress(db(), {
        email: 'bounced-later@district.example.org',
        reason: 'unsubscribed',
        now: clock(),
      });

      expect(upgraded.outcome).toBe('updated');
      expect(kept.outcome).toBe('unchanged');
      expect(kept.suppression.reason).toBe('hard_bounce');
      await signUp({ email: 'bounced-later@district.example.org' });
      expect(findSubscriber('bounced-later@district.example.org')?.status).toBe('unsubscribed');
    });
  });

  describe('preferences', () => {
    function preferencesToken(subscriberId: number, now = clock()): string {
      const url = buildPreferencesUrl({ subscriberId, siteUrl: testApp.config.siteUrl, secret: linkSecret, now });
      return url.slice(url.indexOf('#token=') + '#token='.length);
    }

    test('reads and changes through token', async () => {
      const id = await subscribeAndConfirm('prefs@district.example.org', { state: 'CA', topics: ['reports'] });
      const token = preferencesToken(id);

      const read = await request('GET', `/api/subscribers/preferences/${token}`);
      expect(read.status).toBe(200);
      expect(await read.json()).toEqual({
        preferences: {
          email: 'prefs@district.example.org',
          name: null,
          state: 'CA',
          role: null,
          topics: ['reports'],
          status: 'confirmed',
        },
      });

      const update = await request('PUT', `/api/subscribers/preferences/${token}`, {
        body: { name: 'Lee Recruiter', state: 'wa', role: 'recruiters', topics: ['move-notices', 'accounts'] },
      });
      expect(update.status).toBe(200);
      const answer = (await update.json()) as { preferences: Record<string, unknown> };
      expect(answer.preferences).toMatchObject({
        name: 'Lee Recruiter',
        state: 'WA',
        role: 'recruiters',
        topics: ['move-notices', 'accounts'],
        status: 'confirmed',
      });
      const [audit] = auditRows('subscriber.preferences_updated');
      expect(audit?.detail).toBe('changed name, state, role, topics');
      expect(audit?.actorEmail).toBeNull();
      expect(audit?.objectId).toBe(String(id));

      const cleared = await request('PUT', `/api/subscribers/preferences/${token}`, {
        body: { name: null, state: '', topics: [] },
      });
      expect(((await cleared.json()) as { preferences: Record<string, unknown> }).preferences).toMatchObject({
        name: null,
        state: null,
        role: 'recruiters',
        topics: [],
      });
    });

    test('rejects CR LF in name', async () => {
      const id = await subscribeAndConfirm('prefs-crlf@district.example.org');

      const response = await request('PUT', `/api/subscribers/preferences/${preferencesToken(id)}`, {
        body: { name: 'Lee\r\nBcc: victim@example.org' },
      });

      expect(response.status).toBe(400);
      expect(findSubscriber('prefs-crlf@district.example.org')?.name).toBeNull();
    });

    test('rejects fields that are not preferences', async () => {
      const id = await subscribeAndConfirm('prefs-status@district.example.org');

      const response = await request('PUT', `/api/subscribers/preferences/${preferencesToken(id)}`, {
        body: { status: 'confirmed', email: 'other@example.org' },
      });

      expect(response.status).toBe(400);
      expect(findSubscriber('prefs-status@district.example.org')?.email).toBe('prefs-status@district.example.org');
    });

    test('rejects tampered token', async () => {
      const first = await subscribeAndConfirm('first@district.example.org');
      const second = await subscribeAndConfirm('second@district.example.org');
      const token = preferencesToken(first);
      const [body, signature] = token.split('.');
      const otherBody = Buffer.from(
        JSON.stringify({ purpose: 'preferences', id: second, issuedAt: clock().getTime() }),
      ).toString('base64url');

      for (const tampered of [`${otherBody}.${signature}`, `${body}.${signature?.slice(0, -2)}xx`, `${body}`, 'x']) {
        const response = await request('GET', `/api/subscribers/preferences/${encodeURIComponent(tampered)}`);
        expect(response.status).toBe(400);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_link');
      }
    });

    test('rejects unsubscribe token', async () => {
      const id = await subscribeAndConfirm('purpose@district.example.org');
      const { url } = buildUnsubscribeLinks({
        subscriberId: id,
        siteUrl: testApp.config.siteUrl,
        mailFrom: testApp.config.mailFrom,
        secret: linkSecret,
        now: clock(),
      });
      const unsubscribeToken = url.slice(url.lastIndexOf('/') + 1);

      const read = await request('GET', `/api/subscribers/preferences/${unsubscribeToken}`);
      const write = await request('PUT', `/api/subscribers/preferences/${unsubscribeToken}`, {
        body: { unsubscribe: true },
      });

      expect(read.status).toBe(400);
      expect(write.status).toBe(400);
      expect(findSubscriber('purpose@district.example.org')?.status).toBe('confirmed');
    });

    test('token expires after 365 days', async () => {
      const id = await subscribeAndConfirm('yearly@district.example.org');
      const token = preferencesToken(id);

      clock.advance(days(364));
      expect((await request('GET', `/api/subscribers/preferences/${token}`)).status).toBe(200);
      clock.advance(days(2));
      expect((await request('GET', `/api/subscribers/preferences/${token}`)).status).toBe(400);
    });

    test('unsubscribes from preferences', async () => {
      const id = await subscribeAndConfirm('leaving@district.example.org');

      const response = await request('PUT', `/api/subscribers/preferences/${preferencesToken(id)}`, {
        body: { unsubscribe: true },
      });

      expect(response.status).toBe(200);
      expect(((await response.json()) as { preferences: { status: string } }).preferences.status).toBe('unsubscribed');
      const suppression = db()
        .select()
        .from(suppressions)
        .where(eq(suppressions.email, 'leaving@district.example.org'))
        .get();
      expect(suppression?.reason).toBe('unsubscribed');
      expect(suppression?.campaignId).toBeNull();
      expect(auditRows('subscriber.unsubscribed')[0]?.detail).toBe('via preferences');
    });
  });

  describe('admin', () => {
    test('lists with filters and total', async () => {
      const { cookie } = await signInAdmin();
      await subscribeAndConfirm('tx-data@district.example.org', { state: 'TX', role: 'data-administrators' });
      await subscribeAndConfirm('tx-all-topics@district.example.org', { state: 'TX' });
      await subscribeAndConfirm('ca-reports@district.example.org', { state: 'CA', topics: ['reports'] });
      await signUp({ email: 'pending-tx@district.example.org', state: 'TX', topics: ['data-quality'] });
      suppress(db(), { email: 'ca-reports@district.example.org', reason: 'complaint', now: clock() });

      const all = (await (await request('GET', '/api/subscribers', { cookie })).json()) as {
        subscribers: { email: string; suppressed: string | null }[];
        total: number;
        limit: number;
      };
      expect(all.total).toBe(4);
      expect(all.limit).toBe(500);
      expect(all.subscribers.map((row) => row.email)).toEqual([
        'ca-reports@district.example.org',
        'pending-tx@district.example.org',
        'tx-all-topics@district.example.org',
        'tx-data@district.example.org',
      ]);
      expect(all.subscribers[0]?.suppressed).toBe('complaint');
      expect(all.subscribers[1]?.suppressed).toBeNull();

      const emailsFor = async (query: string) => {
        const answer = (await (await request('GET', `/api/subscribers?${query}`, { cookie })).json()) as {
          subscribers: { email: string }[];
          total: number;
        };
        expect(answer.total).toBe(answer.subscribers.length);
        return answer.subscribers.map((row) => row.email);
      };
      expect(await emailsFor('status=pending')).toEqual(['pending-tx@district.example.org']);
      expect(await emailsFor('state=TX&status=confirmed')).toEqual([
        'tx-all-topics@district.example.org',
        'tx-data@district.example.org',
      ]);
      expect(await emailsFor('role=data-administrators')).toEqual(['tx-data@district.example.org']);
      expect(await emailsFor('topic=reports')).toEqual([
        'ca-reports@district.example.org',
        'tx-all-topics@district.example.org',
        'tx-data@district.example.org',
      ]);
      expect(await emailsFor('search=ALL-TOP')).toEqual(['tx-all-topics@district.example.org']);
      expect((await request('GET', '/api/subscribers?state=ZZ', { cookie })).status).toBe(400);
    });

    test('exports formula-safe CSV', async () => {
      const { cookie } = await signInAdmin();
      await subscribeAndConfirm('formula@district.example.org', {
        name: '=HYPERLINK("http://evil.example")',
        state: 'NM',
        role: 'recruiters',
        topics: ['move-notices', 'reports'],
      });
      await signUp({ email: 'plain@district.example.org', name: '+1 Plain, "Quoted"' });

      const response = await request('GET', '/api/subscribers/export', { cookie });

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="subscribers-2026-12-04.csv"');
      expect(response.headers.get('cache-control')).toBe('no-store');
      const text = await response.text();
      expect(text.split('\r\n')[0]).toBe(
        'email,name,state,role,topics,status,source,confirmed_at,unsubscribed_at,created_at',
      );
      const records = parseCsvRecords(text);
      expect(records).toEqual([
        {
          email: 'formula@district.example.org',
          name: `'=HYPERLINK("http://evil.example")`,
          state: 'NM',
          role: 'recruiters',
          topics: 'move-notices;reports',
          status: 'confirmed',
          source: 'signup',
          confirmed_at: clock().toISOString(),
          unsubscribed_at: '',
          created_at: clock().toISOString(),
        },
        {
          email: 'plain@district.example.org',
          name: `'+1 Plain, "Quoted"`,
          state: '',
          role: '',
          topics: '',
          status: 'pending',
          source: 'signup',
          confirmed_at: '',
          unsubscribed_at: '',
          created_at: clock().toISOString(),
        },
      ]);
      expect(auditRows('subscriber.exported')[0]?.detail).toBe('2 rows');
    });

    test('import reports line, column, value and problem', async () => {
      const { cookie } = await signInAdmin();
      await subscribeAndConfirm('existing@district.example.org', { state: 'TX' });
      const unsubscribedId = await subscribeAndConfirm('gone@district.example.org');
      await testApp.app.request(
        new URL(
          buildUnsubscribeLinks({
            subscriberId: unsubscribedId,
            siteUrl: testApp.config.siteUrl,
            mailFrom: testApp.config.mailFrom,
            secret: linkSecret,
            now: clock(),
          }).url,
        ).pathname,
        { method: 'POST' },
      );
      suppress(db(), { email: 'complained@district.example.org', reason: 'complaint', now: clock() });
      const csv = [
        'Email,Name,State,Role,Topics,Organization',
        'new.one@district.example.org,New One,tx,school-staff,finding-a-child; reports,District 9',
        'not-an-address,Bad Email,TX,,,',
        'third@district.example.org,Third,ZZ,principal,reports;gardening,',
        '',
        'EXISTING@district.example.org,Existing Person,,recruiters,,',
        'new.one@district.example.org,Again,,,,',
        'complained@district.example.org,Complained,,,,',
        'gone@district.example.org,Gone,,,,',
        'fourth@district.example.org,"Fourth, Jr.",CA,,,',
        'fifth@district.example.org,"Broken',
        'name",CA,,,',
        'sixth@district.example.org,Sixth,CA,,,,extra',
        '',
      ].join('\r\n');

      const response = await request('POST', '/api/subscribers/import', { cookie, body: { csv, confirmed: false } });

      expect(response.status).toBe(200);
      const report = (await response.json()) as Record<string, unknown>;
      expect(report).toEqual({
        imported: 2,
        updated: 1,
        unchanged: 0,
        skipped: 8,
        errorCount: 10,
        warnings: [
          {
            line: 1,
            column: 'organization',
            value: 'organization',
            problem: 'is not an import column and was ignored; allowed: email, name, state, role, topics',
          },
        ],
        errors: [
          {
            line: 3,
            column: 'email',
            value: 'not-an-address',
            problem: 'must be one email address such as name@agency.gov, without a display name',
          },
          {
            line: 4,
            column: 'state',
            value: 'ZZ',
            problem: expect.stringMatching(/^must be a USPS state code such as TX/),
          },
          {
            line: 4,
            column: 'role',
            value: 'principal',
            problem:
              'must be one of school-staff, recruiters, data-administrators, state-coordinators, program-leaders',
          },
          {
            line: 4,
            column: 'topics',
            value: 'gardening',
            problem: expect.stringMatching(/^is not a topic id; separate topics with ";"/),
          },
          {
            line: 7,
            column: 'email',
            value: 'new.one@district.example.org',
            problem: 'appears again; line 2 already has it',
          },
          {
            line: 8,
            column: 'email',
            value: 'complained@district.example.org',
            problem: 'is on the suppression list (reason complaint), so it was not imported or re-subscribed',
          },
          {
            line: 9,
            column: 'email',
            value: 'gone@district.example.org',
            problem: 'is on the suppression list (reason unsubscribed), so it was not imported or re-subscribed',
          },
          {
            line: 11,
            column: null,
            value: 'fifth@district.example.org,"Broken',
            problem: 'has a quoted value that is not closed on this line; values cannot contain line breaks',
          },
          {
            line: 12,
            column: null,
            value: 'name",CA,,,',
            problem: 'has a quoted value that is not closed on this line; values cannot contain line breaks',
          },
          {
            line: 13,
            column: null,
            value: 'sixth@district.example.org,Sixth,CA,,,,extra',
            problem: 'has 7 values but the header has 6 columns; put quotes around values that contain commas',
          },
        ],
      });

      const created = findSubscriber('new.one@district.example.org');
      expect(created).toMatchObject({ status: 'pending', source: 'import', name: 'New One', state: 'TX' });
      expect(JSON.parse(created?.topics ?? '')).toEqual(['finding-a-child', 'reports']);
      expect(findSubscriber('fourth@district.example.org')?.name).toBe('Fourth, Jr.');
      expect(confirmationMails('new.one@district.example.org')).toHaveLength(1);
      expect(confirmationMails('fourth@district.example.org')).toHaveLength(1);
      expect(findSubscriber('existing@district.example.org')).toMatchObject({
        status: 'confirmed',
        name: 'Existing Person',
        state: 'TX',
        role: 'recruiters',
      });
      expect(confirmationMails('existing@district.example.org')).toHaveLength(1);
      expect(findSubscriber('gone@district.example.org')?.status).toBe('unsubscribed');
      expect(findSubscriber('complained@district.example.org')).toBeUndefined();
      expect(findSubscriber('third@district.example.org')).toBeUndefined();
      expect(auditRows('subscriber.imported')).toHaveLength(2);
      expect(auditRows('subscriber.updated_by_import')).toHaveLength(1);
      expect(auditRows('subscriber.import')[0]?.detail).toBe('pending; imported 2, updated 1, unchanged 0, skipped 8');
    });

    test('import rejects file without email column', async () => {
      const { cookie } = await signInAdmin();

      const response = await request('POST', '/api/subscribers/import', {
        cookie,
        body: { csv: 'name,state\nAna,TX\n', confirmed: false },
      });

      expect(response.status).toBe(400);
      const answer = (await response.json()) as { error: { fields: { field: string; message: string }[] } };
      expect(answer.error.fields[0]?.field).toBe('csv');
      expect(answer.error.fields[0]?.message).toContain('line 1 has no email column');
    });

    test('confirmed import needs consent statement', async () => {
      const { cookie } = await signInAdmin();
      await signUp({ email: 'waiting@district.example.org' });
      const csv = 'email,name\nopted-in@district.example.org,Opted In\nwaiting@district.example.org,\n';

      const refused = await request('POST', '/api/subscribers/import', { cookie, body: { csv, confirmed: true } });
      expect(refused.status).toBe(400);
      const answer = (await refused.json()) as { error: { fields: { field: string }[] } };
      expect(answer.error.fields.map((problem) => problem.field)).toEqual(['consentConfirmed']);
      expect(findSubscriber('opted-in@district.example.org')).toBeUndefined();

      const accepted = await request('POST', '/api/subscribers/import', {
        cookie,
        body: { csv, confirmed: true, consentConfirmed: true },
      });
      expect(accepted.status).toBe(200);
      expect(await accepted.json()).toMatchObject({ imported: 1, updated: 1, skipped: 0, errors: [] });
      expect(findSubscriber('opted-in@district.example.org')).toMatchObject({
        status: 'confirmed',
        confirmedAt: clock().toISOString(),
      });
      expect(findSubscriber('waiting@district.example.org')?.status).toBe('confirmed');
      expect(confirmationMails('opted-in@district.example.org')).toHaveLength(0);
      expect(isEligible('opted-in@district.example.org')).toBe(true);
    });

    test('import rejects CSV over 1 MB', async () => {
      const admin = await createPerson(db(), { role: 'admin', now: clock() });
      const actor = {
        id: admin.id,
        email: admin.email,
        displayName: 'Admin',
        role: 'admin' as const,
        state: null,
        recordsAccess: 'none' as const,
        status: 'active' as const,
      };
      const rows = Array.from({ length: 30_000 }, (_, index) => `reader${index}@district.example.org,Reader`);
      const csv = ['email,name', ...rows].join('\n');
      expect(Buffer.byteLength(csv)).toBeGreaterThan(1024 * 1024);
      const context = { ip: '127.0.0.1', now: clock(), mail: createMailQueue(testApp.config) };

      expect(() => importSubscribers(db(), actor, { csv, confirmed: false }, context)).toThrow(ValidationError);
      expect(() => importSubscribers(db(), actor, { csv, confirmed: false }, context)).toThrow(/larger than 1 MB/);
      expect(db().select().from(subscribers).all()).toHaveLength(0);
    });

    test('adds and lists suppressions', async () => {
      const { admin, cookie } = await signInAdmin();

      const created = await request('POST', '/api/suppressions', {
        cookie,
        body: { email: 'Bounced@District.example.org', reason: 'hard_bounce' },
      });
      const repeated = await request('POST', '/api/suppressions', {
        cookie,
        body: { email: 'bounced@district.example.org', reason: 'complaint' },
      });
      const refused = await request('POST', '/api/suppressions', {
        cookie,
        body: { email: 'x@district.example.org', reason: 'unsubscribed' },
      });

      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({
        outcome: 'created',
        suppression: { email: 'bounced@district.example.org', reason: 'hard_bounce', campaignId: null },
      });
      expect(repeated.status).toBe(200);
      expect(await repeated.json()).toMatchObject({ outcome: 'unchanged', suppression: { reason: 'hard_bounce' } });
      expect(refused.status).toBe(400);
      expect(isSuppressed(db(), 'BOUNCED@district.example.org')).toBe(true);
      expect(isSuppressed(db(), 'other@district.example.org')).toBe(false);
      const audits = auditRows('suppression.added');
      expect(audits).toHaveLength(2);
      expect(audits[0]?.actorId).toBe(admin.id);

      const list = await request('GET', '/api/suppressions?reason=hard_bounce', { cookie });
      expect(await list.json()).toMatchObject({
        total: 1,
        suppressions: [{ email: 'bounced@district.example.org', reason: 'hard_bounce' }],
      });
    });

    test.each([
      ['GET', '/api/subscribers'],
      ['GET', '/api/subscribers/export'],
      ['POST', '/api/subscribers/import'],
      ['GET', '/api/suppressions'],
      ['POST', '/api/suppressions'],
    ])('%s %s needs admin', async (method, url) => {
      const visitor = await request(method, url, { body: { csv: 'email\n', email: 'a@district.example.org' } });
      expect(visitor.status).toBe(401);

      for (const role of ['state_user', 'state_coordinator', 'agent'] as const) {
        const person = await createPerson(db(), { role, now: clock() });
        const cookie = await signInAs(testApp.app, person);
        const response = await request(method, url, {
          cookie,
          body: { csv: 'email\nsneaky@district.example.org\n', email: 'a@district.example.org', reason: 'manual' },
        });
        expect(response.status).toBe(403);
      }
      expect(db().select().from(subscribers).all()).toHaveLength(0);
      expect(db().select().from(suppressions).all()).toHaveLength(0);
    });
  });
});
