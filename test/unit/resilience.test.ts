import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitState } from '../../src/upstreams/circuitBreaker.js';
import { RetryBudget } from '../../src/upstreams/retryBudget.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('CircuitBreaker', () => {
  it('stays closed below the failure threshold and resets the count on success', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 3 });
    breaker.onFailure();
    breaker.onFailure();
    breaker.onSuccess();
    breaker.onFailure();
    breaker.onFailure();
    expect(breaker.current).toBe('closed');
    expect(breaker.allowRequest()).toBe(true);
  });

  it('opens after consecutive failures and fails fast until the cooldown passes', () => {
    const time = clock();
    const changes: Array<[CircuitState, CircuitState]> = [];
    const breaker = new CircuitBreaker({
      failureThreshold: 2,
      cooldownMs: 1000,
      now: time.now,
      onStateChange: (next, previous) => changes.push([next, previous]),
    });
    breaker.onFailure();
    breaker.onFailure();
    expect(breaker.current).toBe('open');
    expect(breaker.allowRequest()).toBe(false);
    expect(breaker.retryInMs()).toBe(1000);
    time.advance(999);
    expect(breaker.allowRequest()).toBe(false);
    time.advance(1);
    expect(breaker.allowRequest()).toBe(true);
    expect(breaker.current).toBe('half-open');
    expect(changes).toEqual([
      ['open', 'closed'],
      ['half-open', 'open'],
    ]);
  });

  it('lets exactly one probe through when half-open, and closes when it succeeds', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10, now: time.now });
    breaker.onFailure();
    time.advance(10);
    expect(breaker.allowRequest()).toBe(true);
    expect(breaker.allowRequest()).toBe(false);
    breaker.onSuccess();
    expect(breaker.current).toBe('closed');
    expect(breaker.allowRequest()).toBe(true);
  });

  it('re-opens when the probe fails', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10, now: time.now });
    breaker.onFailure();
    time.advance(10);
    breaker.allowRequest();
    breaker.onFailure();
    expect(breaker.current).toBe('open');
    expect(breaker.allowRequest()).toBe(false);
  });

  it('frees the probe slot on a neutral outcome without closing', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10, now: time.now });
    breaker.onFailure();
    time.advance(10);
    breaker.allowRequest();
    breaker.onNeutral();
    expect(breaker.current).toBe('half-open');
    expect(breaker.allowRequest()).toBe(true);
  });
});

describe('RetryBudget', () => {
  it('allows the floor of retries even without traffic', () => {
    const budget = new RetryBudget({ minRetries: 3, ratio: 0 });
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('grows with request volume by the ratio', () => {
    const budget = new RetryBudget({ minRetries: 0, ratio: 0.1 });
    for (let i = 0; i < 50; i++) budget.recordRequest();
    const granted = Array.from({ length: 10 }, () => budget.tryRetry()).filter(Boolean).length;
    expect(granted).toBe(5);
  });

  it('forgets requests and retries that left the window', () => {
    const time = clock();
    const budget = new RetryBudget({ minRetries: 1, ratio: 0, windowMs: 1000, now: time.now });
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
    time.advance(1000);
    expect(budget.tryRetry()).toBe(true);
  });
});
