/**
 * The link cache (DESIGN 5a): a resolved link (Coralogix id → OneUptime
 * incidents) is reused for LINK_CACHE_TTL_MS, "not linked" for at most 5 s,
 * so a OneUptime incident created elsewhere shows up soon. Entries are kept
 * per credential scope (in forward mode another key may see other incidents)
 * and dropped for every scope at once when this gateway writes a link.
 *
 * Per process by default; with REDIS_URL one Redis hash per Coralogix id
 * (`<family's cache key prefix><id>`, e.g. `link:coralogixIncidentId:<id>` under
 * the shared key prefix; hash field = credential scope), so a link written
 * through one replica is invalidated on all of them. Redis is never on the
 * critical path: when it fails, lookups miss and stores are skipped.
 */
import { PendingEvictions, type EvictionLog } from '../sharedCache/pendingEvictions.js';
import type { RedisLink } from '../sharedCache/redis.js';
import type { Link } from './types.js';

/** How long "not linked" is believed (DESIGN 5a). */
export const NOT_LINKED_TTL_MS = 5_000;
/** Entries the per-process cache holds before it forgets the oldest. */
const MAX_MEMORY_ENTRIES = 50_000;

export interface LinkCache {
  get(scope: string, ids: readonly string[]): Promise<Map<string, Link>>;
  set(scope: string, links: ReadonlyMap<string, Link>): Promise<void>;
  /** Forgets these ids for every scope. */
  invalidate(ids: readonly string[]): Promise<void>;
}

interface Entry {
  link: Link;
  expiresAt: number;
}

export interface LinkCacheOptions {
  /** Lifetime of a linked (or conflicting) answer; 0 turns the cache off. */
  ttlMs: number;
  /** Redis keys of this cache start with it (the family's): caches of two families never mix. */
  keyPrefix: string;
  now?: () => number;
}

const lifetime = (link: Link, ttlMs: number) =>
  link.status === 'NOT_LINKED' ? Math.min(ttlMs, NOT_LINKED_TTL_MS) : ttlMs;

export function memoryLinkCache(options: LinkCacheOptions): LinkCache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Map<string, Entry>>();
  return {
    async get(scope, ids) {
      const found = new Map<string, Link>();
      for (const id of ids) {
        const entry = entries.get(id)?.get(scope);
        if (entry && entry.expiresAt > now()) found.set(id, entry.link);
      }
      return found;
    },
    async set(scope, links) {
      if (options.ttlMs <= 0) return;
      for (const [id, link] of links) {
        const scopes = entries.get(id) ?? new Map<string, Entry>();
        scopes.set(scope, { link, expiresAt: now() + lifetime(link, options.ttlMs) });
        entries.delete(id); // re-inserted last: the Map's order is the eviction order
        entries.set(id, scopes);
      }
      while (entries.size > MAX_MEMORY_ENTRIES) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    async invalidate(ids) {
      for (const id of ids) entries.delete(id);
    },
  };
}

/**
 * An invalidation Redis does not take (a stall, a restart) is not dropped: it
 * is retried until it lands, and until then this replica neither reads nor
 * stores those ids in Redis (a lookup misses and reads OneUptime afresh), as
 * the response cache does with its evictions.
 */
export function redisLinkCache(
  redis: RedisLink,
  options: LinkCacheOptions & { logger: EvictionLog },
): LinkCache {
  const now = options.now ?? Date.now;
  const key = (id: string) => `${options.keyPrefix}${id}`;
  const waiting = new PendingEvictions({
    send: async (keys) => (await redis.retry((client) => client.del(...keys))).ok,
    logger: options.logger,
    label: 'link cache',
    ttlName: 'LINK_CACHE_TTL_MS',
  });
  redis.client.on('ready', () => waiting.kick());
  const fresh = (id: string) => !waiting.blocks([key(id)]);
  return {
    async get(scope, wanted) {
      const found = new Map<string, Link>();
      const ids = wanted.filter(fresh);
      if (ids.length === 0) return found;
      const result = await redis.run((client) => {
        const pipeline = client.pipeline();
        for (const id of ids) pipeline.hget(key(id), scope);
        return pipeline.exec();
      });
      if (!result.ok || !result.value) return found;
      result.value.forEach(([error, raw], i) => {
        if (error || typeof raw !== 'string') return;
        try {
          const entry = JSON.parse(raw) as Entry;
          if (entry.expiresAt > now()) found.set(ids[i] as string, entry.link);
        } catch {
          // An unreadable entry is a miss.
        }
      });
      return found;
    },
    async set(scope, all) {
      const links = [...all].filter(([id]) => fresh(id));
      if (options.ttlMs <= 0 || links.length === 0) return;
      await redis.run((client) => {
        const pipeline = client.pipeline();
        for (const [id, link] of links) {
          const ttl = lifetime(link, options.ttlMs);
          pipeline.hset(key(id), scope, JSON.stringify({ link, expiresAt: now() + ttl }));
          // The hash outlives its newest entry; each entry also carries its own expiry.
          pipeline.pexpire(key(id), options.ttlMs);
        }
        return pipeline.exec();
      });
    },
    async invalidate(ids) {
      if (ids.length === 0) return;
      const keys = ids.map(key);
      if (!(await redis.run((client) => client.del(...keys))).ok) waiting.add(keys);
    },
  };
}
