/**
 * The run-time backstop of MAX_UPSTREAM_CALLS: the per-operation counter, and
 * the `beforeAttempt` hook through which every upstream attempt (retries
 * included) spends from it, against a real local server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors.js';
import { createCallBudget } from '../../src/guard/callBudget.js';
import { HttpUpstream } from '../../src/upstreams/http.js';
import { json, startUpstream, type Handler } from '../support/fakeUpstream.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(handler: Handler) {
  const upstream = await startUpstream(handler);
  cleanups.push(() => upstream.close());
  const http = new HttpUpstream({
    upstream: 'oneuptime',
    baseUrl: upstream.url,
    timeoutMs: 2_000,
    retries: 2,
    maxRetryDelayMs: 5,
  });
  cleanups.push(() => http.close());
  return { upstream, http };
}

function tooComplex(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected QUERY_TOO_COMPLEX');
}

describe('createCallBudget', () => {
  it('counts attempts up to the limit, then refuses every further one', () => {
    const budget = createCallBudget(2);
    budget.spend();
    budget.spend();
    expect(budget.used).toBe(2);
    const error = tooComplex(() => budget.spend());
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', maxUpstreamCalls: 2 });
    expect(error.message).toMatch(/limit of 2 upstream calls \(MAX_UPSTREAM_CALLS\)/);
    expect(() => budget.spend()).toThrow(GatewayError);
    expect(budget.used).toBe(2);
  });
});

describe('the beforeAttempt hook of upstream calls', () => {
  it('stops the call past the limit before it is sent', async () => {
    const { upstream, http } = await setup((_, res) => json(res, 200, { ok: true }));
    const budget = createCallBudget(2);
    const call = { apiKey: 'k', beforeAttempt: () => budget.spend() };
    await http.send('POST', '/a', call, { idempotent: true });
    await http.send('POST', '/b', call, { idempotent: true });
    await expect(http.send('POST', '/c', call, { idempotent: true })).rejects.toMatchObject({
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
    expect(upstream.received.map((r) => r.url)).toEqual(['/a', '/b']);
  });

  it('counts every retry as an attempt of its own', async () => {
    const { upstream, http } = await setup((_, res, index) =>
      index === 0 ? json(res, 503, { error: 'busy' }) : json(res, 200, { ok: true }),
    );
    const budget = createCallBudget(5);
    await http.send(
      'POST',
      '/a',
      { apiKey: 'k', beforeAttempt: () => budget.spend() },
      {
        idempotent: true,
      },
    );
    expect(upstream.received).toHaveLength(2);
    expect(budget.used).toBe(2);
  });

  it('ends a retrying read when the retry would pass the limit', async () => {
    const { upstream, http } = await setup((_, res) => json(res, 503, { error: 'busy' }));
    const budget = createCallBudget(2);
    await expect(
      http.send(
        'POST',
        '/a',
        { apiKey: 'k', beforeAttempt: () => budget.spend() },
        {
          idempotent: true,
        },
      ),
    ).rejects.toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX' } });
    expect(upstream.received).toHaveLength(2);
  });
});
