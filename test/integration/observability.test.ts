import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { Readiness } from '../../src/http/readiness.js';
import { startStack, useStack } from '../support/stack.js';

// Registered once for this file (its own worker): every span the gateway makes lands here.
const spans = new InMemorySpanExporter();
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
);

const QUERY = 'query Screen { incidents(first: 3) { edges { node { id slas { id } } } } }';

describe('observability', () => {
  const harness = useStack({ sandbox: { coralogixApiKey: 'cx-OBSERVE-secret-key' } });
  let sandbox: Sandbox;
  beforeAll(() => {
    sandbox = harness.sandbox;
  });
  beforeEach(() => {
    spans.reset();
    harness.logs.clear();
    sandbox.clearRequests();
  });

  it('echoes a sane x-request-id and generates one otherwise', async () => {
    const given = await harness.graphql(QUERY, {}, { 'x-request-id': 'req-123.abc' });
    expect(given.headers['x-request-id']).toBe('req-123.abc');
    const replaced = await harness.graphql(QUERY, {}, { 'x-request-id': 'bad id\twith spaces' });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs one line per operation (with its upstream attempts) and each attempt at debug, without keys', async () => {
    await harness.graphql(QUERY, {}, { 'x-request-id': 'req-log-1' });
    const entries = harness.logs.entries();
    const operations = entries.filter((e) => e.msg === 'graphql operation');
    expect(operations).toEqual([
      expect.objectContaining({
        requestId: 'req-log-1',
        operationName: 'Screen',
        operationType: 'query',
        status: 200,
        durationMs: expect.any(Number),
        upstreamCalls: 2,
        level: 30,
      }),
    ]);
    const calls = harness.upstreamCalls();
    expect(
      calls.map((c) => `${c.upstream} ${c.method} ${c.route} ${c.status} ${c.level}`).sort(),
    ).toEqual([
      'coralogix POST /incidents/incidents/v1 200 20',
      'oneuptime POST /api/incident-sla/get-list 200 20',
    ]);
    expect(harness.logs.lines.join('\n')).not.toContain('cx-OBSERVE-secret-key');
    expect(harness.logs.lines.join('\n')).not.toContain(sandbox.oneuptime.apiKey);
  });

  it('serves Prometheus metrics for operations, upstream calls, circuits and the process', async () => {
    await harness.graphql(QUERY);
    const response = await fetch(`${harness.gateway.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    const sample = (name: string, labels: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
      return line === undefined ? undefined : Number(line.split(' ').at(-1));
    };
    expect(
      sample(
        'gateway_operation_duration_seconds_count',
        'operation="Screen",type="query",outcome="ok"',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(
        'gateway_upstream_request_duration_seconds_count',
        'upstream="coralogix",method="POST",route="/incidents/incidents/v1",status="200"',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(sample('gateway_upstream_circuit_state', 'upstream="oneuptime"')).toBe(0);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('traces the operation and each upstream call, and sends W3C trace context upstream', async () => {
    await harness.graphql(QUERY);
    const finished = spans.getFinishedSpans();
    const operation = finished.find((s) => s.name === 'GraphQL query Screen');
    expect(operation).toBeDefined();
    const traceId = operation!.spanContext().traceId;
    const children = finished.filter(
      (s) => s.parentSpanContext?.spanId === operation!.spanContext().spanId,
    );
    expect(children.map((s) => s.name).sort()).toEqual([
      'POST /api/incident-sla/get-list',
      'POST /incidents/incidents/v1',
    ]);
    expect(children.every((s) => s.spanContext().traceId === traceId)).toBe(true);
    for (const request of sandbox.requests()) {
      expect(request.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    }
  });

  it("continues the caller's trace when it sends traceparent", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await harness.graphql(QUERY, {}, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    const operation = spans.getFinishedSpans().find((s) => s.name === 'GraphQL query Screen');
    expect(operation?.spanContext().traceId).toBe(traceId);
  });

  it('marks a failed upstream call and the operation as errors', async () => {
    sandbox.setFault({
      upstream: 'oneuptime',
      path: 'incident-sla',
      status: 400,
      body: { error: 'nope' },
    });
    await harness.graphql(QUERY);
    sandbox.clearFaults();
    const failed = spans
      .getFinishedSpans()
      .find((s) => s.name === 'POST /api/incident-sla/get-list');
    expect(failed?.status.code).toBe(2);
    expect(failed?.attributes['http.response.status_code']).toBe(400);
    const operation = spans.getFinishedSpans().find((s) => s.name === 'GraphQL query Screen');
    expect(operation?.attributes['graphql.error.codes']).toEqual(['UPSTREAM_BAD_REQUEST']);
  });
});

describe('metrics off (METRICS=false)', () => {
  const quiet = useStack({ env: { METRICS: 'false' } });

  it('records no per-request samples and no process metrics', async () => {
    expect((await quiet.graphql(QUERY)).errors).toBeUndefined();
    const text = await (await fetch(`${quiet.gateway.url}/metrics`)).text();
    expect(text).not.toMatch(/^gateway_operation_duration_seconds_count\{/m);
    expect(text).not.toMatch(/^gateway_upstream_request_duration_seconds_count\{/m);
    expect(text).not.toMatch(/^process_resident_memory_bytes/m);
    // What happens rarely is still counted: the circuit state is there.
    expect(text).toMatch(/^gateway_upstream_circuit_state\{upstream="oneuptime"\} 0/m);
  });
});

describe('health and readiness', () => {
  it('says which base URL looks wrong when Coralogix answers "Not Found: Not Found"', async () => {
    const sandbox = await startSandbox();
    try {
      // The old base (…/mgmt/openapi, before the v5 family): every v5 path is an unknown route.
      const oldBase = sandbox.coralogix.url.replace(/\/5$/, '');
      const stack = await startStack({
        over: sandbox,
        env: { CORALOGIX_API_URL: oldBase },
        readinessCacheMs: 0,
      });
      try {
        expect(stack.config.warnings).toEqual([
          expect.stringContaining('does not end in /mgmt/openapi/5'),
        ]);
        const body = (await (await fetch(`${stack.gateway.url}/readyz`)).json()) as Readiness;
        const notFound = {
          ok: false,
          code: 'UPSTREAM_BAD_REQUEST',
          message: 'coralogix: endpoint not found — check CORALOGIX_API_URL',
        };
        expect(body.upstreams.coralogix).toEqual({
          ...notFound,
          families: { incidents: notFound, cases: notFound },
        });
        const { errors } = await stack.graphql('{ incidents(first: 1) { totalCount } }');
        expect(errors?.[0]?.extensions?.code).toBe('UPSTREAM_BAD_REQUEST');
        expect(errors?.[0]?.message).toMatch(/base URL looks wrong \(check CORALOGIX_API_URL\)/);
      } finally {
        await stack.stop();
      }
    } finally {
      await sandbox.stop();
    }
  });

  it('is alive, ready while both upstreams answer, and names the upstream that stops', async () => {
    const { sandbox, gateway } = await startStack({
      env: { ONEUPTIME_API_KEY: 'not-the-key', UPSTREAM_RETRIES: '0' },
      readinessCacheMs: 0,
    });
    try {
      expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
      const notReady = await fetch(`${gateway.url}/readyz`);
      expect(notReady.status).toBe(503);
      const body = (await notReady.json()) as Record<string, unknown>;
      expect(body).toEqual({
        ready: false,
        upstreams: {
          coralogix: { ok: true, families: { incidents: { ok: true }, cases: { ok: true } } },
          oneuptime: {
            ok: false,
            code: 'UPSTREAM_UNAUTHENTICATED',
            message: 'OneUptime rejected the API key (HTTP 400) — check ONEUPTIME_API_KEY',
          },
        },
        live: {
          subscribers: 0,
          scopes: 0,
          redis: 'off',
          pollers: [],
          connections: { ws: 0, sse: 0 },
          clients: 0,
        },
      });
      expect(JSON.stringify(body)).not.toContain(sandbox.coralogix.apiKey);

      await sandbox.stop();
      const down = (await (await fetch(`${gateway.url}/readyz`)).json()) as {
        upstreams: Record<string, { ok: boolean; code?: string }>;
      };
      const unreachable = {
        ok: false,
        code: 'UPSTREAM_UNAVAILABLE',
        message:
          'Coralogix could not be reached or is failing — check CORALOGIX_API_URL and the network',
      };
      expect(down.upstreams.coralogix).toEqual({
        ...unreachable,
        families: { incidents: unreachable, cases: unreachable },
      });
      expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    } finally {
      await gateway.stop();
      await sandbox.stop().catch(() => undefined);
    }
  });

  it('is ready when both upstreams answer', async () => {
    const stack = await startStack();
    try {
      const response = await fetch(`${stack.gateway.url}/readyz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        ready: true,
        upstreams: {
          coralogix: { ok: true, families: { incidents: { ok: true }, cases: { ok: true } } },
          oneuptime: { ok: true },
        },
        // Live updates are reported, never a reason to be unready: idle here.
        live: {
          subscribers: 0,
          scopes: 0,
          redis: 'off',
          pollers: [],
          connections: { ws: 0, sse: 0 },
          clients: 0,
        },
      });
    } finally {
      await stack.stop();
    }
  });
});
