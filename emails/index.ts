export { OutboxMessageError } from './addresses';
export {
  listMailbox,
  readMailboxMessage,
  MailboxError,
  type MailboxErrorCode,
  type MailboxMessage,
  type MailboxSummary,
} from './mailbox';
export {
  createMessageId,
  enqueueMessage,
  type EnqueueOptions,
  type OutboxDatabase,
  type OutboxMessage,
  type QueuedMessage,
} from './outbox';
export {
  createMailTransport,
  MailSendError,
  toMailSendError,
  type MailTransport,
  type MailTransportConfig,
  type OutgoingMail,
} from './transport';
export {
  createOutboxWorker,
  retryDelayMs,
  type CampaignDeliveryDecision,
  type CampaignDeliveryHandler,
  type DeliveryOutcome,
  type OutboxWorker,
  type OutboxWorkerOptions,
} from './worker';
export { cancelledDeliveryError, type OutboxRow } from './outbox-store';
export {
  campaignShareOfDailyBudget,
  createMailRateLimiter,
  type MailCategory,
  type MailRateLimiter,
  type MailRateLimits,
} from './rate-limit';
