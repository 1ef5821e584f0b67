/**
 * The Redis link cache when Redis does not take an invalidation: the
 * invalidation waits and is retried, and until it lands this replica reads
 * those ids afresh instead of trusting (or re-storing) what Redis holds.
 */
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { redisLinkCache } from '../../src/links/cache.js';
import type { Link } from '../../src/links/types.js';
import type { RedisLink, RunResult } from '../../src/sharedCache/redis.js';
import { waitFor } from '../support/tools.js';

/** An in-memory stand-in for the few hash commands the link cache sends. */
function fakeRedis() {
  const hashes = new Map<string, Map<string, string>>();
  const deleted: string[][] = [];
  const emitter = new EventEmitter();
  const client = Object.assign(emitter, {
    pipeline() {
      const queued: Array<() => [null, unknown]> = [];
      const pipeline = {
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
    async del(...keys: string[]) {
      deleted.push(keys);
      for (const key of keys) hashes.delete(key);
      return keys.length;
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
    await cache.set('server', new Map([['c-1', LINKED]]));
    expect((await cache.get('server', ['c-1'])).get('c-1')).toEqual(LINKED);

    redis.setDown(true);
    await cache.invalidate(['c-1']);
    redis.setDown(false);
    // Redis still holds the stale link, but this replica does not serve it ...
    expect(redis.hashes.has('link:f:c-1')).toBe(true);
    expect((await cache.get('server', ['c-1'])).size).toBe(0);
    // ... nor stores a link over it while the invalidation waits.
    await cache.set('server', new Map([['c-1', LINKED]]));

    redis.reconnect();
    await waitFor('the delayed invalidation', () =>
      redis.deleted.some((keys) => keys.includes('link:f:c-1')),
    );
    expect(redis.hashes.has('link:f:c-1')).toBe(false);
    // Landed: the cache is used again.
    await cache.set('server', new Map([['c-1', LINKED]]));
    expect((await cache.get('server', ['c-1'])).get('c-1')).toEqual(LINKED);
  });
});
