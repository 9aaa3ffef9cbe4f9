/**
 * The SMTP listener for support mail: mail to the support address becomes a
 * ticket or joins one. Started by api/start.ts when INBOUND_SMTP is true.
 *
 * It speaks plain SMTP without AUTH or STARTTLS, so it belongs on localhost
 * (the default) behind the organization's mail server or a forwarder, which
 * handles TLS, spam filtering and authentication of senders. The listener
 * replies 250 to a message only after it is committed to the database, so a sender whose
 * connection breaks sends it again, and the redelivery changes nothing.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { DatabaseHandle } from '../../../db/client';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import type { MailQueue } from '../../shared/action-context';
import type { Clock } from '../../shared/clock';
import { deliverInboundMail, plainAddress, UnusableMailError, type InboundOutcome } from './deliver';
import { parseInboundMail } from './parse';

export interface InboundMailOptions {
  database: DatabaseHandle;
  logger: Logger;
  clock: Clock;
  mail: MailQueue;
  settings: {
    host: string;
    port: number;
    supportAddress: string;
    mailFrom: string;
    siteUrl: string;
    attachmentsDirectory: string;
    businessHours: string;
  };
  /** Largest message accepted, in bytes; 25 MB when not given. */
  maxMessageBytes?: number;
}

export interface InboundMailListener {
  /** The port the listener is bound to (useful when 0 was asked for). */
  port: number;
  stop: () => Promise<void>;
}

/** 25 MB, the limit of common mail services, leaves room for a few attachments of up to 10 MB after base64 encoding. */
const defaultMaxMessageBytes = 25 * 1024 * 1024;

/** Creates the error that smtp-server sends as the reply in place of 250; the text starts with the RFC 3463 enhanced status code. */
function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

export async function startInboundMail(options: InboundMailOptions): Promise<InboundMailListener> {
  const { database, logger, clock, settings } = options;
  const log = logger.child({ component: 'inbound-mail' });
  const maxMessageBytes = options.maxMessageBytes ?? defaultMaxMessageBytes;
  const supportAddress = plainAddress(settings.supportAddress);
  const maxMegabytes = Math.floor(maxMessageBytes / (1024 * 1024));

  const server = new SMTPServer({
    name: new URL(settings.siteUrl).hostname,
    banner: 'MSIX Assist support desk',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxMessageBytes,
    logger: false,
    // On stop, open connections get 421 after this many milliseconds, well within the 10 seconds start.ts allows.
    closeTimeout: 5000,
    // A reverse DNS lookup of each client can wait for a resolver timeout on hosts without one.
    disableReverseLookup: true,

    onRcptTo(address, _session, callback) {
      if (address.address.trim().toLowerCase() === supportAddress) return callback();
      callback(
        smtpError(
          550,
          `5.1.1 Recipient not accepted: this server takes mail only for the support desk address ${supportAddress}.`,
        ),
      );
    },

    onData(stream, session, smtpCallback) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      // A stream error may be followed by its end event, and the SMTP reply must be sent once.
      let replied = false;
      const callback = (error?: Error) => {
        if (replied) return;
        replied = true;
        smtpCallback(error ?? null);
      };
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        // Past the limit the rest is read and discarded, so the client gets a reply instead of a broken connection.
        if (bytes <= maxMessageBytes) chunks.push(chunk);
      });
      stream.on('error', (error) => {
        log.warn({ err: error, session: session.id }, 'reading an incoming message failed');
        callback(smtpError(451, '4.3.0 Reading the message failed. Try again later.'));
      });
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          log.info({ session: session.id, bytes }, 'rejected an incoming message over the size limit');
          callback(
            smtpError(
              552,
              `5.3.4 Message too large: the support desk accepts messages of up to ${maxMegabytes} MB including attachments. Send fewer or smaller files.`,
            ),
          );
          return;
        }
        fileMessage(Buffer.concat(chunks), session).then(
          () => callback(),
          (error: Error) => callback(error),
        );
      });
    },
  });

  /** Parses and files one message. On failure it rejects with the SMTP error to send as the reply. */
  async function fileMessage(raw: Buffer, session: SMTPServerSession): Promise<void> {
    let outcome: InboundOutcome;
    try {
      const mail = await parseInboundMail(raw);
      const envelopeSender = session.envelope.mailFrom === false ? undefined : session.envelope.mailFrom.address;
      outcome = deliverInboundMail(
        database.db,
        settings,
        mail,
        { sender: envelopeSender },
        { now: clock(), ip: session.remoteAddress, requestId: `smtp-${session.id}` },
      );
    } catch (error) {
      if (error instanceof UnusableMailError || (error instanceof AppError && error.status < 500)) {
        log.warn({ session: session.id, reason: error.message }, 'rejected an incoming message that cannot be filed');
        throw smtpError(550, `5.6.0 ${error.message}`);
      }
      log.error({ err: error, session: session.id }, 'filing an incoming message failed; the sender will retry');
      throw smtpError(451, '4.3.0 The support desk could not store the message just now. Try again later.');
    }
    logOutcome(session, raw.length, outcome);
  }

  function logOutcome(session: SMTPServerSession, bytes: number, outcome: InboundOutcome): void {
    const fields = { session: session.id, bytes, ...outcome };
    if (outcome.action === 'dropped_own_address') {
      log.warn(fields, 'dropped an incoming message from the desk address itself, to avoid a mail loop');
    } else if (outcome.action === 'redelivery') {
      log.info(fields, 'incoming message was already filed; nothing changed');
    } else {
      log.info(
        fields,
        outcome.action === 'created' ? 'incoming message opened a ticket' : 'incoming message added to a ticket',
      );
    }
  }

  server.on('error', (error) => log.error({ err: error }, 'support mail listener error'));
  // Tickets queue their mail through the outbox themselves, so the listener needs no mail queue of its own.
  void options.mail;

  await new Promise<void>((resolve, reject) => {
    const onListenError = (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `The support mail listener could not listen on ${settings.host}:${settings.port} (${error.code ?? error.message}). ` +
            'Set INBOUND_SMTP_PORT to a free port, or INBOUND_SMTP=false to run without it.',
        ),
      );
    server.server.once('error', onListenError);
    server.listen(settings.port, settings.host, () => {
      server.server.off('error', onListenError);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  log.info({ host: settings.host, port, maxMessageBytes }, 'support mail listener started');

  let stopped: Promise<void> | undefined;
  return {
    port,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        server.close(() => {
          log.info('support mail listener stopped');
          resolve();
        });
      })),
  };
}
