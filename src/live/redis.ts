/**
 * Live updates across replicas (REDIS_URL): a poller lease per credential
 * scope and live family, so one replica polls each family someone subscribes
 * to on any replica, and a pub/sub channel every replica publishes its change
 * batches to and delivers from. A replica competes for a family's lease only
 * while it has subscribers of that family: with one lease per scope, its
 * holder polled only the families subscribed to on itself, and a family
 * subscribed to only on another replica was never polled. It uses the gateway's one Redis
 * link (and a duplicate of it for SUBSCRIBE), so an outage is one warning
 * for the whole gateway. While Redis is unreachable every replica polls for
 * itself and delivers only its own batches. Nothing here throws into a
 * subscription.
 *
 * Keys and channel, under the deployment's prefix (src/sharedCache/keyPrefix.ts),
 * so deployments of other accounts sharing the Redis neither take this one's
 * lease nor hear its changes:
 * - `<prefix>live:lease:<scope>:<family>`  the replica id of the family's poller, PX = lease TTL
 * - `<prefix>live:changes`        the channel of change batches (JSON `ChangeBatch`)
 */
import type { Logger } from 'pino';
import type { RedisLink } from '../sharedCache/redis.js';
import type { ChangeBatch, LiveFamilyName } from './events.js';

/** The channel's name within the prefix (`link.channel` adds the prefix: ioredis does not). */
export const CHANNEL = 'live:changes';

/** Renew the lease only if this replica still holds it. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
/** Give the lease up only if this replica holds it. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface PollLease {
  /** This replica should poll: it holds the lease, or Redis is unreachable (local fallback). */
  leads(): boolean;
  release(): Promise<void>;
}

export interface LiveRedis {
  /**
   * Competes for the poller lease of `family` in `scope` every `renewMs`
   * (`SET NX PX ttlMs`, renewed while held); `onAcquired` runs when this
   * replica takes it.
   */
  lease(scope: string, family: LiveFamilyName, onAcquired: () => void): PollLease;
  publish(batch: ChangeBatch): void;
  status(): 'connected' | 'unavailable';
  close(): Promise<void>;
}

/**
 * Lease timing for a poll interval: a holder renews three times per lease
 * lifetime, and a dead holder's lease is taken over within TTL + one renewal
 * period (4/3 of an interval, under the two intervals promised).
 */
export function leaseTiming(intervalMs: number): { ttlMs: number; renewMs: number } {
  return { ttlMs: intervalMs, renewMs: Math.max(1, Math.floor(intervalMs / 3)) };
}

export interface LiveRedisOptions {
  /** The gateway's Redis connection (src/sharedCache/redis.ts): one outage warning for all. */
  link: RedisLink;
  replicaId: string;
  /** Lease lifetime: a dead holder's lease is free after this. */
  ttlMs: number;
  /** How often a replica renews (holder) or tries to take (others) the lease. */
  renewMs: number;
  logger: Logger;
  onBatch(batch: ChangeBatch): void;
}

export function connectLiveRedis(options: LiveRedisOptions): LiveRedis {
  const { link, logger, replicaId } = options;
  // Pub/sub needs a connection of its own; its outages are the link's, which warns once.
  const listener = link.client.duplicate();
  const channel = link.channel(CHANNEL);
  let closing = false;
  listener.on('error', (error: Error) =>
    logger.debug({ error: error.message }, 'live updates: Redis pub/sub connection error'),
  );
  // Subscribed again on every (re)connection: a new connection has no subscriptions.
  listener.on('ready', () => {
    listener
      .subscribe(channel)
      .catch((error: Error) =>
        logger.debug({ error: error.message }, 'live updates: Redis SUBSCRIBE failed'),
      );
  });
  listener.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    let batch: ChangeBatch;
    try {
      batch = JSON.parse(message) as ChangeBatch;
    } catch {
      return;
    }
    if (batch.origin === replicaId || !Array.isArray(batch.changes)) return;
    options.onBatch(batch);
  });
  listener.connect().catch(() => undefined);

  const lease = (scope: string, family: LiveFamilyName, onAcquired: () => void): PollLease => {
    // The link's client prefixes keys with the deployment's prefix.
    const key = `live:lease:${scope}:${family}`;
    let held = false;
    let released: Promise<void> | undefined;
    /** Released while a renewal or a take was on its way: that answer must not revive it. */
    const lateAnswer = async () => {
      if (released === undefined) return false;
      held = false;
      await link.run((client) => client.eval(RELEASE, 1, key, replicaId));
      return true;
    };
    const attempt = async () => {
      if (closing || released || !link.available()) return;
      if (held) {
        const renewed = await link.run((client) =>
          client.eval(RENEW, 1, key, replicaId, options.ttlMs),
        );
        if (await lateAnswer()) return;
        if (!renewed.ok) return;
        held = renewed.value === 1;
      }
      if (!held) {
        const taken = await link.run((client) =>
          client.set(key, replicaId, 'PX', options.ttlMs, 'NX'),
        );
        if (await lateAnswer()) return;
        if (taken.ok && taken.value === 'OK') {
          held = true;
          onAcquired();
        }
      }
    };
    void attempt();
    const timer = setInterval(() => void attempt(), options.renewMs);
    timer.unref();
    return {
      // While Redis is down every replica polls: late or doubled events beat none.
      leads: () => held || !link.available(),
      // One release, however many callers (the hub's close awaits one a last unsubscribe began).
      release: () =>
        (released ??= (async () => {
          clearInterval(timer);
          if (!held) return;
          held = false;
          await link.run((client) => client.eval(RELEASE, 1, key, replicaId));
        })()),
    };
  };

  return {
    lease,
    publish(batch) {
      void link.run((client) => client.publish(channel, JSON.stringify(batch)));
    },
    status: () => (link.available() && listener.status === 'ready' ? 'connected' : 'unavailable'),
    async close() {
      closing = true;
      if (listener.status === 'ready') await listener.quit().catch(() => undefined);
      listener.disconnect();
    },
  };
}
