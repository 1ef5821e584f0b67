/**
 * Graceful shutdown of the real process: SIGTERM while operations are in
 * flight lets them finish and be answered, refuses new connections, closes
 * idle keep-alive sockets, and exits 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { CX } from '../support/coralogix.js';
import { ASSIGN } from '../support/selections.js';
import { waitFor } from '../support/tools.js';
import { builtGateway, freePort } from './support.js';

const ROOT = packageRoot();

let main: string;
beforeAll(() => {
  main = builtGateway();
});

interface GatewayProcess {
  child: ChildProcess;
  url: string;
  /** The `msg` of every log line so far. */
  messages: string[];
  exited: Promise<number | null>;
}

/** Starts `main.js` over `sandbox` as its own process and waits until it is ready. */
async function startGatewayProcess(sandbox: Sandbox): Promise<GatewayProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      CORALOGIX_API_URL: sandbox.coralogix.url,
      CORALOGIX_API_KEY: sandbox.coralogix.apiKey,
      ONEUPTIME_API_URL: sandbox.oneuptime.url,
      ONEUPTIME_API_KEY: sandbox.oneuptime.apiKey,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const messages: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      messages.push(String((JSON.parse(line) as { msg?: unknown }).msg));
    } catch {
      messages.push(line);
    }
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  await waitFor('the gateway to be ready', () =>
    messages.some((m) => m.startsWith('gateway ready')),
  );
  return { child, url: `http://127.0.0.1:${port}`, messages, exited };
}

/** The exit code, or a failure (and SIGKILL) if the process is still running after `ms`. */
async function exitWithin(child: ChildProcess, exited: Promise<number | null>, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'running'>((resolve) => {
    timer = setTimeout(() => resolve('running'), ms);
  });
  const outcome = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (outcome === 'running') {
    child.kill('SIGKILL');
    throw new Error(`still running ${ms} ms after SIGTERM`);
  }
  return outcome;
}

/** POSTs one GraphQL query to the gateway process. */
function postQuery(gateway: GatewayProcess, query: string): Promise<Response> {
  return fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
}

/** Whether a TCP connection to the gateway's port is accepted (false: refused). */
function accepts(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('SIGTERM', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    // Every upstream answer takes 1.5 s, so an operation is surely in flight at SIGTERM.
    sandbox = await startSandbox({ latencyMs: 1_500 });
  });
  afterAll(() => sandbox?.stop());

  it('finishes the operation in flight, refuses new connections, closes and exits 0', async () => {
    const gateway = await startGatewayProcess(sandbox);
    const url = `${gateway.url}/graphql`;
    sandbox.clearRequests();
    const inFlight = postQuery(gateway, '{ incidents(first: 2) { totalCount } }');
    // The emulator logs a request when it arrives and its status once it answers.
    const upstreamPending = () =>
      sandbox.requests('coralogix').some((r) => r.path === CX.list.path && r.status === undefined);
    await waitFor('the operation to reach the upstream', upstreamPending);
    gateway.child.kill('SIGTERM');
    await waitFor('the listener to close', async () => !(await accepts(gateway.url)));
    await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow();
    // Refused while the operation was still in flight: the drain closed the listener, not the exit.
    expect(upstreamPending()).toBe(true);

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.json()).toEqual({ data: { incidents: { totalCount: 300 } } });
    expect(await gateway.exited).toBe(0);
    // In the order they happened: the drain's announcement first, the last line last.
    const draining = gateway.messages.indexOf('shutting down: draining in-flight requests');
    expect(draining).toBeGreaterThan(-1);
    expect(gateway.messages.indexOf('stopped')).toBeGreaterThan(draining);
    expect(gateway.messages.at(-1)).toBe('stopped');
  });
});

describe('SIGTERM with mutations in flight on kept-alive connections', () => {
  const WORKERS = 8;

  /** `after`: answered (or failed) after SIGTERM was sent. */
  type Outcome =
    | { id: string; after: boolean; status: number; connection: string | undefined; body: unknown }
    | { id: string; after: boolean; error: string };

  let sandbox: Sandbox;
  beforeAll(async () => {
    // Each mutation spends about 300 ms upstream: at any moment most workers have one in flight.
    sandbox = await startSandbox({ latencyMs: 300 });
  });
  afterAll(() => sandbox?.stop());

  it('answers every mutation the upstream applied, closes idle sockets and exits 0', async () => {
    const gateway = await startGatewayProcess(sandbox);
    const pool = new Pool(gateway.url, { connections: WORKERS, pipelining: 1 });
    const ids = sandbox.seed.incidents.map((incident) => incident.id);
    const user = sandbox.seed.users[1]!.id;
    const outcomes: Outcome[] = [];
    let signalled = false;
    let next = 0;

    // An idle kept-alive connection: one answered request, then nothing.
    const idle = connect(Number(new URL(gateway.url).port), '127.0.0.1');
    let idleClosedBeforeExit = false;
    const idleAnswered = new Promise<void>((resolve) => idle.once('data', () => resolve()));
    idle.on('error', () => undefined);
    idle.write('GET /healthz HTTP/1.1\r\nHost: gateway.test\r\n\r\n');
    await idleAnswered;
    idle.on('close', () => {
      idleClosedBeforeExit = gateway.child.exitCode === null;
    });

    // Each worker sends mutations one after another until its connection is refused or cut.
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        try {
          const response = await pool.request({
            method: 'POST',
            path: '/graphql',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              query: ASSIGN,
              variables: { input: { incidentIds: [id], userId: user } },
            }),
          });
          const connection = response.headers.connection;
          outcomes.push({
            id,
            after: signalled,
            status: response.statusCode,
            connection: Array.isArray(connection) ? connection.join(',') : connection,
            body: await response.body.json(),
          });
        } catch (error) {
          outcomes.push({ id, after: signalled, error: (error as Error).message });
          return;
        }
      }
    };
    const workers = Array.from({ length: WORKERS }, worker);

    // SIGTERM once every worker is on its second mutation or later.
    await waitFor('a first answer per worker', () => outcomes.length >= WORKERS);
    signalled = true;
    gateway.child.kill('SIGTERM');

    await Promise.all(workers);
    expect(await gateway.exited).toBe(0);
    expect(gateway.messages).toContain('stopped');
    await pool.close();
    idle.destroy();

    // What the upstream applied, from its own log.
    const applied = sandbox
      .requests('coralogix')
      .filter((r) => r.method === 'POST' && r.status === 200)
      .flatMap((r) => {
        const body = r.body as { incidentIds?: string[]; assignedTo?: unknown };
        return body.assignedTo ? (body.incidentIds ?? []) : [];
      });
    expect(applied.length).toBeGreaterThan(WORKERS);
    const byId = new Map(outcomes.map((outcome) => [outcome.id, outcome]));
    for (const id of applied) {
      const outcome = byId.get(id);
      expect(outcome, `mutation on ${id} was applied upstream`).toMatchObject({
        status: 200,
        body: { data: { assignIncidents: { incidents: [{ id }] } } },
      });
    }
    // Mutations in flight at SIGTERM were answered, telling their clients to close the connection.
    const closing = outcomes.filter((o) => o.after && 'status' in o && o.connection === 'close');
    expect(closing.length).toBeGreaterThan(0);
    expect(idleClosedBeforeExit).toBe(true);
  });
});

describe('SIGTERM when nobody reads the log any more', () => {
  // A dead log pipe (a collector gone, a test runner that stopped reading) must not keep the
  // process alive: writes to it fail with EPIPE, and logging stops instead of retrying.
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox?.stop());

  it('keeps answering with its stdout closed, then exits 0 on SIGTERM', async () => {
    const gateway = await startGatewayProcess(sandbox);
    gateway.child.stdout!.destroy();
    // Each operation writes a log line: to a pipe with no reader now.
    for (let i = 0; i < 3; i++) {
      const response = await postQuery(gateway, '{ incidents(first: 1) { totalCount } }');
      expect(response.status).toBe(200);
    }
    gateway.child.kill('SIGTERM');
    expect(await exitWithin(gateway.child, gateway.exited, 10_000)).toBe(0);
  });

  it('with a reader that pauses, answers on and loses no line', async () => {
    const gateway = await startGatewayProcess(sandbox);
    const before = gateway.messages.length;
    gateway.child.stdout!.pause();
    // About 600 operation lines of ~250 bytes: more than a pipe holds (64 KiB on Linux).
    const OPERATIONS = 600;
    for (let batch = 0; batch < OPERATIONS / 20; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          postQuery(gateway, 'query Paused { incidents(first: 1) { totalCount } }'),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    }
    gateway.child.stdout!.resume();
    const operations = () =>
      gateway.messages.slice(before).filter((m) => m === 'graphql operation').length;
    await waitFor('every operation line', () => operations() >= OPERATIONS);
    expect(operations()).toBe(OPERATIONS);
    gateway.child.kill('SIGTERM');
    expect(await exitWithin(gateway.child, gateway.exited, 10_000)).toBe(0);
  });

  it('exits 0 on SIGTERM sent right after its stdout closed (the shutdown lines are the first to fail)', async () => {
    const gateway = await startGatewayProcess(sandbox);
    gateway.child.stdout!.destroy();
    gateway.child.kill('SIGTERM');
    expect(await exitWithin(gateway.child, gateway.exited, 10_000)).toBe(0);
  });

  /** A process that logs `messages` through the gateway's logger and exits at once. */
  const logAndExit = (messages: string[], stderr: 'inherit' | 'pipe') => {
    const logger = join(dirname(main), 'observability', 'logger.js');
    const script = [
      `const { createLogger } = await import(${JSON.stringify(pathToFileURL(logger).href)});`,
      `const { logger: log } = createLogger('info', { pretty: false });`,
      ...messages.map((message) => `log.info(${JSON.stringify(message)});`),
      `process.exit(0);`,
    ].join('\n');
    return spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', stderr],
    });
  };

  it('a logger writes the lines it held back when the process exits, even at once', async () => {
    const child = logAndExit(['first', 'last'], 'inherit');
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(await closed).toBe(0);
    const messages = stdout
      .trim()
      .split('\n')
      .map((text) => (JSON.parse(text) as { msg: string }).msg);
    expect(messages).toEqual(['first', 'last']);
  });

  it('a logger whose reader is gone lets process.exit return', async () => {
    // The race above made certain: two lines written, then exit at once. (With pino's default
    // asynchronous destination the first was still in flight, the second queued, and the exit
    // hook's synchronous flush retried the second on EPIPE forever.)
    const child = logAndExit(['first', 'second'], 'pipe');
    // Closed before the child has started: its first write already meets EPIPE.
    child.stdout!.destroy();
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(await exitWithin(child, exited, 10_000), stderr).toBe(0);
  });
});
