/**
 * Live-update metrics, on the gateway's own registry (`/metrics`).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { IncidentChangeKind } from './events.js';

export type Transport = 'ws' | 'sse';

export type LiveMetrics = ReturnType<typeof createLiveMetrics>;

/** `leading` is read at scrape time. */
export function createLiveMetrics(registry: Registry, leading: () => number) {
  const registers = [registry];
  const subscribers = new Gauge({
    name: 'gateway_live_subscribers',
    help: 'Open incidentChanged subscriptions by transport.',
    labelNames: ['transport'] as const,
    registers,
  });
  const polls = new Counter({
    name: 'gateway_live_polls_total',
    help: 'Polls of Coralogix for changed incidents by outcome (ok, error).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const lastSuccess = new Gauge({
    name: 'gateway_live_poll_last_success_timestamp_seconds',
    help: 'When a poll last succeeded (Unix time); 0 before the first.',
    registers,
  });
  const failing = new Gauge({
    name: 'gateway_live_poll_consecutive_failures',
    help: 'Polls failed in a row (the poller backs off while this is above 0).',
    registers,
  });
  new Gauge({
    name: 'gateway_live_pollers_leading',
    help: 'Pollers this replica runs (it holds their lease, or Redis is off or down).',
    registers,
    collect() {
      this.set(leading());
    },
  });
  const events = new Counter({
    name: 'gateway_live_changes_total',
    help: 'Incident changes published, by source (poll, mutation, remote replica) and kind.',
    labelNames: ['source', 'kind'] as const,
    registers,
  });
  const dropped = new Counter({
    name: 'gateway_live_slow_consumers_total',
    help: 'Connections closed because the client did not read its events fast enough.',
    labelNames: ['transport'] as const,
    registers,
  });
  const refused = new Counter({
    name: 'gateway_live_refused_total',
    help: 'Connections or subscriptions refused, by reason (error code, or too_many_subscriptions).',
    labelNames: ['transport', 'reason'] as const,
    registers,
  });
  for (const transport of ['ws', 'sse'] as const) subscribers.set({ transport }, 0);
  lastSuccess.set(0);
  failing.set(0);

  return {
    subscribed: (transport: Transport, delta: 1 | -1) => subscribers.inc({ transport }, delta),
    polled(ok: boolean, consecutiveFailures: number) {
      polls.inc({ outcome: ok ? 'ok' : 'error' });
      if (ok) lastSuccess.set(Date.now() / 1000);
      failing.set(consecutiveFailures);
    },
    published: (source: 'poll' | 'mutation' | 'remote', kind: IncidentChangeKind) =>
      events.inc({ source, kind }),
    slowConsumer: (transport: Transport) => dropped.inc({ transport }),
    refused: (transport: Transport, reason: string) => refused.inc({ transport, reason }),
  };
}
