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
import type { Redis } from 'ioredis';
import type { RedisLink } from '../sharedCache/redis.js';
import type { Link } from './types.js';

/** How long "not linked" is believed (DESIGN 5a). */
export const NOT_LINKED_TTL_MS = 5_000;
/** Entries the per-process cache holds before it forgets the oldest. */
const MAX_MEMORY_ENTRIES = 50_000;
/** How long an id's invalidation count outlives its last invalidation in Redis (at least). */
const GENERATION_TTL_MS = 10 * 60_000;

/**
 * What `mark` noted before a read of OneUptime: `set` stores none of the ids
 * invalidated since. A read that started before a link write and answers after
 * it would otherwise store the link as it was, undoing the write's
 * invalidation until the entry expires.
 */
export type LinkCacheMark = { readonly kind: 'link-cache-mark' };

export interface LinkCache {
  /**
   * The cached links of these ids, and a mark taken at the same time for the
   * `set` of what a read of OneUptime then finds (for any of these ids).
   */
  get(
    scope: string,
    ids: readonly string[],
  ): Promise<{ found: Map<string, Link>; mark: LinkCacheMark }>;
  set(scope: string, links: ReadonlyMap<string, Link>, mark: LinkCacheMark): Promise<void>;
  /** Forgets these ids for every scope, and keeps reads already under way from storing them. */
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
  // Invalidations are numbered: a mark is the number of the last one, and an id invalidated
  // after it is not stored. The oldest numbers are forgotten past MAX_MEMORY_ENTRIES ids;
  // a mark older than what was forgotten stores nothing.
  let invalidations = 0;
  let forgottenThrough = 0;
  const invalidatedAt = new Map<string, number>();
  type Mark = LinkCacheMark & { at: number };
  return {
    async get(scope, ids) {
      const found = new Map<string, Link>();
      for (const id of ids) {
        const entry = entries.get(id)?.get(scope);
        if (entry && entry.expiresAt > now()) found.set(id, entry.link);
      }
      return { found, mark: { kind: 'link-cache-mark', at: invalidations } as Mark };
    },
    async set(scope, links, mark) {
      const since = (mark as Mark).at;
      if (options.ttlMs <= 0 || since < forgottenThrough) return;
      for (const [id, link] of links) {
        if ((invalidatedAt.get(id) ?? 0) > since) continue;
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
      invalidations += 1;
      for (const id of ids) {
        entries.delete(id);
        invalidatedAt.delete(id); // re-inserted last, as entries are
        invalidatedAt.set(id, invalidations);
      }
      while (invalidatedAt.size > MAX_MEMORY_ENTRIES) {
        const [oldest, at] = invalidatedAt.entries().next().value as [string, number];
        invalidatedAt.delete(oldest);
        forgottenThrough = Math.max(forgottenThrough, at);
      }
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
  /**
   * Each id's invalidation count (`<key>:gen`), raised before its hash is deleted: a `set`
   * that finds it changed since its mark deletes what it stored (see `set`).
   */
  const generation = (hashKey: string) => `${hashKey}:gen`;
  const evict = (client: Redis, keys: readonly string[]) => {
    const pipeline = client.pipeline();
    for (const hashKey of keys) {
      pipeline.incr(generation(hashKey));
      pipeline.pexpire(generation(hashKey), Math.max(options.ttlMs, GENERATION_TTL_MS));
    }
    pipeline.del(...keys);
    return pipeline.exec();
  };
  type Mark = LinkCacheMark & { generations: ReadonlyMap<string, string | null> };
  const waiting = new PendingEvictions({
    send: async (keys) => (await redis.retry((client) => evict(client, keys))).ok,
    logger: options.logger,
    label: 'link cache',
    ttlName: 'LINK_CACHE_TTL_MS',
  });
  redis.client.on('ready', () => waiting.kick());
  const fresh = (id: string) => !waiting.blocks([key(id)]);
  return {
    async get(scope, wanted) {
      const found = new Map<string, Link>();
      const generations = new Map<string, string | null>();
      const mark = { kind: 'link-cache-mark', generations } as Mark;
      if (options.ttlMs <= 0 || wanted.length === 0) return { found, mark };
      const ids = wanted.filter(fresh);
      // One round trip: the entries of the ids Redis may answer, and every id's generation.
      const result = await redis.run((client) => {
        const pipeline = client.pipeline();
        for (const id of ids) pipeline.hget(key(id), scope);
        pipeline.mget(...wanted.map((id) => generation(key(id))));
        return pipeline.exec();
      });
      if (!result.ok || !result.value) return { found, mark };
      const [genError, read] = result.value.at(-1) ?? [];
      // Unread, every id counts as changed: `set` stores nothing it cannot check.
      if (!genError && Array.isArray(read)) {
        wanted.forEach((id, i) => generations.set(id, (read as Array<string | null>)[i] ?? null));
      }
      result.value.slice(0, ids.length).forEach(([error, raw], i) => {
        if (error || typeof raw !== 'string') return;
        try {
          const entry = JSON.parse(raw) as Entry;
          if (entry.expiresAt > now()) found.set(ids[i] as string, entry.link);
        } catch {
          // An unreadable entry is a miss.
        }
      });
      return { found, mark };
    },
    async set(scope, all, mark) {
      const { generations } = mark as Mark;
      const links = [...all].filter(([id]) => fresh(id) && generations.has(id));
      if (options.ttlMs <= 0 || links.length === 0) return;
      // Store, then read the generations back in the same pipeline: an invalidation raises
      // an id's generation before deleting its hash, so either it deletes what this stored
      // or this sees the raised generation and deletes it itself. No entry from before a
      // link write outlives the write, on any replica.
      const stored = await redis.run((client) => {
        const pipeline = client.pipeline();
        for (const [id, link] of links) {
          const ttl = lifetime(link, options.ttlMs);
          pipeline.hset(key(id), scope, JSON.stringify({ link, expiresAt: now() + ttl }));
          // The hash outlives its newest entry; each entry also carries its own expiry.
          pipeline.pexpire(key(id), options.ttlMs);
        }
        pipeline.mget(...links.map(([id]) => generation(key(id))));
        return pipeline.exec();
      });
      if (!stored.ok || !stored.value) return;
      const [error, after] = stored.value.at(-1) ?? [];
      const current = !error && Array.isArray(after) ? (after as Array<string | null>) : undefined;
      const changed = links
        .filter(([id], i) => current === undefined || current[i] !== generations.get(id))
        .map(([id]) => key(id));
      if (changed.length > 0) {
        await redis.run((client) => {
          const pipeline = client.pipeline();
          for (const hashKey of changed) pipeline.hdel(hashKey, scope);
          return pipeline.exec();
        });
      }
    },
    async invalidate(ids) {
      if (ids.length === 0) return;
      const keys = ids.map(key);
      if (!(await redis.run((client) => evict(client, keys))).ok) waiting.add(keys);
    },
  };
}
