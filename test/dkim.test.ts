import { createHash, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError } from '../api/config';
import { createMailTransport, type MailTransportConfig, type OutgoingMail } from '../emails';

const mailFrom = 'MSIX Assist <no-reply@msix-assist.example.org>';
const dkimDomain = 'msix-assist.example.org';
const dkimSelector = 'mail2027';

const message: OutgoingMail = {
  messageId: '<5b0c7a8e-2f6d-4a8e-9d43-0c1f4c1b2d10@msix-assist.example.org>',
  to: 'registrar@district.example.org',
  subject: 'Registration confirmed: a subject long enough that the header is folded by the composer',
  text: 'Hello,\n\nYou are registered.  Two spaces,\ttab and trailing spaces   \n\n\n',
  html: '<p>Hello,</p><p>You are registered.</p>',
  headers: { 'Auto-Submitted': 'auto-generated' },
};

interface HeaderField {
  name: string;
  /** The whole field as sent, folding included, without the final CRLF. */
  raw: string;
}

/** Splits a raw message into its header fields and its body. */
function splitMessage(raw: string): { headers: HeaderField[]; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const headers: HeaderField[] = [];
  for (const line of raw.slice(0, end).split('\r\n')) {
    const last = headers.at(-1);
    if (/^[ \t]/.test(line) && last) last.raw += `\r\n${line}`;
    else headers.push({ name: line.slice(0, line.indexOf(':')).toLowerCase(), raw: line });
  }
  return { headers, body: raw.slice(end + 4) };
}

/** RFC 6376 section 3.4.2, relaxed header canonicalization. */
function relaxedHeader(field: HeaderField): string {
  const value = field.raw
    .slice(field.raw.indexOf(':') + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${field.name}:${value}`;
}

/** RFC 6376 section 3.4.4, relaxed body canonicalization. */
function relaxedBody(body: string): string {
  const lines = body.split('\r\n').map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`;
}

function parseTags(field: HeaderField): Record<string, string> {
  const value = field.raw.slice(field.raw.indexOf(':') + 1).replace(/\s+/g, '');
  return Object.fromEntries(
    value
      .split(';')
      .filter((tag) => tag !== '')
      .map((tag) => [tag.slice(0, tag.indexOf('=')), tag.slice(tag.indexOf('=') + 1)]),
  );
}

/**
 * Verifies the DKIM-Signature of a raw message against the public key, as a
 * receiver would after fetching the key from DNS: the body hash, then the
 * RSA-SHA256 signature over the signed header fields.
 */
function verifyDkim(
  raw: string,
  publicKey: KeyObject,
): { tags: Record<string, string>; bodyHashValid: boolean; signatureValid: boolean } {
  const { headers, body } = splitMessage(raw);
  const signatureField = headers.find((field) => field.name === 'dkim-signature');
  if (!signatureField) throw new Error('the message has no DKIM-Signature header');
  const tags = parseTags(signatureField);

  const bodyHash = createHash('sha256').update(relaxedBody(body), 'utf8').digest('base64');

  // Each listed name takes the last unused field of that name, counting from the bottom.
  const remaining = headers.filter((field) => field !== signatureField);
  const signedLines = (tags.h ?? '').split(':').map((name) => {
    const index = remaining.map((field) => field.name).lastIndexOf(name.toLowerCase());
    if (index < 0) return `${name.toLowerCase()}:`;
    const [field] = remaining.splice(index, 1);
    return relaxedHeader(field!);
  });
  const signatureLine = relaxedHeader(signatureField).replace(/(;\s*b=)[^;]*$/, '$1');
  const signedData = `${signedLines.map((line) => `${line}\r\n`).join('')}${signatureLine}`;

  return {
    tags,
    bodyHashValid: bodyHash === tags.bh,
    signatureValid: verify('sha256', Buffer.from(signedData, 'latin1'), publicKey, Buffer.from(tags.b ?? '', 'base64')),
  };
}

describe('DKIM signing', () => {
  let directory: string;
  let privateKeyFile: string;
  let publicKey: KeyObject;
  let smtpUrl: string;
  const received: Buffer[] = [];
  let server: SMTPServer;

  beforeAll(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'msix-dkim-'));
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    publicKey = keys.publicKey;
    privateKeyFile = path.join(directory, 'dkim-private.pem');
    writeFileSync(privateKeyFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));

    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks));
          callback(null);
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(directory, { recursive: true, force: true });
  });

  function config(overrides: Partial<MailTransportConfig> = {}): MailTransportConfig {
    return {
      smtpUrl,
      mailFrom,
      mailboxDirectory: path.join(directory, 'mailbox'),
      dkim: { domain: dkimDomain, selector: dkimSelector, privateKeyFile },
      ...overrides,
    };
  }

  async function sendOverSmtp(transportConfig: MailTransportConfig): Promise<string> {
    const before = received.length;
    const transport = createMailTransport(transportConfig);
    try {
      await transport.send(message);
    } finally {
      transport.close();
    }
    expect(received.length).toBe(before + 1);
    return received.at(-1)!.toString('latin1');
  }

  test('SMTP message carries a valid signature', async () => {
    const raw = await sendOverSmtp(config());

    const { tags, bodyHashValid, signatureValid } = verifyDkim(raw, publicKey);
    expect(tags.v).toBe('1');
    expect(tags.a).toBe('rsa-sha256');
    expect(tags.c).toBe('relaxed/relaxed');
    expect(tags.d).toBe(dkimDomain);
    expect(tags.s).toBe(dkimSelector);
    const signedNames = (tags.h ?? '').toLowerCase().split(':');
    expect(signedNames).toEqual(expect.arrayContaining(['from', 'subject', 'message-id', 'to', 'date']));
    expect(bodyHashValid).toBe(true);
    expect(signatureValid).toBe(true);
  });

  test('verification fails after a signed header changes', async () => {
    const raw = await sendOverSmtp(config());

    const tampered = raw.replace('Subject: Registration confirmed', 'Subject: Registration cancelled');

    expect(tampered).not.toBe(raw);
    expect(verifyDkim(tampered, publicKey).signatureValid).toBe(false);
  });

  test('verification fails after the body changes', async () => {
    const raw = await sendOverSmtp(config());

    const tampered = raw.replace('registered.', 'unregistered.');

    expect(tampered).not.toBe(raw);
    expect(verifyDkim(tampered, publicKey).bodyHashValid).toBe(false);
  });

  test('message without DKIM settings is unsigned', async () => {
    const raw = await sendOverSmtp(config({ dkim: undefined }));

    expect(raw).not.toMatch(/^DKIM-Signature:/im);
  });

  test('mailbox message carries a valid signature', async () => {
    const mailboxDirectory = path.join(directory, 'signed-mailbox');
    const transport = createMailTransport(config({ smtpUrl: undefined, mailboxDirectory }));
    await transport.send(message);
    transport.close();

    const [file, ...others] = readdirSync(mailboxDirectory);
    expect(others).toHaveLength(0);
    const raw = readFileSync(path.join(mailboxDirectory, file!)).toString('latin1');
    const { tags, bodyHashValid, signatureValid } = verifyDkim(raw, publicKey);
    expect(tags.d).toBe(dkimDomain);
    expect(bodyHashValid).toBe(true);
    expect(signatureValid).toBe(true);
  });

  test('signature does not verify with another key', async () => {
    const raw = await sendOverSmtp(config());
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;

    expect(verifyDkim(raw, other).signatureValid).toBe(false);
  });

  describe('key file', () => {
    function createWith(file: string) {
      return () =>
        createMailTransport(config({ dkim: { domain: dkimDomain, selector: dkimSelector, privateKeyFile: file } }));
    }

    test('missing file names the variable', () => {
      const missing = path.join(directory, 'no-such-key.pem');

      expect(createWith(missing)).toThrow(ConfigError);
      expect(createWith(missing)).toThrow(
        `DKIM_PRIVATE_KEY_FILE is ${JSON.stringify(missing)}, which could not be read (ENOENT)`,
      );
    });

    test('file without a key names the variable', () => {
      const notKey = path.join(directory, 'not-a-key.pem');
      writeFileSync(notKey, 'this is not a key\n');

      expect(createWith(notKey)).toThrow(ConfigError);
      expect(createWith(notKey)).toThrow(
        /DKIM_PRIVATE_KEY_FILE is ".*not-a-key\.pem", which contains no PEM private key/,
      );
    });

    test('public key file is rejected', () => {
      const publicFile = path.join(directory, 'public.pem');
      writeFileSync(publicFile, publicKey.export({ type: 'spki', format: 'pem' }));

      expect(createWith(publicFile)).toThrow(
        /DKIM_PRIVATE_KEY_FILE is ".*public\.pem", which contains no PEM private key/,
      );
    });

    test('non-RSA key is rejected', () => {
      const ecFile = path.join(directory, 'ec.pem');
      const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      writeFileSync(ecFile, ecKey.export({ type: 'pkcs8', format: 'pem' }));

      expect(createWith(ecFile)).toThrow(
        /contains a key of type ec\. DKIM signing here uses rsa-sha256 and needs an RSA key/,
      );
    });

    test('error does not show the file content', () => {
      const notKey = path.join(directory, 'secret-text.pem');
      writeFileSync(notKey, 'this is not a key\n');
      let error: unknown;
      try {
        createWith(notKey)();
      } catch (caught) {
        error = caught;
      }

      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).not.toContain('this is not a key');
    });
  });
});
