/**
 * The Redis link cache when Redis does not take an invalidation: the
 * invalidation waits and is retried, and until it lands this replica reads
 * those ids afresh instead of trusting (or re-storing) what Redis holds.
 */
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { memoryLinkCache, redisLinkCache } from '../../src/links/cache.js';
import type { Link } from '../../src/links/types.js';
import type { RedisLink, RunResult } from '../../src/sharedCache/redis.js';
import { waitFor } from '../support/tools.js';

/** An in-memory stand-in for the few hash commands the link cache sends. */
function fakeRedis() {
  const hashes = new Map<string, Map<string, string>>();
  const counters = new Map<string, number>();
  const deleted: string[][] = [];
  const emitter = new EventEmitter();
  const del = (keys: string[]) => {
    deleted.push(keys);
    for (const key of keys) hashes.delete(key);
    return keys.length;
  };
  const mget = (keys: string[]) => keys.map((key) => counters.get(key)?.toString() ?? null);
  const client = Object.assign(emitter, {
    pipeline() {
      const queued: Array<() => [null, unknown]> = [];
      const pipeline = {
        incr(key: string) {
          queued.push(() => {
            counters.set(key, (counters.get(key) ?? 0) + 1);
            return [null, counters.get(key)];
          });
          return pipeline;
        },
        mget(...keys: string[]) {
          queued.push(() => [null, mget(keys)]);
          return pipeline;
        },
        del(...keys: string[]) {
          queued.push(() => [null, del(keys)]);
          return pipeline;
        },
        hdel(key: string, field: string) {
          queued.push(() => [null, hashes.get(key)?.delete(field) ? 1 : 0]);
          return pipeline;
        },
        hget(key: string, field: string) {
          queued.push(() => [null, hashes.get(key)?.get(field) ?? null]);
          return pipeline;
        },
        hset(key: string, field: string, value: string) {
          queued.push(() => {
            const hash = hashes.get(key) ?? new Map<string, string>();
            hash.set(field, value);
            hashes.set(key, hash);
            return [null, 1];
          });
          return pipeline;
        },
        pexpire() {
          queued.push(() => [null, 1]);
          return pipeline;
        },
        exec: async () => queued.map((run) => run()),
      };
      return pipeline;
    },
    async mget(...keys: string[]) {
      return mget(keys);
    },
  });
  let down = false;
  const run = async <T>(command: (c: Redis) => Promise<T>): Promise<RunResult<T>> =>
    down ? { ok: false } : { ok: true, value: await command(client as unknown as Redis) };
  const link = {
    client: client as unknown as Redis,
    prefix: 'igw:test:',
    channel: (name: string) => `igw:test:${name}`,
    available: () => !down,
    run,
    retry: run,
    close: async () => undefined,
  } satisfies RedisLink;
  return {
    link,
    hashes,
    deleted,
    setDown(value: boolean) {
      down = value;
    },
    reconnect: () => emitter.emit('ready'),
  };
}

const LINKED: Link = { status: 'LINKED', oneUptimeIncidentId: 'ou-1', claimants: ['ou-1'] };
const SILENT = { info: () => undefined, warn: () => undefined };

describe('redisLinkCache: an invalidation Redis did not take', () => {
  it('is retried until it lands, and meanwhile the id is read afresh, never from Redis', async () => {
    const redis = fakeRedis();
    const cache = redisLinkCache(redis.link, {
      ttlMs: 60_000,
      keyPrefix: 'link:f:',
      logger: SILENT,
    });
    await cache.set(
      'server',
      new Map([['c-1', LINKED]]),
      (await cache.get('server', ['c-1'])).mark,
    );
    expect((await cache.get('server', ['c-1'])).found.get('c-1')).toEqual(LINKED);

    redis.setDown(true);
    await cache.invalidate(['c-1']);
    redis.setDown(false);
    // Redis still holds the stale link, but this replica does not serve it ...
    expect(redis.hashes.has('link:f:c-1')).toBe(true);
    expect((await cache.get('server', ['c-1'])).found.size).toBe(0);
    // ... nor stores a link over it while the invalidation waits.
    await cache.set(
      'server',
      new Map([['c-1', LINKED]]),
      (await cache.get('server', ['c-1'])).mark,
    );

    redis.reconnect();
    await waitFor('the delayed invalidation', () =>
      redis.deleted.some((keys) => keys.includes('link:f:c-1')),
    );
    expect(redis.hashes.has('link:f:c-1')).toBe(false);
    // Landed: the cache is used again.
    await cache.set(
      'server',
      new Map([['c-1', LINKED]]),
      (await cache.get('server', ['c-1'])).mark,
    );
    expect((await cache.get('server', ['c-1'])).found.get('c-1')).toEqual(LINKED);
  });
});

describe('a link read that started before a link write', () => {
  it('per process: is not stored over the invalidation the write made meanwhile', async () => {
    const cache = memoryLinkCache({ ttlMs: 60_000, keyPrefix: 'link:f:' });
    const { mark: before } = await cache.get('server', ['c-1', 'c-2']);
    await cache.invalidate(['c-1']); // the write lands while the read is under way
    await cache.set(
      'server',
      new Map([
        ['c-1', LINKED],
        ['c-2', LINKED],
      ]),
      before,
    );
    const { found } = await cache.get('server', ['c-1', 'c-2']);
    expect(found.has('c-1')).toBe(false);
    // An id the write did not touch is stored as read.
    expect(found.get('c-2')).toEqual(LINKED);
    // A read that started after the write is stored.
    await cache.set(
      'server',
      new Map([['c-1', LINKED]]),
      (await cache.get('server', ['c-1'])).mark,
    );
    expect((await cache.get('server', ['c-1'])).found.get('c-1')).toEqual(LINKED);
  });

  it('through Redis: is not stored on any replica when another replica wrote meanwhile', async () => {
    const redis = fakeRedis();
    const options = { ttlMs: 60_000, keyPrefix: 'link:f:', logger: SILENT };
    const reader = redisLinkCache(redis.link, options);
    const writer = redisLinkCache(redis.link, options);
    const { mark: before } = await reader.get('server', ['c-1', 'c-2']);
    await writer.invalidate(['c-1']);
    await reader.set(
      'server',
      new Map([
        ['c-1', LINKED],
        ['c-2', LINKED],
      ]),
      before,
    );
    for (const replica of [reader, writer]) {
      const { found } = await replica.get('server', ['c-1', 'c-2']);
      expect(found.has('c-1')).toBe(false);
      expect(found.get('c-2')).toEqual(LINKED);
    }
    await reader.set(
      'server',
      new Map([['c-1', LINKED]]),
      (await reader.get('server', ['c-1'])).mark,
    );
    expect((await writer.get('server', ['c-1'])).found.get('c-1')).toEqual(LINKED);
  });

  it('through Redis: stores nothing it could not check when the mark was not read', async () => {
    const redis = fakeRedis();
    const cache = redisLinkCache(redis.link, {
      ttlMs: 60_000,
      keyPrefix: 'link:f:',
      logger: SILENT,
    });
    redis.setDown(true);
    const unread = (await cache.get('server', ['c-1'])).mark;
    redis.setDown(false);
    await cache.set('server', new Map([['c-1', LINKED]]), unread);
    expect(redis.hashes.has('link:f:c-1')).toBe(false);
  });
});
