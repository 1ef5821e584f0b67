/**
 * The live-update hub of one gateway: subscribers grouped by credential
 * scope, one poller (and, with Redis, one lease) per scope while it has
 * subscribers, and delivery of change batches. A batch is resolved with one
 * context (one loader set) per scope, shared by every subscriber of that
 * scope, so the joins of all their selections batch together; loaders are
 * never shared across scopes (CREDENTIALS=forward keys).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import { GatewayError } from '../errors.js';
import { OVERLOADED_RETRY_AFTER_SECONDS } from '../guard/admission.js';
import type { Incident } from '../upstreams/coralogix/incidents/types.js';
import { changeByWrite } from './diff.js';
import type { ChangeBatch, IncidentChange, IncidentWrite } from './events.js';
import type { ContextFor, Delivery, IncidentMatcher, LiveContext } from './access.js';
import type { LiveMetrics } from './metrics.js';
import { Poller, type PollerHealth } from './poller.js';
import type { LiveRedis, ScopeLease } from './redis.js';
import { Subscriber, type LiveConnection, type SubscriberBounds } from './subscriber.js';
import { IncidentView } from './view.js';

export interface HubOptions {
  intervalMs: number;
  /** Deadline of the upstream calls made for one batch or one poll. */
  operationTimeoutMs: number;
  bounds: SubscriberBounds;
  /** MAX_SUBSCRIPTIONS: subscriptions this gateway holds at once, over both transports. */
  maxSubscriptions: number;
  contextFor: ContextFor;
  logger: Logger;
  metrics: LiveMetrics;
  replicaId: string;
  /** Set once Redis is configured (see redis.ts). */
  redis?: LiveRedis;
}

interface Scope {
  id: string;
  /** Headers of a subscriber of this scope: its token and (forward mode) upstream keys. */
  headers: IncomingHttpHeaders;
  subscribers: Set<Subscriber>;
  view: IncidentView;
  poller: Poller;
  lease: ScopeLease | undefined;
}

export interface LiveHealth {
  subscribers: number;
  /** Credential scopes with subscribers (their views and pollers are dropped at zero). */
  scopes: number;
  redis: 'off' | 'connected' | 'unavailable';
  /** One per credential scope with subscribers (one at most with CREDENTIALS=server). */
  pollers: PollerHealth[];
}

export class LiveHub {
  private readonly scopes = new Map<string, Scope>();
  private readonly closing = new AbortController();
  /** Subscribers of every scope. */
  private count = 0;

  constructor(private readonly options: HubOptions) {}

  /** Whether MAX_SUBSCRIPTIONS is reached: a new subscription is refused before it starts. */
  full(): boolean {
    return this.count >= this.options.maxSubscriptions;
  }

  /** The refusal of a subscription past MAX_SUBSCRIPTIONS. */
  overloaded(): GatewayError {
    const max = this.options.maxSubscriptions;
    return new GatewayError(
      'OVERLOADED',
      `The gateway already holds ${max} subscriptions (MAX_SUBSCRIPTIONS); retry later.`,
      { limit: max, retryAfter: OVERLOADED_RETRY_AFTER_SECONDS },
    );
  }

  /** Aborts the upstream calls of every poll and batch when the gateway stops. */
  get signal(): AbortSignal {
    return this.closing.signal;
  }

  subscribe(
    scopeId: string,
    headers: IncomingHttpHeaders,
    matches: IncidentMatcher,
    connection: LiveConnection,
  ): Subscriber {
    // The transports refuse before starting a subscription (full()); this holds the bound exactly.
    if (this.full()) throw this.overloaded();
    const scope = this.scopes.get(scopeId) ?? this.open(scopeId, headers);
    const subscriber = new Subscriber(matches, connection, this.options.bounds, (ended, slow) =>
      this.unsubscribe(scope, ended, slow),
    );
    scope.subscribers.add(subscriber);
    this.count += 1;
    this.options.metrics.subscribed(connection.transport, 1);
    return subscriber;
  }

  /** A gateway mutation wrote these incidents: publish at once, here and on every replica. */
  written(scopeId: string, write: IncidentWrite, incidents: readonly Incident[]): void {
    if (incidents.length === 0 || this.closing.signal.aborted) return;
    const scope = this.scopes.get(scopeId);
    if (!scope && !this.options.redis) return;
    const changes: IncidentChange[] = [];
    for (const incident of incidents) {
      const byWrite = (seen: Incident) => changeByWrite(write, seen);
      const change = scope ? scope.view.observe(incident, byWrite, 'mutation') : byWrite(incident);
      if (change) changes.push(change);
    }
    this.publish({ scope: scopeId, origin: this.options.replicaId, source: 'mutation', changes });
  }

  /** A batch from another replica (over Redis): compared with this replica's view first. */
  received(batch: ChangeBatch): void {
    const scope = this.scopes.get(batch.scope);
    if (!scope || this.closing.signal.aborted) return;
    const changes: IncidentChange[] = [];
    for (const change of batch.changes) {
      const mine = scope.view.observe(change.incident, () => change, batch.source);
      if (mine) changes.push(mine);
    }
    for (const change of changes) this.options.metrics.published('remote', change.kind);
    this.deliver(scope, changes);
  }

  /** Pollers this replica runs now (holding their lease, or without Redis to share one). */
  leading(): number {
    let count = 0;
    for (const scope of this.scopes.values()) if (scope.poller.health().leader) count += 1;
    return count;
  }

  health(): LiveHealth {
    return {
      subscribers: this.count,
      scopes: this.scopes.size,
      redis: this.options.redis ? this.options.redis.status() : 'off',
      pollers: [...this.scopes.values()].map((scope) => scope.poller.health()),
    };
  }

  /** Stops polling and ends every subscription (the transports close the connections). */
  async close(): Promise<void> {
    this.closing.abort(new Error('the gateway is stopping'));
    const scopes = [...this.scopes.values()];
    for (const scope of scopes) {
      for (const subscriber of scope.subscribers) void subscriber.return();
    }
    await Promise.all(scopes.map((scope) => scope.lease?.release()));
  }

  private open(id: string, headers: IncomingHttpHeaders): Scope {
    const view = new IncidentView();
    // `onAcquired` runs only after a Redis reply, so `poller` exists by then.
    const lease = this.options.redis?.lease(id, () => poller.pollSoon());
    const poller = new Poller({
      intervalMs: this.options.intervalMs,
      view,
      list: (request) => this.withContext(headers, (ctx) => ctx.coralogix.list(request)),
      leads: () => (lease ? lease.leads() : true),
      publish: (changes) =>
        this.publish({ scope: id, origin: this.options.replicaId, source: 'poll', changes }),
      onPolled: (ok, failures) => this.options.metrics.polled(ok, failures),
      logger: this.options.logger,
    });
    const scope: Scope = { id, headers, subscribers: new Set(), view, poller, lease };
    this.scopes.set(id, scope);
    poller.start();
    return scope;
  }

  private unsubscribe(scope: Scope, subscriber: Subscriber, slow: boolean): void {
    if (!scope.subscribers.delete(subscriber)) return;
    this.count -= 1;
    this.options.metrics.subscribed(subscriber.connection.transport, -1);
    if (slow) this.options.metrics.slowConsumer(subscriber.connection.transport);
    if (scope.subscribers.size > 0 || this.scopes.get(scope.id) !== scope) return;
    // Nobody left: no polling, no lease; the view is stale from now on, so it goes too.
    this.scopes.delete(scope.id);
    scope.poller.stop();
    void scope.lease?.release();
  }

  private publish(batch: ChangeBatch): void {
    if (batch.changes.length === 0) return;
    for (const change of batch.changes) this.options.metrics.published(batch.source, change.kind);
    const scope = this.scopes.get(batch.scope);
    if (scope) this.deliver(scope, batch.changes);
    this.options.redis?.publish(batch);
  }

  /** Every matching change to every subscriber of the scope, with one shared context. */
  private deliver(scope: Scope, changes: readonly IncidentChange[]): void {
    if (changes.length === 0 || scope.subscribers.size === 0) return;
    const shared = new SharedContext(() =>
      this.options.contextFor(scope.headers, this.deadline(), `live-${randomUUID()}`),
    );
    for (const subscriber of [...scope.subscribers]) {
      for (const change of changes) {
        if (subscriber.matches(change.incident)) subscriber.push(shared.delivery(change));
      }
    }
  }

  private deadline(): AbortSignal {
    return AbortSignal.any([
      this.closing.signal,
      AbortSignal.timeout(this.options.operationTimeoutMs),
    ]);
  }

  /** One upstream call in a fresh context (its own span, ended afterwards). */
  private async withContext<T>(
    headers: IncomingHttpHeaders,
    run: (ctx: LiveContext) => Promise<T>,
  ): Promise<T> {
    const ctx = this.options.contextFor(headers, this.deadline(), `live-poll-${randomUUID()}`);
    ctx.span.updateName('live poll');
    try {
      return await run(ctx);
    } finally {
      ctx.span.end();
    }
  }
}

/**
 * The context of one batch for one scope: built on first use, its span ended
 * when the last delivery holding it is released.
 */
class SharedContext {
  private context: LiveContext | undefined;
  private holders = 0;

  constructor(private readonly build: () => LiveContext) {}

  delivery(change: IncidentChange): Delivery {
    this.holders += 1;
    let released = false;
    return {
      change,
      context: () => (this.context ??= this.build()),
      release: () => {
        if (released) return;
        released = true;
        this.holders -= 1;
        if (this.holders === 0) this.context?.span.end();
      },
    };
  }
}
