/**
 * The cross-replica half of the link lock: one Redis key per locked name
 * (`lock:<name>` under the shared key prefix) holding the token of its holder,
 * with a TTL (the lease) that a live holder renews and a dead one lets lapse.
 *
 * Redis can stall (a paused server, `DEBUG SLEEP`, a long fork) and answer
 * later: a command whose reply timed out may still run once Redis resumes.
 * An acquisition is therefore idempotent for its token, and whenever its reply
 * is lost a token-checked release is sent right behind it on the same
 * connection; Redis runs the two in order, so the key is never left held by
 * nobody. A release that cannot be sent is retried when the connection is
 * ready again, for as long as the key could still exist.
 */
import type { RedisLink } from '../sharedCache/redis.js';

/** Takes the key for ARGV[1] when it is free (or already ARGV[1]'s), for ARGV[2] ms. */
const ACQUIRE = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

/** Renews every key for ARGV[2] ms if ARGV[1] holds them all; 0 when one was lost. */
const EXTEND = `
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) ~= ARGV[1] then return 0 end
end
for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ARGV[2]) end
return 1`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export type Acquired = 'held' | 'taken' | 'unreachable';
export type Renewed = 'held' | 'lost' | 'unreachable';

export interface RedisLeases {
  /** One try: `taken` when another token holds it, `unreachable` when Redis did not answer. */
  acquire(name: string, token: string): Promise<Acquired>;
  /** Renews every name for another lease. */
  renew(names: readonly string[], token: string): Promise<Renewed>;
  /** Releases a name if `token` holds it (now, or once Redis is reachable again). */
  release(name: string, token: string): Promise<void>;
}

export function redisLeases(redis: RedisLink, leaseMs: number): RedisLeases {
  const key = (name: string) => `lock:${name}`;
  /** Releases that could not be sent: name → token and until when the key could exist. */
  const pending = new Map<string, { token: string; until: number }>();

  /**
   * Sent on the client directly (not through `run`, which holds commands back
   * after a failure): it must follow the acquisition on the same connection.
   */
  const send = async (name: string, token: string): Promise<boolean> => {
    try {
      await redis.client.eval(RELEASE, 1, key(name), token);
      return true;
    } catch {
      return false;
    }
  };

  const sendLater = (name: string, token: string) => {
    pending.set(`${name}\n${token}`, { token, until: Date.now() + leaseMs });
  };

  redis.client.on('ready', () => {
    for (const [entry, { token, until }] of pending) {
      pending.delete(entry);
      if (Date.now() >= until) continue;
      const name = entry.slice(0, entry.indexOf('\n'));
      void send(name, token).then((sent) => {
        if (!sent) sendLater(name, token);
      });
    }
  });

  return {
    async acquire(name, token) {
      const result = await redis.run((client) =>
        client.eval(ACQUIRE, 1, key(name), token, String(leaseMs)),
      );
      if (result.ok) return result.value === 1 ? 'held' : 'taken';
      // The reply is lost, not necessarily the command: undo it right behind it (the call
      // queues the release on the connection at once; its answer is not waited for).
      void send(name, token).then((sent) => {
        if (!sent) sendLater(name, token);
      });
      return 'unreachable';
    },

    async renew(names, token) {
      if (names.length === 0) return 'held';
      const result = await redis.run((client) =>
        client.eval(EXTEND, names.length, ...names.map(key), token, String(leaseMs)),
      );
      if (!result.ok) return 'unreachable';
      return result.value === 1 ? 'held' : 'lost';
    },

    async release(name, token) {
      if (!(await send(name, token))) sendLater(name, token);
    },
  };
}
