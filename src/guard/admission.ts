/**
 * Admission control: how many GraphQL operations execute at once, in all
 * (MAX_IN_FLIGHT) and per client (MAX_IN_FLIGHT_PER_CLIENT, lowered while the
 * event loop is saturated: see loadShare.ts). Over a bound an operation
 * waits, for a short and bounded time in a bounded queue, then is refused
 * with OVERLOADED: nothing of it reaches an upstream. One client can never
 * hold more than its share, so the others keep being served while it floods,
 * and a flood is refused at the door instead of piling up in memory and at
 * the upstreams (where its timeouts would open the shared circuit).
 *
 * Waiting operations are served one client at a time in turn (round robin), so
 * a client with a long queue does not delay one that sends a single request.
 * Pure scheduling: the HTTP side is http/admit.ts.
 */
import { GatewayError } from '../errors.js';

export interface AdmissionLimits {
  /** Operations executing at once, in all. */
  maxInFlight: number;
  /** Operations one client may execute at once. */
  maxInFlightPerClient: number;
}

export interface AdmissionOptions extends AdmissionLimits {
  /** How long an operation over a bound may wait for a slot before it is refused. */
  maxWaitMs: number;
  /**
   * The per-client bound now, when it is lower than MAX_IN_FLIGHT_PER_CLIENT
   * (LoadShare: lower while the event loop is saturated).
   */
  share?: () => number;
  /** Called on every refusal, with the bound that refused it. */
  onRefused?: (bound: OverloadedBound) => void;
}

/**
 * Which bound refused an operation: the client's own (`client`), the
 * gateway's (`total`), or the wait queue being full (`queue`).
 */
export type OverloadedBound = 'client' | 'total' | 'queue';

/** How long a refused client is told to wait before retrying (`Retry-After`, seconds). */
export const OVERLOADED_RETRY_AFTER_SECONDS = 1;

/**
 * Operations that may wait, per client and in all, as a multiple of the
 * bounds. A waiting operation costs a few kilobytes (its request and
 * response objects) plus its body, which counts against the bodies the
 * server may hold (http/nodeHttp.ts BodyBudget: MAX_IN_FLIGHT ×
 * MAX_BODY_BYTES, all requests read and not yet answered together); and waiting slows a client that ignores Retry-After down to one refusal per
 * connection per wait, where refusing at once would let it loop on refusals
 * as fast as the gateway can write them (a CPU flood of its own).
 */
export const QUEUE_FACTOR = 8;

/** An operation refused at admission: nothing was sent upstream. */
export class OverloadedError extends GatewayError {
  readonly bound: OverloadedBound;

  /** `limit`: the bound that refused it (for `client`, the client's share at the time). */
  constructor(bound: OverloadedBound, limit: number) {
    const what =
      bound === 'client'
        ? `this client already runs ${limit} operations (MAX_IN_FLIGHT_PER_CLIENT, less while the gateway is busy)`
        : bound === 'total'
          ? `the gateway already runs ${limit} operations (MAX_IN_FLIGHT)`
          : `${limit} operations are already waiting`;
    super(
      'OVERLOADED',
      `The gateway is overloaded: ${what}. Nothing was sent upstream; retry after ${OVERLOADED_RETRY_AFTER_SECONDS} s.`,
      { retryAfter: OVERLOADED_RETRY_AFTER_SECONDS },
    );
    this.bound = bound;
  }
}

/** Ends an admitted operation's hold on its slot; calling it again does nothing. */
export type Release = () => void;

/** A client: a token's id, or the connection object when it sent no valid token. */
export type ClientKey = string | object;

interface Waiter {
  admit(release: Release): void;
  refuse(error: Error): void;
}

interface ClientState {
  running: number;
  waiting: Waiter[];
}

export interface AdmissionStats {
  running: number;
  waiting: number;
  /** Clients with an operation running or waiting (their state is dropped at zero). */
  clients: number;
}

export class Admission {
  private running = 0;
  private waiting = 0;
  private readonly clients = new Map<ClientKey, ClientState>();
  /** Clients with waiters, in the order they are served (round robin). */
  private readonly queue = new Set<ClientKey>();

  constructor(private readonly options: AdmissionOptions) {}

  /** Waiting operations in all, and per client, before more are refused at once. */
  private get maxQueued(): number {
    return QUEUE_FACTOR * this.options.maxInFlight;
  }

  private get maxQueuedPerClient(): number {
    return QUEUE_FACTOR * this.options.maxInFlightPerClient;
  }

  /** Operations one client may run now: its share, within MAX_IN_FLIGHT_PER_CLIENT. */
  private perClient(): number {
    const max = this.options.maxInFlightPerClient;
    return Math.max(1, Math.min(max, this.options.share?.() ?? max));
  }

  stats(): AdmissionStats {
    return { running: this.running, waiting: this.waiting, clients: this.clients.size };
  }

  /**
   * A slot for one operation of `client`: at once when both bounds allow it,
   * else after waiting (at most `maxWaitMs`); rejects with OverloadedError, or
   * with `signal`'s reason when the client goes away while waiting.
   */
  acquire(client: ClientKey, signal?: AbortSignal): Promise<Release> {
    const state = this.stateOf(client);
    // No eligible waiter can exist while there is room (`pump` serves them first),
    // so taking a free slot at once never overtakes one.
    const perClient = this.perClient();
    if (this.running < this.options.maxInFlight && state.running < perClient) {
      return Promise.resolve(this.admit(client, state));
    }
    const bound: OverloadedBound = state.running >= perClient ? 'client' : 'total';
    const full: OverloadedBound | undefined =
      state.waiting.length >= this.maxQueuedPerClient
        ? 'client'
        : this.waiting >= this.maxQueued
          ? 'queue'
          : undefined;
    if (full) {
      this.forget(client, state);
      return Promise.reject(this.refusal(full));
    }
    return new Promise<Release>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.dequeue(client, state, waiter);
      };
      const waiter: Waiter = {
        admit: (release) => {
          settle();
          resolve(release);
        },
        refuse: (error) => {
          settle();
          this.forget(client, state);
          reject(error);
        },
      };
      const timer = setTimeout(() => waiter.refuse(this.refusal(bound)), this.options.maxWaitMs);
      const onAbort = () => waiter.refuse(signal?.reason as Error);
      signal?.addEventListener('abort', onAbort, { once: true });
      state.waiting.push(waiter);
      this.waiting += 1;
      this.queue.add(client);
    });
  }

  private refusal(bound: OverloadedBound): OverloadedError {
    this.options.onRefused?.(bound);
    const limit =
      bound === 'client'
        ? this.perClient()
        : bound === 'total'
          ? this.options.maxInFlight
          : this.waiting;
    return new OverloadedError(bound, limit);
  }

  private stateOf(client: ClientKey): ClientState {
    let state = this.clients.get(client);
    if (!state) {
      state = { running: 0, waiting: [] };
      this.clients.set(client, state);
    }
    return state;
  }

  /** Drops a client's state once nothing of it runs or waits (no per-connection leftovers). */
  private forget(client: ClientKey, state: ClientState): void {
    if (state.running === 0 && state.waiting.length === 0) this.clients.delete(client);
  }

  private admit(client: ClientKey, state: ClientState): Release {
    this.running += 1;
    state.running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      state.running -= 1;
      this.forget(client, state);
      this.pump();
    };
  }

  private dequeue(client: ClientKey, state: ClientState, waiter: Waiter): void {
    const index = state.waiting.indexOf(waiter);
    if (index < 0) return;
    state.waiting.splice(index, 1);
    this.waiting -= 1;
    if (state.waiting.length === 0) this.queue.delete(client);
  }

  /**
   * Serves waiters while there is room: the next client in turn that is under
   * its own bound. Runs on every release, and when the per-client share grows.
   */
  pump(): void {
    const perClient = this.perClient();
    while (this.running < this.options.maxInFlight) {
      let served = false;
      for (const client of this.queue) {
        const state = this.clients.get(client);
        if (!state || state.running >= perClient) continue;
        const waiter = state.waiting[0];
        if (!waiter) continue;
        // To the back of the line, if it still has waiters after this one.
        this.queue.delete(client);
        if (state.waiting.length > 1) this.queue.add(client);
        waiter.admit(this.admit(client, state));
        served = true;
        break;
      }
      if (!served) return;
    }
  }
}
