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
 *
 * Lines are written in batches, at most `LOG_LIMITS.flushMs` late: one write
 * (a system call, and a wake-up of the reader) per operation was 8 % of the
 * main thread's busy time on the lightest query at saturation (bench/README.md,
 * "Round 6"). What is held back is written on exit (after an uncaught exception too).
 */
import type { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export const LOG_LIMITS: LineOutputLimits = {
  maxQueuedBytes: 8 * 1024 * 1024,
  flushMs: 20,
  flushBytes: 16 * 1024,
};

export interface GatewayLogger {
  logger: Logger;
  /** Writes what is held back and waits until it has left the process, or `ms` passed. */
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
  const output = lineOutput(process.stdout, LOG_LIMITS, (dropped) =>
    logger.warn(
      { dropped },
      `log lines dropped: the reader of stdout fell more than ${LOG_LIMITS.maxQueuedBytes >> 20} MiB behind`,
    ),
  );
  // One last write, tried once (a pipe with room takes it at once; a full or broken one does not).
  process.once('exit', output.flush);
  const logger = pino(settings, output);
  return { logger, drain: (ms) => output.drain(ms) };
}

export interface LineOutput {
  write(line: string): void;
  /** Hands the lines held back to the stream now. */
  flush(): void;
  /** Flushes, then waits until the stream has passed everything on, or `ms` passed. */
  drain(ms: number): Promise<void>;
}

export interface LineOutputLimits {
  /** What may wait for the reader (held back or queued in the stream) before lines are dropped. */
  maxQueuedBytes: number;
  /** Lines are held back at most this long, then written together. */
  flushMs: number;
  /** ... or until this many bytes are held back. */
  flushBytes: number;
}

/**
 * Writes log lines to `out`, a batch at a time: one write per `flushMs` (or
 * per `flushBytes`) instead of one per line. A write error (EPIPE: the reader
 * is gone) turns the output off for good — serving goes on, and exit is never
 * held up by lines nobody can read. While more than `maxQueuedBytes` wait for
 * the reader, new lines are dropped; `onDropped` is told how many once there
 * is room again, before the next line.
 */
export function lineOutput(
  out: Writable,
  limits: LineOutputLimits,
  onDropped: (count: number) => void,
): LineOutput {
  let broken = false;
  let dropped = 0;
  let held = '';
  let timer: NodeJS.Timeout | undefined;
  out.on('error', () => {
    broken = true;
  });
  const usable = () => !broken && !out.destroyed;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (held && usable()) out.write(held);
    held = '';
  };
  return {
    write(line) {
      if (!usable()) return;
      if (out.writableLength + held.length >= limits.maxQueuedBytes) {
        dropped += 1;
        return;
      }
      if (dropped > 0) {
        const count = dropped;
        dropped = 0;
        onDropped(count);
      }
      held += line;
      if (held.length >= limits.flushBytes) flush();
      else if (timer === undefined) timer = setTimeout(flush, limits.flushMs).unref();
    },
    flush,
    async drain(ms) {
      flush();
      const deadline = Date.now() + ms;
      while (usable() && out.writableLength > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}
