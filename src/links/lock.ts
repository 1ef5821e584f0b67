/**
 * A lock per Coralogix id around `ensureOneUptimeIncident`, so two concurrent
 * calls create one OneUptime incident: in process always, and across replicas
 * through Redis (`SET igw:lock:ensure:<id> <token> NX PX`, released only by
 * its holder) when REDIS_URL is set. A holder that dies releases by expiry.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisLink } from '../sharedCache/redis.js';

/** Longer than one ensure (two reads and a create, each bounded by UPSTREAM_TIMEOUT_MS). */
export const LOCK_TTL_MS = 30_000;
const RETRY_MS = 25;

const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export interface KeyedLock {
  /** Runs `task` while holding the lock for `key`; waits (up to `waitMs`) for another holder. */
  run<T>(key: string, task: () => Promise<T>, waitMs: number): Promise<T>;
}

export class LockTimeoutError extends Error {}

export function createKeyedLock(redis?: RedisLink): KeyedLock {
  const local = new Map<string, Promise<unknown>>();

  const acquireRemote = async (key: string, deadline: number): Promise<string | undefined> => {
    if (!redis) return undefined;
    const token = randomUUID();
    for (;;) {
      const result = await redis.run((client) =>
        client.set(`lock:ensure:${key}`, token, 'PX', LOCK_TTL_MS, 'NX'),
      );
      // Redis down: the in-process lock still holds; replicas may race (logged by the link).
      if (!result.ok) return undefined;
      if (result.value === 'OK') return token;
      if (Date.now() > deadline) throw new LockTimeoutError(key);
      await sleep(RETRY_MS);
    }
  };

  const releaseRemote = async (key: string, token: string | undefined) => {
    if (!redis || !token) return;
    await redis.run((client) => client.eval(RELEASE_SCRIPT, 1, `lock:ensure:${key}`, token));
  };

  return {
    async run<T>(key: string, task: () => Promise<T>, waitMs: number): Promise<T> {
      const deadline = Date.now() + waitMs;
      // In process: queue behind the current holder of this key.
      while (local.has(key)) {
        await local.get(key)?.catch(() => undefined);
        if (Date.now() > deadline) throw new LockTimeoutError(key);
      }
      const held = (async () => {
        const token = await acquireRemote(key, deadline);
        try {
          return await task();
        } finally {
          await releaseRemote(key, token);
        }
      })();
      local.set(key, held);
      try {
        return await held;
      } finally {
        if (local.get(key) === held) local.delete(key);
      }
    },
  };
}
