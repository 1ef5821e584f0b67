/**
 * The link lock (DESIGN 5a): `linkIncident`, `unlinkIncident` and
 * `ensureOneUptimeIncident` (and their counterparts of other families) hold a
 * key for the Coralogix id they write and one for every OneUptime incident
 * whose custom fields they change, in process always and across replicas
 * through Redis when REDIS_URL is set (src/links/redisLeases.ts).
 *
 * Keys are taken in one order, Coralogix-side keys (rank 0) before
 * OneUptime-side keys (rank 1), each rank sorted by name, and a lease only adds
 * keys that come after every key it holds: two writes never wait on each other
 * in a cycle.
 *
 * Fail closed: with REDIS_URL set, a write whose Redis key cannot be taken or
 * renewed is refused (LinkLockError) rather than run without the other
 * replicas' lock. The Redis lease outlives one upstream call, is renewed while
 * held, and is confirmed just before each write.
 */
import { randomUUID } from 'node:crypto';
import { LinkLockError, type LinkLockFailure } from '../errors.js';
import type { RedisLink } from '../sharedCache/redis.js';
import { redisLeases, type RedisLeases, type Renewed } from './redisLeases.js';

export interface LockKey {
  /** 0: the Coralogix side (one id of a family); 1: a OneUptime incident. */
  rank: 0 | 1;
  name: string;
}

/** The OneUptime side of a link: one key per OneUptime incident, whichever family writes it. */
export const oneUptimeLockKey = (oneUptimeId: string): LockKey => ({
  rank: 1,
  name: `link:oneuptime:${oneUptimeId.toLowerCase()}`,
});

export interface Lease {
  /** Takes more keys; each must come after every key already held. */
  add(keys: readonly LockKey[]): Promise<void>;
  /** Just before a write: renews the Redis keys, or throws LinkLockError when one is not held. */
  confirm(): Promise<void>;
}

export interface LinkLock {
  /** Runs `task` holding `keys`, waiting for other holders up to the lock's wait. */
  run<T>(
    keys: readonly LockKey[],
    task: (lease: Lease) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T>;
}

export interface LinkLockOptions {
  redis?: RedisLink | undefined;
  /** Lifetime of a Redis key not renewed: longer than one upstream call. */
  leaseMs: number;
  /** How long a write waits for the holders ahead of it before it is refused. */
  waitMs?: number;
  logger?: { warn(fields: object, message: string): void } | undefined;
}

/** The default wait: a holder may read, write and look for a lost create's result. */
export const LINK_LOCK_WAIT_MS = 30_000;
const RETRY_MS = 20;

const order = (a: LockKey, b: LockKey) =>
  a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Why a wait stopped when `signal` aborted: past the operation deadline it is busy. */
const stopped = (signal: AbortSignal): unknown =>
  (signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError'
    ? new LinkLockError('busy')
    : signal.reason;

/** Resolves when `ahead` does; rejects at `deadline` (busy) or when `signal` aborts. */
function waitFor(ahead: Promise<void>, deadline: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (error?: unknown) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
      if (error === undefined) resolve();
      else reject(error);
    };
    const aborted = () => finish(signal ? stopped(signal) : undefined);
    const timer = setTimeout(() => finish(new LinkLockError('busy')), deadline - Date.now());
    if (signal?.aborted) return aborted();
    signal?.addEventListener('abort', aborted, { once: true });
    void ahead.then(() => finish());
  });
}

/** In process: holders of one name queue in arrival order. */
class LocalQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Waits for the holders ahead, then holds `name`; returns the release. */
  async take(name: string, deadline: number, signal?: AbortSignal): Promise<() => void> {
    const ahead = this.tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = ahead.then(() => mine);
    this.tails.set(name, tail);
    void tail.then(() => {
      if (this.tails.get(name) === tail) this.tails.delete(name);
    });
    try {
      await waitFor(ahead, deadline, signal);
    } catch (error) {
      release(); // whoever queued behind this caller waits for `ahead` only
      throw error;
    }
    return release;
  }
}

export function createLinkLock(options: LinkLockOptions): LinkLock {
  const local = new LocalQueue();
  const remote: RedisLeases | undefined = options.redis
    ? redisLeases(options.redis, options.leaseMs)
    : undefined;
  const waitMs = options.waitMs ?? LINK_LOCK_WAIT_MS;

  return {
    async run(keys, task, signal) {
      const deadline = Date.now() + waitMs;
      const token = randomUUID();
      const held: LockKey[] = [];
      const releases: Array<() => Promise<void> | void> = [];
      const remoteNames: string[] = [];
      let lost = false;
      let renewing: Promise<void> | undefined;

      /** The refusal, logged: nothing more of this write runs. */
      const refused = (reason: LinkLockFailure) => {
        const lock = [...new Set([...keys, ...held].map((key) => key.name))];
        options.logger?.warn({ lock, reason }, 'link write refused: its lock could not be held');
        return new LinkLockError(reason);
      };

      const takeRemote = async (name: string) => {
        if (!remote) return;
        for (;;) {
          const state = await remote.acquire(name, token);
          if (state === 'held') break;
          if (state === 'unreachable') throw refused('unavailable');
          if (Date.now() >= deadline) throw refused('busy');
          if (signal?.aborted) throw stopped(signal);
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS + Math.random() * RETRY_MS));
        }
        remoteNames.push(name);
        releases.push(() => remote.release(name, token));
      };

      /** Renews every Redis key held; a key found taken by another holder stays lost. */
      const renew = async (): Promise<Renewed> => {
        if (!remote || remoteNames.length === 0) return 'held';
        const state = lost ? 'lost' : await remote.renew(remoteNames, token);
        if (state === 'lost') lost = true;
        return state;
      };

      const lease: Lease = {
        async add(more) {
          const sorted = [...more].sort(order);
          const last = held.at(-1);
          if (last && sorted[0] && order(sorted[0], last) <= 0) {
            throw new Error(`lock order: "${sorted[0].name}" after "${last.name}"`);
          }
          for (const key of sorted) {
            if (held.at(-1)?.name === key.name) continue;
            const release = await local.take(key.name, deadline, signal).catch((error) => {
              throw error instanceof LinkLockError ? refused(error.reason) : error;
            });
            releases.push(release);
            held.push(key);
            await takeRemote(key.name);
          }
        },
        async confirm() {
          const state = await renew();
          if (state !== 'held') throw refused(state === 'lost' ? 'lost' : 'unavailable');
        },
      };

      // Renewed in the background too, so a holder's reads never outlast its lease.
      const heartbeat = remote
        ? setInterval(() => {
            renewing ??= renew()
              .then(() => undefined)
              .finally(() => (renewing = undefined));
          }, options.leaseMs / 3)
        : undefined;
      heartbeat?.unref();
      try {
        await lease.add(keys);
        return await task(lease);
      } finally {
        clearInterval(heartbeat);
        // Newest first: the Redis key of a name before its place in the local queue.
        for (const release of releases.reverse()) await release();
      }
    },
  };
}
