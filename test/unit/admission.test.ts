import { describe, expect, it } from 'vitest';
import {
  Admission,
  OverloadedError,
  QUEUE_FACTOR,
  type Release,
} from '../../src/guard/admission.js';
import { LoadShare } from '../../src/guard/loadShare.js';
import { createTokenChecker } from '../../src/guard/tokens.js';

const admission = (maxInFlight: number, maxInFlightPerClient: number, maxWaitMs = 10_000) => {
  const refused: string[] = [];
  const gate = new Admission({
    maxInFlight,
    maxInFlightPerClient,
    maxWaitMs,
    onRefused: (bound) => refused.push(bound),
  });
  return { gate, refused };
};

/** Tracks a pending acquire: admitted (with its release), refused (with the error), or waiting. */
function track(promise: Promise<Release>) {
  const state: { release?: Release; error?: unknown } = {};
  promise.then(
    (release) => (state.release = release),
    (error: unknown) => (state.error = error),
  );
  return state;
}
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Admission', () => {
  it('admits a client up to its own bound at once and queues the rest until a slot frees', async () => {
    const { gate } = admission(10, 2);
    const a = [track(gate.acquire('a')), track(gate.acquire('a')), track(gate.acquire('a'))];
    await tick();
    expect(a.map((s) => Boolean(s.release))).toEqual([true, true, false]);
    expect(gate.stats()).toEqual({ running: 2, waiting: 1, clients: 1 });
    a[0]!.release!();
    await tick();
    expect(a[2]!.release).toBeDefined();
    expect(gate.stats()).toEqual({ running: 2, waiting: 0, clients: 1 });
  });

  it('keeps serving other clients while one is at its bound', async () => {
    const { gate } = admission(3, 2);
    track(gate.acquire('flood'));
    track(gate.acquire('flood'));
    const waiting = track(gate.acquire('flood'));
    const other = track(gate.acquire('other'));
    await tick();
    expect(other.release).toBeDefined();
    expect(waiting.release).toBeUndefined();
  });

  it('serves waiting clients in turn, not in arrival order', async () => {
    const { gate } = admission(3, 3);
    const holders = [track(gate.acquire('x')), track(gate.acquire('x')), track(gate.acquire('x'))];
    await tick();
    const a = [track(gate.acquire('a')), track(gate.acquire('a'))];
    const b = track(gate.acquire('b'));
    holders[0]!.release!();
    await tick();
    expect(a[0]!.release).toBeDefined();
    // b's turn comes before a's second, though a's second arrived first.
    holders[1]!.release!();
    await tick();
    expect(b.release).toBeDefined();
    expect(a[1]!.release).toBeUndefined();
  });

  it('refuses with OVERLOADED when the wait expires', async () => {
    const { gate, refused } = admission(10, 1, 20);
    track(gate.acquire('a'));
    const late = track(gate.acquire('a'));
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(late.error).toBeInstanceOf(OverloadedError);
    expect((late.error as OverloadedError).extensions).toMatchObject({
      code: 'OVERLOADED',
      retryAfter: 1,
    });
    expect((late.error as Error).message).toMatch(/MAX_IN_FLIGHT_PER_CLIENT/);
    expect(refused).toEqual(['client']);
    expect(gate.stats().waiting).toBe(0);
  });

  it('refuses at once when the wait queue is full, per client and in all', async () => {
    // Each may wait 8× its bound: a has 1 running and 8 waiting, b the same, so 16 wait in all.
    const { gate, refused } = admission(2, 1);
    for (const client of ['a', 'b']) {
      for (let i = 0; i < 1 + QUEUE_FACTOR; i++) track(gate.acquire(client));
    }
    const overA = track(gate.acquire('a'));
    const newcomer = track(gate.acquire('c'));
    await tick();
    expect(overA.error).toBeInstanceOf(OverloadedError);
    expect(newcomer.error).toBeInstanceOf(OverloadedError);
    expect((newcomer.error as Error).message).toMatch(/16 operations are already waiting/);
    expect(refused).toEqual(['client', 'queue']);
    expect(gate.stats()).toEqual({ running: 2, waiting: 16, clients: 2 });
  });

  it('holds a client to its share while that is below MAX_IN_FLIGHT_PER_CLIENT', async () => {
    let share = 1;
    const gate = new Admission({
      maxInFlight: 10,
      maxInFlightPerClient: 4,
      maxWaitMs: 10_000,
      share: () => share,
    });
    const a = [track(gate.acquire('a')), track(gate.acquire('a')), track(gate.acquire('a'))];
    const b = track(gate.acquire('b'));
    await tick();
    expect(a.map((s) => Boolean(s.release))).toEqual([true, false, false]);
    expect(b.release).toBeDefined();
    share = 3;
    gate.pump();
    await tick();
    expect(a.map((s) => Boolean(s.release))).toEqual([true, true, true]);
  });

  it('drops a waiter whose client went away, and forgets clients with nothing left', async () => {
    const { gate } = admission(1, 1);
    const connection = {};
    const first = track(gate.acquire(connection));
    const gone = new AbortController();
    const waiting = track(gate.acquire(connection, gone.signal));
    await tick();
    gone.abort(new Error('closed'));
    await tick();
    expect((waiting.error as Error).message).toBe('closed');
    first.release!();
    first.release!(); // twice: no effect
    expect(gate.stats()).toEqual({ running: 0, waiting: 0, clients: 0 });
  });
});

describe('TokenChecker.clientId (who a client is for the per-client bounds)', () => {
  const tokens = createTokenChecker({
    readWrite: ['rw-token-123456'],
    readOnly: ['ro-token-123456'],
  });
  const as = (token?: string) => (token ? { authorization: `Bearer ${token}` } : {});

  it('is a stable id of a valid token that does not contain it', () => {
    const id = tokens.clientId(as('rw-token-123456'));
    expect(id).toMatch(/^token:/);
    expect(id).not.toContain('rw-token');
    expect(tokens.clientId(as('rw-token-123456'))).toBe(id);
    expect(tokens.clientId(as('ro-token-123456'))).not.toBe(id);
  });

  it('is undefined without a valid token, and on an open gateway (any token would do)', () => {
    expect(tokens.clientId(as())).toBeUndefined();
    expect(tokens.clientId(as('made-up-token'))).toBeUndefined();
    const open = createTokenChecker({ readWrite: [], readOnly: [] });
    expect(open.clientId(as('anything-at-all'))).toBeUndefined();
  });
});

describe('LoadShare (each client’s share of the event loop)', () => {
  it('halves the share while the loop is saturated and grows it back by one when it has room', () => {
    const readings = [0.95, 0.95, 0.95, 0.7, 0.3, 0.3, 0.99];
    let next = 0;
    const share = new LoadShare(32, () => readings[next++] ?? 0);
    const seen = readings.map(() => {
      share.update();
      return share.current();
    });
    expect(seen).toEqual([16, 8, 4, 4, 5, 6, 3]);
  });

  it('never goes below 1 nor above MAX_IN_FLIGHT_PER_CLIENT', () => {
    const busy = new LoadShare(4, () => 1);
    for (let i = 0; i < 10; i++) busy.update();
    expect(busy.current()).toBe(1);
    const idle = new LoadShare(4, () => 0);
    for (let i = 0; i < 10; i++) idle.update();
    expect(idle.current()).toBe(4);
  });
});
