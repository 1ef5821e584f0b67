/**
 * The gateway's pino logger: JSON lines for machines, readable lines when a
 * person watches a terminal, and credentials redacted wherever they could
 * appear in a logged object.
 */
import { pino, type Logger } from 'pino';

export function createLogger(level: string, options: { pretty: boolean }): Logger {
  return pino({
    level,
    ...(options.pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } }
      : {}),
    redact: {
      paths: ['req.headers.authorization', 'req.headers.apikey', '*.apiKey'],
      censor: '[redacted]',
    },
  });
}
