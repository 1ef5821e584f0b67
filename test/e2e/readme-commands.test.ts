/**
 * The README's Quick start, as a newcomer runs it: a fresh clone of the
 * committed HEAD (so a file that works here only because it is not committed
 * fails), `npm install && npm start` with no upstream configured, then the
 * README's first query and first mutation against it, then SIGTERM. npm may
 * warn about engines only for the packages the README says it will.
 *
 * Then, on the same clone (its install stands in for the image's first one,
 * so the suite runs one full install, not two), the Dockerfile's steps as
 * plain commands (see dockerRecipe.ts) and the image's command against the
 * sandbox that compose.yaml runs: it must answer GraphQL.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, packageRoot } from '../../src/config.js';
import { buildStages, parseDockerfile } from './dockerRecipe.js';
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
function newcomerEnv(port?: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const gatewayVariable =
    /^(CORALOGIX_|ONEUPTIME_|SANDBOX|GATEWAY_|UPSTREAM_|MAX_|OPERATION_)|^(HOST|PORT|CREDENTIALS|NODE_ENV|GRAPHIQL|LOG_LEVEL|REDIS_URL)$/;
  for (const [name, value] of Object.entries(process.env)) {
    if (gatewayVariable.test(name) || /^(npm_|VITEST|INIT_CWD$)/i.test(name)) continue;
    env[name] = value;
  }
  return {
    ...env,
    ...(port === undefined ? {} : { PORT: String(port) }),
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
}

/** The packages the README's "Expected `npm install` warnings" paragraph names. */
function expectedEngineWarnings(readme: string): Set<string> {
  const start = readme.indexOf('**Expected `npm install` warnings');
  expect(start, 'README says which npm install warnings to expect').toBeGreaterThanOrEqual(0);
  const paragraph = readme.slice(start, readme.indexOf('\n\n', start));
  return new Set([...paragraph.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!));
}

/** The packages npm's EBADENGINE warnings name (`package: 'listr2@10.2.2'` → `listr2`). */
function engineWarnings(output: string): string[] {
  const names = [...output.matchAll(/EBADENGINE\s+package: '(.+?)@[^@']+'/g)].map((m) => m[1]!);
  return [...new Set(names)].sort();
}

/**
 * The gateway replicas' environment in compose.yaml (the `x-gateway` block),
 * with compose's `${NAME:-default}` resolved to the default.
 */
function composeGatewayEnvironment(compose: string): Record<string, string> {
  const block = /^x-gateway:.*\n((?:[ \t]+.*\n|\n)*)/m.exec(compose)?.[1] ?? '';
  const environment = /^ {2}environment:\n((?: {4}.*\n|\s*\n)*)/m.exec(block)?.[1] ?? '';
  const env: Record<string, string> = {};
  for (const line of environment.split('\n')) {
    const match = /^ {4}([A-Z][A-Z0-9_]*): (.*)$/.exec(line);
    if (match) env[match[1]!] = match[2]!.replace(/^\$\{[A-Z0-9_]+:-(.*)\}$/, '$1');
  }
  return env;
}

/** Each whole line a child prints (stdout and stderr), as it comes. */
function onLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout!, child.stderr!]) {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      lines.forEach(onLine);
    });
  }
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
  /** Set once `npm install` has run in the clone and left its lockfile as committed. */
  let installed = false;
  const cleanups: Array<() => void> = [];

  afterAll(() => {
    if (child?.pid !== undefined && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
    for (const cleanup of cleanups.reverse()) cleanup();
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
      onLines(child!, onLine);
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`exited (code ${code}, signal ${signal}) before ready:\n${tail()}`));
      });
    });

    const readyLog = await ready;
    console.info(`[e2e] npm install && npm start ready after ${Date.now() - started} ms`);
    // npm warned about engines only for the development tools the README names (on Node 20).
    const expectedWarnings = expectedEngineWarnings(readFileSync(join(dir, 'README.md'), 'utf8'));
    const warned = engineWarnings(output.join('\n'));
    expect(warned.filter((name) => !expectedWarnings.has(name))).toEqual([]);
    // The install left every committed file as it was: the lockfile is what `npm ci` installs.
    const status = spawnSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' });
    expect(status.stdout).toBe('');
    installed = true;
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

  it("runs the Dockerfile's steps as plain commands; the image's command serves GraphQL from compose's sandbox", async () => {
    expect(installed, 'the quick start above installed the fresh clone').toBe(true);
    const clone = dir!;
    const root = mkdtempSync(join(tmpdir(), 'gateway-image-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    // The image runs as an unprivileged user that owns none of /app: when this test runs as
    // root, the command runs as nobody, so it must be able to read (and need not write) the stage.
    chmodSync(root, 0o755);
    const nobody = { uid: 65534, gid: 65534 };
    const canDrop =
      process.getuid?.() === 0 && spawnSync(process.execPath, ['-e', ''], nobody).status === 0;
    if (process.getuid?.() === 0 && !canDrop) {
      console.warn(`[e2e] ${process.execPath} is not executable by uid 65534: running as root`);
    }
    const asUnprivileged = canDrop ? nobody : ({} as Record<string, never>);

    const started = Date.now();
    const dockerfile = parseDockerfile(readFileSync(join(clone, 'Dockerfile'), 'utf8'));
    const stages = await buildStages(dockerfile, {
      context: clone,
      root,
      env: newcomerEnv(),
      // The build stage's full `npm ci` installs the committed lockfile, as the quick start's
      // `npm install` in this clone just did (its lockfile unchanged, checked above): reuse it.
      substitute: (stage, command) => {
        if (stage.name !== 'build' || !/^npm ci\b/.test(command) || /--omit/.test(command)) {
          return false;
        }
        symlinkSync(join(clone, 'node_modules'), join(stage.dir, 'node_modules'));
        return true;
      },
    });
    console.info(`[e2e] Dockerfile steps done after ${Date.now() - started} ms`);
    const build = stages.get('build')!;
    const runtime = stages.get('runtime')!;
    expect([...stages.keys()]).toEqual(['build', 'runtime']);
    expect(
      build.runs.map((run) => [run.command.split(' ').slice(0, 3).join(' '), run.substituted]),
    ).toEqual([
      ['npm ci --no-audit', true],
      ['npm run build', false],
    ]);
    // The runtime installs production dependencies only, none of them warning about this Node.
    expect(runtime.runs.map((run) => run.command)).toEqual([
      expect.stringMatching(/^npm ci --omit=dev\b/),
    ]);
    expect(engineWarnings(runtime.runs[0]!.output)).toEqual([]);
    expect(existsSync(join(runtime.dir, 'node_modules', 'typescript'))).toBe(false);
    expect(existsSync(join(runtime.dir, 'dist', 'src', 'main.js'))).toBe(true);
    expect(runtime.env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0' });
    expect(runtime.user).toMatch(/\S/);
    expect(['root', '0']).not.toContain(runtime.user);
    expect(runtime.healthcheck?.command.slice(0, 2)).toEqual(['node', '-e']);
    expect(runtime.cmd?.[0]).toBe('node');

    // compose.yaml's sandbox service: `npm run sandbox` in the build stage (default ports there).
    const compose = readFileSync(join(clone, 'compose.yaml'), 'utf8');
    expect(compose).toContain("command: ['npm', 'run', 'sandbox']");
    const [cxPort, ouPort] = [await freePort(), await freePort()];
    const sandbox = spawn('sh', ['-c', 'npm run sandbox'], {
      cwd: build.dir,
      env: {
        ...newcomerEnv(),
        ...build.env,
        SANDBOX_CORALOGIX_PORT: String(cxPort),
        SANDBOX_ONEUPTIME_PORT: String(ouPort),
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => {
      if (sandbox.pid !== undefined && groupAlive(sandbox.pid))
        process.kill(-sandbox.pid, 'SIGKILL');
    });
    const sandboxOutput: string[] = [];
    onLines(sandbox, (line) => sandboxOutput.push(line));
    await expect
      .poll(() => sandboxOutput.join('\n'), {
        timeout: 60_000,
        message: '`npm run sandbox` in the build stage printed its variables',
      })
      .toMatch(/ONEUPTIME_API_KEY=\S+/);
    const printed = Object.fromEntries(
      [...sandboxOutput.join('\n').matchAll(/\b([A-Z_]+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]),
    );

    // The replicas' environment names compose's services and is a valid production configuration.
    const gatewayEnv = composeGatewayEnvironment(compose);
    expect(gatewayEnv).toMatchObject({
      CORALOGIX_API_URL: printed.CORALOGIX_API_URL!.replace(`127.0.0.1:${cxPort}`, 'sandbox:4010'),
      CORALOGIX_API_KEY: printed.CORALOGIX_API_KEY,
      ONEUPTIME_API_URL: printed.ONEUPTIME_API_URL!.replace(`127.0.0.1:${ouPort}`, 'sandbox:4020'),
      ONEUPTIME_API_KEY: printed.ONEUPTIME_API_KEY,
      REDIS_URL: expect.stringMatching(/^redis:\/\/redis:6379\b/),
    });
    const composed = loadConfig({ ...runtime.env, ...gatewayEnv });
    expect(composed.sandbox).toBe(false);
    expect(composed.gatewayTokens.length).toBeGreaterThan(0);

    // The image's command, with its ENV and compose's, pointed at the sandbox above
    // (Redis is compose's own service; the replicas test covers REDIS_URL).
    const port = await freePort();
    const withoutRedis = Object.fromEntries(
      Object.entries(gatewayEnv).filter(([name]) => name !== 'REDIS_URL'),
    );
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      ...runtime.env,
      ...withoutRedis,
      CORALOGIX_API_URL: printed.CORALOGIX_API_URL,
      ONEUPTIME_API_URL: printed.ONEUPTIME_API_URL,
      PORT: String(port),
    };
    const node = (command: string[]) =>
      command[0] === 'node' ? [process.execPath, ...command.slice(1)] : command;
    const healthcheck = () =>
      new Promise<number | null>((resolve) => {
        const [file, ...args] = node(runtime.healthcheck!.command);
        spawn(file!, args, { cwd: runtime.dir, env, stdio: 'ignore', ...asUnprivileged }).once(
          'close',
          resolve,
        );
      });
    expect(await healthcheck(), 'HEALTHCHECK before the start').toBe(1);

    const [file, ...args] = node(runtime.cmd!);
    const gateway = spawn(file!, args, {
      cwd: runtime.dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...asUnprivileged,
    });
    cleanups.push(() => gateway.kill('SIGKILL'));
    const gatewayOutput: string[] = [];
    onLines(gateway, (line) => gatewayOutput.push(line));
    const exited = new Promise<number | null>((resolve) => gateway.once('close', resolve));
    await expect
      .poll(() => gatewayOutput.join('\n'), { timeout: 30_000 })
      .toContain(`gateway ready at http://0.0.0.0:${port}/graphql`);
    expect(gatewayOutput.join('\n')).not.toContain('GATEWAY_TOKENS is not set');
    expect(await healthcheck(), 'HEALTHCHECK while serving').toBe(0);

    const url = `http://127.0.0.1:${port}/graphql`;
    const query = (headers: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ incidents(first: 2) { totalCount } }' }),
      });
    const token = composed.gatewayTokens[0]!;
    const answered = await query({ authorization: `Bearer ${token}` });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ data: { incidents: { totalCount: 300 } } });
    expect((await query({})).status).toBe(401);
    // NODE_ENV=production: no GraphiQL.
    const page = await fetch(url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);

    gateway.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await healthcheck(), 'HEALTHCHECK after the stop').toBe(1);
    process.kill(-sandbox.pid!, 'SIGTERM');
    console.info(`[e2e] image recipe served GraphQL after ${Date.now() - started} ms`);
  }, 180_000);
});
