import pino, { type Logger } from 'pino';
import type { AppConfig } from './config';

export type { Logger };

/** Creates the process logger. Log lines never carry request bodies or query strings. */
export function createLogger(config: Pick<AppConfig, 'logLevel' | 'logFormat'>): Logger {
  if (config.logFormat === 'pretty') {
    return pino({ level: config.logLevel, transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } });
  }
  return pino({ level: config.logLevel });
}
