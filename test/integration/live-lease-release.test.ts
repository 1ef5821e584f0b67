/**
 * A poll lease released while its first take is still on its way to Redis
 * (a family's only subscriber completing right after subscribing): the take's
 * answer must not revive it. Before, the SET NX landed after the release had
 * found nothing to delete, and the key lived a full lease lifetime with no
 * holder polling, so no replica (this one included) polled that family.
 */
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectLiveRedis } from '../../src/live/redis.js';
import { connectRedis, type RedisLink } from '../../src/sharedCache/redis.js';
import { describeRedis, startRedis, type RedisServer } from '../support/redis.js';

describeRedis('a poll lease released before its take is answered', (redisServerPath) => {
  let redis: RedisServer;
  let link: RedisLink;
  let direct: Redis;

  beforeAll(async () => {
    redis = await startRedis(redisServerPath);
    link = connectRedis(redis.url, pino({ level: 'silent' }), 'igw:lease-test:');
    direct = new Redis(redis.url);
    await new Promise<void>((resolve) => link.client.once('ready', () => resolve()));
  });

  afterAll(async () => {
    direct?.disconnect();
    await link?.close();
    await redis?.stop();
  });

  it('leaves no lease behind, and is not reported as taken', async () => {
    const live = connectLiveRedis({
      link,
      replicaId: 'replica-a',
      ttlMs: 60_000,
      renewMs: 20_000,
      logger: pino({ level: 'silent' }),
      onBatch: () => undefined,
    });
    let acquired = 0;
    // The take (SET NX) is sent at once; the release comes before its answer.
    const lease = live.lease('scope-1', 'case', () => (acquired += 1));
    await lease.release();
    // Whatever the order the answers came in, nothing holds the key once they are in.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await direct.get('igw:lease-test:live:lease:scope-1:case')).toBeNull();
    expect(acquired).toBe(0);
    expect(lease.leads()).toBe(false);
    await live.close();
  });
});
