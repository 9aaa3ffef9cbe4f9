import type { RenderedMessage } from '../../emails/templates/blocks';
import type { DatabaseOrTransaction } from '../audit/record';

/** Outgoing mail as services see it: links on the public site and messages queued inside a transaction. */
export interface MailQueue {
  /** Turns a site path into an absolute link on the public site. */
  link: (path: string) => string;
  queue: (db: DatabaseOrTransaction, mail: { kind: string; to: string; message: RenderedMessage; now: Date }) => void;
}

/** Facts about the request that every state-changing service records. */
export interface ActionContext {
  ip: string;
  requestId?: string;
  now: Date;
  mail: MailQueue;
}
