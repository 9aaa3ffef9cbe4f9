/**
 * `npm run bench -- mail`: campaign sending speed and memory.
 *
 * Throughput: a campaign of 50,000 recipients (BENCH_MAIL_RECIPIENTS) sent to
 * an smtp-server sink on 127.0.0.1 by
 * - the product: the outbox worker with the campaign handler and the
 *   product's SMTP transport (emails/transport.ts, which pools connections);
 * - the same worker with a pooled nodemailer transport that the benchmark
 *   builds itself, as a check on the product's transport settings;
 * - the baseline: a minimal raw SMTP client over node:net that sends the same
 *   messages (same delivery rows, same MIME composer) on one connection,
 *   without the outbox's claims, leases, rate limit or status updates.
 * Each worker run stops after BENCH_MAIL_SECONDS (30 by default), so the
 * benchmark ends in a few minutes; the raw client gets five times as long.
 *
 * Memory: in a fresh process per size (BENCH_MAIL_MEMORY_SIZES, default
 * 10000,100000), the peak RSS and heap while the deliveries are created and
 * while the worker sends for BENCH_MAIL_MEMORY_SECONDS (15 by default).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, asc, eq, gt } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import pino from 'pino';
import type { CampaignSettings } from '../../api/outreach/campaigns/campaign';
import { createCampaignDeliveries } from '../../api/outreach/campaigns/deliveries';
import { renderCampaignTemplate } from '../../api/outreach/campaigns/render';
import { createDeliveries } from '../../api/outreach/campaigns/start';
import { buildPreferencesUrl } from '../../api/outreach/unsubscribe-links';
import { openDatabase, type DatabaseHandle } from '../../db/client';
import { applyMigrations } from '../../db/migrate';
import { campaigns, outboxMessages, subscribers } from '../../db/schema';
import { createMailTransport, createOutboxWorker, toMailSendError, type MailTransport } from '../../emails';
import { fillRecipientLinks, type NewsletterTemplate } from '../../emails/templates/newsletter';
import { startSmtpSink, type SmtpSink } from '../../test/fixtures/smtp-sink';

export interface MailThroughputFigures {
  label: string;
  /** Messages the sink accepted from this sender. */
  messages: number;
  seconds: number;
  messagesPerSecond: number;
  /** Whether the sender sent the whole campaign before its time limit. */
  complete: boolean;
}

export interface MailMemoryFigures {
  recipients: number;
  phase: 'creating deliveries' | 'sending';
  seconds: number;
  /** Deliveries created, or messages the sink accepted. */
  items: number;
  /** After a full garbage collection at the start of the phase. */
  rssBeforeMiB: number;
  heapUsedBeforeMiB: number;
  peakRssMiB: number;
  peakHeapUsedMiB: number;
}

export interface MailBenchFigures {
  recipients: number;
  deliveryCreation: { seconds: number; deliveriesPerSecond: number };
  throughput: MailThroughputFigures[];
  memory: MailMemoryFigures[];
}

const root = process.cwd();
const workDirectory = path.join(root, 'bench-work', 'mail');
const recipientCount = Number(process.env.BENCH_MAIL_RECIPIENTS || 50_000);
const sendSeconds = Number(process.env.BENCH_MAIL_SECONDS || 30);
const memorySizes = (process.env.BENCH_MAIL_MEMORY_SIZES || '10000,100000').split(',').map(Number);
const memorySendSeconds = Number(process.env.BENCH_MAIL_MEMORY_SECONDS || 15);

const settings: CampaignSettings = {
  siteUrl: 'https://assist.example.gov',
  mailFrom: 'MSIX Assist <no-reply@msix-assist.example.gov>',
  postalAddress:
    'Office of Migrant Education, U.S. Department of Education, 400 Maryland Avenue SW, Washington, DC 20202',
  linkSecret: 'benchmark-link-secret-that-is-long-enough-0123',
};
/** The highest rate MAIL_RATE_PER_SECOND allows, so the limit does not cap the benchmark. */
const rateLimit = { perSecond: 1000, perDay: 10_000_000 };
const silentLogger = pino({ level: 'silent' });

export async function benchMail(log: (message: string) => void): Promise<MailBenchFigures> {
  rmSync(workDirectory, { recursive: true, force: true });
  mkdirSync(workDirectory, { recursive: true });

  const database = openDatabase(path.join(workDirectory, 'throughput.sqlite'));
  applyMigrations(database.db);
  const sink = await startSmtpSink();
  try {
    log(`Adding ${recipientCount} subscribers…`);
    insertSubscribers(database, recipientCount);

    const productCampaign = insertStartedCampaign(database, 'Benchmark issue');
    const creationStarted = performance.now();
    await createDeliveries(database.db, productCampaign.id, settings, { now: new Date() });
    const creationSeconds = (performance.now() - creationStarted) / 1000;
    log(`Created ${recipientCount} deliveries in ${round(creationSeconds)} s.`);
    const pooledCampaign = insertStartedCampaign(database, 'Benchmark issue');
    await createDeliveries(database.db, pooledCampaign.id, settings, { now: new Date() });

    const throughput: MailThroughputFigures[] = [];
    log(`Sending with the outbox worker and the product's SMTP transport, at most ${sendSeconds} s…`);
    const productTransport = createMailTransport({
      smtpUrl: sink.url,
      mailFrom: settings.mailFrom,
      mailboxDirectory: workDirectory,
    });
    throughput.push(
      await measureWorker(
        'Outbox worker, product SMTP transport (pooled)',
        database,
        sink,
        productTransport,
        productCampaign.id,
      ),
    );
    log(`Sending with the outbox worker and a pooled transport, at most ${sendSeconds} s…`);
    throughput.push(
      await measureWorker(
        'Outbox worker, pooled transport built by the benchmark',
        database,
        sink,
        createPooledTransport(sink.url),
        pooledCampaign.id,
      ),
    );
    log(`Sending the same messages with the raw SMTP client, at most ${sendSeconds * 5} s…`);
    throughput.push(await measureRawClient(database, sink, productCampaign.id, productCampaign.template));

    const memory: MailMemoryFigures[] = [];
    for (const size of memorySizes) {
      log(`Measuring memory at ${size} recipients in a fresh process…`);
      memory.push(...(await runMemoryChild(size)));
    }

    return {
      recipients: recipientCount,
      deliveryCreation: {
        seconds: round(creationSeconds),
        deliveriesPerSecond: Math.round(recipientCount / creationSeconds),
      },
      throughput,
      memory,
    };
  } finally {
    await sink.close();
    database.close();
  }
}

function insertSubscribers(database: DatabaseHandle, count: number): void {
  const now = new Date().toISOString();
  const batch = 1000;
  for (let start = 0; start < count; start += batch) {
    database.db
      .insert(subscribers)
      .values(
        Array.from({ length: Math.min(batch, count - start) }, (_, offset) => ({
          email: `reader-${start + offset}@district${(start + offset) % 97}.example.org`,
          status: 'confirmed' as const,
          source: 'import' as const,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .run();
  }
}

/** Inserts a campaign whose sending has started: rendered and with startedAt, its deliveries not yet created. */
function insertStartedCampaign(
  database: DatabaseHandle,
  subject: string,
): { id: number; template: NewsletterTemplate } {
  const template = renderCampaignTemplate({ id: 0, newsletterSlug: '2026-q1', subject }, settings);
  const now = new Date().toISOString();
  const row = database.db
    .insert(campaigns)
    .values({
      newsletterSlug: '2026-q1',
      subject,
      status: 'draft',
      startedAt: now,
      htmlBody: template.html,
      textBody: template.text,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: campaigns.id })
    .get();
  return { id: row.id, template };
}

async function measureWorker(
  label: string,
  database: DatabaseHandle,
  sink: SmtpSink,
  transport: MailTransport,
  campaignId: number,
): Promise<MailThroughputFigures> {
  const worker = createOutboxWorker({
    database,
    transport,
    logger: silentLogger,
    clock: () => new Date(),
    rateLimit,
    campaigns: createCampaignDeliveries({ database, logger: silentLogger, settings }),
  });
  const before = sink.messageIds.length;
  const started = performance.now();
  const deadline = started + sendSeconds * 1000;
  let complete = false;
  while (performance.now() < deadline) {
    if ((await worker.runOnce()) === 0) {
      complete = campaignStatus(database, campaignId) === 'finished';
      if (complete) break;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  return throughputFigures(label, sink.messageIds.length - before, seconds, complete);
}

function campaignStatus(database: DatabaseHandle, campaignId: number): string | undefined {
  return database.db.select({ status: campaigns.status }).from(campaigns).where(eq(campaigns.id, campaignId)).get()
    ?.status;
}

/** Creates a MailTransport over nodemailer's pooled SMTP transport, which reuses one connection for many messages. */
function createPooledTransport(smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: 1 });
  return {
    async send(mail) {
      try {
        await transporter.sendMail({
          from: settings.mailFrom,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.html ? { html: mail.html } : {}),
          headers: mail.headers,
          messageId: mail.messageId,
          date: new Date(),
        });
      } catch (error) {
        throw toMailSendError(error);
      }
    },
    describe: () => 'pooled SMTP benchmark transport',
    close: () => transporter.close(),
  };
}

/**
 * Sends every delivery of the campaign with the raw client, reading the rows
 * in batches and building each message as the worker does: the recipient's
 * links filled in, then composed by nodemailer's MailComposer.
 */
async function measureRawClient(
  database: DatabaseHandle,
  sink: SmtpSink,
  campaignId: number,
  template: NewsletterTemplate,
): Promise<MailThroughputFigures> {
  const client = await RawSmtpClient.connect(sink.port);
  const before = sink.messageIds.length;
  const started = performance.now();
  const deadline = started + sendSeconds * 5 * 1000;
  const sender = 'no-reply@msix-assist.example.gov';
  let afterId = 0;
  let complete = false;

  sending: for (;;) {
    const rows = database.db
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.campaignId, campaignId), gt(outboxMessages.id, afterId)))
      .orderBy(asc(outboxMessages.id))
      .limit(1000)
      .all();
    if (rows.length === 0) {
      complete = true;
      break;
    }
    for (const row of rows) {
      if (performance.now() >= deadline) break sending;
      const headers = JSON.parse(row.headers) as Record<string, string>;
      const unsubscribeUrl = /<(https:[^>]+)>/.exec(headers['List-Unsubscribe'] ?? '')?.[1] ?? '';
      const preferencesUrl = buildPreferencesUrl({
        subscriberId: row.subscriberId ?? 0,
        siteUrl: settings.siteUrl,
        secret: settings.linkSecret,
        now: new Date(),
      });
      const message = fillRecipientLinks(template, { unsubscribeUrl, preferencesUrl });
      const raw = await new MailComposer({
        from: settings.mailFrom,
        to: row.recipient,
        subject: row.subject,
        text: message.text,
        html: message.html,
        headers,
        messageId: row.messageId,
        date: new Date(),
      })
        .compile()
        .build();
      await client.send(sender, row.recipient, raw);
      afterId = row.id;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await client.quit();
  return throughputFigures(
    'Raw SMTP client over node:net, one connection (baseline)',
    sink.messageIds.length - before,
    seconds,
    complete,
  );
}

/**
 * A minimal SMTP client for the baseline: EHLO once, then per message
 * MAIL FROM, RCPT TO and DATA pipelined (RFC 2920), the dot-stuffed message,
 * and its final reply. Any reply other than the expected one rejects.
 */
class RawSmtpClient {
  private buffered = '';
  private readonly waiting: { resolve: (reply: string) => void; reject: (error: Error) => void }[] = [];
  private readonly replies: string[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk.toString('latin1')));
    socket.on('error', (error) => this.failAll(error));
    socket.on('close', () => this.failAll(new Error('SMTP connection closed')));
  }

  static async connect(port: number): Promise<RawSmtpClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new RawSmtpClient(socket);
    await client.expect('220');
    socket.write('EHLO bench.localhost\r\n');
    await client.expect('250');
    return client;
  }

  async send(from: string, to: string, message: Buffer): Promise<void> {
    this.socket.write(`MAIL FROM:<${from}>\r\nRCPT TO:<${to}>\r\nDATA\r\n`);
    await this.expect('250');
    await this.expect('250');
    await this.expect('354');
    const text = message.toString('latin1').replace(/(^|\r\n)\./g, '$1..');
    this.socket.write(`${text}${text.endsWith('\r\n') ? '' : '\r\n'}.\r\n`, 'latin1');
    await this.expect('250');
  }

  async quit(): Promise<void> {
    this.socket.write('QUIT\r\n');
    await this.expect('221').catch(() => undefined);
    this.socket.destroy();
  }

  private async expect(code: string): Promise<void> {
    const reply = await this.nextReply();
    if (!reply.startsWith(code)) throw new Error(`SMTP reply ${JSON.stringify(reply)}, expected ${code}`);
  }

  private nextReply(): Promise<string> {
    const ready = this.replies.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Collects lines into replies: a reply ends with a line whose code is followed by a space. */
  private receive(text: string): void {
    this.buffered += text;
    let lineEnd = this.buffered.indexOf('\r\n');
    while (lineEnd >= 0) {
      const line = this.buffered.slice(0, lineEnd);
      this.buffered = this.buffered.slice(lineEnd + 2);
      if (/^\d{3}( |$)/.test(line)) {
        const waiter = this.waiting.shift();
        if (waiter) waiter.resolve(line);
        else this.replies.push(line);
      }
      lineEnd = this.buffered.indexOf('\r\n');
    }
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
  }
}

function throughputFigures(label: string, messages: number, seconds: number, complete: boolean): MailThroughputFigures {
  return { label, messages, seconds: round(seconds), messagesPerSecond: round(messages / seconds), complete };
}

async function runMemoryChild(recipients: number): Promise<MailMemoryFigures[]> {
  const script = fileURLToPath(import.meta.url);
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', script, '--memory-child', String(recipients)],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const line = output.split('\n').find((candidate) => candidate.startsWith('MEMORY '));
  if (code !== 0 || !line)
    throw new Error(`memory measurement at ${recipients} recipients failed with exit code ${code}`);
  return JSON.parse(line.slice('MEMORY '.length)) as MailMemoryFigures[];
}

/** Measures one size in the child process of runMemoryChild and prints `MEMORY [figures]`. */
async function measureMemory(recipients: number): Promise<void> {
  const database = openDatabase(path.join(workDirectory, `memory-${recipients}.sqlite`));
  applyMigrations(database.db);
  insertSubscribers(database, recipients);
  const campaign = insertStartedCampaign(database, 'Memory benchmark issue');
  const sink = await startSmtpSink();
  const mebibytes = (bytes: number) => round(bytes / 2 ** 20);

  const sampler = { peakRss: 0, peakHeap: 0 };
  const sample = () => {
    const usage = process.memoryUsage();
    sampler.peakRss = Math.max(sampler.peakRss, usage.rss);
    sampler.peakHeap = Math.max(sampler.peakHeap, usage.heapUsed);
  };
  const timer = setInterval(sample, 10);
  const figures: MailMemoryFigures[] = [];

  const measurePhase = async (phase: MailMemoryFigures['phase'], run: () => Promise<number>) => {
    // Collects what setup left behind, so the peaks show what the phase itself holds.
    globalThis.gc?.();
    const before = process.memoryUsage();
    sampler.peakRss = 0;
    sampler.peakHeap = 0;
    sample();
    const started = performance.now();
    const items = await run();
    sample();
    figures.push({
      recipients,
      phase,
      seconds: round((performance.now() - started) / 1000),
      items,
      rssBeforeMiB: mebibytes(before.rss),
      heapUsedBeforeMiB: mebibytes(before.heapUsed),
      peakRssMiB: mebibytes(sampler.peakRss),
      peakHeapUsedMiB: mebibytes(sampler.peakHeap),
    });
  };

  await measurePhase('creating deliveries', async () => {
    await createDeliveries(database.db, campaign.id, settings, { now: new Date() });
    return recipients;
  });
  await measurePhase('sending', async () => {
    const transport = createMailTransport({
      smtpUrl: sink.url,
      mailFrom: settings.mailFrom,
      mailboxDirectory: workDirectory,
    });
    const worker = createOutboxWorker({
      database,
      transport,
      logger: silentLogger,
      clock: () => new Date(),
      rateLimit,
      campaigns: createCampaignDeliveries({ database, logger: silentLogger, settings }),
    });
    const deadline = performance.now() + memorySendSeconds * 1000;
    while (performance.now() < deadline && (await worker.runOnce()) > 0) {
      // Each run sends one batch; the sampler runs between sends.
    }
    transport.close();
    return sink.messageIds.length;
  });

  clearInterval(timer);
  await sink.close();
  database.close();
  console.log(`MEMORY ${JSON.stringify(figures)}`);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (
  process.argv[2] === '--memory-child' &&
  process.argv[1] &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  await measureMemory(Number(process.argv[3]));
}
