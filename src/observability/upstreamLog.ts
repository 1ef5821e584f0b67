/**
 * What the upstream clients report, turned into log lines and metrics: one
 * line and one sample per upstream attempt, and a line per circuit change.
 */
import type { Logger } from 'pino';
import type { CircuitState } from '../upstreams/circuitBreaker.js';
import type { HttpUpstreamOptions, UpstreamCallEvent } from '../upstreams/http.js';
import type { UpstreamName } from '../upstreams/upstream.js';
import type { Metrics } from './metrics.js';

export function upstreamObservers(
  logger: Logger,
  metrics: Metrics,
): Pick<HttpUpstreamOptions, 'onCall' | 'onCircuitChange'> {
  return {
    onCall: (event: UpstreamCallEvent) => {
      metrics.upstreamCall(event);
      const { durationMs, ...rest } = event;
      logger.info({ ...rest, durationMs: Math.round(durationMs * 10) / 10 }, 'upstream call');
    },
    onCircuitChange: (upstream: UpstreamName, state: CircuitState, previous: CircuitState) => {
      metrics.circuitState(upstream, state);
      const log = state === 'open' ? logger.warn.bind(logger) : logger.info.bind(logger);
      log({ upstream, state, previous }, `circuit breaker ${previous} -> ${state}`);
    },
  };
}

/** Answers an upstream client could read but that were not as documented. */
export function upstreamWarnings(logger: Logger, upstream: UpstreamName) {
  return (message: string, details: Record<string, unknown>) =>
    logger.warn({ upstream, ...details }, message);
}
