/**
 * Turns a raw RFC 5322 message into what the desk stores: decoded subject and
 * sender, threading headers, a plain-text body, sanitized HTML and the
 * attached files. Parsing uses mailparser, which decodes RFC 2047 encoded
 * words (any charset, Q or base64, folded over several lines) and MIME parts.
 */
import { createHash } from 'node:crypto';
import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';
import type { MailHeader } from './loop-guard';
import { sanitizeMailHtml, textFromHtml } from './sanitize';
import { extractMessageIds } from './threading';

export interface InboundAttachment {
  fileName: string;
  contentType: string;
  content: Buffer;
  /** An image or file the HTML body shows inline (a signature logo, say) rather than one attached by hand. */
  inline: boolean;
}

export interface InboundMail {
  /**
   * The Message-ID with angle brackets. A message without one gets
   * `<SHA-256 of the raw message@inbound.invalid>`, so that a redelivery of
   * the same bytes is still recognized.
   */
  messageId: string;
  inReplyTo: string[];
  references: string[];
  /** The decoded subject on one line; empty when the message has none. */
  subject: string;
  /** The first From address, lowercase, and its display name; null when the message names no sender. */
  from: { address: string; name: string } | null;
  /** Every header as received, unfolded, for the loop guard. Values are not decoded. */
  headers: MailHeader[];
  bodyText: string;
  /** Null when the message has no HTML part, nothing is left after sanitizing, or the result is over maxStoredHtmlLength. */
  bodyHtml: string | null;
  /** Files attached by hand first, then inline ones, each in message order. */
  attachments: InboundAttachment[];
}

/** Characters of sanitized HTML stored with a message; a longer HTML body is kept as text only. */
export const maxStoredHtmlLength = 200_000;

/** Characters of a sender's display name kept. */
const maxNameLength = 200;

export async function parseInboundMail(raw: Buffer): Promise<InboundMail> {
  // The text of an HTML-only message is derived below from the sanitized HTML, never from the raw one.
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextLinks: true, skipTextToHtml: true });
  const html = typeof parsed.html === 'string' ? parsed.html : null;
  const sanitized = html === null ? null : sanitizeMailHtml(html);
  const bodyHtml = sanitized !== null && sanitized.length <= maxStoredHtmlLength ? sanitized : null;

  return {
    messageId:
      extractMessageIds(parsed.messageId)[0] ?? `<${createHash('sha256').update(raw).digest('hex')}@inbound.invalid>`,
    inReplyTo: extractMessageIds(readHeaderText(parsed, 'in-reply-to')),
    references: extractMessageIds(readHeaderText(parsed, 'references')),
    subject: oneLine(parsed.subject ?? ''),
    from: readSender(parsed),
    headers: parsed.headerLines.map(({ key, line }) => ({
      name: key,
      value: line
        .slice(line.indexOf(':') + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim(),
    })),
    bodyText: readBodyText(parsed, sanitized),
    bodyHtml,
    attachments: orderAttachments(parsed.attachments),
  };
}

function readHeaderText(parsed: ParsedMail, name: string): string | string[] | undefined {
  const value = parsed.headers.get(name);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return undefined;
}

function readSender(parsed: ParsedMail): InboundMail['from'] {
  const sender = parsed.from?.value.find((entry) => entry.address);
  if (!sender?.address) return null;

  const address = sender.address.trim().toLowerCase();
  const name = oneLine(sender.name).slice(0, maxNameLength).trim();
  return { address, name: name || address };
}

/** Returns the text part when there is one, and otherwise the text of the sanitized HTML part. */
function readBodyText(parsed: ParsedMail, html: string | null): string {
  const text = parsed.text?.replace(/\r\n/g, '\n').trim();
  if (text) return text;
  return html === null ? '' : textFromHtml(html);
}

function orderAttachments(attachments: readonly Attachment[]): InboundAttachment[] {
  const files = attachments.map((attachment, index) => ({
    fileName: attachment.filename?.trim() || `attachment-${index + 1}`,
    contentType: attachment.contentType || 'application/octet-stream',
    content: attachment.content,
    // Not Content-Disposition: some mail programs mark every attachment inline.
    inline: attachment.related === true,
  }));
  return [...files.filter((file) => !file.inline), ...files.filter((file) => file.inline)];
}

/** Collapses line breaks, tabs and runs of spaces, and removes other control characters. */
function oneLine(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
