import path from 'node:path';
import { Writable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { simpleParser, type AddressObject } from 'mailparser';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { CampaignView } from '../api/outreach/campaigns/campaign';
import { createCampaignDeliveries } from '../api/outreach/campaigns/deliveries';
import { createCampaignScheduler } from '../api/outreach/campaigns/scheduler';
import { deliveryBatchSize } from '../api/outreach/campaigns/start';
import { suppress } from '../api/outreach/subscribers/suppress';
import { readPreferencesToken, readUnsubscribeToken } from '../api/outreach/unsubscribe-links';
import { auditLog, campaigns, mailRateCounters, outboxMessages, subscribers } from '../db/schema';
import {
  createMailTransport,
  createOutboxWorker,
  enqueueMessage,
  retryDelayMs,
  type MailRateLimits,
  type MailTransport,
} from '../emails';
import { NewsletterRenderError, renderNewsletter, fillRecipientLinks } from '../emails/templates/newsletter';
import { startSmtpSink, type SmtpSink } from './fixtures/smtp-sink';
import { createPerson, sendJson, signInAs, type TestPerson } from './helpers/accounts';
import { createFakeClock, days, hours, minutes } from './helpers/clock';
import { createTestApp, type TestApp } from './helpers/server';

/** The link-signing key createTestApp passes to the app. */
const linkSecret = 'test-link-secret-that-is-long-enough-0123456789';
const siteUrl = 'https://assist.example.gov';
const issueSlug = '2026-q1';
const lineBreakValues = ['Quarterly news\r\nBcc: victim@example.org', 'Quarterly news\nX-Injected: yes', 'News\r'];

let clock: ReturnType<typeof createFakeClock>;
let testApp: TestApp;
let sink: SmtpSink;
let transport: MailTransport;
let admin: TestPerson;
let adminCookie: string;
let logLines: string[];

beforeEach(async () => {
  clock = createFakeClock(new Date('2026-12-04T15:00:00.000Z'));
  testApp = createTestApp({ clock, siteUrl });
  sink = await startSmtpSink({ keepRaw: true });
  transport = createMailTransport(
    {
      smtpUrl: sink.url,
      mailFrom: testApp.config.mailFrom,
      mailboxDirectory: path.join(testApp.directory, 'unused'),
    },
    { clock },
  );
  admin = await createPerson(testApp.database.db, { role: 'admin', now: clock() });
  adminCookie = await signInAs(testApp.app, admin);
  logLines = [];
});

afterEach(async () => {
  transport.close();
  await sink.close();
  testApp.cleanup();
});

// ---------------------------------------------------------------------------
// Helpers

interface ApiResult<Body> {
  status: number;
  body: Body & { error?: { code: string; message: string; fields?: { field: string; message: string }[] } };
}

async function api<Body = { campaign: CampaignView }>(
  method: string,
  pathName: string,
  body?: unknown,
  cookie = adminCookie,
): Promise<ApiResult<Body>> {
  const response = await sendJson(testApp.app, method, pathName, { cookie, body });
  return { status: response.status, body: (await response.json()) as ApiResult<Body>['body'] };
}

let subscriberCount = 0;

function addSubscriber(
  options: {
    email?: string;
    state?: string | null;
    role?: string | null;
    topics?: string[];
    status?: 'pending' | 'confirmed' | 'unsubscribed';
  } = {},
): { id: number; email: string } {
  subscriberCount += 1;
  const email = options.email ?? `reader-${subscriberCount}@district.example.org`;
  const now = clock().toISOString();
  const row = testApp.database.db
    .insert(subscribers)
    .values({
      email,
      state: options.state ?? null,
      role: options.role ?? null,
      topics: JSON.stringify(options.topics ?? []),
      status: options.status ?? 'confirmed',
      confirmedAt: options.status === 'pending' ? null : now,
      source: 'import',
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: subscribers.id })
    .get();
  return { id: row.id, email };
}

function addSubscribers(count: number): { id: number; email: string }[] {
  return Array.from({ length: count }, () => addSubscriber());
}

async function createDraft(body: Record<string, unknown> = {}): Promise<CampaignView> {
  const result = await api('POST', '/api/campaigns', { newsletterSlug: issueSlug, ...body });
  expect(result.status).toBe(201);
  return result.body.campaign;
}

async function startCampaign(body: Record<string, unknown> = {}): Promise<CampaignView> {
  const draft = await createDraft(body);
  const result = await api('POST', `/api/campaigns/${draft.id}/send`);
  expect(result.status).toBe(200);
  return result.body.campaign;
}

function createWorker(options: { rateLimit?: MailRateLimits; batchSize?: number } = {}) {
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString());
      callback();
    },
  });
  const logger = pino({ level: 'debug' }, logStream);
  return createOutboxWorker({
    database: testApp.database,
    transport,
    logger,
    clock,
    batchSize: options.batchSize ?? 10,
    rateLimit: options.rateLimit ?? { perSecond: 1000, perDay: 10_000_000 },
    campaigns: createCampaignDeliveries({ database: testApp.database, logger, settings: { siteUrl, linkSecret } }),
  });
}

/** Runs the worker until a run attempts nothing, at most `maxRuns` times. Returns the attempts made. */
async function drain(worker: ReturnType<typeof createWorker>, maxRuns = 50): Promise<number> {
  let total = 0;
  for (let run = 0; run < maxRuns; run += 1) {
    const attempted = await worker.runOnce();
    if (attempted === 0) return total;
    total += attempted;
  }
  throw new Error(`the worker was still sending after ${maxRuns} runs`);
}

function deliveries(campaignId: number) {
  return testApp.database.db
    .select()
    .from(outboxMessages)
    .where(eq(outboxMessages.campaignId, campaignId))
    .orderBy(outboxMessages.id)
    .all();
}

function campaignRow(campaignId: number) {
  return testApp.database.db.select().from(campaigns).where(eq(campaigns.id, campaignId)).get()!;
}

async function readCampaign(campaignId: number): Promise<CampaignView> {
  const result = await api('GET', `/api/campaigns/${campaignId}`);
  expect(result.status).toBe(200);
  return result.body.campaign;
}

function schedulerFor() {
  return createCampaignScheduler({
    database: testApp.database,
    clock,
    logger: pino({ level: 'silent' }),
    settings: { siteUrl, mailFrom: testApp.config.mailFrom, postalAddress: testApp.config.postalAddress, linkSecret },
  });
}

/** Reads one header from a raw message, with folded lines joined. */
function rawHeader(raw: Buffer, name: string): string | undefined {
  const text = raw.toString('latin1');
  const head = text.slice(0, text.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const line = head.split('\r\n').find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

function addressText(addresses: AddressObject | AddressObject[] | undefined): string {
  if (addresses === undefined) return '';
  return (Array.isArray(addresses) ? addresses : [addresses]).map((address) => address.text).join(', ');
}

function countBy<T>(values: T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

// ---------------------------------------------------------------------------

describe('campaign API', () => {
  test('create rejects unknown issue', async () => {
    const result = await api('POST', '/api/campaigns', { newsletterSlug: '2031-q9' });

    expect(result.status).toBe(400);
    expect(result.body.error?.message).toContain('newsletterSlug: no issue "2031-q9" in content/newsletters');
    expect(result.body.error?.message).toContain('2026-q1');
  });

  test('create uses issue title as subject', async () => {
    const campaign = await createDraft();

    expect(campaign.status).toBe('draft');
    expect(campaign.subject).toBe('First quarter 2026: credit that moves with the student');
    expect(campaign.audience).toEqual({ states: [], roles: [], topics: [] });
    expect(campaign.archiveUrl).toBe(`${siteUrl}/newsletters/2026-q1/`);
    expect(campaign.stats.total).toBe(0);
  });

  test('create records audit row', async () => {
    const campaign = await createDraft();

    const rows = testApp.database.db.select().from(auditLog).where(eq(auditLog.action, 'campaign.created')).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.objectId).toBe(String(campaign.id));
    expect(rows[0]?.actorId).toBe(admin.id);
  });

  test.each(lineBreakValues)('create rejects line break in subject %j', async (subject) => {
    const result = await api('POST', '/api/campaigns', { newsletterSlug: issueSlug, subject });

    expect(result.status).toBe(400);
    expect(result.body.error?.fields?.[0]?.field).toBe('subject');
    expect(result.body.error?.message).toContain('line breaks');
  });

  test.each([
    ['states', ['TX\r\nBcc: victim@example.org']],
    ['roles', ['recruiters\nX-Injected: yes']],
    ['topics', ['reports\r']],
    ['states', ['ZZ']],
  ])('create rejects audience %s value %j', async (list, values) => {
    const result = await api('POST', '/api/campaigns', { newsletterSlug: issueSlug, audience: { [list]: values } });

    expect(result.status).toBe(400);
    expect(result.body.error?.fields?.[0]?.field).toBe(`audience.${list}.0`);
  });

  test('update rejects line break in subject', async () => {
    const campaign = await createDraft();

    const result = await api('PATCH', `/api/campaigns/${campaign.id}`, { subject: 'Hello\r\nBcc: x@example.org' });

    expect(result.status).toBe(400);
    expect(campaignRow(campaign.id).subject).toBe(campaign.subject);
  });

  test('update changes subject and audience', async () => {
    const campaign = await createDraft();

    const result = await api('PATCH', `/api/campaigns/${campaign.id}`, {
      subject: 'Credit that moves',
      audience: { states: ['TX', 'OH'], topics: ['credit-accrual'] },
    });

    expect(result.status).toBe(200);
    expect(result.body.campaign.subject).toBe('Credit that moves');
    expect(result.body.campaign.audience).toEqual({ states: ['TX', 'OH'], roles: [], topics: ['credit-accrual'] });
  });

  test('routes reject non-admin', async () => {
    const coordinator = await createPerson(testApp.database.db, { role: 'state_coordinator', now: clock() });
    const cookie = await signInAs(testApp.app, coordinator);

    const list = await api('GET', '/api/campaigns', undefined, cookie);
    const create = await api('POST', '/api/campaigns', { newsletterSlug: issueSlug }, cookie);

    expect(list.status).toBe(403);
    expect(create.status).toBe(403);
  });

  test('preview returns html, text and headers', async () => {
    addSubscriber();
    addSubscriber({ email: 'blocked@district.example.org' });
    suppress(testApp.database.db, { email: 'blocked@district.example.org', reason: 'complaint', now: clock() });
    const campaign = await createDraft();

    const result = await api<{
      subject: string;
      html: string;
      text: string;
      headersSample: Record<string, string>;
      recipients: number;
      suppressedRecipients: number;
    }>('GET', `/api/campaigns/${campaign.id}/preview`);

    expect(result.status).toBe(200);
    const preview = result.body;
    expect(preview.subject).toBe(campaign.subject);
    expect(preview.html).toContain('<meta name="color-scheme" content="light dark">');
    expect(preview.html).toContain(`href="${siteUrl}/newsletters/2026-q1/"`);
    expect(preview.html).toContain(`href="${siteUrl}/tools/data-quality-review-checklist/"`);
    expect(preview.html).toContain(testApp.config.postalAddress);
    expect(preview.text).toContain(`Read this issue on the web: ${siteUrl}/newsletters/2026-q1/`);
    expect(preview.text).toContain(testApp.config.postalAddress);
    expect(preview.headersSample['List-Unsubscribe']).toBe(
      `<${siteUrl}/unsubscribe/SAMPLE-TOKEN>, <mailto:unsubscribe@msix-assist.test?subject=unsubscribe%20SAMPLE-TOKEN>`,
    );
    expect(preview.headersSample['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(preview.headersSample.Precedence).toBe('bulk');
    expect(preview.recipients).toBe(2);
    expect(preview.suppressedRecipients).toBe(1);
  });

  test('test send goes to admin only', async () => {
    addSubscribers(3);
    const campaign = await createDraft();

    const result = await api<{ test: { to: string } }>('POST', `/api/campaigns/${campaign.id}/test`);
    await drain(createWorker());

    expect(result.status).toBe(202);
    expect(result.body.test.to).toBe(admin.email);
    expect(sink.raw).toHaveLength(1);
    const mail = await simpleParser(sink.raw[0]!);
    expect(addressText(mail.to)).toBe(admin.email);
    expect(mail.subject).toBe(`[Test] ${campaign.subject}`);
    expect(mail.text).toContain('Success story: a tenth grader keeps her fall courses');
    expect(deliveries(campaign.id)).toHaveLength(0);
    expect(campaignRow(campaign.id).status).toBe('draft');
  });

  test.each([
    ['pause', 'draft', /Campaign \d+ is draft, so it cannot be paused/],
    ['resume', 'draft', /Campaign \d+ is draft, so it cannot be resumed/],
  ])('%s of %s campaign answers 409', async (action, _status, message) => {
    const campaign = await createDraft();

    const result = await api('POST', `/api/campaigns/${campaign.id}/${action}`);

    expect(result.status).toBe(409);
    expect(result.body.error?.code).toBe('invalid_status');
    expect(result.body.error?.message).toMatch(message);
  });

  test('sending campaign rejects changes', async () => {
    addSubscribers(2);
    const campaign = await startCampaign();

    const patch = await api('PATCH', `/api/campaigns/${campaign.id}`, { subject: 'Another subject' });
    const sendAgain = await api('POST', `/api/campaigns/${campaign.id}/send`);
    const schedule = await api('POST', `/api/campaigns/${campaign.id}/schedule`, {
      scheduledAt: new Date(clock().getTime() + hours(1)).toISOString(),
    });

    expect(patch.status).toBe(409);
    expect(sendAgain.status).toBe(409);
    expect(schedule.status).toBe(409);
    expect(sendAgain.body.error?.message).toContain('is sending, so it cannot start sending');
  });

  test('schedule rejects past time', async () => {
    const campaign = await createDraft();

    const past = await api('POST', `/api/campaigns/${campaign.id}/schedule`, {
      scheduledAt: new Date(clock().getTime() - minutes(1)).toISOString(),
    });
    const noZone = await api('POST', `/api/campaigns/${campaign.id}/schedule`, { scheduledAt: '2027-01-20 14:00' });

    expect(past.status).toBe(400);
    expect(past.body.error?.message).toContain('scheduledAt: must be in the future');
    expect(noZone.status).toBe(400);
    expect(noZone.body.error?.fields?.[0]?.field).toBe('scheduledAt');
  });

  test('finished campaign cannot be cancelled', async () => {
    addSubscribers(1);
    const campaign = await startCampaign();
    await drain(createWorker());

    const result = await api('POST', `/api/campaigns/${campaign.id}/cancel`);

    expect(campaignRow(campaign.id).status).toBe('finished');
    expect(result.status).toBe(409);
  });

  test('empty audience finishes at once', async () => {
    const campaign = await startCampaign({ audience: { states: ['WY'] } });

    expect(campaign.status).toBe('finished');
    expect(campaign.stats.total).toBe(0);
  });
});

describe('campaign deliveries', () => {
  test('audience selects recipients', async () => {
    const texasRecruiter = addSubscriber({ state: 'TX', role: 'recruiters', topics: ['move-notices'] });
    const texasAllTopics = addSubscriber({ state: 'TX', role: 'recruiters', topics: [] });
    addSubscriber({ state: 'TX', role: 'recruiters', topics: ['reports'] });
    addSubscriber({ state: 'OH', role: 'recruiters', topics: ['move-notices'] });
    addSubscriber({ state: 'TX', role: 'school-staff', topics: ['move-notices'] });
    addSubscriber({ state: 'TX', role: 'recruiters', topics: [], status: 'pending' });
    addSubscriber({ state: 'TX', role: 'recruiters', topics: [], status: 'unsubscribed' });

    const campaign = await startCampaign({
      audience: { states: ['TX'], roles: ['recruiters'], topics: ['move-notices', 'credit-accrual'] },
    });

    const subscriberIds = deliveries(campaign.id).map((row) => row.subscriberId);
    expect(subscriberIds).toEqual([texasRecruiter.id, texasAllTopics.id]);
    expect(campaign.status).toBe('sending');
    expect(campaign.stats).toMatchObject({ total: 2, queued: 2 });
  });

  test('one delivery per recipient across batches', async () => {
    const people = addSubscribers(deliveryBatchSize + 7);

    const campaign = await startCampaign();

    const rows = deliveries(campaign.id);
    expect(rows).toHaveLength(people.length);
    expect(new Set(rows.map((row) => row.subscriberId)).size).toBe(people.length);
    expect(new Set(rows.map((row) => row.messageId)).size).toBe(people.length);
  });

  test('raw message carries list headers', async () => {
    const reader = addSubscriber();
    const campaign = await startCampaign();

    await drain(createWorker());

    const [row] = deliveries(campaign.id);
    const raw = sink.raw[0]!;
    const listUnsubscribe = rawHeader(raw, 'List-Unsubscribe') ?? '';
    const match =
      /^<(https:\/\/assist\.example\.gov\/unsubscribe\/([^>]+))>, <mailto:unsubscribe@msix-assist\.test\?subject=unsubscribe%20([^>]+)>$/.exec(
        listUnsubscribe,
      );
    expect(match).not.toBeNull();
    const [, unsubscribeUrl, token, mailtoToken] = match!;
    expect(mailtoToken).toBe(token);
    expect(readUnsubscribeToken(token!, linkSecret, clock())).toEqual({
      subscriberId: reader.id,
      campaignId: campaign.id,
    });
    expect(rawHeader(raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(rawHeader(raw, 'Precedence')).toBe('bulk');
    expect(rawHeader(raw, 'Message-ID')).toBe(row?.messageId);
    expect(rawHeader(raw, 'List-Id')).toBe('MSIX Assist newsletter <newsletter.msix-assist.test>');
    expect(rawHeader(raw, 'Content-Type')).toMatch(/^multipart\/alternative;/);

    const mail = await simpleParser(raw);
    expect(addressText(mail.to)).toBe(reader.email);
    expect(mail.subject).toBe(campaign.subject);
    expect(mail.text).toContain(`Unsubscribe: ${unsubscribeUrl}`);
    expect(mail.html).toContain(`href="${unsubscribeUrl}"`);
    expect(mail.text).toContain(testApp.config.postalAddress);
    expect(mail.html).toContain(testApp.config.postalAddress);
    const preferencesToken = /newsletters\/preferences\/#token=([A-Za-z0-9_.-]+)/.exec(mail.text ?? '')?.[1];
    expect(readPreferencesToken(preferencesToken ?? '', linkSecret, clock())).toBe(reader.id);
    expect(`${mail.text}${mail.html}`).not.toContain('\uE000');
  });

  test('html part is email-safe', async () => {
    addSubscriber();
    await startCampaign();

    await drain(createWorker());

    const html = (await simpleParser(sink.raw[0]!)).html || '';
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    expect(html).toContain('<table role="presentation"');
    expect(html).not.toMatch(/<style|<link|<script|class=/i);
    expect(html).toMatch(/<body style="[^"]*background-color:#f0f0f0;color:#1b1b1b;/);
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((found) => found[1]!);
    expect(hrefs.length).toBeGreaterThan(5);
    for (const href of hrefs) expect(href).toMatch(/^(https:\/\/|mailto:)/);
  });

  test('sent only after server accepted', async () => {
    addSubscribers(2);
    const campaign = await startCampaign();
    sink.rejectRecipient = () => ({ code: 451, message: '4.3.0 Try again later' });

    await createWorker().runOnce();

    const rows = deliveries(campaign.id);
    expect(rows.map((row) => row.status)).toEqual(['queued', 'queued']);
    expect(rows.every((row) => row.attempts === 1 && row.lastError?.includes('451'))).toBe(true);
    expect(campaignRow(campaign.id).status).toBe('sending');
  });

  test('suppressed before start is never sent', async () => {
    addSubscriber();
    const blocked = addSubscriber();
    suppress(testApp.database.db, { email: blocked.email, reason: 'hard_bounce', now: clock() });

    const campaign = await startCampaign();
    await drain(createWorker());

    const blockedRow = deliveries(campaign.id).find((row) => row.subscriberId === blocked.id);
    expect(blockedRow?.status).toBe('suppressed');
    expect(blockedRow?.attempts).toBe(0);
    expect(sink.raw).toHaveLength(1);
    expect(sink.raw[0]!.toString()).not.toContain(blocked.email);
    expect(campaignRow(campaign.id).status).toBe('finished');
  });

  test('suppressed after start is never sent', async () => {
    const people = addSubscribers(3);
    const campaign = await startCampaign();
    suppress(testApp.database.db, { email: people[1]!.email, reason: 'unsubscribed', now: clock() });

    await drain(createWorker());

    const statuses = deliveries(campaign.id).map((row) => row.status);
    expect(statuses).toEqual(['sent', 'suppressed', 'sent']);
    expect(sink.raw).toHaveLength(2);
    expect(logLines.join('')).toContain('campaign delivery suppressed');
  });

  test('logs omit subscriber addresses', async () => {
    const people = addSubscribers(3);
    await startCampaign();
    sink.rejectRecipient = (address) =>
      address === people[0]!.email ? { code: 550, message: `5.1.1 <${address}> User unknown` } : undefined;

    await drain(createWorker());

    const logs = logLines.join('');
    expect(logs).toContain('outbox message failed (permanent error)');
    for (const person of people) expect(logs).not.toContain(person.email);
  });

  test('per-second limit holds', async () => {
    addSubscribers(8);
    const campaign = await startCampaign();
    const worker = createWorker({ rateLimit: { perSecond: 3, perDay: 1000 } });

    const firstWindow = await worker.runOnce();
    const sameWindow = await worker.runOnce();
    clock.advance(1000);
    const secondWindow = await worker.runOnce();
    clock.advance(1000);
    const thirdWindow = await worker.runOnce();

    expect([firstWindow, sameWindow, secondWindow, thirdWindow]).toEqual([3, 0, 3, 2]);
    expect(sink.messageIds).toHaveLength(8);
    expect(deliveries(campaign.id).every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
  });

  test('day budget holds across restart', async () => {
    addSubscribers(12);
    const campaign = await startCampaign();
    const limits = { perSecond: 100, perDay: 10 };

    const sentToday = await drain(createWorker({ rateLimit: limits }));
    const afterRestart = await createWorker({ rateLimit: limits }).runOnce();
    clock.advance(hours(2));
    const laterToday = await createWorker({ rateLimit: limits }).runOnce();
    clock.set(new Date('2026-12-05T00:00:01.000Z'));
    const nextDay = await drain(createWorker({ rateLimit: limits }));

    // Campaigns may use 90% of the daily budget: 9 of 10.
    expect(sentToday).toBe(9);
    expect(afterRestart).toBe(0);
    expect(laterToday).toBe(0);
    expect(nextDay).toBe(3);
    expect(new Set(sink.messageIds).size).toBe(12);
    expect(campaignRow(campaign.id).status).toBe('finished');
    const counters = testApp.database.db.select().from(mailRateCounters).all();
    expect(counters.filter((row) => row.key.startsWith('day:')).map((row) => row.count)).toEqual([9, 3]);
  });

  test('day budget keeps room for account mail', async () => {
    addSubscribers(12);
    await startCampaign();
    const worker = createWorker({ rateLimit: { perSecond: 100, perDay: 10 } });
    await drain(worker);
    testApp.database.db.transaction((tx) =>
      enqueueMessage(
        tx,
        { kind: 'password_reset', to: admin.email, subject: 'Reset your password', text: 'Open the link.' },
        clock,
        { mailFrom: testApp.config.mailFrom },
      ),
    );

    const attempted = await worker.runOnce();

    expect(attempted).toBe(1);
    expect(sink.messageIds).toHaveLength(10);
  });

  test('account mail goes before campaign backlog', async () => {
    addSubscribers(15);
    await startCampaign();
    const reset = testApp.database.db.transaction((tx) =>
      enqueueMessage(
        tx,
        { kind: 'password_reset', to: admin.email, subject: 'Reset your password', text: 'Open the link.' },
        clock,
        { mailFrom: testApp.config.mailFrom },
      ),
    );

    await createWorker({ batchSize: 5 }).runOnce();

    expect(sink.messageIds[0]).toBe(reset.messageId);
    expect(sink.messageIds).toHaveLength(5);
  });

  test('pause and resume send each once', async () => {
    const people = addSubscribers(20);
    const campaign = await startCampaign();
    const worker = createWorker({ batchSize: 5 });

    await worker.runOnce();
    const paused = await api('POST', `/api/campaigns/${campaign.id}/pause`);
    const whilePaused = await drain(worker);
    const pausedStats = (await readCampaign(campaign.id)).stats;
    const resumed = await api('POST', `/api/campaigns/${campaign.id}/resume`);
    await drain(worker);

    expect(paused.body.campaign.status).toBe('paused');
    expect(paused.body.campaign.pausedReason).toBe('Paused by an admin.');
    expect(whilePaused).toBe(0);
    expect(pausedStats).toMatchObject({ sent: 5, queued: 15 });
    expect(resumed.body.campaign.status).toBe('sending');
    const rows = deliveries(campaign.id);
    expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
    expect(countBy(sink.messageIds).size).toBe(people.length);
    expect(sink.messageIds).toHaveLength(people.length);
    expect(campaignRow(campaign.id).status).toBe('finished');
  });

  test('pause mid-batch returns claimed deliveries', async () => {
    addSubscribers(6);
    const campaign = await startCampaign();
    const smtpTransport = transport;
    transport = {
      ...smtpTransport,
      async send(mail) {
        await smtpTransport.send(mail);
        testApp.database.db.update(campaigns).set({ status: 'paused' }).where(eq(campaigns.id, campaign.id)).run();
      },
    };

    const attempted = await createWorker({ batchSize: 6 }).runOnce();

    expect(attempted).toBe(1);
    const rows = deliveries(campaign.id);
    expect(rows.filter((row) => row.status === 'sent')).toHaveLength(1);
    const queued = rows.filter((row) => row.status === 'queued');
    expect(queued).toHaveLength(5);
    expect(queued.every((row) => row.attempts === 0 && row.leaseExpiresAt === null)).toBe(true);
    transport = smtpTransport;
  });

  test('dropped connections retried, each delivered once', async () => {
    addSubscribers(12);
    const campaign = await startCampaign();
    sink.dropEvery = 4;
    const worker = createWorker();

    for (let round = 1; round <= 6 && deliveries(campaign.id).some((row) => row.status !== 'sent'); round += 1) {
      await drain(worker);
      clock.advance(retryDelayMs(round));
    }

    const rows = deliveries(campaign.id);
    expect(sink.dropped).toBeGreaterThanOrEqual(2);
    expect(rows.every((row) => row.status === 'sent')).toBe(true);
    expect(rows.some((row) => row.attempts > 1)).toBe(true);
    expect([...countBy(sink.messageIds).values()].every((count) => count === 1)).toBe(true);
    expect(new Set(sink.messageIds)).toEqual(new Set(rows.map((row) => row.messageId)));
    expect(campaignRow(campaign.id).status).toBe('finished');
  });

  test('failure rate pauses campaign', async () => {
    addSubscribers(60);
    const campaign = await startCampaign();
    sink.rejectRecipient = () => ({ code: 550, message: '5.1.1 User unknown' });
    const worker = createWorker();

    await drain(worker);

    const view = await readCampaign(campaign.id);
    expect(view.status).toBe('paused');
    expect(view.pausedReason).toContain('Paused automatically: 50 of the last 50 send attempts failed, more than 20%');
    expect(view.stats).toMatchObject({ failed: 50, queued: 10, sent: 0 });
    const audit = testApp.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'campaign.paused_automatically'))
      .all();
    expect(audit).toHaveLength(1);

    sink.rejectRecipient = undefined;
    await api('POST', `/api/campaigns/${campaign.id}/resume`);
    await drain(worker);
    expect((await readCampaign(campaign.id)).stats).toMatchObject({ failed: 50, sent: 10 });
    expect(campaignRow(campaign.id).status).toBe('finished');
  });

  test('cancel never sends queued deliveries', async () => {
    addSubscribers(10);
    const campaign = await startCampaign();
    const worker = createWorker({ batchSize: 3 });

    await worker.runOnce();
    const cancelled = await api('POST', `/api/campaigns/${campaign.id}/cancel`);
    const afterCancel = await drain(worker);

    expect(cancelled.status).toBe(200);
    expect(cancelled.body.campaign.status).toBe('cancelled');
    expect(cancelled.body.campaign.stats).toMatchObject({ total: 10, sent: 3, cancelled: 7, failed: 0, queued: 0 });
    expect(afterCancel).toBe(0);
    expect(sink.messageIds).toHaveLength(3);
    const cancelledRows = deliveries(campaign.id).filter((row) => row.status === 'failed');
    expect(cancelledRows.every((row) => row.lastError === 'cancelled')).toBe(true);
  });

  test('cancel marks stranded delivery cancelled', async () => {
    addSubscribers(2);
    const campaign = await startCampaign();
    const [first] = deliveries(campaign.id);
    // A worker claimed the first delivery and was killed before recording it.
    testApp.database.db
      .update(outboxMessages)
      .set({ status: 'sending', attempts: 1, leaseExpiresAt: clock().toISOString() })
      .where(eq(outboxMessages.id, first!.id))
      .run();
    await api('POST', `/api/campaigns/${campaign.id}/cancel`);

    await createWorker().runOnce();

    const row = deliveries(campaign.id)[0];
    expect(row?.status).toBe('failed');
    expect(row?.lastError).toBe('cancelled');
    expect(sink.messageIds).toHaveLength(0);
  });

  test('statistics counted from rows', async () => {
    const people = addSubscribers(5);
    suppress(testApp.database.db, { email: people[4]!.email, reason: 'manual', now: clock() });
    const campaign = await startCampaign();
    sink.rejectRecipient = (address) =>
      address === people[1]!.email ? { code: 550, message: '5.1.1 User unknown' } : undefined;

    await drain(createWorker());
    suppress(testApp.database.db, {
      email: people[2]!.email,
      reason: 'unsubscribed',
      campaignId: campaign.id,
      now: clock(),
    });

    const view = await readCampaign(campaign.id);
    expect(view.stats).toEqual({
      total: 5,
      queued: 0,
      sending: 0,
      sent: 3,
      failed: 1,
      cancelled: 0,
      suppressed: 1,
      unsubscribed: 1,
    });
    const list = await api<{ campaigns: CampaignView[] }>('GET', '/api/campaigns');
    expect(list.body.campaigns.find((item) => item.id === campaign.id)?.stats).toEqual(view.stats);
  });

  test('campaign finishes only when every delivery ended', async () => {
    addSubscribers(4);
    const campaign = await startCampaign();
    sink.rejectRecipient = () => ({ code: 451, message: '4.3.0 Try again later' });
    const worker = createWorker();

    await drain(worker);
    const afterTemporaryFailures = campaignRow(campaign.id).status;
    sink.rejectRecipient = undefined;
    clock.advance(retryDelayMs(1));
    await drain(worker);

    expect(afterTemporaryFailures).toBe('sending');
    expect(campaignRow(campaign.id).status).toBe('finished');
    expect(campaignRow(campaign.id).finishedAt).toBe(clock().toISOString());
  });
});

describe('campaign scheduler', () => {
  test('due schedule starts sending', async () => {
    addSubscribers(3);
    const campaign = await createDraft();
    const scheduledAt = new Date(clock().getTime() + hours(1)).toISOString();
    const scheduled = await api('POST', `/api/campaigns/${campaign.id}/schedule`, { scheduledAt });

    const early = await schedulerFor().runOnce();
    clock.advance(hours(1) + minutes(5));
    const due = await schedulerFor().runOnce();
    await drain(createWorker());

    expect(scheduled.body.campaign.status).toBe('scheduled');
    expect(scheduled.body.campaign.scheduledAt).toBe(scheduledAt);
    expect(early.started).toEqual([]);
    expect(due.started).toEqual([campaign.id]);
    expect(sink.messageIds).toHaveLength(3);
    expect(campaignRow(campaign.id).status).toBe('finished');
  });

  test('missed schedule waits for admin', async () => {
    addSubscribers(3);
    const campaign = await createDraft();
    await api('POST', `/api/campaigns/${campaign.id}/schedule`, {
      scheduledAt: new Date(clock().getTime() + hours(1)).toISOString(),
    });

    // The server was down from before the scheduled time until 20 minutes after it.
    clock.advance(hours(1) + minutes(20));
    const run = await schedulerFor().runOnce();
    const laterRun = await schedulerFor().runOnce();
    const sentMeanwhile = await drain(createWorker());

    expect(run.missed).toEqual([campaign.id]);
    expect(laterRun.started).toEqual([]);
    expect(sentMeanwhile).toBe(0);
    expect(campaignRow(campaign.id).status).toBe('missed');
    expect(deliveries(campaign.id)).toHaveLength(0);

    // The admin session ended while the clock moved on, so the admin signs in again.
    adminCookie = await signInAs(testApp.app, admin);
    const sent = await api('POST', `/api/campaigns/${campaign.id}/send`);
    await drain(createWorker());

    expect(sent.body.campaign.status).toBe('sending');
    expect(sink.messageIds).toHaveLength(3);
  });

  test('missed campaign can be cancelled', async () => {
    const campaign = await createDraft();
    await api('POST', `/api/campaigns/${campaign.id}/schedule`, {
      scheduledAt: new Date(clock().getTime() + minutes(10)).toISOString(),
    });
    clock.advance(days(1));
    await schedulerFor().runOnce();
    adminCookie = await signInAs(testApp.app, admin);

    const result = await api('POST', `/api/campaigns/${campaign.id}/cancel`);

    expect(result.body.campaign.status).toBe('cancelled');
  });

  test('interrupted start is completed', async () => {
    const people = addSubscribers(deliveryBatchSize + 20);
    const campaign = await startCampaign();
    const db = testApp.database.db;
    // As if the process died after the first batch: the later rows and the status change are missing.
    const keep = deliveries(campaign.id).slice(0, deliveryBatchSize);
    db.delete(outboxMessages)
      .where(and(eq(outboxMessages.campaignId, campaign.id)))
      .run();
    db.insert(outboxMessages).values(keep).run();
    db.update(campaigns).set({ status: 'draft' }).where(eq(campaigns.id, campaign.id)).run();
    const whileInterrupted = await createWorker().runOnce();

    const run = await schedulerFor().runOnce();

    expect(whileInterrupted).toBe(0);
    expect(run.resumed).toEqual([campaign.id]);
    expect(campaignRow(campaign.id).status).toBe('sending');
    const rows = deliveries(campaign.id);
    expect(rows).toHaveLength(people.length);
    expect(new Set(rows.map((row) => row.subscriberId)).size).toBe(people.length);
  });
});

describe('newsletter rendering', () => {
  const settings = { siteUrl, postalAddress: '400 Maryland Avenue SW, Washington, DC 20202' };
  const links = { unsubscribeUrl: `${siteUrl}/unsubscribe/abc`, preferencesUrl: `${siteUrl}/newsletters/preferences/` };

  function render(body: string) {
    const template = renderNewsletter(
      { slug: 'sample', title: 'Sample issue', summary: 'A sample issue for tests.', date: '2026-04-15', body },
      'Sample subject',
      settings,
    );
    return fillRecipientLinks(template, links);
  }

  test('converts Markdown subset', () => {
    const message = render(
      [
        '## Best practice: *check* the **dates**',
        '',
        'Read [the checklist](/tools/checklist/) and [eCFR](https://www.ecfr.gov/) or [below](#tips).',
        'Use `YYYY-MM-DD` and snake_case_names.',
        '',
        '1. First step',
        '2. Second step',
        '   - nested point',
        '',
        '| Code | Meaning |',
        '|---|:---:|',
        '| `FY` | Full year |',
        '| `A` | First half |',
      ].join('\n'),
    );

    expect(message.html).toMatch(
      /<h2 style="[^"]*">Best practice: <em[^>]*>check<\/em> the <strong[^>]*>dates<\/strong><\/h2>/,
    );
    expect(message.html).toContain(`<a href="${siteUrl}/tools/checklist/"`);
    expect(message.html).toContain('<a href="https://www.ecfr.gov/"');
    expect(message.html).toContain(`<a href="${siteUrl}/newsletters/sample/#tips"`);
    expect(message.html).toMatch(/<code[^>]*>YYYY-MM-DD<\/code> and snake_case_names\./);
    expect(message.html).toMatch(/<ol style="[^"]*"><li[^>]*>First step<\/li><li[^>]*>Second step<ul/);
    expect(message.html).toMatch(/<th scope="col" style="[^"]*text-align:center;[^"]*">Meaning<\/th>/);
    expect(message.html).toMatch(/<td style="[^"]*"><code[^>]*>FY<\/code><\/td>/);
    expect(message.text).toContain('Best practice: check the dates\n------------------------------');
    expect(message.text).toContain(`the checklist (${siteUrl}/tools/checklist/)`);
    expect(message.text).toContain('1. First step\n2. Second step\n   - nested point');
    expect(message.text).toContain('Code: FY\nMeaning: Full year\n\nCode: A\nMeaning: First half');
  });

  test('escapes text and drops unsafe links', () => {
    const message = render('Fish & chips \\<b> "quoted" [click](javascript:alert(1)) [mail](mailto:ta@example.gov)');

    expect(message.html).toContain(
      'Fish &amp; chips &lt;b&gt; &quot;quoted&quot; click <a href="mailto:ta@example.gov"',
    );
    expect(message.html).not.toContain('javascript:');
    expect(message.text).toContain('Fish & chips <b> "quoted" click mail (ta@example.gov)');
  });

  test.each([
    [
      'component',
      'Intro\n\n<Callout>Note</Callout>',
      /line 3 of the body: "<Callout>Note<\/Callout>" is an HTML tag or MDX component/,
    ],
    ['import', "import Chart from '../chart.astro';\n\nText", /line 1 of the body: .* is an MDX import or export/],
    ['expression', 'Total: {count} items', /line 1 of the body: .* is an MDX expression/],
  ])('rejects MDX %s', (_case, body, message) => {
    expect(() => render(body)).toThrow(NewsletterRenderError);
    expect(() => render(body)).toThrow(message);
  });

  test('footer has links and address', () => {
    const message = render('Hello.');

    expect(message.html).toContain(`<a href="${links.unsubscribeUrl}"`);
    expect(message.html).toContain(`<a href="${links.preferencesUrl}"`);
    expect(message.html).toContain(settings.postalAddress);
    expect(message.text).toContain(`Unsubscribe: ${links.unsubscribeUrl}`);
    expect(message.text).toContain(`Change your topics, state or role: ${links.preferencesUrl}`);
    expect(message.text).toContain(settings.postalAddress);
  });
});
