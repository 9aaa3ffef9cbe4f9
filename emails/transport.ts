/**
 * Sends one outbox message: over SMTP when SMTP_URL is set, otherwise into the
 * local mailbox folder as an `.eml` file. With DKIM configured, both sign
 * every message.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer, {
  type DKIMOptions,
  type IcalAttachment,
  type NodemailerError,
  type SendMailOptions,
} from 'nodemailer';
import { ConfigError, type AppConfig } from '../api/config';
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

export type MailTransportConfig = Pick<AppConfig, 'smtpUrl' | 'mailFrom' | 'mailboxDirectory'> &
  Partial<Pick<AppConfig, 'dkim'>>;

/**
 * Header key under which the outbox stores a calendar invitation for the
 * transport: the transport attaches it with nodemailer's `icalEvent` option
 * and never sends the key as a header.
 */
export const calendarEventHeader = 'X-MSIX-Calendar-Event';

/** An iCalendar text and its METHOD, such as REQUEST or CANCEL, to send as a calendar invitation. */
export interface CalendarEvent {
  method: string;
  content: string;
}

/**
 * Returns the headers entry that carries a calendar invitation through the
 * outbox. The value is JSON, which escapes the CRLF line ends of the
 * calendar, so it passes the outbox's one-line check on header values.
 */
export function calendarEventHeaders(event: CalendarEvent): Record<string, string> {
  return { [calendarEventHeader]: JSON.stringify({ method: event.method, content: event.content }) };
}

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

/**
 * Creates the transport. With config.dkim set, the private key file is read
 * here, once; a file that cannot be read or contains no RSA private key throws a
 * ConfigError naming DKIM_PRIVATE_KEY_FILE.
 */
export function createMailTransport(config: MailTransportConfig, options: { clock?: Clock } = {}): MailTransport {
  const clock = options.clock ?? systemClock;
  const dkim = config.dkim ? readDkimOptions(config.dkim) : undefined;
  if (config.smtpUrl) return createSmtpTransport(config.smtpUrl, config.mailFrom, clock, dkim);
  return createMailboxTransport(config.mailboxDirectory, config.mailFrom, clock, dkim);
}

/** RFC 8301 section 3.2: signers must use RSA keys of at least 1024 bits, and should use at least 2048. */
const minDkimKeyBits = 1024;

function readDkimOptions(settings: NonNullable<AppConfig['dkim']>): DKIMOptions {
  const file = JSON.stringify(settings.privateKeyFile);
  let pem: string;
  try {
    pem = readFileSync(settings.privateKeyFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new ConfigError(
      `Invalid configuration:\n  - DKIM_PRIVATE_KEY_FILE is ${file}, which could not be read (${code}). Set it to the path of a readable PEM file with the DKIM private key.`,
    );
  }

  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new ConfigError(
      `Invalid configuration:\n  - DKIM_PRIVATE_KEY_FILE is ${file}, which contains no PEM private key. Set it to a file that starts with "-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----".`,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < minDkimKeyBits) {
    const found =
      key.asymmetricKeyType === 'rsa' ? `a ${bits}-bit RSA key` : `a key of type ${key.asymmetricKeyType ?? 'unknown'}`;
    throw new ConfigError(
      `Invalid configuration:\n  - DKIM_PRIVATE_KEY_FILE is ${file}, which contains ${found}. DKIM signing here uses rsa-sha256 and needs an RSA key of at least ${minDkimKeyBits} bits (2048 recommended).`,
    );
  }

  return { domainName: settings.domain, keySelector: settings.selector, privateKey: key };
}

function createSmtpTransport(
  smtpUrl: string,
  mailFrom: string,
  clock: Clock,
  dkim: DKIMOptions | undefined,
): MailTransport {
  // A pool keeps connections open between messages: opening one per message costs a handshake each time
  // (the mail benchmark measured about 9 messages per second that way against about 240 pooled).
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    ...smtpTimeouts,
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(dkim ? { dkim } : {}),
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

function createMailboxTransport(
  directory: string,
  mailFrom: string,
  clock: Clock,
  dkim: DKIMOptions | undefined,
): MailTransport {
  const composer = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    newline: 'windows',
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(dkim ? { dkim } : {}),
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
  const { headers, icalEvent } = takeCalendarEvent(mail.headers);
  return {
    from: mailFrom,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    headers,
    ...(icalEvent ? { icalEvent } : {}),
    messageId: mail.messageId,
    date,
  };
}

/**
 * Removes the calendar key from the headers and returns it as nodemailer's
 * icalEvent, which becomes a text/calendar alternative and an invite.ics
 * attachment. A value that is not the JSON calendarEventHeaders wrote can
 * never be sent, so the error is permanent.
 */
function takeCalendarEvent(stored: Record<string, string>): {
  headers: Record<string, string>;
  icalEvent?: IcalAttachment;
} {
  const headers: Record<string, string> = {};
  let calendar: string | undefined;
  for (const [name, value] of Object.entries(stored)) {
    if (name.toLowerCase() === calendarEventHeader.toLowerCase()) calendar = value;
    else headers[name] = value;
  }
  if (calendar === undefined) return { headers };

  let value: unknown;
  try {
    value = JSON.parse(calendar);
  } catch {
    value = undefined;
  }
  const event = value as Partial<CalendarEvent> | undefined;
  if (typeof event?.method !== 'string' || !/^[A-Z]+$/.test(event.method) || typeof event.content !== 'string') {
    throw new MailSendError(
      `The stored ${calendarEventHeader} value is not JSON with a method such as "REQUEST" and a content string; fix the row or delete it.`,
      false,
    );
  }
  return { headers, icalEvent: { method: event.method, content: event.content, filename: 'invite.ics' } };
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
