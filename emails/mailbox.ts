/**
 * The local mailbox folder: one RFC 5322 `.eml` file per message, written when
 * no SMTP server is configured and read back by the admin's mailbox viewer.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';

/**
 * A file name this module writes: a UTC timestamp to the millisecond, so names
 * sort by time, then the Message-ID's left-hand side. Ids that do not match are
 * rejected, which also rules out path separators and "..".
 */
const messageFilePattern = /^\d{8}T\d{9}Z-[A-Za-z0-9-]+\.eml$/;

const defaultListLimit = 50;
const maxListLimit = 500;

export interface MailboxSummary {
  /** The file name, which is the message's id in the mailbox. */
  id: string;
  /** The Date header as an ISO 8601 string, or null when it is missing. */
  date: string | null;
  to: string;
  subject: string;
}

export interface MailboxMessage extends MailboxSummary {
  from: string;
  messageId: string | null;
  /** The Auto-Submitted header, such as "auto-generated", or null. */
  autoSubmitted: string | null;
  replyTo: string | null;
  text: string;
  /** The HTML part as sent. It is untrusted markup: show it only in a sandboxed iframe. */
  html: string | null;
}

export type MailboxErrorCode = 'invalid_id' | 'not_found' | 'invalid_limit';

/** Error for a mailbox request that cannot be served. The API maps `code` to an HTTP status. */
export class MailboxError extends Error {
  override name = 'MailboxError';

  constructor(
    readonly code: MailboxErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Writes one raw message into the folder, creating the folder when missing,
 * and returns its id. The file appears under its final name only once it is
 * complete, so a listing never shows half a message.
 */
export async function writeMailboxMessage(
  directory: string,
  raw: Buffer,
  sentAt: Date,
  messageId: string,
): Promise<string> {
  await mkdir(directory, { recursive: true });
  const id = `${formatFileTimestamp(sentAt)}-${fileSuffix(messageId)}.eml`;
  const finalPath = path.join(directory, id);
  const temporaryPath = path.join(directory, `.${id}.${randomUUID()}.tmp`);

  await writeFile(temporaryPath, raw, { flag: 'wx' });
  await rename(temporaryPath, finalPath);
  return id;
}

/** Lists the newest messages first. A missing folder counts as an empty mailbox. */
export async function listMailbox(directory: string, options: { limit?: number } = {}): Promise<MailboxSummary[]> {
  const limit = options.limit ?? defaultListLimit;
  assertListLimit(limit);

  const ids = (await readMessageFileNames(directory)).sort().reverse().slice(0, limit);
  return Promise.all(ids.map((id) => readSummary(directory, id)));
}

/** Reads and parses one message by the id that listMailbox returned. */
export async function readMailboxMessage(directory: string, id: string): Promise<MailboxMessage> {
  assertMessageId(id);
  const parsed = await simpleParser(await readMessageFile(directory, id), { skipImageLinks: true });

  return {
    ...summarize(id, parsed),
    from: formatAddresses(parsed.from),
    messageId: parsed.messageId ?? null,
    autoSubmitted: readTextHeader(parsed, 'auto-submitted'),
    replyTo: parsed.replyTo ? formatAddresses(parsed.replyTo) : null,
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : null,
  };
}

function assertListLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > maxListLimit) {
    throw new MailboxError(
      'invalid_limit',
      `Invalid mailbox limit ${limit}: expected a whole number from 1 to ${maxListLimit}.`,
    );
  }
}

function assertMessageId(id: string): void {
  if (!messageFilePattern.test(id)) {
    throw new MailboxError(
      'invalid_id',
      `Invalid mailbox message id ${JSON.stringify(id)}: expected a file name from the mailbox listing, such as 20260101T120000000Z-1b4e28ba-2fa1-11d2-883f-0016d3cca427.eml.`,
    );
  }
}

async function readMessageFileNames(directory: string): Promise<string[]> {
  try {
    const names = await readdir(directory);
    return names.filter((name) => messageFilePattern.test(name));
  } catch (error) {
    if (isFileNotFound(error)) return [];
    throw error;
  }
}

async function readMessageFile(directory: string, id: string): Promise<Buffer> {
  try {
    return await readFile(path.join(directory, id));
  } catch (error) {
    if (!isFileNotFound(error)) throw error;
    throw new MailboxError(
      'not_found',
      `Mailbox message ${JSON.stringify(id)} was not found; it may have been deleted. Reload the mailbox list.`,
    );
  }
}

/** Parses only the header block, because a summary needs no body. */
async function readSummary(directory: string, id: string): Promise<MailboxSummary> {
  const raw = await readMessageFile(directory, id);
  const parsed = await simpleParser(headerBlock(raw), { skipHtmlToText: true, skipTextToHtml: true });
  return summarize(id, parsed);
}

function headerBlock(raw: Buffer): Buffer {
  const crlfEnd = raw.indexOf('\r\n\r\n');
  if (crlfEnd >= 0) return raw.subarray(0, crlfEnd + 4);

  const lfEnd = raw.indexOf('\n\n');
  return lfEnd >= 0 ? raw.subarray(0, lfEnd + 2) : raw;
}

function summarize(id: string, parsed: ParsedMail): MailboxSummary {
  return {
    id,
    date: parsed.headers.has('date') && parsed.date ? parsed.date.toISOString() : null,
    to: formatAddresses(parsed.to),
    subject: parsed.subject ?? '',
  };
}

function formatAddresses(addresses: AddressObject | AddressObject[] | undefined): string {
  if (addresses === undefined) return '';
  const list = Array.isArray(addresses) ? addresses : [addresses];
  return list.map((entry) => entry.text).join(', ');
}

function readTextHeader(parsed: ParsedMail, name: string): string | null {
  const value = parsed.headers.get(name);
  return typeof value === 'string' ? value : null;
}

/** Formats a time as `20260101T120000000Z`: sortable and valid in file names on every platform. */
function formatFileTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

/** Returns the Message-ID's left-hand side reduced to letters, digits and hyphens, or a new UUID when nothing is left. */
function fileSuffix(messageId: string): string {
  const leftHandSide = messageId.replace(/^</, '').split('@')[0] ?? '';
  const safe = leftHandSide.replace(/[^A-Za-z0-9-]/g, '');
  return safe === '' ? randomUUID() : safe;
}

function isFileNotFound(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT';
}
