import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { simpleParser, type ParsedMail } from 'mailparser';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Clock } from '../api/shared/clock';
import { openDatabase, type DatabaseHandle } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { outboxMessages } from '../db/schema';
import {
  createMailTransport,
  createOutboxWorker,
  enqueueMessage,
  listMailbox,
  MailboxError,
  OutboxMessageError,
  readMailboxMessage,
  retryDelayMs,
  toMailSendError,
  type MailTransport,
  type OutboxMessage,
  type OutboxWorkerOptions,
} from '../emails';

const mailFrom = 'MSIX Assist <no-reply@msix-assist.example.org>';
const recipient = 'registrar@district.example.org';
const startTime = new Date('2026-12-04T09:00:00.000Z');
const leaseMs = 5 * 60_000;

const invitation: OutboxMessage = {
  kind: 'invitation',
  to: recipient,
  subject: 'Your MSIX Assist invitation',
  text: 'Open the link to set your password.',
  html: '<p>Open the link to set your <strong>password</strong>.</p>',
  headers: { 'Auto-Submitted': 'auto-generated' },
};

interface Rejection {
  code: number;
  message: string;
}

/** An SMTP server on 127.0.0.1 that stores what it accepts and rejects messages on request. */
interface TestSmtpServer {
  url: string;
  received: Buffer[];
  /** Rejections for the next messages, one each, at the DATA stage. */
  rejections: Rejection[];
  /** Rejection of every recipient at the RCPT TO stage while set. */
  recipientRejection: Rejection | undefined;
  close: () => Promise<void>;
}

async function startSmtpServer(): Promise<TestSmtpServer> {
  const state: Omit<TestSmtpServer, 'url' | 'close'> = {
    received: [],
    rejections: [],
    recipientRejection: undefined,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      callback(state.recipientRejection ? smtpError(state.recipientRejection) : null);
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const rejection = state.rejections.shift();
        if (rejection) {
          callback(smtpError(rejection));
          return;
        }
        state.received.push(Buffer.concat(chunks));
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  return Object.assign(state, {
    url: `smtp://127.0.0.1:${port}`,
    close: () => (closed ??= new Promise<void>((resolve) => server.close(() => resolve()))),
  });
}

function smtpError(rejection: Rejection): Error {
  return Object.assign(new Error(rejection.message), { responseCode: rejection.code });
}

describe('outbox', () => {
  let directory: string;
  let database: DatabaseHandle;
  let smtp: TestSmtpServer;
  let transport: MailTransport;
  let now: Date;
  let logLines: string[];
  const clock: Clock = () => now;

  beforeEach(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'msix-outbox-'));
    database = openDatabase(path.join(directory, 'outbox.sqlite'));
    applyMigrations(database.db);
    smtp = await startSmtpServer();
    transport = createMailTransport(
      { smtpUrl: smtp.url, mailFrom, mailboxDirectory: path.join(directory, 'unused') },
      { clock },
    );
    now = new Date(startTime);
    logLines = [];
  });

  afterEach(async () => {
    transport.close();
    await smtp.close();
    database.close();
    rmSync(directory, { recursive: true, force: true });
  });

  function advance(milliseconds: number): void {
    now = new Date(now.getTime() + milliseconds);
  }

  function createWorker(options: Partial<OutboxWorkerOptions> = {}) {
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logLines.push(chunk.toString());
        callback();
      },
    });
    return createOutboxWorker({
      database,
      transport,
      logger: pino({ level: 'debug' }, logStream),
      clock,
      leaseMs,
      pollIntervalMs: 20,
      maxAttempts: 5,
      ...options,
    });
  }

  function enqueueCommitted(message: OutboxMessage = invitation) {
    return database.db.transaction((tx) => enqueueMessage(tx, message, clock, { mailFrom }));
  }

  function readRow(id: number) {
    const row = database.db.select().from(outboxMessages).where(eq(outboxMessages.id, id)).get();
    if (!row) throw new Error(`outbox row ${id} is missing`);
    return row;
  }

  function parseReceived(): Promise<ParsedMail[]> {
    return Promise.all(smtp.received.map((raw) => simpleParser(raw)));
  }

  describe('enqueueMessage', () => {
    test('stores a queued row due now', () => {
      const queued = enqueueCommitted();

      const row = readRow(queued.id);
      expect(row.status).toBe('queued');
      expect(row.attempts).toBe(0);
      expect(row.nextAttemptAt).toBe(startTime.toISOString());
      expect(row.createdAt).toBe(startTime.toISOString());
      expect(row.recipient).toBe(recipient);
      expect(row.messageId).toBe(queued.messageId);
      expect(JSON.parse(row.headers)).toEqual({ 'Auto-Submitted': 'auto-generated' });
    });

    test('takes the Message-ID domain from MAIL_FROM', () => {
      const first = enqueueCommitted();
      const second = enqueueCommitted();

      expect(first.messageId).toMatch(/^<[0-9a-f-]{36}@msix-assist\.example\.org>$/);
      expect(second.messageId).not.toBe(first.messageId);
    });

    test.each([
      ['empty', ''],
      ['display name', 'Registrar <registrar@example.org>'],
      ['two addresses', 'a@example.org, b@example.org'],
      ['no domain', 'registrar@'],
      ['single-label domain', 'registrar@localhost'],
      ['line break', 'registrar@example.org\r\nBcc: other@example.org'],
      ['space', 'regis trar@example.org'],
    ])('rejects recipient with %s', (_case, to) => {
      const enqueue = () => enqueueMessage(database.db, { ...invitation, to }, clock, { mailFrom });

      expect(enqueue).toThrow(OutboxMessageError);
      expect(enqueue).toThrow(/Invalid recipient address/);
    });

    test.each([
      ['subject', { subject: 'Welcome\r\nBcc: other@example.org' }, /Invalid subject: it contains a line break/],
      [
        'header value',
        { headers: { 'X-Campaign': 'one\ntwo' } },
        /Invalid header X-Campaign: it contains a line break/,
      ],
      ['header name', { headers: { 'Bad Name': 'x' } }, /Invalid header name "Bad Name"/],
      ['reserved header', { headers: { 'Message-ID': '<x@example.org>' } }, /Header "Message-ID" is set by the outbox/],
      ['kind', { kind: 'Password Reset' }, /Invalid kind "Password Reset"/],
      ['empty subject', { subject: ' ' }, /Missing subject/],
      ['empty text', { text: '' }, /Missing text body/],
    ])('rejects invalid %s', (_case, change, expected) => {
      const enqueue = () => enqueueMessage(database.db, { ...invitation, ...change }, clock, { mailFrom });

      expect(enqueue).toThrow(OutboxMessageError);
      expect(enqueue).toThrow(expected);
    });

    test('rejects MAIL_FROM without a domain', () => {
      const enqueue = () => enqueueMessage(database.db, invitation, clock, { mailFrom: 'MSIX Assist' });

      expect(enqueue).toThrow(/Invalid sender "MSIX Assist": it has no address with a domain/);
    });
  });

  describe('worker over SMTP', () => {
    test('delivers committed message with its Message-ID', async () => {
      const queued = enqueueCommitted();
      const worker = createWorker();

      const attempted = await worker.runOnce();

      expect(attempted).toBe(1);
      const [mail, ...others] = await parseReceived();
      expect(others).toHaveLength(0);
      expect(mail?.messageId).toBe(queued.messageId);
      expect(mail?.subject).toBe(invitation.subject);
      expect(mail?.text?.trim()).toBe(invitation.text);
      expect(mail?.html).toBe(invitation.html);
      expect(mail?.from?.text).toBe('"MSIX Assist" <no-reply@msix-assist.example.org>');
      expect(mail?.headers.get('auto-submitted')).toBe('auto-generated');
      const row = readRow(queued.id);
      expect(row.status).toBe('sent');
      expect(row.sentAt).toBe(startTime.toISOString());
      expect(row.attempts).toBe(1);
      expect(row.leaseExpiresAt).toBeNull();
    });

    test('sends text-only message without HTML part', async () => {
      enqueueCommitted({ ...invitation, html: undefined });

      await createWorker().runOnce();

      const [mail] = await parseReceived();
      expect(mail?.text?.trim()).toBe(invitation.text);
      expect(mail?.html).toBe(false);
    });

    test('rolled-back enqueue is never sent', async () => {
      const enqueueThenFail = () =>
        database.db.transaction((tx) => {
          enqueueMessage(tx, invitation, clock, { mailFrom });
          throw new Error('invitation token insert failed');
        });
      expect(enqueueThenFail).toThrow('invitation token insert failed');

      const attempted = await createWorker().runOnce();

      expect(attempted).toBe(0);
      expect(smtp.received).toHaveLength(0);
      expect(database.db.select().from(outboxMessages).all()).toHaveLength(0);
    });

    test('4xx reply retries with same Message-ID', async () => {
      const queued = enqueueCommitted();
      const worker = createWorker();
      smtp.rejections.push({ code: 451, message: '4.3.0 Try again later' });
      smtp.rejections.push({ code: 452, message: '4.3.1 Insufficient storage' });

      await worker.runOnce();
      const afterFirst = readRow(queued.id);
      const notYetDue = await worker.runOnce();
      advance(retryDelayMs(1));
      await worker.runOnce();
      const afterSecond = readRow(queued.id);
      advance(retryDelayMs(2));
      await worker.runOnce();

      expect(afterFirst.status).toBe('queued');
      expect(afterFirst.attempts).toBe(1);
      expect(afterFirst.lastError).toContain('451');
      expect(afterFirst.nextAttemptAt).toBe(new Date(startTime.getTime() + 60_000).toISOString());
      expect(notYetDue).toBe(0);
      expect(afterSecond.status).toBe('queued');
      expect(afterSecond.lastError).toContain('452');
      expect(afterSecond.nextAttemptAt).toBe(new Date(startTime.getTime() + 60_000 + 120_000).toISOString());
      const final = readRow(queued.id);
      expect(final.status).toBe('sent');
      expect(final.attempts).toBe(3);
      expect(final.lastError).toBeNull();
      const [mail, ...others] = await parseReceived();
      expect(others).toHaveLength(0);
      expect(mail?.messageId).toBe(queued.messageId);
    });

    test('5xx reply marks failed', async () => {
      const queued = enqueueCommitted();
      const worker = createWorker();
      smtp.rejections.push({ code: 554, message: '5.6.0 Message content rejected' });

      await worker.runOnce();
      advance(2 * 60 * 60_000);
      const laterAttempts = await worker.runOnce();

      const row = readRow(queued.id);
      expect(row.status).toBe('failed');
      expect(row.attempts).toBe(1);
      expect(row.lastError).toContain('554');
      expect(laterAttempts).toBe(0);
      expect(smtp.received).toHaveLength(0);
    });

    test('refused connection is temporary', async () => {
      const queued = enqueueCommitted();
      const worker = createWorker();
      await smtp.close();

      const attempted = await worker.runOnce();

      expect(attempted).toBe(1);
      const row = readRow(queued.id);
      expect(row.status).toBe('queued');
      expect(row.attempts).toBe(1);
      expect(row.lastError).toContain('ECONNREFUSED');
      expect(row.nextAttemptAt).toBe(new Date(startTime.getTime() + 60_000).toISOString());
    });

    test('maxAttempts ends in failed', async () => {
      const queued = enqueueCommitted();
      const worker = createWorker({ maxAttempts: 3 });
      smtp.recipientRejection = { code: 450, message: '4.2.1 Mailbox busy' };

      for (let attempt = 1; attempt <= 3; attempt += 1) {
        await worker.runOnce();
        advance(retryDelayMs(attempt));
      }
      const laterAttempts = await worker.runOnce();

      const row = readRow(queued.id);
      expect(row.status).toBe('failed');
      expect(row.attempts).toBe(3);
      expect(row.lastError).toContain('450');
      expect(laterAttempts).toBe(0);
      expect(smtp.received).toHaveLength(0);
    });

    test('expired lease is sent again with same Message-ID', async () => {
      const queued = enqueueCommitted();
      const worker = createWorker();
      database.db
        .update(outboxMessages)
        .set({ status: 'sending', attempts: 1, leaseExpiresAt: new Date(startTime.getTime() + leaseMs).toISOString() })
        .where(eq(outboxMessages.id, queued.id))
        .run();

      const whileLeased = await worker.runOnce();
      advance(leaseMs);
      const afterExpiry = await worker.runOnce();
      advance(2 * 60 * 60_000);
      const later = await worker.runOnce();

      expect(whileLeased).toBe(0);
      expect(afterExpiry).toBe(1);
      expect(later).toBe(0);
      const [mail, ...others] = await parseReceived();
      expect(others).toHaveLength(0);
      expect(mail?.messageId).toBe(queued.messageId);
      const row = readRow(queued.id);
      expect(row.status).toBe('sent');
      expect(row.attempts).toBe(2);
      expect(logLines.join('')).toContain('lease expired while sending');
    });

    test('crash after acceptance sends one duplicate', async () => {
      const queued = enqueueCommitted();
      const worker = createWorker();
      await worker.runOnce();
      // The server accepted the message, then the worker "crashed" before recording it.
      database.db
        .update(outboxMessages)
        .set({ status: 'sending', sentAt: null, leaseExpiresAt: startTime.toISOString() })
        .where(eq(outboxMessages.id, queued.id))
        .run();

      await worker.runOnce();
      advance(2 * 60 * 60_000);
      await worker.runOnce();

      const messageIds = (await parseReceived()).map((mail) => mail.messageId);
      expect(messageIds).toEqual([queued.messageId, queued.messageId]);
      expect(readRow(queued.id).status).toBe('sent');
    });

    test('expired lease after last attempt fails', async () => {
      const queued = enqueueCommitted();
      const worker = createWorker({ maxAttempts: 2 });
      database.db
        .update(outboxMessages)
        .set({ status: 'sending', attempts: 2, leaseExpiresAt: startTime.toISOString() })
        .where(eq(outboxMessages.id, queued.id))
        .run();

      const attempted = await worker.runOnce();

      expect(attempted).toBe(0);
      expect(smtp.received).toHaveLength(0);
      const row = readRow(queued.id);
      expect(row.status).toBe('failed');
      expect(row.lastError).toContain('delivery is unknown');
    });

    test('batch size limits one run', async () => {
      enqueueCommitted();
      enqueueCommitted();
      enqueueCommitted();
      const worker = createWorker({ batchSize: 2 });

      const first = await worker.runOnce();
      const second = await worker.runOnce();

      expect(first).toBe(2);
      expect(second).toBe(1);
      expect(smtp.received).toHaveLength(3);
    });

    test('logs omit recipient and body', async () => {
      enqueueCommitted();
      const worker = createWorker({ maxAttempts: 1 });
      smtp.recipientRejection = { code: 550, message: `5.1.1 <${recipient}> User unknown` };

      await worker.runOnce();

      const logs = logLines.join('');
      expect(logs).toContain('outbox message failed (permanent error)');
      expect(logs).toContain('"kind":"invitation"');
      expect(logs).toContain('[address]');
      expect(logs).not.toContain(recipient);
      expect(logs).not.toContain(invitation.text);
      expect(logs).not.toContain(invitation.subject);
    });

    test('start polls and stop waits', async () => {
      const queued = enqueueCommitted();
      const worker = createWorker();

      worker.start();
      await vi.waitFor(() => expect(readRow(queued.id).status).toBe('sent'));
      await worker.stop();

      expect(smtp.received).toHaveLength(1);
      const logs = logLines.join('');
      expect(logs).toContain('outbox worker started');
      expect(logs).toContain(`SMTP server smtp:`);
      expect(logs).toContain('outbox worker stopped');
    });

    test('stop waits for message in flight', async () => {
      const first = enqueueCommitted();
      const second = enqueueCommitted();
      let releaseSend: () => void = () => undefined;
      const sendStarted = new Promise<void>((resolveStarted) => {
        const smtpTransport = transport;
        transport = {
          ...smtpTransport,
          async send(mail) {
            resolveStarted();
            await new Promise<void>((resolveRelease) => (releaseSend = resolveRelease));
            await smtpTransport.send(mail);
          },
        };
      });
      const worker = createWorker();

      worker.start();
      await sendStarted;
      let stopped = false;
      const stopping = worker.stop().then(() => (stopped = true));
      await new Promise((resolve) => setImmediate(resolve));
      const stoppedBeforeRelease = stopped;
      releaseSend();
      await stopping;

      expect(stoppedBeforeRelease).toBe(false);
      expect(readRow(first.id).status).toBe('sent');
      expect(readRow(second.id).status).toBe('queued');
      expect(readRow(second.id).attempts).toBe(0);
      expect(smtp.received).toHaveLength(1);
    });

    test('rejects invalid worker options', () => {
      expect(() => createWorker({ maxAttempts: 0 })).toThrow(/Invalid outbox worker option maxAttempts=0/);
      expect(() => createWorker({ leaseMs: 1.5 })).toThrow(/Invalid outbox worker option leaseMs=1.5/);
    });
  });

  describe('mailbox transport', () => {
    let mailboxDirectory: string;

    beforeEach(() => {
      mailboxDirectory = path.join(directory, 'mailbox');
      transport.close();
      transport = createMailTransport({ smtpUrl: undefined, mailFrom, mailboxDirectory }, { clock });
    });

    test('writes a parseable .eml file', async () => {
      const queued = enqueueCommitted();

      await createWorker().runOnce();

      const files = readdirSync(mailboxDirectory);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^20261204T090000000Z-[0-9a-f-]{36}\.eml$/);
      const raw = readFileSync(path.join(mailboxDirectory, files[0] ?? ''));
      expect(raw.includes('\r\n')).toBe(true);
      const mail = await simpleParser(raw);
      expect(mail.messageId).toBe(queued.messageId);
      expect(mail.subject).toBe(invitation.subject);
      expect(mail.html).toBe(invitation.html);
      expect(readRow(queued.id).status).toBe('sent');
    });

    test('reads messages back by id', async () => {
      const queued = enqueueCommitted();
      await createWorker().runOnce();

      const [summary, ...others] = await listMailbox(mailboxDirectory);
      const message = await readMailboxMessage(mailboxDirectory, summary?.id ?? '');

      expect(others).toHaveLength(0);
      expect(summary?.to).toBe(recipient);
      expect(summary?.subject).toBe(invitation.subject);
      expect(summary?.date).toBe(startTime.toISOString());
      expect(message.messageId).toBe(queued.messageId);
      expect(message.from).toBe('"MSIX Assist" <no-reply@msix-assist.example.org>');
      expect(message.to).toBe(recipient);
      expect(message.autoSubmitted).toBe('auto-generated');
      expect(message.text.trim()).toBe(invitation.text);
      expect(message.html).toBe(invitation.html);
    });

    test('lists newest first within limit', async () => {
      const worker = createWorker();
      for (const subject of ['First', 'Second', 'Third']) {
        enqueueCommitted({ ...invitation, subject });
        await worker.runOnce();
        advance(1_000);
      }

      const summaries = await listMailbox(mailboxDirectory, { limit: 2 });

      expect(summaries.map((summary) => summary.subject)).toEqual(['Third', 'Second']);
    });

    test('lists missing folder as empty', async () => {
      expect(await listMailbox(path.join(directory, 'no-such-folder'))).toEqual([]);
    });

    test.each([0, -1, 1.5, 501])('rejects list limit %s', async (limit) => {
      await expect(listMailbox(mailboxDirectory, { limit })).rejects.toThrow(/Invalid mailbox limit/);
    });

    test.each([
      '../outside.eml',
      '..',
      '/etc/passwd',
      'sub/20261204T090000000Z-abc.eml',
      '20261204T090000000Z-abc.eml/../../outside.eml',
      '..\\outside.eml',
      '20261204T090000000Z-abc.eml\0',
      '',
    ])('rejects id %j', async (id) => {
      writeFileSync(path.join(directory, 'outside.eml'), 'Subject: outside\r\n\r\nsecret\r\n');
      mkdirSync(mailboxDirectory, { recursive: true });

      const read = readMailboxMessage(mailboxDirectory, id);

      await expect(read).rejects.toThrow(MailboxError);
      await expect(read).rejects.toMatchObject({ code: 'invalid_id' });
    });

    test('reports unknown id as not found', async () => {
      const read = readMailboxMessage(mailboxDirectory, '20261204T090000000Z-abc.eml');

      await expect(read).rejects.toMatchObject({ code: 'not_found' });
    });

    test('describes the folder', () => {
      expect(transport.describe()).toBe(`mailbox folder ${path.resolve(mailboxDirectory)}`);
    });
  });
});

describe('send error classification', () => {
  test.each([
    ['451 reply', { code: 'EMESSAGE', responseCode: 451 }, true],
    ['421 reply', { code: 'ECONNECTION', responseCode: 421 }, true],
    ['550 reply', { code: 'EENVELOPE', responseCode: 550 }, false],
    ['554 reply', { code: 'EMESSAGE', responseCode: 554 }, false],
    ['ECONNREFUSED', { code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, true],
    ['ECONNRESET', { code: 'ESOCKET', originalCode: 'ECONNRESET' }, true],
    ['ETIMEDOUT', { code: 'ETIMEDOUT' }, true],
    ['lost connection', { code: 'ECONNECTION' }, true],
    ['rejected login', { code: 'EAUTH', responseCode: 535 }, true],
    ['invalid envelope', { code: 'EENVELOPE' }, false],
    ['full disk', { code: 'ENOSPC' }, true],
  ])('%s', (_case, fields, temporary) => {
    const error = Object.assign(new Error('send failed'), fields);

    const classified = toMailSendError(error);

    expect(classified.temporary).toBe(temporary);
    expect(classified.cause).toBe(error);
  });

  test('keeps the system error code', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET', originalCode: 'ECONNREFUSED' });

    expect(toMailSendError(error).code).toBe('ECONNREFUSED');
  });

  test.each([
    [1, 60_000],
    [2, 120_000],
    [6, 1_920_000],
    [7, 3_600_000],
    [20, 3_600_000],
  ])('retry delay after attempt %i', (attempt, delay) => {
    expect(retryDelayMs(attempt)).toBe(delay);
  });
});
