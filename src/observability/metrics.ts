/**
 * Prometheus metrics (`GET /metrics`), one registry per gateway instance so
 * tests and several gateways in one process never share counters.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CircuitStateName, UpstreamCallEvent } from './events.js';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const MAX_OPERATION_NAMES = 200;
const CIRCUIT_VALUE: Record<CircuitStateName, number> = { closed: 0, 'half-open': 1, open: 2 };

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * `perRequest: false` (METRICS=false) drops what costs per request and per
 * event-loop turn: the operation and upstream histograms and the process
 * metrics (their event-loop monitor wakes the process every 10 ms). The rare
 * events (circuit state, cache results, live updates) are still counted.
 */
export function createMetrics(options: { perRequest?: boolean } = {}) {
  const perRequest = options.perRequest ?? true;
  const registry = new Registry();
  if (perRequest) collectDefaultMetrics({ register: registry });

  const operations = new Histogram({
    name: 'gateway_operation_duration_seconds',
    help: 'GraphQL operations by name, type and outcome (ok, the first error code, or CLIENT_CLOSED).',
    labelNames: ['operation', 'type', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const upstreamRequests = new Histogram({
    name: 'gateway_upstream_request_duration_seconds',
    help: 'Upstream HTTP attempts by upstream, method, route template and status (or error code, or CLIENT_CLOSED).',
    labelNames: ['upstream', 'method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const retries = new Counter({
    name: 'gateway_upstream_retries_total',
    help: 'Upstream attempts that were retries of an idempotent read.',
    labelNames: ['upstream'] as const,
    registers: [registry],
  });
  const circuit = new Gauge({
    name: 'gateway_upstream_circuit_state',
    help: 'Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open.',
    labelNames: ['upstream'] as const,
    registers: [registry],
  });
  const cache = new Counter({
    name: 'gateway_cache_requests_total',
    help: 'Shared cache lookups by cache (response, apq) and result (hit, miss, error).',
    labelNames: ['cache', 'result'] as const,
    registers: [registry],
  });
  for (const upstream of ['coralogix', 'oneuptime'] as const) circuit.set({ upstream }, 0);
  const operationNames = new Set<string>();

  return {
    registry,
    cache,
    /** Operation names are client-chosen: beyond 200 distinct ones they share one label value. */
    operation(name: string | null, type: string | null, outcome: string, seconds: number) {
      if (!perRequest) return;
      let operation =
        name && (operationNames.has(name) || /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name))
          ? name
          : 'anonymous';
      if (!operationNames.has(operation)) {
        if (operationNames.size >= MAX_OPERATION_NAMES) operation = 'other';
        else operationNames.add(operation);
      }
      operations.observe({ operation, type: type ?? 'unknown', outcome }, seconds);
    },
    upstreamCall(event: UpstreamCallEvent) {
      if (!perRequest) return;
      const status =
        event.status === undefined ? (event.errorCode ?? 'error') : String(event.status);
      upstreamRequests.observe(
        { upstream: event.upstream, method: event.method, route: event.route, status },
        event.durationMs / 1000,
      );
      if (event.attempt > 1) retries.inc({ upstream: event.upstream });
    },
    circuitState(upstream: string, state: CircuitStateName) {
      circuit.set({ upstream }, CIRCUIT_VALUE[state]);
    },
  };
}
