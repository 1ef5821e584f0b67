/**
 * The live-update hub of one gateway: subscribers grouped by credential
 * scope and live family (incidents, cases), one poller per scope while it has
 * subscribers, looking at a family only while that family has subscribers
 * (and, with Redis, this replica holds that family's lease), and delivery of
 * change batches. A batch is
 * resolved with one context (one loader set) per scope, shared by every
 * subscriber of that scope, so the joins of all their selections batch
 * together; loaders are never shared across scopes (CREDENTIALS=forward keys).
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import { GatewayError } from '../errors.js';
import { OVERLOADED_RETRY_AFTER_SECONDS } from '../guard/admission.js';
import type { Case } from '../upstreams/coralogix/cases/types.js';
import type { Incident } from '../upstreams/coralogix/incidents/types.js';
import { changeByWriteOf } from './diff.js';
import type {
  CaseChange,
  CaseWrite,
  ChangeBatch,
  IncidentChange,
  IncidentWrite,
  LiveChange,
  LiveFamilyName,
} from './events.js';
import type { ContextFor, Delivery, LiveContext } from './access.js';
import { CASE_LIVE, INCIDENT_LIVE, type LiveFamily } from './families.js';
import type { LiveMetrics } from './metrics.js';
import { Poller, familyFeed, type PollerHealth } from './poller.js';
import type { LiveRedis, PollLease } from './redis.js';
import { Subscriber, type LiveConnection, type SubscriberBounds } from './subscriber.js';
import { SharedContext } from './sharedContext.js';
import { ChangeView } from './view.js';

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

/** One family in one scope: its view and lease (dropped when its last subscriber leaves) and subscribers. */
interface Feed<R, C extends LiveChange, W extends string> {
  family: LiveFamily<R, C, W>;
  view: ChangeView<R, C, W>;
  subscribers: Set<Subscriber<R>>;
  /** With Redis, while the family has subscribers here: who polls it across replicas. */
  lease: PollLease | undefined;
}

interface Feeds {
  incident: Feed<Incident, IncidentChange, IncidentWrite>;
  case: Feed<Case, CaseChange, CaseWrite>;
}

interface Scope {
  id: string;
  /** Headers of a subscriber of this scope: its token and (forward mode) upstream keys. */
  headers: IncomingHttpHeaders;
  feeds: Feeds;
  poller: Poller;
}

const newFeed = <R, C extends LiveChange, W extends string>(
  family: LiveFamily<R, C, W>,
): Feed<R, C, W> => ({
  family,
  view: new ChangeView(family),
  subscribers: new Set(),
  lease: undefined,
});

const subscriberCount = (scope: Scope) =>
  scope.feeds.incident.subscribers.size + scope.feeds.case.subscribers.size;

export interface LiveHealth {
  subscribers: number;
  /** Credential scopes with subscribers (their views and pollers are dropped at zero). */
  scopes: number;
  redis: 'off' | 'connected' | 'unavailable';
  /** One per credential scope with subscribers (one at most with CREDENTIALS=server). */
  pollers: PollerHealth[];
}

const FAMILIES = { incident: INCIDENT_LIVE, case: CASE_LIVE } as const;

export class LiveHub {
  private readonly scopes = new Map<string, Scope>();
  private readonly closing = new AbortController();
  /** Subscribers of every scope. */
  private count = 0;
  /** Places held by subscriptions being started (reserve()). */
  private reserved = 0;

  constructor(private readonly options: HubOptions) {
    // Each in-flight upstream call of a poll or batch listens on it (see upstreams/deadline.ts).
    setMaxListeners(0, this.closing.signal);
  }

  /** Whether MAX_SUBSCRIPTIONS is reached, counting the places held by subscriptions being started. */
  full(): boolean {
    return this.count + this.reserved >= this.options.maxSubscriptions;
  }

  /**
   * A place for a subscription about to start, or undefined when full: the
   * transports prepare every subscription of one read before any starts, so
   * they are counted from here, and each one is refused the same way (before
   * it starts). The release gives the place back (once) just before the
   * subscription registers itself.
   */
  reserve(): (() => void) | undefined {
    if (this.full()) return undefined;
    this.reserved += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.reserved -= 1;
    };
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

  /** A subscriber of `family`'s changes matching `matches`. */
  subscribe<F extends LiveFamilyName>(
    scopeId: string,
    headers: IncomingHttpHeaders,
    family: F,
    matches: (record: F extends 'case' ? Case : Incident) => boolean,
    connection: LiveConnection,
  ): AsyncIterableIterator<Delivery> {
    // The transports refuse before starting a subscription (reserve()); this holds the bound exactly.
    if (this.full()) throw this.overloaded();
    const scope = this.scopes.get(scopeId) ?? this.open(scopeId, headers);
    const feed = scope.feeds[family] as unknown as Feed<unknown, LiveChange, string>;
    const subscriber = new Subscriber<unknown>(
      matches as (record: unknown) => boolean,
      connection,
      this.options.bounds,
      (ended, slow) => this.unsubscribe(scope, feed, ended, slow),
    );
    const first = feed.subscribers.size === 0;
    feed.subscribers.add(subscriber);
    this.count += 1;
    this.options.metrics.subscribed(connection.transport, 1);
    if (first) {
      // `onAcquired` runs only after a Redis reply, once this replica takes the family's lease.
      feed.lease = this.options.redis?.lease(scopeId, family, () => scope.poller.pollSoon());
      // A family's first subscriber in a polling scope: its baseline look comes at once.
      scope.poller.pollSoon();
    }
    return subscriber;
  }

  /** A gateway mutation wrote these incidents: publish at once, here and on every replica. */
  written(scopeId: string, write: IncidentWrite, incidents: readonly Incident[]): void {
    this.writtenOf(scopeId, 'incident', write, incidents);
  }

  /** A gateway mutation wrote these cases: publish at once, here and on every replica. */
  casesWritten(scopeId: string, write: CaseWrite, cases: readonly Case[]): void {
    this.writtenOf(scopeId, 'case', write, cases);
  }

  /** A batch from another replica (over Redis): compared with this replica's view first. */
  received(batch: ChangeBatch): void {
    const scope = this.scopes.get(batch.scope);
    if (!scope || this.closing.signal.aborted) return;
    const name = batch.family ?? 'incident';
    const feed = scope.feeds[name] as unknown as Feed<unknown, LiveChange, string>;
    if (!feed) return;
    const changes: LiveChange[] = [];
    for (const change of batch.changes) {
      const record = feed.family.recordOf(change);
      const mine = feed.view.observe(record, () => change, batch.source);
      if (mine) changes.push(mine);
    }
    for (const change of changes) this.options.metrics.published('remote', change.kind);
    this.deliver(scope, feed, changes);
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
    const feeds = [...this.scopes.values()].flatMap((scope) => [
      scope.feeds.incident,
      scope.feeds.case,
    ]);
    const leases = feeds.map((feed) => feed.lease);
    for (const feed of feeds) {
      for (const subscriber of feed.subscribers) void subscriber.return();
    }
    await Promise.all(leases.map((lease) => lease?.release()));
  }

  private writtenOf<F extends LiveFamilyName>(
    scopeId: string,
    name: F,
    write: string,
    records: readonly unknown[],
  ): void {
    if (records.length === 0 || this.closing.signal.aborted) return;
    const scope = this.scopes.get(scopeId);
    if (!scope && !this.options.redis) return;
    const family = FAMILIES[name] as LiveFamily<unknown, LiveChange, string>;
    const feed = scope?.feeds[name] as Feed<unknown, LiveChange, string> | undefined;
    const changes: LiveChange[] = [];
    for (const record of records) {
      const byWrite = (seen: unknown) => changeByWriteOf(family, write, seen);
      const change = feed ? feed.view.observe(record, byWrite, 'mutation') : byWrite(record);
      if (change) changes.push(change);
    }
    this.publish({
      scope: scopeId,
      origin: this.options.replicaId,
      source: 'mutation',
      family: name,
      changes,
    });
  }

  private open(id: string, headers: IncomingHttpHeaders): Scope {
    const feeds: Feeds = { incident: newFeed(INCIDENT_LIVE), case: newFeed(CASE_LIVE) };
    const feedOf = <R, C extends LiveChange, W extends string>(feed: Feed<R, C, W>) =>
      familyFeed({
        family: feed.family,
        view: () => feed.view,
        page: (size, token) =>
          this.withContext(headers, (ctx) => feed.family.page(ctx, size, token)),
        publish: (changes) =>
          this.publish({
            scope: id,
            origin: this.options.replicaId,
            source: 'poll',
            family: feed.family.name,
            changes,
          }),
        active: () => feed.subscribers.size > 0,
        leads: () => (feed.lease ? feed.lease.leads() : true),
        logger: this.options.logger,
      });
    const poller = new Poller({
      intervalMs: this.options.intervalMs,
      feeds: [feedOf(feeds.incident), feedOf(feeds.case)],
      onPolled: (ok, failures) => this.options.metrics.polled(ok, failures),
      logger: this.options.logger,
    });
    const scope: Scope = { id, headers, feeds, poller };
    this.scopes.set(id, scope);
    poller.start();
    return scope;
  }

  private unsubscribe(
    scope: Scope,
    feed: Feed<unknown, LiveChange, string>,
    subscriber: Subscriber<unknown>,
    slow: boolean,
  ): void {
    if (!feed.subscribers.delete(subscriber)) return;
    this.count -= 1;
    this.options.metrics.subscribed(subscriber.connection.transport, -1);
    if (slow) this.options.metrics.slowConsumer(subscriber.connection.transport);
    if (feed.subscribers.size === 0) {
      // The family is no longer looked at: its view goes stale, so it goes too, and its lease.
      feed.view = new ChangeView(feed.family);
      void feed.lease?.release();
      feed.lease = undefined;
    }
    if (subscriberCount(scope) > 0 || this.scopes.get(scope.id) !== scope) return;
    // Nobody left: no polling.
    this.scopes.delete(scope.id);
    scope.poller.stop();
  }

  private publish(batch: ChangeBatch): void {
    if (batch.changes.length === 0) return;
    for (const change of batch.changes) this.options.metrics.published(batch.source, change.kind);
    const scope = this.scopes.get(batch.scope);
    if (scope) {
      const feed = scope.feeds[batch.family ?? 'incident'] as Feed<unknown, LiveChange, string>;
      this.deliver(scope, feed, batch.changes);
    }
    this.options.redis?.publish(batch);
  }

  /** Every matching change to every subscriber of the family, with one shared context. */
  private deliver(
    scope: Scope,
    feed: Feed<unknown, LiveChange, string>,
    changes: readonly LiveChange[],
  ): void {
    if (changes.length === 0 || feed.subscribers.size === 0) return;
    const shared = new SharedContext(() =>
      this.options.contextFor(scope.headers, this.deadline(), `live-${randomUUID()}`),
    );
    for (const subscriber of [...feed.subscribers]) {
      const matching = changes.filter((change) => subscriber.matches(feed.family.recordOf(change)));
      subscriber.push(matching.map((change) => shared.delivery(change)));
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
