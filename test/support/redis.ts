/**
 * A real, throwaway redis-server for the REDIS_URL tests: spawned on a free
 * port with no persistence, stopped (or killed) by the test. Found through
 * REDIS_SERVER_PATH, Debian's /usr/bin/redis-server or PATH. Without one, tests
 * fail on CI (CI=true: .ci/run installs it, so a missing one is a broken CI)
 * and are skipped elsewhere with the install hint.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';
import { describeWithTool, freePort, toolTestMode, type ToolLookup } from './tools.js';

export { freePort } from './tools.js';

export const REDIS_SERVER_CANDIDATES = ['/usr/bin/redis-server'];
export const REDIS_HINT = 'apt-get install redis-server (or set REDIS_SERVER_PATH)';

export type RedisLookup = ToolLookup;

/** `REDIS_SERVER_PATH` if set (it must exist), else the Debian package's binary, else PATH's. */
export function lookupRedisServer(
  env: Record<string, string | undefined> = process.env,
  exists: (path: string) => boolean = existsSync,
): RedisLookup {
  const configured = env.REDIS_SERVER_PATH?.trim();
  if (configured) {
    return exists(configured)
      ? { found: true, path: configured }
      : { found: false, reason: `REDIS_SERVER_PATH=${configured} does not exist` };
  }
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'redis-server'));
  const path = [...REDIS_SERVER_CANDIDATES, ...onPath].find((candidate) => exists(candidate));
  return path
    ? { found: true, path }
    : {
        found: false,
        reason: `no redis-server at ${REDIS_SERVER_CANDIDATES.join(' or ')} or on PATH`,
      };
}

/** `describe` for tests that need redis-server; `body` gets its path (see tools.ts). */
export function describeRedis(name: string, body: (redisServerPath: string) => void): void {
  describeWithTool(
    'redis-server',
    toolTestMode('redis-server', lookupRedisServer(), REDIS_HINT),
    name,
    body,
  );
}

/**
 * A test's own client of `url`, for looking at keys. Tests stop and restart
 * the server under it: its reconnection errors are expected, and without a
 * listener ioredis prints each as "[ioredis] Unhandled error event".
 */
export function adminClient(url: string): Redis {
  const client = new Redis(url);
  client.on('error', () => undefined);
  return client;
}

/** One PING over a raw socket: true on `+PONG`. */
function ping(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });
}

export interface RedisServer {
  port: number;
  /** `redis://127.0.0.1:<port>` */
  url: string;
  running(): boolean;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crash) and wait for the exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted). */
  restart(): Promise<void>;
  /** SIGSTOP: the port stays open but nothing answers (a hung Redis). */
  pause(): void;
  /** SIGCONT after `pause`. */
  resume(): void;
}

async function spawnOnPort(path: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    path,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      tmpdir(),
      '--loglevel',
      'warning',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const state = await Promise.race([
      exited.then((code) => ({ exited: true as const, code })),
      ping(port).then((ok) => ({ exited: false as const, ok })),
    ]);
    if (state.exited) {
      throw new Error(`redis-server exited (${state.code}) on port ${port}: ${output.trim()}`);
    }
    if (state.ok) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer PING on port ${port}: ${output.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  child.kill('SIGCONT'); // a paused (SIGSTOP) server handles SIGTERM only once it runs again
  return exit;
}

/** Starts redis-server (binary at `path`) on a free port; retries on a port race. */
export async function startRedis(path: string): Promise<RedisServer> {
  let child: ChildProcess | undefined;
  let port = 0;
  let lastError: unknown;
  for (let attempt = 0; attempt < 3 && !child; attempt += 1) {
    port = await freePort();
    child = await spawnOnPort(path, port).catch((error: unknown) => {
      lastError = error;
      return undefined;
    });
  }
  if (!child) throw lastError;
  let current: ChildProcess = child;
  const running = () => current.exitCode === null && current.signalCode === null;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    running,
    stop: () => ended(current, 'SIGTERM'),
    kill: () => ended(current, 'SIGKILL'),
    restart: async () => {
      if (running()) await ended(current, 'SIGTERM');
      current = await spawnOnPort(path, port);
    },
    pause: () => void current.kill('SIGSTOP'),
    resume: () => void current.kill('SIGCONT'),
  };
}
