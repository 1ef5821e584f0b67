/**
 * Start-up (issue 17, item 3): how long `npm start` on a built checkout takes
 * to give its first GraphQL answer. Sandbox mode (no upstream configured), so
 * the time includes starting the two emulators and seeding them, as a person
 * trying the gateway sees it. The clock runs from spawning the command to the
 * first `200` with `data` for `{ incidents(first: 1) { totalCount } }` (a
 * real upstream round trip, not only `__typename`), polled every 20 ms.
 *
 * The first start is not counted: it builds when `dist/` is older than the
 * sources (scripts/run-built.mjs), as a fresh checkout's first `npm start`
 * does; the report says whether it had to.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './procs.js';

export interface StartupRun {
  /** Milliseconds from spawn to the first answer. */
  ms: number;
  /** Whether this start compiled the sources (scripts/run-built.mjs rewrote dist/.build-stamp). */
  compiled: boolean;
}

export interface Startup {
  command: string;
  /** The uncounted first start (builds if needed). */
  first: StartupRun;
  runs: StartupRun[];
  medianMs: number;
}

export const STARTUP_TARGET_MS = 2000;

const QUERY = JSON.stringify({ query: '{ incidents(first: 1) { totalCount } }' });

async function answered(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: QUERY,
      signal: AbortSignal.timeout(2000),
    });
    if (!response.ok) return false;
    const body = (await response.json()) as { data?: { incidents?: unknown } };
    return body.data?.incidents != null;
  } catch {
    return false;
  }
}

/** One start: spawn, poll until it answers, stop its whole process group. */
async function startOnce(
  command: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<StartupRun> {
  const port = await freePort();
  const before = stamp(cwd);
  const url = `http://127.0.0.1:${port}/graphql`;
  const started = performance.now();
  // Its own process group: `npm start` runs a shell that runs node; all of it is stopped.
  const child = spawn(command[0]!, command.slice(1), {
    cwd,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  try {
    for (;;) {
      if (await answered(url)) break;
      if (exited) throw new Error(`${command.join(' ')} exited before answering:\n${output}`);
      if (performance.now() - started > timeoutMs) {
        throw new Error(`${command.join(' ')} did not answer within ${timeoutMs} ms:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { ms: performance.now() - started, compiled: stamp(cwd) !== before };
  } finally {
    await new Promise<void>((resolve) => {
      if (exited) return resolve();
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
        resolve();
      }, 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

/** When the last build finished (0 when never). */
function stamp(root: string): number {
  try {
    return statSync(join(root, 'dist', '.build-stamp')).mtimeMs;
  } catch {
    return 0;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * `npm start` (the command a user types) `repeat` times after one uncounted
 * start. `env` must configure no upstream (sandbox mode).
 */
export async function measureStartup(options: {
  root: string;
  env: NodeJS.ProcessEnv;
  repeat: number;
  log: (message: string) => void;
}): Promise<Startup> {
  const command = ['npm', 'start', '--silent'];
  const env = { ...options.env, LOG_LEVEL: 'warn' };
  // The first start may compile (a cold checkout): generous timeout, not counted.
  const first = await startOnce(command, options.root, env, 180_000);
  options.log(
    `start-up: first start ${first.ms.toFixed(0)} ms${first.compiled ? ' (compiled the sources)' : ''}`,
  );
  const runs: StartupRun[] = [];
  for (let i = 0; i < options.repeat; i++) {
    const run = await startOnce(command, options.root, env, 60_000);
    runs.push(run);
    options.log(`start-up: ${run.ms.toFixed(0)} ms to the first answer`);
  }
  return {
    command: command.join(' '),
    first,
    runs,
    medianMs: median(runs.map((r) => r.ms)),
  };
}
