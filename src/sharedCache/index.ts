/**
 * The Redis-backed state replicas share (REDIS_URL): automatic persisted
 * queries, so a hash registered on one replica is served by another, and a
 * short-lived response cache for read-only operations, evicted by mutations
 * (src/sharedCache/responseCache.ts). Everything lives under the
 * deployment's key prefix (keyPrefix.ts).
 *
 * Redis is never on the critical path: while it is down or slow every lookup
 * is a miss and every write is skipped (one warning per outage, see
 * src/sharedCache/redis.ts); no Redis error fails a GraphQL request.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Logger } from 'pino';
import type { GatewayContext } from '../context.js';
import type { Metrics } from '../observability/metrics.js';
import { redisKeyPrefix, type Deployment } from './keyPrefix.js';
import { connectRedis, type RedisLink } from './redis.js';
import { createResponseCache } from './responseCache.js';

export { redactRedisUrl } from './redis.js';

export interface SharedCacheOptions {
  url: string;
  logger: Logger;
  metrics: Metrics;
  /** Lifetime of a cached response. */
  responseTtlMs: number;
  /** Whose keys these are: REDIS_KEY_PREFIX, or the upstream accounts it is derived from. */
  deployment: Deployment;
}

export interface SharedCache {
  /** The APQ store (src/graphql/persistedQueries.ts decides what goes in). */
  apq: KeyValueCache<string>;
  /** Serves and stores read-only responses; evicts by the tags mutations wrote. */
  plugin: ApolloServerPlugin<GatewayContext>;
  /** The Redis connection itself, for the other users of Redis (live updates). */
  link: RedisLink;
  close(): Promise<void>;
}

/** A registered query is kept this long when Apollo passes no TTL (it does not by default). */
const DEFAULT_APQ_TTL_SECONDS = 24 * 60 * 60;

/** `<prefix>apq:<hash>`: Apollo hands keys over already prefixed with `apq:`. */
const apqKey = (key: string) => (key.startsWith('apq:') ? key : `apq:${key}`);

function persistedQueryStore(link: RedisLink, metrics: Metrics): KeyValueCache<string> {
  return {
    async get(key) {
      const result = await link.run((client) => client.get(apqKey(key)));
      if (!result.ok) {
        metrics.cache.inc({ cache: 'apq', result: 'error' });
        return undefined;
      }
      metrics.cache.inc({ cache: 'apq', result: result.value === null ? 'miss' : 'hit' });
      return result.value ?? undefined;
    },
    async set(key, value, options?: KeyValueCacheSetOptions) {
      const ttl = options?.ttl;
      await link.run((client) =>
        ttl === null
          ? client.set(apqKey(key), value)
          : client.set(
              apqKey(key),
              value,
              'PX',
              Math.ceil(1000 * (ttl !== undefined && ttl > 0 ? ttl : DEFAULT_APQ_TTL_SECONDS)),
            ),
      );
    },
    async delete(key) {
      const result = await link.run((client) => client.del(apqKey(key)));
      return result.ok && result.value > 0;
    },
  };
}

export function createSharedCache(options: SharedCacheOptions): SharedCache {
  const link = connectRedis(options.url, options.logger, redisKeyPrefix(options.deployment));
  const responses = createResponseCache(link, {
    logger: options.logger,
    metrics: options.metrics,
    ttlMs: options.responseTtlMs,
  });
  return {
    apq: persistedQueryStore(link, options.metrics),
    plugin: responses.plugin,
    link,
    close: async () => {
      await responses.close();
      await link.close();
    },
  };
}
