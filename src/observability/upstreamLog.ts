/**
 * What the upstream clients report, turned into log lines and metrics: one
 * line and one sample per upstream attempt, and a line per circuit change.
 */
import type { Logger } from 'pino';
import type { CircuitStateName, UpstreamCallEvent, UpstreamObservers } from './events.js';
import type { Metrics } from './metrics.js';

export function upstreamObservers(logger: Logger, metrics: Metrics): Required<UpstreamObservers> {
  return {
    onCall: (event: UpstreamCallEvent) => {
      metrics.upstreamCall(event);
      if (!logger.isLevelEnabled('info')) return;
      const { durationMs, ...rest } = event;
      logger.info({ ...rest, durationMs: Math.round(durationMs * 10) / 10 }, 'upstream call');
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
