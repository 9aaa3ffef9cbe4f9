/**
 * Sends one outbox message: over SMTP when SMTP_URL is set, otherwise into the
 * local mailbox folder as an `.eml` file.
 */
import path from 'node:path';
import nodemailer, { type NodemailerError, type SendMailOptions } from 'nodemailer';
import type { AppConfig } from '../api/config';
import { systemClock, type Clock } from '../api/shared/clock';
import { writeMailboxMessage } from './mailbox';

/** One message as the worker hands it to a transport. */
export interface OutgoingMail {
  /** The stored Message-ID, angle brackets included. Every attempt sends the same one. */
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html?: string | null | undefined;
  headers: Record<string, string>;
}

export interface MailTransport {
  /** Resolves once the SMTP server accepted the message or the file is written; rejects with a MailSendError. */
  send(mail: OutgoingMail): Promise<void>;
  /** Names where mail goes, without credentials, for logs. */
  describe(): string;
  close(): void;
}

export type MailTransportConfig = Pick<AppConfig, 'smtpUrl' | 'mailFrom' | 'mailboxDirectory'>;

/**
 * A failed send. `temporary` is true when the same message may be accepted
 * later: a 4xx reply, a connection error or a file-system error. It is false
 * for a 5xx reply and for a message that is invalid in itself.
 */
export class MailSendError extends Error {
  override name = 'MailSendError';
  /** Nodemailer's or Node's error code, such as EENVELOPE or ECONNREFUSED, when there is one. */
  readonly code: string | undefined;
  readonly responseCode: number | undefined;

  constructor(
    message: string,
    readonly temporary: boolean,
    details: { code?: string | undefined; responseCode?: number | undefined; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.code = details.code;
    this.responseCode = details.responseCode;
  }
}

/**
 * Milliseconds the SMTP client waits to connect, for the greeting, and on an
 * idle socket. Connecting and idling are capped well below nodemailer 10's
 * defaults (2 min and 10 min), so one send ends well within the worker's lease.
 */
const smtpTimeouts = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

/** Nodemailer codes for an invalid message or envelope, which no later attempt can fix. */
const messageErrorCodes = new Set(['EENVELOPE', 'EMESSAGE', 'EMAXRECIPIENTS', 'EOTP']);

/** RFC 4954 reply "530 Authentication required": the server configuration is wrong, not the message. */
const authenticationRequiredReply = 530;

export function createMailTransport(config: MailTransportConfig, options: { clock?: Clock } = {}): MailTransport {
  const clock = options.clock ?? systemClock;
  if (config.smtpUrl) return createSmtpTransport(config.smtpUrl, config.mailFrom, clock);
  return createMailboxTransport(config.mailboxDirectory, config.mailFrom, clock);
}

function createSmtpTransport(smtpUrl: string, mailFrom: string, clock: Clock): MailTransport {
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    ...smtpTimeouts,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const server = new URL(smtpUrl);

  return {
    async send(mail) {
      try {
        await transporter.sendMail(toMailOptions(mail, mailFrom, clock()));
      } catch (error) {
        throw toMailSendError(error);
      }
    },
    describe: () => `SMTP server ${server.protocol}//${server.host}`,
    close: () => transporter.close(),
  };
}

function createMailboxTransport(directory: string, mailFrom: string, clock: Clock): MailTransport {
  const composer = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
    disableFileAccess: true,
    disableUrlAccess: true,
  });

  return {
    async send(mail) {
      const sentAt = clock();
      try {
        const info = await composer.sendMail(toMailOptions(mail, mailFrom, sentAt));
        await writeMailboxMessage(directory, toBuffer(info.message), sentAt, mail.messageId);
      } catch (error) {
        throw toMailSendError(error);
      }
    },
    describe: () => `mailbox folder ${path.resolve(directory)}`,
    close: () => composer.close(),
  };
}

function toMailOptions(mail: OutgoingMail, mailFrom: string, date: Date): SendMailOptions {
  return {
    from: mailFrom,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    headers: mail.headers,
    messageId: mail.messageId,
    date,
  };
}

function toBuffer(message: unknown): Buffer {
  if (Buffer.isBuffer(message)) return message;
  throw new MailSendError('The message composer returned a stream instead of a buffer; set its buffer option.', false);
}

/** Wraps any send error in a MailSendError that records whether a later attempt may succeed. */
export function toMailSendError(error: unknown): MailSendError {
  if (error instanceof MailSendError) return error;

  const details = error as Partial<NodemailerError>;
  const code = details.originalCode ?? details.code;
  const message = error instanceof Error ? error.message : String(error);
  return new MailSendError(message, isTemporary(details), {
    code,
    responseCode: details.responseCode,
    cause: error,
  });
}

function isTemporary(error: Partial<NodemailerError>): boolean {
  // A rejected login is a configuration error, not a fault of the message, so retry while an operator fixes SMTP_URL.
  if (error.code === 'EAUTH' || error.code === 'ENOAUTH') return true;
  if (error.responseCode === authenticationRequiredReply) return true;

  if (error.responseCode !== undefined) return error.responseCode < 500;
  if (error.code !== undefined && messageErrorCodes.has(error.code)) return false;

  // Connection errors (ECONNECTION, ESOCKET with ECONNREFUSED or ECONNRESET,
  // ETIMEDOUT, EDNS, ETLS), file-system errors of the mailbox folder and
  // anything unknown: the worker's maxAttempts still bounds the retries.
  return true;
}
