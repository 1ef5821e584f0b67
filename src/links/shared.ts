/**
 * What every request of one gateway shares for links: per family the cache
 * (in process, or Redis when configured), and one lock for all families.
 */
import type { Config } from '../config.js';
import type { RedisLink } from '../sharedCache/redis.js';
import { memoryLinkCache, redisLinkCache } from './cache.js';
import type { LinkFamily } from './family.js';
import type { LinkLog, LinkShared } from './index.js';
import { createLinkLock, type LinkLock } from './lock.js';

/** A Redis lease outlives one upstream call by this much. */
export const LEASE_MARGIN_MS = 5_000;

const SILENT: LinkLog = { info: () => undefined, warn: () => undefined };

export interface LinkSharedOptions {
  redis?: RedisLink | undefined;
  logger?: LinkLog | undefined;
}

type LinkConfig = Pick<Config, 'linkCacheTtlMs' | 'upstreamTimeoutMs'>;

/** The lock of every link write of a gateway (give it to each family). */
export function createGatewayLinkLock(config: LinkConfig, options: LinkSharedOptions): LinkLock {
  return createLinkLock({
    redis: options.redis,
    leaseMs: config.upstreamTimeoutMs + LEASE_MARGIN_MS,
    logger: options.logger,
  });
}

/** One family's shared link state over the gateway's lock. */
export function familyLinkShared<R>(
  family: LinkFamily<R>,
  config: LinkConfig,
  options: LinkSharedOptions & { lock: LinkLock },
): LinkShared<R> {
  const cacheOptions = { ttlMs: config.linkCacheTtlMs, keyPrefix: family.cacheKeyPrefix };
  return {
    family,
    cache: options.redis
      ? redisLinkCache(options.redis, { ...cacheOptions, logger: options.logger ?? SILENT })
      : memoryLinkCache(cacheOptions),
    lock: options.lock,
    // A create answered by a timeout is looked for until three timeouts after it was sent.
    settleMs: 2 * config.upstreamTimeoutMs,
    log: options.logger ?? SILENT,
  };
}
