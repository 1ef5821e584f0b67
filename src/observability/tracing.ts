/**
 * OpenTelemetry tracing: a span per GraphQL operation and per upstream call,
 * with W3C trace context sent to the upstreams. The gateway only uses the API
 * (a no-op until a provider is registered); `startTracing` (called by main.ts)
 * registers one when the standard OTEL_* variables ask for an exporter.
 */
import { trace, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Env } from '../config.js';

export const TRACER_NAME = 'incident-graphql-gateway';

export function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/** W3C `traceparent` / `tracestate`, injected into every upstream request. */
export const propagator = new W3CTraceContextPropagator();

/** Which exporter the standard variables select, if any (tracing is off by default). */
export function exporterFromEnv(env: Env): 'otlp' | 'console' | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const chosen = env.OTEL_TRACES_EXPORTER?.split(',')[0]?.trim().toLowerCase();
  if (chosen === 'none') return undefined;
  if (chosen === 'console') return 'console';
  if (chosen === 'otlp') return 'otlp';
  return env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
    ? 'otlp'
    : undefined;
}

/**
 * Registers a global tracer provider when the OTEL_* variables ask for it.
 * The OTLP exporter reads its endpoint, headers and timeout from OTEL_EXPORTER_OTLP_*.
 * The SDK is imported only then: a gateway without tracing does not load it.
 */
export async function startTracing(env: Env): Promise<{ shutdown(): Promise<void> } | undefined> {
  const kind = exporterFromEnv(env);
  if (!kind) return undefined;
  const sdk = await import('@opentelemetry/sdk-trace-base');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const exporter =
    kind === 'console'
      ? new sdk.ConsoleSpanExporter()
      : new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
  const provider = new sdk.BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || TRACER_NAME }),
    spanProcessors: [new sdk.BatchSpanProcessor(exporter)],
  });
  trace.setGlobalTracerProvider(provider);
  return { shutdown: () => provider.shutdown() };
}
