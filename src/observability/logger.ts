/**
 * The gateway's pino logger: JSON lines for machines, readable lines when a
 * person watches a terminal, and credentials redacted wherever they could
 * appear in a logged object.
 *
 * JSON lines go to `process.stdout` through `lineOutput` below, not through
 * pino's default destination: that one (an asynchronous SonicBoom) is flushed
 * synchronously on exit and retries a failed write forever unless it is
 * EAGAIN, so with the log pipe's reader gone `process.exit` never returned and
 * SIGTERM left the process running. A synchronous SonicBoom does not fit
 * either: stdout is non-blocking once Node has opened it as a pipe, and on a
 * full pipe SonicBoom sleeps the whole process 100 ms per retry. Node's own
 * stream writes at once when the pipe has room (no thread pool hop), waits in
 * memory when it has not, and reports EPIPE as an error event.
 */
import type { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

/** What may wait in memory for a slow log reader before lines are dropped (and counted). */
export const MAX_QUEUED_LOG_BYTES = 8 * 1024 * 1024;

export interface GatewayLogger {
  logger: Logger;
  /** Waits until the lines written so far have left the process, or `ms` passed. */
  drain(ms: number): Promise<void>;
}

export function createLogger(level: string, options: { pretty: boolean }): GatewayLogger {
  const settings = {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.apikey', '*.apiKey'],
      censor: '[redacted]',
    },
  };
  if (options.pretty) {
    const logger = pino({
      ...settings,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } },
    });
    return { logger, drain: () => Promise.resolve() };
  }
  const output = lineOutput(process.stdout, MAX_QUEUED_LOG_BYTES, (dropped) =>
    logger.warn(
      { dropped },
      `log lines dropped: the reader of stdout fell more than ${MAX_QUEUED_LOG_BYTES >> 20} MiB behind`,
    ),
  );
  const logger = pino(settings, output);
  return { logger, drain: (ms) => output.drain(ms) };
}

export interface LineOutput {
  write(line: string): void;
  drain(ms: number): Promise<void>;
}

/**
 * Writes log lines to `out`. A write error (EPIPE: the reader is gone) turns
 * the output off for good — serving goes on, and exit is never held up by
 * lines nobody can read. While more than `maxQueuedBytes` wait for the
 * reader, new lines are dropped; `onDropped` is told how many once there is
 * room again, before the next line.
 */
export function lineOutput(
  out: Writable,
  maxQueuedBytes: number,
  onDropped: (count: number) => void,
): LineOutput {
  let broken = false;
  let dropped = 0;
  out.on('error', () => {
    broken = true;
  });
  return {
    write(line) {
      if (broken || out.destroyed) return;
      if (out.writableLength >= maxQueuedBytes) {
        dropped += 1;
        return;
      }
      if (dropped > 0) {
        const count = dropped;
        dropped = 0;
        onDropped(count);
      }
      out.write(line);
    },
    async drain(ms) {
      const deadline = Date.now() + ms;
      while (!broken && !out.destroyed && out.writableLength > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}
