/** Checks on addresses and header text before they reach the outbox table. */
import addressparser from 'nodemailer/lib/addressparser';

/** Error for a message the outbox rejects. `field` names the part to fix. */
export class OutboxMessageError extends Error {
  override name = 'OutboxMessageError';

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** RFC 5322 atext: the characters of an unquoted local part, apart from dots. */
const localPartPattern = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const domainLabelPattern = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** RFC 5321 section 4.5.3.1: 64 octets for the local part, 256 for a path, which leaves 254 for the address between its angle brackets. */
const maxLocalPartLength = 64;
const maxAddressLength = 254;

/**
 * Rejects anything but one plain address such as `person@example.org`.
 * NOTE: quoted local parts, IP-literal domains and non-ASCII (internationalized)
 * addresses are rejected too, although RFC 5321 and RFC 6531 allow them.
 */
export function assertRecipientAddress(address: string): void {
  if (!isPlainAddress(address)) {
    throw new OutboxMessageError(
      'to',
      `Invalid recipient address ${JSON.stringify(address)}: expected one address such as person@example.org, without a display name.`,
    );
  }
}

function isPlainAddress(address: string): boolean {
  if (address.length > maxAddressLength) return false;

  const at = address.lastIndexOf('@');
  if (at <= 0) return false;

  const localPart = address.slice(0, at);
  const labels = address.slice(at + 1).split('.');
  if (localPart.length > maxLocalPartLength || !localPartPattern.test(localPart)) return false;
  return labels.length >= 2 && labels.every((label) => domainLabelPattern.test(label));
}

/** Rejects CR and LF, which would end a header line and let the rest of the value start a new header. */
export function assertSingleLine(field: string, value: string): void {
  if (/[\r\n]/.test(value)) {
    throw new OutboxMessageError(
      field,
      `Invalid ${field}: it contains a line break (CR or LF), which would start a new header. Put the value on one line.`,
    );
  }
}

/** Returns the domain of the sender address, such as `example.org` for `MSIX Assist <no-reply@example.org>`. */
export function domainOfSender(mailFrom: string): string {
  const [sender] = addressparser(mailFrom, { flatten: true });
  const address = sender?.address ?? '';
  const domain = address.slice(address.lastIndexOf('@') + 1);
  if (!address.includes('@') || domain === '') {
    throw new OutboxMessageError(
      'mailFrom',
      `Invalid sender ${JSON.stringify(mailFrom)}: it has no address with a domain. Set MAIL_FROM to a value such as "MSIX Assist <no-reply@example.org>".`,
    );
  }
  return domain;
}
