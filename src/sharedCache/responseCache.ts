/**
 * The shared response cache: an Apollo plugin that serves read-only
 * operations from Redis (`responseForOperation`, after validation and the
 * operation guard, before execution) and stores error-free results
 * (`willSendResponse`) for a short TTL, tagged with what the request read.
 * A mutation drops every cached response tagged with what it wrote.
 *
 * Redis layout (under the deployment's prefix, keyPrefix.ts):
 * - `resp:<sha256>`  one cached response: `{ body, tags }`, PX = TTL
 * - `tag:<tag>`      sorted set of the response keys that read `<tag>`, scored
 *   by when each expires (Redis time, ms); every store into it first drops the
 *   members already expired, so a hot tag holds only live entries; the set
 *   itself expires after its newest member
 * - `inv:<tag>`      the eviction sequence number of the last write to `<tag>`
 *   (a tag over 200 characters is `sha256:<hash of the tag>` in all three)
 * - `inv:seq`        the eviction sequence counter
 *
 * A read that was in flight while a mutation evicted one of its tags may hold
 * data from before the write: it is not stored. Each lookup notes `inv:seq`;
 * the store (one Lua script, atomic) is skipped when any of the read's tags
 * was evicted after that. Stores and evictions are awaited before the
 * response is sent (bounded by the command timeout), so a client that gets a
 * mutation's response reads fresh data on any replica. An eviction Redis does
 * not take then (stalled, restarting) is retried until it lands
 * (pendingEvictions.ts); meanwhile this replica neither serves nor stores
 * what it covers.
 */
import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLRequestContextResponseForOperation } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { printSchema } from 'graphql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { GatewayContext } from '../context.js';
import { fragmentsOf, isIntrospectionOnly } from '../graphql/selection.js';
import type { Metrics } from '../observability/metrics.js';
import { TagSet } from './cacheTags.js';
import { canonicalJson } from './canonicalJson.js';
import { PendingEvictions } from './pendingEvictions.js';
import type { RedisLink } from './redis.js';

/** Responses larger than this are not cached (they would cost Redis more than they save). */
const MAX_ENTRY_BYTES = 1_048_576;
/**
 * How long a write's eviction mark is kept: longer than any read can take
 * (OPERATION_TIMEOUT_MS is at most 600 s), so a slow read never stores data
 * from before a write it overlapped.
 */
const EVICTION_MARK_TTL_MS = 15 * 60_000;
const SEQUENCE_KEY = 'inv:seq';
/** A response that read more than this many tags is not cached (its store would cost too much). */
const MAX_TAGS = 1_000;

/** Tags embed client-chosen ids: long ones are hashed so a key stays short. */
const tagName = (tag: string) =>
  tag.length <= 200 ? tag : `sha256:${createHash('sha256').update(tag).digest('base64url')}`;
const tagKeys = (tags: string[]) => [
  ...tags.map((tag) => `tag:${tagName(tag)}`),
  ...tags.map((tag) => `inv:${tagName(tag)}`),
];

const STORE_SCRIPT = `
-- KEYS[1] response, KEYS[2] sequence, then n tag sets, then n eviction marks
-- ARGV[1] entry, ARGV[2] entry TTL (ms), ARGV[3] tag-set TTL (ms), ARGV[4] sequence at lookup
local n = (#KEYS - 2) / 2
local started = tonumber(ARGV[4])
if tonumber(redis.call('GET', KEYS[2]) or '0') < started then return 0 end
for i = 1, n do
  local mark = redis.call('GET', KEYS[2 + n + i])
  if mark and tonumber(mark) > started then return 0 end
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
for i = 1, n do
  redis.call('ZREMRANGEBYSCORE', KEYS[2 + i], '-inf', now)
  redis.call('ZADD', KEYS[2 + i], now + tonumber(ARGV[2]), KEYS[1])
  redis.call('PEXPIRE', KEYS[2 + i], ARGV[3])
end
return 1
`;

const EVICT_SCRIPT = `
-- KEYS[1] sequence, then n tag sets, then n eviction marks; ARGV[1] mark TTL (ms)
local n = (#KEYS - 1) / 2
local seq = redis.call('INCR', KEYS[1])
local evicted = 0
for i = 1, n do
  redis.call('SET', KEYS[1 + n + i], seq, 'PX', ARGV[1])
  local members = redis.call('ZRANGE', KEYS[1 + i], 0, -1)
  for j = 1, #members, 500 do
    evicted = evicted + redis.call('DEL', unpack(members, j, math.min(j + 499, #members)))
  end
  redis.call('DEL', KEYS[1 + i])
end
return evicted
`;

interface ScriptCommands {
  igwStoreResponse(numKeys: number, ...keysAndArgs: Array<string | number>): Promise<number>;
  igwEvictTags(numKeys: number, ...keysAndArgs: Array<string | number>): Promise<number>;
}

function scripts(client: Redis): ScriptCommands {
  if (!('igwStoreResponse' in client)) {
    client.defineCommand('igwStoreResponse', { lua: STORE_SCRIPT });
    client.defineCommand('igwEvictTags', { lua: EVICT_SCRIPT });
  }
  return client as unknown as ScriptCommands;
}

interface CachedEntry {
  body: { data: Record<string, unknown> };
  tags: string[];
}

function parseEntry(raw: string): CachedEntry | undefined {
  try {
    const entry = JSON.parse(raw) as Partial<CachedEntry>;
    const data = entry.body?.data;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
    return { body: { data }, tags: Array.isArray(entry.tags) ? entry.tags : [] };
  } catch {
    return undefined;
  }
}

export interface ResponseCacheOptions {
  logger: Logger;
  metrics: Metrics;
  /** Lifetime of a cached response; 0 turns lookups and stores off (evictions still run). */
  ttlMs: number;
}

export interface ResponseCache {
  plugin: ApolloServerPlugin<GatewayContext>;
  /** One last try at the evictions still waiting; then none. */
  close(): Promise<void>;
}

export function createResponseCache(link: RedisLink, options: ResponseCacheOptions): ResponseCache {
  const { logger, metrics, ttlMs } = options;
  /** Tag sets outlive their newest member. */
  const tagTtlMs = ttlMs * 2 + 1_000;
  /** Replicas share cached responses only while they serve the same schema. */
  let schemaVersion = '';

  const keyFor = (ctx: GraphQLRequestContextResponseForOperation<GatewayContext>) => {
    const hash = createHash('sha256')
      .update(
        canonicalJson([
          schemaVersion,
          ctx.contextValue.credentialScope,
          ctx.request.operationName ?? null,
          ctx.queryHash,
          ctx.request.variables ?? {},
        ]),
      )
      .digest('base64url');
    return `resp:${hash}`;
  };

  const evictNow = async (tags: string[], send: RedisLink['run']) => {
    const keys = [SEQUENCE_KEY, ...tagKeys(tags)];
    const result = await send((client) =>
      scripts(client).igwEvictTags(keys.length, ...keys, EVICTION_MARK_TTL_MS),
    );
    if (result.ok) logger.debug({ tags, evicted: result.value }, 'response cache: evicted');
    return result.ok;
  };
  const waiting = new PendingEvictions({
    send: (tags) => evictNow(tags, link.retry),
    logger,
  });
  const evict = async (tags: string[]) => {
    if (!(await evictNow(tags, link.run))) waiting.add(tags);
  };
  // A new connection (Redis restarted, or reachable again): what waits goes first.
  link.client.on('ready', () => waiting.kick());

  const store = async (key: string, startedAt: number, entry: CachedEntry) => {
    const value = JSON.stringify(entry);
    if (Buffer.byteLength(value) > MAX_ENTRY_BYTES) return;
    if (entry.tags.length > MAX_TAGS || waiting.blocks(entry.tags)) return;
    const keys = [key, SEQUENCE_KEY, ...tagKeys(entry.tags)];
    await link.run((client) =>
      scripts(client).igwStoreResponse(keys.length, ...keys, value, ttlMs, tagTtlMs, startedAt),
    );
  };

  const plugin: ApolloServerPlugin<GatewayContext> = {
    serverWillStart: async ({ schema }) => {
      schemaVersion = createHash('sha256').update(printSchema(schema)).digest('base64url');
    },
    requestDidStart: async () => {
      /** Set when this request looked up a cacheable operation and missed: store under it. */
      let pending: { key: string; startedAt: number } | undefined;
      let hit = false;
      return {
        responseForOperation: async (ctx) => {
          const { operation, document } = ctx;
          if (ttlMs <= 0 || !(ctx.contextValue?.cacheTags instanceof TagSet)) return null;
          if (
            operation.operation !== 'query' ||
            isIntrospectionOnly(operation, fragmentsOf(document))
          ) {
            return null;
          }
          const key = keyFor(ctx);
          const result = await link.run((client) => client.mget(key, SEQUENCE_KEY));
          if (!result.ok) {
            metrics.cache.inc({ cache: 'response', result: 'error' });
            return null;
          }
          const [raw, sequence] = result.value;
          const entry = raw ? parseEntry(raw) : undefined;
          // Not one a write of this replica made stale (its eviction still waiting for Redis).
          if (entry && !waiting.blocks(entry.tags)) {
            metrics.cache.inc({ cache: 'response', result: 'hit' });
            hit = true;
            return {
              http: { headers: new HeaderMap([['x-cache', 'hit']]) },
              body: { kind: 'single', singleResult: entry.body },
            };
          }
          metrics.cache.inc({ cache: 'response', result: 'miss' });
          pending = { key, startedAt: Number(sequence ?? 0) || 0 };
          return null;
        },
        willSendResponse: async ({ response, contextValue }) => {
          const tags = contextValue?.cacheTags;
          if (!(tags instanceof TagSet)) return;
          // Whether or not it failed: a write that errored may still have applied upstream.
          if (tags.writes.size > 0) await evict([...tags.writes]);
          if (hit || !pending) return;
          response.http.headers.set('x-cache', 'miss');
          const { body } = response;
          if (body.kind !== 'single') return;
          const { data, errors } = body.singleResult;
          if ((errors && errors.length > 0) || data === null || data === undefined) return;
          await store(pending.key, pending.startedAt, { body: { data }, tags: [...tags.reads] });
        },
      };
    },
  };
  return { plugin, close: () => waiting.close() };
}
