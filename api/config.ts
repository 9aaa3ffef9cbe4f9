/**
 * Settings from environment variables, validated once at start. A bad value
 * stops the process with a message naming the variable and what is allowed.
 */
import { z } from 'zod';
import { defaultDatabasePath } from '../db/defaults';
import { parseBusinessHours } from './desk/sla/business-hours';

const booleanText = z.enum(['true', 'false']).transform((value) => value === 'true');

const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4321),
  HOST: z.string().min(1).default('127.0.0.1'),
  SITE_URL: z
    .string()
    .url()
    .refine((value) => /^https?:\/\//.test(value), 'must start with http:// or https://')
    .optional(),
  DATABASE_PATH: z.string().min(1).default(defaultDatabasePath),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  BUILD_ON_START: booleanText.default('true'),
  DEMO_DATA: booleanText.default('true'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  SMTP_URL: z
    .string()
    .url()
    .refine((value) => /^smtps?:\/\//.test(value), 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('MSIX Assist <no-reply@msix-assist.localhost>'),
  MAILBOX_DIR: z.string().min(1).default('data/mailbox'),
  SECRET_KEY: z.string().min(32).optional(),
  MAIL_RATE_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(10),
  MAIL_RATE_PER_DAY: z.coerce.number().int().min(1).max(10_000_000).default(50_000),
  POSTAL_ADDRESS: z
    .string()
    .min(10)
    .default('Office of Migrant Education, U.S. Department of Education, 400 Maryland Avenue SW, Washington, DC 20202'),
  DKIM_DOMAIN: z.string().min(3).optional(),
  DKIM_SELECTOR: z.string().min(1).optional(),
  DKIM_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  SUPPORT_ADDRESS: z.string().min(3).default('MSIX Assist Support <support@msix-assist.localhost>'),
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  INBOUND_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  INBOUND_SMTP: booleanText.default('true'),
  ATTACHMENTS_DIR: z.string().min(1).default('data/attachments'),
  UPLOADS_DIR: z.string().min(1).default('data/uploads'),
  BUSINESS_HOURS: z.string().min(1).default('Mon-Fri 08:00-17:00'),
});

/** Allowed values of each variable, for error messages. */
const allowedValues: Record<keyof z.input<typeof environmentSchema>, string> = {
  PORT: 'a whole number from 0 to 65535 (0 picks any free port)',
  HOST: 'a host name or IP address to listen on, such as 127.0.0.1 or 0.0.0.0',
  SITE_URL: 'the public address of the site, such as https://msix-assist.example.org',
  DATABASE_PATH: 'a path to the SQLite database file',
  LOG_LEVEL: 'one of fatal, error, warn, info, debug, trace, silent',
  LOG_FORMAT: 'json or pretty',
  BUILD_ON_START: 'true or false',
  DEMO_DATA: 'true or false',
  NODE_ENV: 'one of development, production, test',
  SMTP_URL: 'an SMTP server address such as smtp://user:password@mail.example.org:587 or smtps://mail.example.org:465',
  MAIL_FROM: 'the sender of outgoing mail, such as "MSIX Assist <no-reply@example.org>"',
  MAILBOX_DIR: 'a folder where mail is stored when SMTP_URL is not set',
  SECRET_KEY: 'a random string of at least 32 characters that signs unsubscribe and preference links',
  MAIL_RATE_PER_SECOND: 'a whole number of messages per second, from 1 to 1000',
  MAIL_RATE_PER_DAY: 'a whole number of messages per day, from 1 to 10000000',
  POSTAL_ADDRESS: 'the postal address printed in every newsletter footer',
  DKIM_DOMAIN: 'the domain that signs outgoing mail with DKIM, such as example.org',
  DKIM_SELECTOR: 'the DKIM selector published in DNS, such as mail2026',
  DKIM_PRIVATE_KEY_FILE: 'the path of the PEM file with the DKIM private key',
  SUPPORT_ADDRESS:
    'the support desk address that receives ticket mail and sends replies, such as "MSIX Support <support@example.org>"',
  INBOUND_SMTP_PORT:
    'a whole number from 0 to 65535: the port of the SMTP listener for support mail (0 picks any free port)',
  INBOUND_SMTP_HOST: 'a host name or IP address for the support mail listener, such as 127.0.0.1',
  INBOUND_SMTP: 'true or false: whether to start the SMTP listener for support mail',
  ATTACHMENTS_DIR: 'a folder outside the site where ticket attachments are stored',
  UPLOADS_DIR: 'a folder where records uploads are kept while they are checked and imported',
  BUSINESS_HOURS: 'days and hours of the support desk, such as "Mon-Fri 08:00-17:00"',
};

/** Variables whose values never appear in messages or logs. */
const secretVariables = new Set<string>(['SMTP_URL', 'SECRET_KEY']);

export interface AppConfig {
  port: number;
  host: string;
  siteUrl: string;
  databasePath: string;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  logFormat: 'json' | 'pretty';
  buildOnStart: boolean;
  /** Seed synthetic demo plans, sessions and crosswalks into an empty database at start. */
  demoData: boolean;
  nodeEnv: z.infer<typeof environmentSchema>['NODE_ENV'];
  /** SMTP server for outgoing mail; when unset, mail goes to the local mailbox folder. */
  smtpUrl: string | undefined;
  mailFrom: string;
  mailboxDirectory: string;
  /** Signs unsubscribe and preference links; when unset, the server keeps a generated key in the database. */
  secretKey: string | undefined;
  mailRatePerSecond: number;
  mailRatePerDay: number;
  postalAddress: string;
  /** DKIM signing of outgoing mail; all three variables are set, or none. */
  dkim: { domain: string; selector: string; privateKeyFile: string } | undefined;
  /** The support desk's own address: mail to it becomes tickets, and desk mail names it as Reply-To. */
  supportAddress: string;
  /** The SMTP listener for support mail; undefined when INBOUND_SMTP is false. */
  inboundSmtp: { host: string; port: number } | undefined;
  attachmentsDirectory: string;
  uploadsDirectory: string;
  /** The desk's business hours as configured, such as "Mon-Fri 08:00-17:00"; the SLA service parses it. */
  businessHours: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): AppConfig {
  const input = Object.fromEntries(
    Object.keys(allowedValues).map((name) => [name, emptyToUndefined(environment[name])]),
  );
  const result = environmentSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = String(issue.path[0]) as keyof typeof allowedValues;
      const shown = secretVariables.has(name)
        ? '(value hidden because it may hold a password)'
        : JSON.stringify(environment[name]);
      return `  - ${name} is ${shown}, which is not valid; expected ${allowedValues[name]}.`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }

  const values = result.data;
  checkBusinessHours(values.BUSINESS_HOURS);
  return {
    port: values.PORT,
    host: values.HOST,
    siteUrl: (values.SITE_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, ''),
    databasePath: values.DATABASE_PATH,
    logLevel: values.LOG_LEVEL,
    logFormat: values.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json'),
    buildOnStart: values.BUILD_ON_START,
    demoData: values.DEMO_DATA,
    nodeEnv: values.NODE_ENV,
    smtpUrl: values.SMTP_URL,
    mailFrom: values.MAIL_FROM,
    mailboxDirectory: values.MAILBOX_DIR,
    secretKey: values.SECRET_KEY,
    mailRatePerSecond: values.MAIL_RATE_PER_SECOND,
    mailRatePerDay: values.MAIL_RATE_PER_DAY,
    postalAddress: values.POSTAL_ADDRESS,
    dkim: readDkim(values),
    supportAddress: values.SUPPORT_ADDRESS,
    inboundSmtp: values.INBOUND_SMTP ? { host: values.INBOUND_SMTP_HOST, port: values.INBOUND_SMTP_PORT } : undefined,
    attachmentsDirectory: values.ATTACHMENTS_DIR,
    uploadsDirectory: values.UPLOADS_DIR,
    businessHours: values.BUSINESS_HOURS,
  };
}

/** Parses BUSINESS_HOURS once at start, so a bad value stops the process instead of failing each ticket. */
function checkBusinessHours(text: string): void {
  try {
    parseBusinessHours(text);
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  - ${(error as Error).message}`);
  }
}

function readDkim(values: z.infer<typeof environmentSchema>): AppConfig['dkim'] {
  const parts = [values.DKIM_DOMAIN, values.DKIM_SELECTOR, values.DKIM_PRIVATE_KEY_FILE];
  if (parts.every((part) => part === undefined)) return undefined;
  if (parts.some((part) => part === undefined)) {
    throw new ConfigError(
      'Invalid configuration:\n  - DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE must be set together, or none of them.',
    );
  }
  return {
    domain: values.DKIM_DOMAIN!,
    selector: values.DKIM_SELECTOR!,
    privateKeyFile: values.DKIM_PRIVATE_KEY_FILE!,
  };
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
