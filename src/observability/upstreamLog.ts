/**
 * What the upstream clients report, turned into log lines and metrics: one
 * sample per upstream attempt, a line per failed attempt (at `info`) or per
 * attempt (at `debug`), and a line per circuit change.
 *
 * A successful attempt is logged at `debug` only: the operation's line counts
 * its upstream attempts, and the histogram has every attempt by route and
 * status. At `info` a line per attempt was half the lines the gateway wrote
 * and 1–3 % of its CPU per request on the single-incident query (A/B runs,
 * bench/README.md).
 */
import type { Logger } from 'pino';
import type { CircuitStateName, UpstreamCallEvent, UpstreamObservers } from './events.js';
import type { Metrics } from './metrics.js';

export function upstreamObservers(logger: Logger, metrics: Metrics): Required<UpstreamObservers> {
  return {
    onCall: (event: UpstreamCallEvent) => {
      metrics.upstreamCall(event);
      const failed = event.errorCode !== undefined || (event.status ?? 0) >= 400;
      const level = failed ? 'info' : 'debug';
      if (!logger.isLevelEnabled(level)) return;
      const { durationMs, ...rest } = event;
      logger[level]({ ...rest, durationMs: Math.round(durationMs * 10) / 10 }, 'upstream call');
    },
    onCircuitChange: (upstream: string, state: CircuitStateName, previous: CircuitStateName) => {
      metrics.circuitState(upstream, state);
      const log = state === 'open' ? logger.warn.bind(logger) : logger.info.bind(logger);
      log({ upstream, state, previous }, `circuit breaker ${previous} -> ${state}`);
    },
  };
}

/** Answers an upstream client could read but that were not as documented. */
export function upstreamWarnings(logger: Logger, upstream: string) {
  return (message: string, details: Record<string, unknown>) =>
    logger.warn({ upstream, ...details }, message);
}
