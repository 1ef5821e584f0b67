/**
 * This gateway as a process of its own, for the bench: `createGateway` over
 * the sandbox URLs in the environment (`CORALOGIX_API_URL`, …, as in
 * production), with batching on, or off when `BENCH_BATCH=false` (the naive
 * baseline: the same code with dataloader `batch: false, cache: false`).
 * Reports `{ type: 'ready', url }` over IPC once it listens, and answers
 * `{ type: 'memory' }` with its memory usage after a full GC.
 */
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/observability/logger.js';
import { createGateway } from '../src/server.js';

const config = loadConfig(process.env);
// The gateway's own logger, as main.ts makes it (JSON lines on standard output).
const { logger } = createLogger(config.logLevel, { pretty: false });
const gateway = await createGateway(config, {
  logger,
  batch: process.env.BENCH_BATCH !== 'false',
});
process.send?.({ type: 'ready', url: gateway.url });

/** `{type: 'memory'}`: the process's memory, after a full GC when started with --expose-gc. */
process.on('message', (message: { type?: string }) => {
  if (message.type !== 'memory') return;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  process.send?.({ type: 'memory', collected: gc !== undefined, ...process.memoryUsage() });
});

const stop = () => {
  void gateway.stop().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('disconnect', stop);
