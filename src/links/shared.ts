/**
 * What every request of one gateway shares for links: the cache (in process,
 * or Redis when configured) and the lock of `ensureOneUptimeIncident`.
 */
import type { Config } from '../config.js';
import type { RedisLink } from '../sharedCache/redis.js';
import { memoryLinkCache, redisLinkCache } from './cache.js';
import type { LinkShared } from './index.js';
import { createKeyedLock } from './lock.js';

export function createLinkShared(
  config: Pick<Config, 'linkField' | 'linkCacheTtlMs'>,
  redis?: RedisLink,
): LinkShared {
  const options = { ttlMs: config.linkCacheTtlMs, field: config.linkField };
  return {
    field: config.linkField,
    cache: redis ? redisLinkCache(redis, options) : memoryLinkCache(options),
    lock: createKeyedLock(redis),
  };
}
