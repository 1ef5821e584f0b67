/**
 * Live updates across replicas (REDIS_URL): a poller lease per credential
 * scope, so one replica polls, and a pub/sub channel every replica publishes
 * its change batches to and delivers from. Redis is optional here too: while
 * it is unreachable every replica polls for itself and delivers only its own
 * batches (one warning per outage, one line when it is back). Nothing here
 * throws into a subscription.
 *
 * Keys (no ioredis keyPrefix: pub/sub channels are not prefixed by it):
 * - `igw:live:lease:<scope>`  the replica id of the poller, PX = lease TTL
 * - `igw:live:changes`        the channel of change batches (JSON `ChangeBatch`)
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { reconnectDelay, redactRedisUrl } from '../sharedCache/redis.js';
import type { ChangeBatch } from './events.js';

export const CHANNEL = 'igw:live:changes';
export const leaseKey = (scope: string) => `igw:live:lease:${scope}`;

/** Renew the lease only if this replica still holds it. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
/** Give the lease up only if this replica holds it. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1]) else return 0 end`;

export interface ScopeLease {
  /** This replica should poll: it holds the lease, or Redis is unreachable (local fallback). */
  leads(): boolean;
  release(): Promise<void>;
}

export interface LiveRedis {
  /**
   * Competes for the poller lease of `scope` every `renewMs` (`SET NX PX ttlMs`,
   * renewed while held); `onAcquired` runs when this replica takes it.
   */
  lease(scope: string, onAcquired: () => void): ScopeLease;
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
  url: string;
  replicaId: string;
  /** Lease lifetime: a dead holder's lease is free after this. */
  ttlMs: number;
  /** How often a replica renews (holder) or tries to take (others) the lease. */
  renewMs: number;
  logger: Logger;
  onBatch(batch: ChangeBatch): void;
}

export function connectLiveRedis(options: LiveRedisOptions): LiveRedis {
  const { logger, replicaId } = options;
  const redis = redactRedisUrl(options.url);
  const settings = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    connectTimeout: 2_000,
    retryStrategy: reconnectDelay,
    autoResubscribe: false,
  };
  const commands = new Redis(options.url, settings);
  const listener = new Redis(options.url, settings);
  let closing = false;
  let down = false;

  const markDown = (error: unknown) => {
    if (closing || down) return;
    down = true;
    logger.warn(
      { redis, error: error instanceof Error ? error.message : String(error) },
      'Redis unavailable: live updates are local to each replica (each polls for itself) until it is back',
    );
  };
  const markUp = () => {
    if (closing || !down) return;
    if (commands.status !== 'ready' || listener.status !== 'ready') return;
    down = false;
    logger.info({ redis }, 'Redis is back: live updates shared across replicas again');
  };
  for (const client of [commands, listener]) {
    client.on('error', markDown);
    client.on('close', () => markDown(new Error('connection closed')));
  }
  commands.on('ready', markUp);
  // Subscribed again on every (re)connection: a new connection has no subscriptions.
  listener.on('ready', () => {
    listener.subscribe(CHANNEL).then(markUp, markDown);
  });
  listener.on('message', (channel: string, message: string) => {
    if (channel !== CHANNEL) return;
    let batch: ChangeBatch;
    try {
      batch = JSON.parse(message) as ChangeBatch;
    } catch {
      return;
    }
    if (batch.origin === replicaId || !Array.isArray(batch.changes)) return;
    options.onBatch(batch);
  });
  commands.connect().catch(markDown);
  listener.connect().catch(markDown);

  const usable = () => !closing && commands.status === 'ready';

  const lease = (scope: string, onAcquired: () => void): ScopeLease => {
    const key = leaseKey(scope);
    let held = false;
    const attempt = async () => {
      if (!usable()) return;
      try {
        if (held) held = (await commands.eval(RENEW, 1, key, replicaId, options.ttlMs)) === 1;
        if (!held) {
          held = (await commands.set(key, replicaId, 'PX', options.ttlMs, 'NX')) === 'OK';
          if (held) onAcquired();
        }
        markUp();
      } catch (error) {
        markDown(error);
      }
    };
    void attempt();
    const timer = setInterval(() => void attempt(), options.renewMs);
    timer.unref();
    return {
      // While Redis is down every replica polls: late or doubled events beat none.
      leads: () => held || down,
      async release() {
        clearInterval(timer);
        if (!held || !usable()) return;
        held = false;
        await commands.eval(RELEASE, 1, key, replicaId).catch(() => undefined);
      },
    };
  };

  return {
    lease,
    publish(batch) {
      if (!usable()) return;
      commands.publish(CHANNEL, JSON.stringify(batch)).catch(markDown);
    },
    status: () => (usable() && listener.status === 'ready' ? 'connected' : 'unavailable'),
    async close() {
      closing = true;
      await Promise.all(
        [commands, listener].map(async (client) => {
          if (client.status === 'ready') await client.quit().catch(() => undefined);
          client.disconnect();
        }),
      );
    },
  };
}
