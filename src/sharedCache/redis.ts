/**
 * The one Redis connection of a gateway, and whether the shared cache may use
 * it. Redis is an optimisation: when it is unreachable, slow or failing, every
 * lookup is a miss and every write is skipped, one warning is logged per
 * outage (not per request) and one info line when it is back. Nothing here
 * ever throws into a GraphQL request.
 *
 * Every key and channel lives under the deployment's prefix (keyPrefix.ts):
 * ioredis adds it to the keys of every command (scripts' KEYS included), and
 * `channel()` adds it to pub/sub channel names, which ioredis leaves alone
 * (as it does SCAN / KEYS patterns: the gateway uses neither).
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** A reply slower than this counts as a failure (the request goes on without the cache). */
const COMMAND_TIMEOUT_MS = 500;
const CONNECT_TIMEOUT_MS = 2_000;
/** After a failed command on a connection that looks open, the cache stays off this long. */
const FAILURE_PAUSE_MS = 1_000;
const MAX_RECONNECT_DELAY_MS = 2_000;

export type RunResult<T> = { ok: true; value: T } | { ok: false };

export interface RedisLink {
  /** Commands' keys are prefixed by the client; channels by `channel()`. */
  readonly client: Redis;
  /** The deployment's prefix of every key and channel, e.g. `igw:3q2-7wEhYkF_Xa1c:`. */
  readonly prefix: string;
  /** The full name of a pub/sub channel of this deployment. */
  channel(name: string): string;
  /** Whether commands are sent at all right now (connected, and no recent failure). */
  available(): boolean;
  /** Runs `command` when Redis is usable; `{ ok: false }` when it is not or the command failed. */
  run<T>(command: (client: Redis) => Promise<T>): Promise<RunResult<T>>;
  /**
   * Like `run`, but sent whenever the connection is up, even during the pause
   * after a failure: for background retries, which hold up no request.
   */
  retry<T>(command: (client: Redis) => Promise<T>): Promise<RunResult<T>>;
  close(): Promise<void>;
}

/**
 * `redis://host:port/db` without user, password or query string (ioredis reads
 * options, a password included, from the query string too).
 */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `redis://${url}`);
    const path = parsed.pathname && parsed.pathname !== '/' ? parsed.pathname : '';
    const auth = parsed.username || parsed.password ? '***@' : '';
    return `${parsed.protocol}//${auth}${parsed.host}${path}`;
  } catch {
    return '[unparseable REDIS_URL]';
  }
}

/** Reconnect backoff: 100 ms doubling to 2 s, with jitter; never gives up. */
export function reconnectDelay(attempt: number): number {
  const base = Math.min(100 * 2 ** Math.max(0, attempt - 1), MAX_RECONNECT_DELAY_MS);
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/** Only message and code: a ReplyError carries the command's arguments (AUTH's password included). */
function describe(error: unknown): { error: string; code?: string } {
  if (!(error instanceof Error)) return { error: String(error) };
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? { error: error.message, code } : { error: error.message };
}

export function connectRedis(url: string, logger: Logger, prefix: string): RedisLink {
  const redis = redactRedisUrl(url);
  const client = new Redis(url, {
    keyPrefix: prefix,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: reconnectDelay,
    autoResubscribe: false,
  });
  let closing = false;
  let connectedOnce = false;
  /** A warning was logged and no "back" line since. */
  let down = false;
  let pausedUntil = 0;

  const markDown = (error: unknown) => {
    if (closing || down) return;
    down = true;
    logger.warn(
      { redis, ...describe(error) },
      connectedOnce
        ? 'Redis unavailable: shared cache off (persisted queries and cached responses miss) until it is back'
        : 'Redis unreachable: starting with the shared cache off until it connects',
    );
  };
  const markUp = () => {
    pausedUntil = 0;
    if (closing) return;
    if (down) {
      down = false;
      logger.info({ redis }, 'Redis is back: shared cache on');
    } else if (!connectedOnce) {
      logger.info({ redis }, 'shared cache connected to Redis');
    }
    connectedOnce = true;
  };

  client.on('ready', markUp);
  // ioredis emits one error per failed (re)connection attempt: markDown logs only the first.
  client.on('error', markDown);
  client.on('close', () => {
    if (connectedOnce) markDown(new Error('connection closed'));
  });
  client.connect().catch(markDown);

  const connected = () => !closing && client.status === 'ready';
  const available = () => connected() && Date.now() >= pausedUntil;
  const send = async <T>(command: (client: Redis) => Promise<T>): Promise<RunResult<T>> => {
    try {
      const value = await command(client);
      if (down) markUp();
      return { ok: true, value };
    } catch (error) {
      if (closing) return { ok: false };
      pausedUntil = Date.now() + FAILURE_PAUSE_MS;
      markDown(error);
      return { ok: false };
    }
  };

  return {
    client,
    prefix,
    channel: (name) => `${prefix}${name}`,
    available,
    run: (command) => (available() ? send(command) : Promise.resolve({ ok: false })),
    retry: (command) => (connected() ? send(command) : Promise.resolve({ ok: false })),
    async close() {
      closing = true;
      if (client.status === 'ready') {
        await client.quit().catch(() => undefined);
      }
      client.disconnect();
    },
  };
}
