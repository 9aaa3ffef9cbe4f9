/**
 * Settings from environment variables, validated once at start. A bad value
 * stops the process with a message naming the variable and what is allowed.
 */
import { z } from 'zod';
import { defaultDatabasePath } from '../db/defaults';

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
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
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
  NODE_ENV: 'one of development, production, test',
};

export interface AppConfig {
  port: number;
  host: string;
  siteUrl: string;
  databasePath: string;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  logFormat: 'json' | 'pretty';
  buildOnStart: boolean;
  nodeEnv: z.infer<typeof environmentSchema>['NODE_ENV'];
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
      return `  - ${name} is ${JSON.stringify(environment[name])}, which is not valid; expected ${allowedValues[name]}.`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }

  const values = result.data;
  return {
    port: values.PORT,
    host: values.HOST,
    siteUrl: (values.SITE_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, ''),
    databasePath: values.DATABASE_PATH,
    logLevel: values.LOG_LEVEL,
    logFormat: values.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json'),
    buildOnStart: values.BUILD_ON_START,
    nodeEnv: values.NODE_ENV,
  };
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
