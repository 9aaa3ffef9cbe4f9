/**
 * Crash test: a child process sends a campaign to an SMTP sink on 127.0.0.1
 * and is killed with SIGKILL at random points many times, then started again.
 * At the end every recipient must have the message, and the duplicates must
 * not exceed the messages that were in flight (claimed, not yet recorded) at
 * the kills.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { renderCampaignTemplate } from '../api/outreach/campaigns/render';
import { openDatabase, type DatabaseHandle } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { campaigns, outboxMessages, subscribers } from '../db/schema';
import type { CampaignSenderSettings } from './fixtures/campaign-sender';
import { startSmtpSink, type SmtpSink } from './fixtures/smtp-sink';

const recipientCount = 200;
const killCount = 20;
const batchSize = 10;
const fixture = path.join(import.meta.dirname, 'fixtures', 'campaign-sender.ts');

let directory: string;
let database: DatabaseHandle;
let sink: SmtpSink;
let settings: CampaignSenderSettings;

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'msix-campaign-crash-'));
  const databasePath = path.join(directory, 'crash.sqlite');
  database = openDatabase(databasePath);
  applyMigrations(database.db);
  sink = await startSmtpSink();

  const now = new Date().toISOString();
  for (let start = 0; start < recipientCount; start += 200) {
    database.db
      .insert(subscribers)
      .values(
        Array.from({ length: Math.min(200, recipientCount - start) }, (_, offset) => ({
          email: `reader-${start + offset}@district.example.org`,
          status: 'confirmed' as const,
          source: 'import' as const,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .run();
  }

  const campaignSettings = {
    siteUrl: 'https://assist.example.gov',
    mailFrom: 'MSIX Assist <no-reply@msix-assist.test>',
    postalAddress: 'Office of Migrant Education, 400 Maryland Avenue SW, Washington, DC 20202',
    linkSecret: 'crash-test-link-secret-that-is-long-enough',
  };
  // A campaign whose start began (rendered, startedAt set) but whose deliveries do not exist yet:
  // the first sending process creates them, so kills can land in that step too.
  const template = renderCampaignTemplate(
    { id: 0, newsletterSlug: '2026-q1', subject: 'Crash test issue' },
    campaignSettings,
  );
  const campaign = database.db
    .insert(campaigns)
    .values({
      newsletterSlug: '2026-q1',
      subject: 'Crash test issue',
      status: 'draft',
      startedAt: now,
      htmlBody: template.html,
      textBody: template.text,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: campaigns.id })
    .get();

  settings = {
    ...campaignSettings,
    databasePath,
    smtpUrl: sink.url,
    campaignId: campaign.id,
    leaseMs: 300,
    batchSize,
    // Each kill adds an attempt to every claimed delivery, sent or not; the limit must outlast the kills.
    maxAttempts: 100,
    perSecond: 80,
  };
});

afterAll(async () => {
  await sink?.close();
  database?.close();
  rmSync(directory, { recursive: true, force: true });
});

/** A small seeded generator (mulberry32), so each run uses the same kill delays. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sender {
  child: ChildProcess;
  /** Resolves when the process prints the line, or when it exits first. */
  printed(line: string): Promise<boolean>;
  exited: Promise<number | null>;
}

function startSender(): Sender {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: { ...process.env, CAMPAIGN_SENDER_SETTINGS: JSON.stringify(settings) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters: { line: string; resolve: (seen: boolean) => void }[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of waiters) if (output.includes(`${waiter.line}\n`)) waiter.resolve(true);
  });
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  return {
    child,
    exited,
    printed: (line) =>
      new Promise<boolean>((resolve) => {
        if (output.includes(`${line}\n`)) resolve(true);
        waiters.push({ line, resolve });
        void exited.then(() => resolve(output.includes(`${line}\n`)));
      }),
  };
}

function campaignStatus(): string | undefined {
  return database.db
    .select({ status: campaigns.status })
    .from(campaigns)
    .where(eq(campaigns.id, settings.campaignId))
    .get()?.status;
}

function countInFlight(): number {
  return database.db
    .select({ id: outboxMessages.id })
    .from(outboxMessages)
    .where(eq(outboxMessages.status, 'sending'))
    .all().length;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

test('SIGKILL at random points loses no recipient', { timeout: 110_000 }, async () => {
  const random = seededRandom(20261204);
  let kills = 0;
  let inFlightAtKills = 0;

  while (kills < killCount && campaignStatus() !== 'finished') {
    const sender = startSender();
    const pattern = kills % 4;
    if (pattern === 0) {
      // While deliveries are created or the worker starts.
      await sender.printed('starting');
      await sleep(Math.floor(random() * 60));
      sender.child.kill('SIGKILL');
    } else if (pattern === 1) {
      // Right after the sink accepted a message and before the sender reads the reply:
      // that message is in flight and must go out once more, with the same Message-ID.
      let remaining = 1 + Math.floor(random() * 5);
      sink.onAccept = () => {
        remaining -= 1;
        if (remaining === 0) sender.child.kill('SIGKILL');
      };
      await Promise.race([sender.exited, sleep(10_000)]);
      sink.onAccept = undefined;
      sender.child.kill('SIGKILL');
    } else {
      // At a random point while sending.
      await sender.printed('ready');
      await sleep(Math.floor(random() * 400));
      sender.child.kill('SIGKILL');
    }

    await sender.exited;
    kills += 1;
    inFlightAtKills += countInFlight();
  }

  const last = startSender();
  const finished = await Promise.race([last.printed('finished'), sleep(80_000).then(() => false)]);
  if (!finished) last.child.kill('SIGKILL');
  const exitCode = await last.exited;

  const rows = database.db
    .select()
    .from(outboxMessages)
    .where(eq(outboxMessages.campaignId, settings.campaignId))
    .all();
  const received = new Map<string, number>();
  for (const messageId of sink.messageIds) received.set(messageId, (received.get(messageId) ?? 0) + 1);
  const duplicates = sink.messageIds.length - received.size;

  expect(kills).toBeGreaterThanOrEqual(10);
  expect(finished).toBe(true);
  expect(exitCode).toBe(0);
  expect(campaignStatus()).toBe('finished');
  expect(rows).toHaveLength(recipientCount);
  expect(new Set(rows.map((row) => row.subscriberId)).size).toBe(recipientCount);
  expect(rows.filter((row) => row.status !== 'sent')).toEqual([]);
  expect(rows.filter((row) => !received.has(row.messageId))).toEqual([]);
  expect(received.size).toBe(recipientCount);
  // Kills right after an acceptance make at least one duplicate, so the bound below is exercised.
  expect(duplicates).toBeGreaterThanOrEqual(1);
  expect(duplicates).toBeLessThanOrEqual(inFlightAtKills);
  expect(inFlightAtKills).toBeLessThanOrEqual(kills * batchSize);
});
