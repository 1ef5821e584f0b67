/**
 * A pino logger that keeps every log line in memory, so tests can assert on
 * what the gateway logged (and on what it must never log, such as API keys).
 * Every stack (./stack.ts) logs into one. TEST_LOG_LEVEL=<anything> also
 * echoes the lines to stderr.
 */
import { pino, type Logger } from 'pino';

export interface LogCapture {
  logger: Logger;
  /** Every line written so far, as pino wrote it (JSON text). */
  lines: string[];
  /** The lines parsed as JSON objects. */
  entries(): Array<Record<string, unknown>>;
  clear(): void;
}

/** A pino logger at `level` (default trace) writing into memory. */
export function captureLogs(level = 'trace'): LogCapture {
  const lines: string[] = [];
  const echo = process.env.TEST_LOG_LEVEL !== undefined;
  const logger = pino(
    { level },
    {
      write(line: string) {
        lines.push(line);
        if (echo) process.stderr.write(line);
      },
    },
  );
  return {
    logger,
    lines,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    clear: () => {
      lines.length = 0;
    },
  };
}
