/**
 * What the circuit breaker counts as an upstream failure, and what it must
 * not: time a request spends queued for one of the gateway's own pool
 * connections, and a call stopped by the operation deadline, say nothing
 * about the upstream's health (a flood of one client must not open the
 * circuit every client shares).
 */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/errors.js';
import { HttpUpstream, type HttpUpstreamOptions } from '../../src/upstreams/http.js';
import { json, startUpstream, type Handler } from '../support/fakeUpstream.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(handler: Handler, options: Partial<HttpUpstreamOptions> = {}) {
  const upstream = await startUpstream(handler);
  cleanups.push(() => upstream.close());
  const http = new HttpUpstream({
    upstream: 'coralogix',
    baseUrl: upstream.url,
    retries: 0,
    timeoutMs: 1_000,
    ...options,
  });
  cleanups.push(() => http.close());
  return { upstream, http };
}

const read = (signal?: AbortSignal) =>
  ({ method: 'POST', path: '/v1/list', headers: {}, idempotent: true, signal }) as const;

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (error instanceof UpstreamError ? error.message : String(error)),
  );

describe('the circuit breaker', () => {
  it('does not count the time a request waits for a pool connection against the upstream', async () => {
    // One connection; the upstream answers each request 600 ms after it arrives.
    const { upstream, http } = await setup(
      (_req, res) => setTimeout(() => json(res, 200, { ok: true }), 600),
      { connections: 1, breaker: { failureThreshold: 1 } },
    );
    const [first, second, third] = await Promise.all([
      outcome(http.request(read())),
      // Queued 600 ms, then answered 600 ms after it was written: within the timeout.
      outcome(http.request(read())),
      // Queued past the 1 s timeout: never written, never seen by the upstream.
      outcome(http.request(read())),
    ]);
    expect([first, second]).toEqual(['ok', 'ok']);
    expect(third).toMatch(/was not called: no connection to it freed up within 1000 ms/);
    expect(upstream.received).toHaveLength(2);
    expect(http.breaker.current).toBe('closed');
  });

  it('still opens on calls the upstream itself leaves unanswered', async () => {
    const held: ServerResponse[] = [];
    const { http } = await setup((_req, res) => held.push(res), {
      timeoutMs: 200,
      breaker: { failureThreshold: 2 },
    });
    cleanups.push(async () => held.forEach((res) => res.destroy()));
    const results = await Promise.all([
      outcome(http.request(read())),
      outcome(http.request(read())),
    ]);
    expect(results).toEqual([
      'Coralogix did not answer within 200 ms.',
      'Coralogix did not answer within 200 ms.',
    ]);
    expect(http.breaker.current).toBe('open');
  });

  it('does not count a call stopped by the operation deadline', async () => {
    const held: ServerResponse[] = [];
    const { http } = await setup((_req, res) => held.push(res), {
      breaker: { failureThreshold: 1 },
    });
    cleanups.push(async () => held.forEach((res) => res.destroy()));
    const deadline = AbortSignal.timeout(100);
    expect(await outcome(http.request(read(deadline)))).toBe(
      'Coralogix call stopped: the operation deadline passed.',
    );
    expect(http.breaker.current).toBe('closed');
  });
});
