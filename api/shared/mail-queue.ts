import { enqueueMessage, type OutboxDatabase } from '../../emails/outbox';
import type { MailQueue } from './action-context';

/** Account mail is automatic: it says so, so auto-responders do not answer it. */
const automaticMailHeaders = { 'Auto-Submitted': 'auto-generated' };

export function createMailQueue(settings: { siteUrl: string; mailFrom: string }): MailQueue {
  return {
    link: (path) => `${settings.siteUrl}${path}`,
    queue: (db, mail) => {
      enqueueMessage(
        db as OutboxDatabase,
        {
          kind: mail.kind,
          to: mail.to,
          subject: mail.message.subject,
          text: mail.message.text,
          html: mail.message.html,
          headers: automaticMailHeaders,
        },
        () => mail.now,
        { mailFrom: settings.mailFrom },
      );
    },
  };
}
