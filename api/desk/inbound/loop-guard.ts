/**
 * Recognizes automatic mail (out-of-office replies, bounces, mailing lists)
 * so the desk never acknowledges it. An acknowledgement sent to an auto-reply
 * would trigger another auto-reply, and the two programs would mail each other in a loop.
 */

/** One header of a message as received: its lowercase name and its value. */
export interface MailHeader {
  name: string;
  value: string;
}

/** Reason a message counts as automatic. The value appears in the ticket history and in logs. */
export type AutomatedMailReason =
  'auto_submitted' | 'precedence' | 'empty_return_path' | 'autoreply_header' | 'mailing_list' | 'delivery_report';

/**
 * Returns why a message is automatic, or null for mail a person wrote.
 *
 * - `Auto-Submitted` with any value but `no` (RFC 3834).
 * - `Precedence: bulk`, `junk` or `list` (a de facto header that mailing lists and vacation programs set).
 * - An empty reverse path, `MAIL FROM:<>` in the SMTP envelope or `Return-Path: <>`: delivery status
 *   notifications use it so that no program replies to them (RFC 5321 section 4.5.5).
 * - `X-Autoreply`, `X-Autorespond` or `X-Autoresponder` (set by several auto-responders instead of Auto-Submitted).
 * - `List-Id` (RFC 2919): mail distributed by a mailing list.
 * - `Content-Type: multipart/report` (RFC 6522): a bounce or read receipt, which a forwarder
 *   may have passed on with a non-empty return path.
 *
 * `envelopeSender` is the address of MAIL FROM, empty for `<>`, or undefined when unknown.
 */
export function findAutomatedMailReason(
  headers: readonly MailHeader[],
  envelopeSender?: string,
): AutomatedMailReason | null {
  const values = (name: string) => headers.filter((header) => header.name === name).map((header) => header.value);

  const autoSubmitted = values('auto-submitted');
  if (autoSubmitted.some((value) => headerToken(value) !== 'no')) return 'auto_submitted';

  const precedence = values('precedence');
  if (precedence.some((value) => ['bulk', 'junk', 'list'].includes(headerToken(value)))) return 'precedence';

  const returnPaths = values('return-path');
  if (envelopeSender === '' || returnPaths.some((value) => /^<\s*>$/.test(value.trim()))) return 'empty_return_path';

  if (['x-autoreply', 'x-autorespond', 'x-autoresponder'].some((name) => values(name).length > 0)) {
    return 'autoreply_header';
  }

  if (values('list-id').length > 0) return 'mailing_list';

  if (values('content-type').some((value) => headerToken(value) === 'multipart/report')) return 'delivery_report';

  return null;
}

/** Returns the first token of a header value in lowercase, without parameters or comments: "Auto-Replied; x=1 (vacation)" becomes "auto-replied". */
function headerToken(value: string): string {
  return value
    .replace(/\([^)]*\)/g, ' ')
    .split(';')[0]!
    .trim()
    .toLowerCase();
}
