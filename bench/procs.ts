/**
 * Child processes of the bench (the sandbox, each gateway) and what the bench
 * reads about them from /proc: CPU time (user + system, all threads) and RSS.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';

import { packageRoot } from '../src/config.js';

/**
 * The Node.js flags `npm start` gives the gateway (package.json's `start`
 * script, e.g. `--max-semi-space-size=64`): every gateway the bench starts
 * runs with them, so it measures the process users run.
 */
export function startFlags(root = packageRoot()): string[] {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const [node, ...words] = scripts.start.split(/\s+/);
  const script = words.findIndex((word) => !word.startsWith('--'));
  if (node !== 'node' || script < 0) {
    throw new Error(`package.json start does not run node on a script: ${scripts.start}`);
  }
  return words.slice(0, script);
}

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface ProcSample {
  /** CPU time used so far, milliseconds. */
  cpuMs: number;
  /** Resident set size, MiB. */
  rssMiB: number;
}

export function sampleProcess(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14 and 15)
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
  return { cpuMs: (ticks * 1000) / TICKS_PER_SECOND, rssMiB: rssKb / 1024 };
}

/** CPU time all processes on the machine have used so far (busy, not idle or iowait), ms. */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [user, nice, system, , , irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const ticks = [user, nice, system, irq, softirq, steal].reduce<number>((n, v) => n + (v ?? 0), 0);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** The JS file a package's `bin` entry points at. */
export function binPath(root: string, pkg: string, name: string): string {
  const manifestPath = join(root, 'node_modules', pkg, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[name];
  if (!bin) throw new Error(`${pkg} has no bin ${name}`);
  return join(dirname(manifestPath), bin);
}

/** The installed version of a dependency, or of this package when `pkg` is `.`. */
export function packageVersion(root: string, pkg: string): string {
  const manifestPath =
    pkg === '.' ? join(root, 'package.json') : join(root, 'node_modules', pkg, 'package.json');
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: string };
    return manifest.version ?? '?';
  } catch {
    return 'not installed';
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Keeps the last lines a child printed, for the error message when it dies. */
function tail(child: ChildProcess): () => string {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => output;
}

export interface Child {
  process: ChildProcess;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

function wrap(child: ChildProcess, name: string): Child {
  const output = tail(child);
  child.once('exit', (code, signal) => {
    if (!stopping) console.error(`[bench] ${name} exited (${signal ?? code}):\n${output()}`);
  });
  let stopping = false;
  return {
    process: child,
    pid: child.pid ?? -1,
    output,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Where a gateway's log lines go, kept out of the load generator: by default a
 * pipe read by `cat`, which writes them to `path` — standard output as a
 * container's log driver reads it, and as the gateway writes to a pipe
 * (non-blocking, through Node's stream); `BENCH_LOGS=file`: the file itself
 * (each line a synchronous file write).
 */
export function logSink(path: string): number | Writable {
  const file = openSync(path, 'w');
  if (process.env.BENCH_LOGS === 'file') return file;
  const reader = spawn('cat', [], { stdio: ['pipe', file, 'ignore'] });
  // The child keeps its own copy of the pipe: `cat` ends when the last writer (the gateway) exits.
  return reader.stdin!;
}

/**
 * A compiled bench module started with an IPC channel; resolves on its `{type: 'ready'}` message.
 * `stdout`: where the child's standard output (its log lines) goes: `logSink`.
 */
export async function forkReady<T>(
  name: string,
  modulePath: string,
  env: NodeJS.ProcessEnv,
  execArgv: string[] = [],
  stdout?: number | Writable,
): Promise<{ child: Child; ready: T }> {
  const child = fork(modulePath, [], {
    env,
    execArgv,
    stdio: ['ignore', stdout ?? 'pipe', 'pipe', 'ipc'],
  });
  // The child has its own copy of a shared pipe now (see `logSink`).
  if (typeof stdout === 'object') stdout.destroy();
  const wrapped = wrap(child, name);
  const ready = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start:\n${wrapped.output()}`)),
      30_000,
    );
    child.on('message', (message: { type?: string }) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message as T);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${wrapped.output()}`));
    });
  });
  return { child: wrapped, ready };
}

/** A Node.js CLI (by its bin file) started as a child of its own. */
export function spawnNode(
  name: string,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  nodeFlags: string[] = [],
) {
  const child = spawn(process.execPath, [...nodeFlags, script, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return wrap(child, name);
}

/** Runs a Node.js CLI to completion; rejects with its output when it fails. */
export async function runNode(
  script: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string },
): Promise<string> {
  const child = spawn(process.execPath, [script, ...args], { ...options, stdio: 'pipe' });
  const output = tail(child);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${script} ${args.join(' ')} failed (${code}):\n${output()}`);
  return output();
}

/** Polls a GraphQL endpoint until it answers `{ __typename }`. */
export async function waitForGraphQL(url: string, child: Child, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (child.process.exitCode !== null) throw new Error(`exited:\n${child.output()}`);
    if (Date.now() > deadline) throw new Error(`${url} did not answer:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The emulators' addresses and keys, as a sandbox (process or in-process) reports them. */
export interface SandboxUpstreams {
  coralogix: { url: string; apiKey: string };
  oneuptime: { url: string; apiKey: string };
}

/** What `sandbox-process.ts` reports once its emulators listen. */
export interface SandboxReady extends SandboxUpstreams {
  incidentId: string;
  incidentLinkedIds: string[];
}

/**
 * A gateway process's upstream settings for the bench's sandbox: the URLs and keys as a
 * deployment sets them (no sandbox of its own), on a free port.
 */
export function upstreamEnv(sandbox: SandboxUpstreams): Record<string, string> {
  return {
    SANDBOX: 'false',
    CORALOGIX_API_URL: sandbox.coralogix.url,
    CORALOGIX_API_KEY: sandbox.coralogix.apiKey,
    ONEUPTIME_API_URL: sandbox.oneuptime.url,
    ONEUPTIME_API_KEY: sandbox.oneuptime.apiKey,
    PORT: '0',
  };
}
