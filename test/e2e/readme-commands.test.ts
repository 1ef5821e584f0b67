/**
 * The README's Quick start, as a newcomer runs it: a fresh clone of the
 * committed HEAD (so a file that works here only because it is not committed
 * fails), `npm install && npm start` with no upstream configured, then the
 * README's first query and first mutation against it, then SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config.js';
import { freePort } from './support.js';

const READY_TIMEOUT_MS = 150_000;
const STOP_TIMEOUT_MS = 20_000;

/** The fenced `sh` blocks of the README's "Quick start" section, in order. */
function quickStartBlocks(readme: string): string[] {
  const start = readme.indexOf('## Quick start');
  expect(start, 'README has a "## Quick start" section').toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
}

/** The `-d '…'` body of a curl command, parsed. */
function curlBody(command: string): { query: string; variables?: Record<string, unknown> } {
  const body = /-d '([\s\S]*?)'/.exec(command)?.[1];
  expect(body, `a -d '…' body in: ${command}`).toBeDefined();
  return JSON.parse(body!) as { query: string; variables?: Record<string, unknown> };
}

/**
 * The environment of a newcomer's shell: ours without anything that configures
 * the gateway (so it runs in sandbox mode) and without the npm_* / vitest
 * variables of the `npm test` running us (npm would read npm_config_* as its
 * own configuration, e.g. another project's prefix).
 */
function newcomerEnv(port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const gatewayVariable =
    /^(CORALOGIX_|ONEUPTIME_|SANDBOX|GATEWAY_|UPSTREAM_|MAX_|OPERATION_)|^(HOST|PORT|CREDENTIALS|NODE_ENV|GRAPHIQL|LOG_LEVEL|REDIS_URL)$/;
  for (const [name, value] of Object.entries(process.env)) {
    if (gatewayVariable.test(name) || /^(npm_|VITEST|INIT_CWD$)/i.test(name)) continue;
    env[name] = value;
  }
  return {
    ...env,
    PORT: String(port),
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
}

interface LogLine {
  level?: number;
  msg?: string;
  url?: string;
  [key: string]: unknown;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('README quick start on a fresh clone', () => {
  let dir: string | undefined;
  let child: ChildProcess | undefined;

  afterAll(() => {
    if (child?.pid !== undefined && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('npm install && npm start serves the sandbox; the README query and mutation work; SIGTERM stops it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-readme-'));
    const clone = spawnSync('git', ['clone', '--quiet', packageRoot(), dir], {
      encoding: 'utf8',
    });
    expect(clone.status, clone.stderr).toBe(0);

    const blocks = quickStartBlocks(readFileSync(join(dir, 'README.md'), 'utf8'));
    const startCommand = blocks[0]!;
    expect(startCommand).toBe('npm install && npm start');
    const firstQuery = curlBody(blocks.find((b) => b.startsWith('curl') && b.includes('query'))!);
    const firstMutation = curlBody(blocks.find((b) => b.includes('mutation'))!);

    const port = await freePort();
    const output: string[] = [];
    const logs: LogLine[] = [];
    const tail = () => output.slice(-40).join('\n');
    const started = Date.now();
    child = spawn('sh', ['-c', startCommand], {
      cwd: dir,
      env: newcomerEnv(port),
      detached: true, // own process group: SIGTERM reaches npm, sh and node alike
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid!;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child!.once('close', (code, signal) => resolve({ code, signal })),
    );

    const ready = new Promise<LogLine>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "gateway ready" within ${READY_TIMEOUT_MS} ms:\n${tail()}`)),
        READY_TIMEOUT_MS,
      );
      const onLine = (line: string) => {
        output.push(line);
        if (!line.startsWith('{')) return;
        let log: LogLine;
        try {
          log = JSON.parse(line) as LogLine;
        } catch {
          return;
        }
        logs.push(log);
        if (log.msg?.startsWith('gateway ready at')) {
          clearTimeout(timer);
          resolve(log);
        }
      };
      for (const stream of [child!.stdout!, child!.stderr!]) {
        let buffered = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          buffered += chunk;
          const lines = buffered.split('\n');
          buffered = lines.pop()!;
          lines.forEach(onLine);
        });
      }
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`exited (code ${code}, signal ${signal}) before ready:\n${tail()}`));
      });
    });

    const readyLog = await ready;
    console.info(`[e2e] npm install && npm start ready after ${Date.now() - started} ms`);
    expect(logs[0]?.msg, 'first log line').toMatch(/sandbox mode/);
    expect(readyLog.msg).toBe(
      `gateway ready at http://127.0.0.1:${port}/graphql (open it in a browser for GraphiQL)`,
    );
    expect(readyLog.url).toBe(`http://127.0.0.1:${port}/graphql`);

    const post = async (body: unknown) => {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    };

    expect(firstQuery.query).toBe(
      '{ incidents(first: 3) { totalCount edges { node { id name severity slas { status } } } } }',
    );
    const queried = await post(firstQuery);
    expect(queried.errors).toBeUndefined();
    const incidents = queried.data?.incidents as {
      totalCount: number;
      edges: Array<{ node: { id: string; name: string; severity: string; slas: unknown[] } }>;
    };
    expect(incidents.totalCount).toBe(300);
    expect(incidents.edges).toHaveLength(3);
    for (const { node } of incidents.edges) {
      expect(node.id).toMatch(/\S/);
      expect(node.name).toMatch(/\S/);
      expect(Array.isArray(node.slas)).toBe(true);
    }

    // "A first mutation (take an id from the query above …)".
    const incidentId = incidents.edges[0]!.node.id;
    const mutation = JSON.parse(
      JSON.stringify(firstMutation).split('<incident id>').join(incidentId),
    ) as typeof firstMutation;
    const userId = (mutation.variables?.input as { userId: string }).userId;
    const mutated = await post(mutation);
    expect(mutated.errors).toBeUndefined();
    const assigned = (
      mutated.data?.assignIncidents as {
        incidents: Array<{ id: string; assignments: Array<{ assignedTo: { id: string } }> }>;
      }
    ).incidents;
    expect(assigned.map((i) => i.id)).toEqual([incidentId]);
    expect(assigned[0]!.assignments.map((a) => a.assignedTo.id)).toContain(userId);

    process.kill(-pid, 'SIGTERM');
    const stopped = await Promise.race([
      exited,
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS)),
    ]);
    expect(stopped, `still running ${STOP_TIMEOUT_MS} ms after SIGTERM:\n${tail()}`).not.toBe(
      'timeout',
    );
    await expect.poll(() => groupAlive(pid), { timeout: 5_000 }).toBe(false);
    const messages = logs.map((log) => log.msg);
    expect(messages).toContain('shutting down: draining in-flight requests');
    expect(messages).toContain('stopped');
  }, 240_000);
});
