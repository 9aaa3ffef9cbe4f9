/**
 * Links that let a subscriber leave or change a subscription without signing
 * in: the one-click unsubscribe URL and mailto of RFC 8058 and RFC 2369, and
 * the preferences page link. Both carry a signed token (signed-tokens.ts) that
 * contains the subscriber id, the campaign id and the issue time, never the address.
 */
import { domainOfSender } from '../../emails/addresses';
import { createSignedToken, verifySignedToken, type SignedPayload } from './signed-tokens';

const day = 86_400_000;

export const unsubscribeTokenPurpose = 'unsubscribe';
export const preferencesTokenPurpose = 'preferences';

/**
 * How long an unsubscribe link works after its message was built. Mail
 * providers require at least 30 days; a year also covers newsletters read late.
 */
export const unsubscribeTokenMaxAgeMs = 365 * day;
/** How long a preferences link works after its message was built. */
export const preferencesTokenMaxAgeMs = 365 * day;

export interface UnsubscribeLinkOptions {
  subscriberId: number;
  /** The campaign whose message carries the link; recorded with the suppression when the link is used. */
  campaignId?: number | undefined;
  /** The public site address (SITE_URL), such as https://msix-assist.example.org. */
  siteUrl: string;
  /** The configured sender (MAIL_FROM); the mailto address is unsubscribe@ its domain. */
  mailFrom: string;
  /** The app's link-signing key (AppDependencies.linkSecret). */
  secret: string;
  now: Date;
}

export interface UnsubscribeLinks {
  /** The one-click URL, such as https://…/unsubscribe/<token>. GET shows a confirm button; POST unsubscribes. */
  url: string;
  /** mailto:unsubscribe@<sender domain>?subject=unsubscribe%20<token> */
  mailto: string;
  /** Header values for the delivery, ready for the outbox `headers` field. */
  headers: {
    'List-Unsubscribe': string;
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click';
  };
}

/** An unsubscribe token's payload: the signature covers campaignId too, so it cannot be changed. */
interface UnsubscribePayload extends SignedPayload {
  campaignId?: number;
}

/**
 * Builds a delivery's unsubscribe URL, mailto address and the List-Unsubscribe
 * and List-Unsubscribe-Post header values. The URL uses siteUrl as it is, so
 * it is HTTPS only when SITE_URL is; mail providers honour one-click
 * unsubscribe for HTTPS URLs only.
 */
export function buildUnsubscribeLinks(options: UnsubscribeLinkOptions): UnsubscribeLinks {
  const payload: UnsubscribePayload = {
    purpose: unsubscribeTokenPurpose,
    id: options.subscriberId,
    issuedAt: options.now.getTime(),
    ...(options.campaignId === undefined ? {} : { campaignId: options.campaignId }),
  };
  const token = createSignedToken(payload, options.secret);

  const url = `${trimTrailingSlash(options.siteUrl)}/unsubscribe/${token}`;
  // NOTE: no part of the product reads mail sent to this address yet; until an
  // inbound handler calls readUnsubscribeMailSubject, only the URL unsubscribes.
  const mailto = `mailto:unsubscribe@${domainOfSender(options.mailFrom)}?subject=${encodeURIComponent(`unsubscribe ${token}`)}`;

  return {
    url,
    mailto,
    headers: {
      'List-Unsubscribe': `<${url}>, <${mailto}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}

/**
 * Builds the link to the preferences page, where a subscriber changes name,
 * state, role and topics or unsubscribes. The token is in the URL fragment, so
 * the page request that opens it does not carry it.
 */
export function buildPreferencesUrl(options: {
  subscriberId: number;
  siteUrl: string;
  secret: string;
  now: Date;
}): string {
  const token = createSignedToken(
    { purpose: preferencesTokenPurpose, id: options.subscriberId, issuedAt: options.now.getTime() },
    options.secret,
  );
  return `${trimTrailingSlash(options.siteUrl)}/newsletters/preferences/#token=${token}`;
}

export interface UnsubscribeTokenContent {
  subscriberId: number;
  campaignId: number | null;
}

/** Returns the subscriber and campaign of a valid unsubscribe token, or undefined when it is invalid, tampered with or older than 365 days. */
export function readUnsubscribeToken(token: string, secret: string, now: Date): UnsubscribeTokenContent | undefined {
  const payload = verifySignedToken(token, secret, unsubscribeTokenPurpose, now, unsubscribeTokenMaxAgeMs) as
    UnsubscribePayload | undefined;
  if (!payload) return undefined;

  const campaignId = payload.campaignId;
  if (campaignId !== undefined && !(Number.isSafeInteger(campaignId) && campaignId > 0)) return undefined;
  return { subscriberId: payload.id, campaignId: campaignId ?? null };
}

/** Returns the subscriber id of a valid preferences token, or undefined when it is invalid, tampered with or older than 365 days. */
export function readPreferencesToken(token: string, secret: string, now: Date): number | undefined {
  return verifySignedToken(token, secret, preferencesTokenPurpose, now, preferencesTokenMaxAgeMs)?.id;
}

/**
 * Reads the unsubscribe token from the subject of a message sent to the
 * mailto address ("unsubscribe <token>"), for an inbound mail handler.
 */
export function readUnsubscribeMailSubject(
  subject: string,
  secret: string,
  now: Date,
): UnsubscribeTokenContent | undefined {
  const match = /^\s*unsubscribe\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/i.exec(subject);
  return match?.[1] ? readUnsubscribeToken(match[1], secret, now) : undefined;
}

function trimTrailingSlash(siteUrl: string): string {
  return siteUrl.endsWith('/') ? siteUrl.slice(0, -1) : siteUrl;
}
