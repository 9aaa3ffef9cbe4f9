import { randomUUID } from 'node:crypto';
import type { Clock } from '../api/shared/clock';
import type { AppDatabase } from '../db/client';
import { outboxMessages } from '../db/schema';
import { assertRecipientAddress, assertSingleLine, domainOfSender, OutboxMessageError } from './addresses';

/** The database or an open transaction on it, so the message commits or rolls back with the caller's change. */
export type OutboxDatabase = Pick<AppDatabase, 'insert'>;

export interface OutboxMessage {
  /** Purpose of the message in snake_case, such as "invitation" or "password_reset". It appears in logs. */
  kind: string;
  /** One plain address such as person@example.org. */
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
  /** Extra headers, such as `{ 'Auto-Submitted': 'auto-generated' }`. */
  headers?: Record<string, string> | undefined;
}

export interface EnqueueOptions {
  /** The configured sender (MAIL_FROM). Its domain becomes the right-hand side of the Message-ID. */
  mailFrom: string;
}

export interface QueuedMessage {
  id: number;
  /** The Message-ID header of every attempt, angle brackets included. */
  messageId: string;
}

const kindPattern = /^[a-z][a-z0-9_]*$/;

/** RFC 5322 field names: printable US-ASCII except the colon. */
const headerNamePattern = /^[\x21-\x39\x3b-\x7e]+$/;

/** Headers the transport sets from the message fields, so a second value would contradict or duplicate them. */
const reservedHeaders = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'bcc',
  'subject',
  'message-id',
  'date',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'return-path',
]);

/**
 * Validates a message and inserts it into the outbox as queued, due now.
 * Runs synchronously on `db`, so pass the caller's transaction to commit the
 * message together with the change that caused it.
 */
export function enqueueMessage(
  db: OutboxDatabase,
  message: OutboxMessage,
  clock: Clock,
  options: EnqueueOptions,
): QueuedMessage {
  assertValidMessage(message);
  const messageId = createMessageId(domainOfSender(options.mailFrom));
  const now = clock().toISOString();

  const row = db
    .insert(outboxMessages)
    .values({
      kind: message.kind,
      messageId,
      recipient: message.to,
      subject: message.subject,
      textBody: message.text,
      htmlBody: message.html ?? null,
      headers: JSON.stringify(message.headers ?? {}),
      status: 'queued',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
    })
    .returning({ id: outboxMessages.id })
    .get();

  return { id: row.id, messageId };
}

/** Returns a new Message-ID such as `<0b6f…@example.org>`. */
export function createMessageId(domain: string): string {
  return `<${randomUUID()}@${domain}>`;
}

function assertValidMessage(message: OutboxMessage): void {
  if (!kindPattern.test(message.kind)) {
    throw new OutboxMessageError(
      'kind',
      `Invalid kind ${JSON.stringify(message.kind)}: use lowercase letters, digits and underscores, such as "password_reset".`,
    );
  }

  assertRecipientAddress(message.to);

  assertSingleLine('subject', message.subject);
  if (message.subject.trim() === '') {
    throw new OutboxMessageError('subject', 'Missing subject: every outgoing message needs a subject line.');
  }

  if (message.text.trim() === '') {
    throw new OutboxMessageError('text', 'Missing text body: every outgoing message needs a plain-text part.');
  }

  for (const [name, value] of Object.entries(message.headers ?? {})) {
    assertValidHeader(name, value);
  }
}

function assertValidHeader(name: string, value: string): void {
  if (!headerNamePattern.test(name)) {
    throw new OutboxMessageError(
      'headers',
      `Invalid header name ${JSON.stringify(name)}: use printable ASCII without spaces or colons, such as "Auto-Submitted".`,
    );
  }

  if (reservedHeaders.has(name.toLowerCase())) {
    throw new OutboxMessageError(
      'headers',
      `Header ${JSON.stringify(name)} is set by the outbox from the message fields; remove it from headers.`,
    );
  }

  assertSingleLine(`header ${name}`, value);
}
