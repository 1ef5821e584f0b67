/**
 * The gateway's pino logger: JSON lines for machines, readable lines when a
 * person watches a terminal, and credentials redacted wherever they could
 * appear in a logged object.
 *
 * JSON lines are written synchronously to stdout (fd 1), one write per line.
 * pino's default destination is asynchronous and flushes synchronously on
 * exit, retrying forever on EPIPE: with the log pipe's reader gone (a
 * collector restarted, a supervisor that stopped reading), `process.exit`
 * never returned and SIGTERM left the process running. Synchronous writes
 * have nothing queued at exit, a line is on the pipe before the call returns
 * (a crash loses none), and on EPIPE pino's destination stops writing
 * (pino/lib/tools.js `filterBrokenPipe`). Measured with bench/compare.ts on
 * the single-incident query at saturation: 0.94× the CPU per request of the
 * asynchronous destination (bench/README.md, "Round 6"). A reader slower
 * than the log rate slows the gateway rather than growing its memory.
 */
import { pino, type Logger } from 'pino';

export function createLogger(level: string, options: { pretty: boolean }): Logger {
  const settings = {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.apikey', '*.apiKey'],
      censor: '[redacted]',
    },
  };
  if (options.pretty) {
    return pino({
      ...settings,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } },
    });
  }
  return pino(settings, pino.destination({ dest: 1, sync: true }));
}
