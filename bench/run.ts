/**
 * `npm run bench`: this gateway (links cached, and links cold) vs the same
 * gateway with batching and caching off (the naive baseline) vs GraphQL Mesh +
 * Hive Gateway, on one sandbox with a fixed injected latency, over the four
 * queries of `queries.ts`, at concurrency 1 and 32; then every query at
 * saturation (1 ms upstream, concurrency 32) against Mesh, then this gateway
 * with and without logging and metrics under load at once (issue 25); the
 * measured floor (the gateway's own upstream requests replayed straight at the
 * emulators, a level of several requests also sent together); the call counts
 * with links cold, warm and partly warm; a soak of this gateway and of Mesh;
 * `npm start`'s start-up time. Writes bench/results/latest.md.
 *
 * Every process is its own: the sandbox, each target, and this one (the
 * orchestrator and the autocannon load generator). Environment:
 *   BENCH_QUICK=1        smoke run (~3 min): short cells, one round, 20 s soaks
 *   BENCH_LATENCY_MS     injected upstream latency (default 20)
 *   BENCH_ROUNDS         alternating repeats at concurrency 32 (default 3)
 *   BENCH_SECONDS        measured seconds per concurrency-32 cell (default 5)
 *   BENCH_SOAK_SECONDS   soak of this gateway at concurrency 32, RSS every 15 s
 *                        (default 300; 20 with BENCH_QUICK, RSS every 5 s)
 *   BENCH_STARTUP_RUNS   timed `npm start`s after an uncounted first one (default 5; 2 quick)
 *   BENCH_SANDBOX_SOAK_SECONDS  soak of `npm start` in sandbox mode, RSS every 15 s
 *                        (default 180; 20 with BENCH_QUICK, RSS every 5 s)
 *   BENCH_MESH_ARGS      Hive Gateway CLI flags (default `--jit`; empty string for none)
 *   BENCH_WAIT_IDLE_SECONDS  before each cell, wait up to this long for other processes
 *                        on the machine to use < 0.25 cores (default 0: no wait)
 *   BENCH_SATURATION_LATENCY_MS  upstream latency of the saturation cells (default 1)
 *   BENCH_ONLY           comma list limiting the run to these queries (single, list,
 *                        timeline, breached) and/or phases (c1, c32, saturation, soak,
 *                        live, fairness, sandbox-soak, startup); e.g. BENCH_ONLY=single,saturation
 *   BENCH_OUTPUT         report path (default bench/results/latest.md)
 *   BENCH_FAIRNESS_SECONDS  each half of the fairness cell (default 10; 4 quick)
 * Last, a fresh gateway holds 1000 idle subscriptions (live.ts): memory per subscriber;
 * and one floods beside a normal client (fairness.ts): the normal client's p50 and errors.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../src/config.js';
import {
  levelsOf,
  measureClients,
  measureDirect,
  measureLevels,
  type CapturedRequest,
} from './direct.js';
import { measureFairness } from './fairness.js';
import { measureIdleSubscribers } from './live.js';
import { runCell, warmUp, type CellResult } from './load.js';
import {
  binPath,
  forkReady,
  freePort,
  logSink,
  machineBusyMs,
  runNode,
  sampleProcess,
  spawnNode,
  startFlags,
  upstreamEnv,
  waitForGraphQL,
  type Child,
  type SandboxReady,
} from './procs.js';
import {
  benchQueries,
  firstDifference,
  type BenchQuery,
  type LinkState,
  type QueryId,
} from './queries.js';
import {
  SANDBOX_SOAK_TARGET,
  runSandboxSoak,
  sampledSoak,
  sandboxSoakSettings,
  type SandboxSoak,
} from './sandboxSoak.js';
import { measureStartup, STARTUP_TARGET_MS } from './startup.js';
import {
  collectMeta,
  linkStateOf,
  renderReport,
  OBSERVABILITY_PAIR,
  saturationTargetsFor,
  targetsFor,
  type ReportInput,
  type Check,
  type Measurement,
  type Settings,
  type MeshSoak,
  type Soak,
  type TargetName,
} from './report.js';

const env = process.env;
const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
const num = (name: string, fallback: number) => {
  const value = Number(env[name] ?? Number.NaN);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
};
const settings: Settings & {
  only: string[];
  saturationLatencyMs: number;
  pairedRounds: number;
} = {
  quick,
  latencyMs: num('BENCH_LATENCY_MS', 20),
  rounds: Math.max(1, Math.round(num('BENCH_ROUNDS', quick ? 1 : 3))),
  seconds1: quick ? 1 : 4,
  seconds32: num('BENCH_SECONDS', quick ? 1.5 : 5),
  warmupSeconds: quick ? 0.3 : 1,
  /** Unmeasured load per query and target before any cell, so every JIT is warm. */
  jitWarmupSeconds: quick ? 1 : 4,
  soakSeconds: num('BENCH_SOAK_SECONDS', quick ? 20 : 300),
  // Hive Gateway's JIT executor measured 10–25 % less CPU per request here: Mesh's best setting.
  meshArgs: (env.BENCH_MESH_ARGS ?? '--jit').split(' ').filter(Boolean),
  waitIdleSeconds: num('BENCH_WAIT_IDLE_SECONDS', 0),
  directSeconds: quick ? 1 : 3,
  startupRuns: Math.max(1, Math.round(num('BENCH_STARTUP_RUNS', quick ? 2 : 5))),
  saturationLatencyMs: num('BENCH_SATURATION_LATENCY_MS', 1),
  // A paired A/B needs more rounds than a comparison of 2× (measured: per-round ratios 0.86–0.98).
  pairedRounds: Math.max(1, Math.round(num('BENCH_PAIRED_ROUNDS', quick ? 1 : 8))),
  logs: env.BENCH_LOGS === 'file' ? 'file' : 'pipe',
  only: (env.BENCH_ONLY ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
};

const PHASES = [
  'c1',
  'c32',
  'saturation',
  'soak',
  'live',
  'fairness',
  'sandbox-soak',
  'startup',
] as const;
type Phase = (typeof PHASES)[number];
/** Every bench query's id (the incident id only fills a variable). */
const QUERY_IDS: readonly QueryId[] = benchQueries('').map((query) => query.id);
const onlyQueries = settings.only.filter((item) => QUERY_IDS.includes(item as QueryId));
const onlyPhases = settings.only.filter((item) => PHASES.includes(item as Phase));
const unknown = settings.only.filter(
  (item) => !onlyQueries.includes(item) && !onlyPhases.includes(item),
);
if (unknown.length > 0) {
  throw new Error(
    `BENCH_ONLY: unknown ${unknown.join(', ')} (queries: ${QUERY_IDS.join(', ')}; phases: ${PHASES.join(', ')})`,
  );
}
/** Whether BENCH_ONLY lets this phase run. */
const runs = (phase: Phase) => onlyPhases.length === 0 || onlyPhases.includes(phase);
/** How long the partly-warm check's gateway keeps a link. */
const PARTLY_WARM_TTL_MS = 3000;

const root = packageRoot();
const here = dirname(fileURLToPath(import.meta.url));
const output = env.BENCH_OUTPUT ?? join(root, 'bench', 'results', 'latest.md');
/** Scratch space for the Mesh supergraph; made by main(), removed on shutdown. */
let workdir = '';
const children: Child[] = [];
const log = (message: string) => console.error(`[bench] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const startedAt = Date.now();

interface Target {
  name: TargetName;
  url: string;
  child: Child;
}

/** The environment a child gets: ours, minus anything that would reconfigure it. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...env };
  for (const key of Object.keys(base)) {
    if (
      /^(CORALOGIX_|ONEUPTIME_|SANDBOX|PORT$|HOST$|GATEWAY_|MAX_|CREDENTIALS$|LINK_CACHE_|REDIS_URL$)/.test(
        key,
      )
    ) {
      delete base[key];
    }
  }
  return { ...base, NODE_ENV: 'production', ...extra };
}

async function startSandbox() {
  const { child, ready } = await forkReady<SandboxReady>(
    'sandbox',
    join(here, 'sandbox-process.js'),
    childEnv({ BENCH_LATENCY_MS: String(settings.latencyMs) }),
  );
  children.push(child);
  const take = () =>
    new Promise<{ coralogix: number; oneuptime: number; requests: CapturedRequest[] }>(
      (resolve) => {
        const onMessage = (message: {
          type?: string;
          coralogix?: number;
          oneuptime?: number;
          requests?: CapturedRequest[];
        }) => {
          if (message.type !== 'calls') return;
          child.process.off('message', onMessage);
          resolve({
            coralogix: message.coralogix ?? 0,
            oneuptime: message.oneuptime ?? 0,
            requests: message.requests ?? [],
          });
        };
        child.process.on('message', onMessage);
        child.process.send({ type: 'take' });
      },
    );
  return { child, ...ready, take };
}

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

/**
 * A gateway process's environment: this sandbox as its upstreams, its own
 * defaults otherwise (logs at `info`, metrics on). `links: 'cold'` turns the
 * link cache off (`LINK_CACHE_TTL_MS=0`, a documented setting), so every
 * request resolves its links from OneUptime; `extra` adds settings.
 */
function gatewayEnv(
  sandbox: Sandbox,
  batch: boolean,
  links: LinkState,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return childEnv({
    ...upstreamEnv(sandbox),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    BENCH_BATCH: String(batch),
    // Without batching every load is a call (251 for the timeline query), over the default limit.
    ...(batch ? {} : { MAX_UPSTREAM_CALLS: '1000' }),
    ...(links === 'cold' ? { LINK_CACHE_TTL_MS: '0' } : {}),
    ...extra,
  });
}

/** What each gateway target runs with, besides its link state and batching. */
const TARGET_ENV: Partial<Record<TargetName, Record<string, string>>> = {
  // Observability off: no log lines, no per-request metrics (tracing exports nothing anywhere).
  quiet: { LOG_LEVEL: 'silent', METRICS: 'false' },
};

async function startGateway(
  name: TargetName | 'partly',
  sandbox: Sandbox,
  batch: boolean,
  links: LinkState,
  extra: Record<string, string> = {},
): Promise<Target> {
  const { child, ready } = await forkReady<{ url: string }>(
    name,
    join(here, 'gateway-process.js'),
    gatewayEnv(sandbox, batch, links, { ...(TARGET_ENV[name as TargetName] ?? {}), ...extra }),
    // npm start's flags; `--expose-gc` only makes `gc()` callable, for the heap reading after
    // the soak (no effect on collection).
    [...startFlags(), '--expose-gc'],
    // Its log lines go to a log reader of their own, as a deployment's go to its collector.
    logSink(join(workdir, `${name}.log`)),
  );
  children.push(child);
  return { name: name as TargetName, url: ready.url, child };
}

async function startMesh(sandbox: Sandbox): Promise<Target> {
  const origin = (url: string) => new URL(url).origin;
  const supergraph = join(workdir, 'supergraph.graphql');
  log('composing the Mesh supergraph from the emulators’ /openapi.json');
  await runNode(binPath(root, '@graphql-mesh/compose-cli', 'mesh-compose'), ['-o', supergraph], {
    cwd: join(root, 'bench', 'mesh'),
    env: childEnv({
      BENCH_CORALOGIX_OPENAPI: `${origin(sandbox.coralogix.url)}/openapi.json`,
      BENCH_ONEUPTIME_OPENAPI: `${origin(sandbox.oneuptime.url)}/openapi.json`,
      BENCH_MESH_WORKDIR: workdir,
    }),
  });
  const port = await freePort();
  const child = spawnNode(
    'mesh',
    binPath(root, '@graphql-hive/gateway', 'hive-gateway'),
    [
      'supergraph',
      supergraph,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--fork',
      '1',
      ...settings.meshArgs,
    ],
    childEnv({
      BENCH_CORALOGIX_API_KEY: sandbox.coralogix.apiKey,
      BENCH_ONEUPTIME_API_KEY: sandbox.oneuptime.apiKey,
    }),
  );
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitForGraphQL(`${url}/graphql`, child);
  return { name: 'mesh', url, child };
}

function bodyOf(query: BenchQuery, target: TargetName): string {
  return JSON.stringify(target === 'mesh' ? query.mesh : query.gateway);
}

async function post(url: string, body: string): Promise<{ data?: unknown; errors?: unknown }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body,
  });
  const text = await response.text();
  try {
    return JSON.parse(text) as { data?: unknown; errors?: unknown };
  } catch {
    throw new Error(`${url}: HTTP ${response.status}, not JSON: ${text.slice(0, 300)}`);
  }
}

/**
 * Same data from every target, and each one's upstream calls for one query.
 * Each target answers the query twice; the second answer is the one checked
 * and counted (the warm gateway's links are then cached, as under load).
 */
async function check(query: BenchQuery, targets: Target[], sandbox: Sandbox): Promise<Check> {
  const result: Check = {
    query: query.id,
    calls: {},
    busiestUpstreamCalls: {},
    differences: {},
    floors: {},
    requests: {},
  };
  let reference: unknown;
  for (const target of targets) {
    await post(target.url, bodyOf(query, target.name));
    await sleep(50);
    await sandbox.take();
    const answer = await post(target.url, bodyOf(query, target.name));
    await sleep(50);
    const calls = await sandbox.take();
    result.calls[target.name] = calls.coralogix + calls.oneuptime;
    result.busiestUpstreamCalls[target.name] = Math.max(calls.coralogix, calls.oneuptime);
    if (target.name === 'gateway' || target.name === 'cold') {
      result.requests[linkStateOf(target.name)] = calls.requests;
    }
    let canonical: unknown;
    try {
      if (answer.errors) throw new Error(`errors: ${JSON.stringify(answer.errors).slice(0, 500)}`);
      canonical =
        target.name === 'mesh' ? query.fromMesh(answer.data) : query.fromGateway(answer.data);
    } catch (error) {
      result.differences[target.name] = `could not map the answer: ${(error as Error).message}`;
      continue;
    }
    if (reference === undefined) {
      reference = canonical;
      result.floors = {
        warm: query.floors(canonical, 'warm'),
        cold: query.floors(canonical, 'cold'),
      };
      continue;
    }
    const difference = firstDifference(reference, canonical);
    if (difference) result.differences[target.name] = difference;
  }
  // The warm gateway's requests stand for the cold one's on queries without links.
  result.requests.cold ??= result.requests.warm;
  return result;
}

/** The Coralogix ids of the link queries among captured requests (DESIGN 5a). */
function linkIdsOf(requests: readonly CapturedRequest[]): string[] {
  const ids = new Set<string>();
  for (const request of requests) {
    const query = (
      request.body as { query?: { customFields?: Record<string, unknown> } } | undefined
    )?.query;
    for (const condition of Object.values(query?.customFields ?? {})) {
      const value = (condition as { value?: unknown } | null)?.value;
      if (Array.isArray(value)) for (const id of value) ids.add(String(id));
    }
  }
  return [...ids];
}

/**
 * Links partly warm (issue 25): `target` keeps links PARTLY_WARM_TTL_MS. Once
 * its links have expired, every other link the query needs (those the cold
 * gateway asked for) is cached through `incident(id) { linkStatus }`, and the
 * query runs once: its calls must still be the floor (the cold one: the link
 * call is made for the rest).
 */
async function partlyWarm(
  query: BenchQuery,
  target: Target,
  sandbox: Sandbox,
  needed: string[],
): Promise<Check['partly']> {
  if (needed.length === 0) return undefined;
  await sleep(PARTLY_WARM_TTL_MS + 250);
  const warmed = needed.filter((_, i) => i % 2 === 0);
  // A few ids per request: MAX_ROOT_FIELDS bounds the aliased root fields of one operation.
  for (let i = 0; i < warmed.length; i += 10) {
    const fields = warmed
      .slice(i, i + 10)
      .map((id, j) => `l${j}: incident(id: "${id}") { linkStatus }`)
      .join(' ');
    const answer = await post(target.url, JSON.stringify({ query: `{ ${fields} }` }));
    if (answer.errors) throw new Error(`warming links: ${JSON.stringify(answer.errors)}`);
  }
  await sleep(50);
  await sandbox.take();
  const answer = await post(target.url, bodyOf(query, 'gateway'));
  await sleep(50);
  const calls = await sandbox.take();
  if (answer.errors)
    throw new Error(`${query.id}, links partly warm: ${JSON.stringify(answer.errors)}`);
  return { calls: calls.coralogix + calls.oneuptime, warmed: warmed.length, needed: needed.length };
}

/** Sets the emulators' injected latency; resolves once the sandbox has. */
function setLatency(sandbox: Sandbox, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (message: { type?: string }) => {
      if (message.type !== 'latency') return;
      sandbox.child.process.off('message', onMessage);
      resolve();
    };
    sandbox.child.process.on('message', onMessage);
    sandbox.child.process.send({ type: 'latency', ms });
  });
}

async function main(): Promise<void> {
  workdir = mkdtempSync(join(tmpdir(), 'gateway-bench-'));
  log(`${quick ? 'QUICK ' : ''}run, latency ${settings.latencyMs} ms, ${settings.rounds} round(s)`);
  const sandbox = await startSandbox();
  const all = [
    await startGateway('gateway', sandbox, true, 'warm'),
    await startGateway('cold', sandbox, true, 'cold'),
    await startGateway('quiet', sandbox, true, 'warm'),
    await startGateway('naive', sandbox, false, 'cold'),
    await startMesh(sandbox),
  ];
  const byName = (name: TargetName) => all.find((t) => t.name === name)!;
  const targetsOf = (query: BenchQuery) => targetsFor(query).map(byName);
  const saturationTargetsOf = (query: BenchQuery) => saturationTargetsFor(query).map(byName);
  const observabilityPair = OBSERVABILITY_PAIR.map(byName);
  /** Every target a query runs on, in some phase. */
  const allTargetsOf = (query: BenchQuery) => [
    ...new Set([...targetsOf(query), ...saturationTargetsOf(query), ...observabilityPair]),
  ];
  const queries = benchQueries(sandbox.incidentId, sandbox.incidentLinkedIds).filter(
    (query) => onlyQueries.length === 0 || onlyQueries.includes(query.id),
  );
  const idleRss = Object.fromEntries(
    all.map((t) => [t.name, sampleProcess(t.child.pid).rssMiB]),
  ) as Record<TargetName, number>;

  log('checking that every target returns the same data');
  const checks: Check[] = [];
  for (const query of queries) {
    const result = await check(query, allTargetsOf(query), sandbox);
    checks.push(result);
    for (const [target, difference] of Object.entries(result.differences)) {
      console.error(`[bench] !!! ${target} answers ${query.id} differently: ${difference}`);
    }
  }
  log('upstream calls with links partly warm (a gateway keeping links for 3 s)');
  const partly = await startGateway('partly', sandbox, true, 'warm', {
    LINK_CACHE_TTL_MS: String(PARTLY_WARM_TTL_MS),
  });
  for (const query of queries.filter((q) => q.join)) {
    const result = checks.find((c) => c.query === query.id)!;
    const needed = linkIdsOf(result.requests.cold ?? []);
    const measured = await partlyWarm(query, partly, sandbox, needed);
    if (measured) result.partly = measured;
  }
  await partly.child.stop();
  const valid = (query: BenchQuery, target: TargetName) =>
    checks.find((c) => c.query === query.id)?.differences[target] === undefined;

  log('the measured floor: the gateway’s own upstream requests, straight at the emulators (c=1)');
  const levelGapMs = Math.max(1, settings.latencyMs / 2);
  const captured = checks.flatMap((c) => [...(c.requests.warm ?? []), ...(c.requests.cold ?? [])]);
  const emulators = {
    coralogix: sandbox.coralogix,
    oneuptime: sandbox.oneuptime,
    pid: sandbox.child.pid,
  };
  const direct = await measureDirect(
    captured,
    emulators,
    { seconds: settings.directSeconds, warmupSeconds: settings.warmupSeconds },
    log,
  );
  const levelsByCheck = checks.map((c) => ({
    warm: levelsOf(c.requests.warm ?? [], levelGapMs),
    cold: levelsOf(c.requests.cold ?? [], levelGapMs),
  }));
  const levels = await measureLevels(
    levelsByCheck.flatMap(({ warm, cold }) => [...warm, ...cold]),
    emulators,
    { seconds: settings.directSeconds },
    log,
  );
  const clients = await measureClients(
    captured,
    emulators,
    { seconds: settings.directSeconds },
    log,
  );
  checks.forEach((c, i) => {
    const { warm, cold } = levelsByCheck[i]!;
    c.levels = {
      warm: warm.map((level) => level.length),
      cold: cold.map((level) => level.length),
    };
  });
  await sandbox.take();

  const measurements: Measurement[] = [];
  /** One cell of `target` on `query`; `companions`: targets loaded at the same time. */
  const cellOf = (
    query: BenchQuery,
    target: Target,
    connections: number,
    seconds: number,
    companions: Target[] = [],
  ): Promise<CellResult> =>
    runCell({
      target: { url: `${target.url}/graphql`, pid: target.child.pid },
      bodies: [bodyOf(query, target.name)],
      connections,
      seconds,
      warmupSeconds: settings.warmupSeconds,
      sandboxPid: sandbox.child.pid,
      companionPids: companions.map((t) => t.child.pid),
    });
  const measure = async (
    query: BenchQuery,
    target: Target,
    connections: number,
    round: number,
    latencyMs = settings.latencyMs,
  ) => {
    if (!valid(query, target.name)) return;
    await waitForIdle([sandbox.child, ...all.map((t) => t.child)]);
    const seconds = connections === 1 ? settings.seconds1 : settings.seconds32;
    const result: CellResult = await cellOf(query, target, connections, seconds);
    measurements.push({
      query: query.id,
      target: target.name,
      connections,
      round,
      latencyMs,
      ...result,
    });
    // Requests cut off at the end of the cell may still be running: let them finish first.
    await sleep(Math.min(quick ? 1000 : 3000, Math.max(250, result.p99 || 0)));
    log(
      `${query.id.padEnd(8)} c=${String(connections).padEnd(2)} ${latencyMs} ms ${target.name.padEnd(7)} r${round} ` +
        `${result.rps.toFixed(0).padStart(5)} req/s  p50 ${result.p50.toFixed(1)} ms  p99 ${result.p99.toFixed(1)} ms  ${result.cpuMsPerRequest.toFixed(2)} CPU ms/req`,
    );
  };
  /** `OBSERVABILITY_PAIR` under load at once, the 32 connections split between them. */
  const measurePair = async (query: BenchQuery, round: number, latencyMs: number) => {
    if (observabilityPair.some((target) => !valid(query, target.name))) return;
    await waitForIdle([sandbox.child, ...all.map((t) => t.child)]);
    const connections = 32 / observabilityPair.length;
    const results = await Promise.all(
      observabilityPair.map((target) =>
        cellOf(
          query,
          target,
          connections,
          settings.seconds32,
          observabilityPair.filter((t) => t !== target),
        ),
      ),
    );
    observabilityPair.forEach((target, i) => {
      const result = results[i]!;
      const cell = { query: query.id, target: target.name, connections, round, latencyMs };
      measurements.push({ ...cell, paired: true, ...result });
      log(
        `${query.id.padEnd(8)} paired ${target.name.padEnd(7)} r${round} ` +
          `${result.rps.toFixed(0).padStart(5)} req/s  ${result.cpuMsPerRequest.toFixed(3)} CPU ms/req`,
      );
    });
    await sleep(quick ? 1000 : 3000);
  };
  /** A, B, C, D / B, C, D, A / …: every target leads once, neighbours run back to back. */
  const rotate = (targets: Target[], round: number) =>
    targets.map((_, i) => targets[(i + round) % targets.length]!);

  // Every target serves every query at concurrency 32 (unmeasured) before the first cell:
  // a fresh process runs its code in V8's baseline tiers, and the concurrency-1 cells
  // come first, so without this they would time the JIT's warm-up (measured: the single
  // incident's p50 was 24 ms cold and 22 ms warm, the direct request's 21 ms).
  log(`warming every target up: ${settings.jitWarmupSeconds} s per query at concurrency 32`);
  for (const query of queries) {
    for (const target of allTargetsOf(query)) {
      if (!valid(query, target.name)) continue;
      await warmUp({
        target: { url: `${target.url}/graphql`, pid: target.child.pid },
        bodies: [bodyOf(query, target.name)],
        connections: 32,
        seconds: settings.jitWarmupSeconds ?? 0,
        sandboxPid: sandbox.child.pid,
      });
    }
  }
  await sleep(quick ? 500 : 2000);

  if (runs('c1')) {
    // As many rounds as at concurrency 32, alternated: one cell of a few seconds is one
    // moment of this VM, and the p50 ÷ floor goal is within its drift.
    log(`concurrency 1, ${settings.rounds} alternating round(s)`);
    for (let round = 1; round <= settings.rounds; round++) {
      for (const query of queries) {
        for (const target of rotate(targetsOf(query), round - 1)) {
          await measure(query, target, 1, round);
        }
      }
    }
  }
  if (runs('c32')) {
    log(`concurrency 32, ${settings.rounds} alternating round(s)`);
    for (let round = 1; round <= settings.rounds; round++) {
      for (const query of queries) {
        for (const target of rotate(targetsOf(query), round - 1)) {
          await measure(query, target, 32, round);
        }
      }
    }
  }
  if (runs('saturation')) {
    const latency = settings.saturationLatencyMs;
    log(`saturation: upstream latency ${latency} ms, concurrency 32, ${settings.rounds} round(s)`);
    await setLatency(sandbox, latency);
    for (const query of queries) {
      for (const target of new Set([...saturationTargetsOf(query), ...observabilityPair])) {
        if (!valid(query, target.name)) continue;
        // The JIT is warm already; this fills the connection pools at the new pace.
        await warmUp({
          target: { url: `${target.url}/graphql`, pid: target.child.pid },
          bodies: [bodyOf(query, target.name)],
          connections: 32,
          seconds: quick ? 0.5 : 2,
          sandboxPid: sandbox.child.pid,
        });
      }
    }
    for (let round = 1; round <= settings.rounds; round++) {
      for (const query of queries) {
        for (const target of rotate(saturationTargetsOf(query), round - 1)) {
          await measure(query, target, 32, round, latency);
        }
      }
    }
    log(`observability: with and without, at once, ${settings.pairedRounds} round(s)`);
    for (let round = 1; round <= settings.pairedRounds; round++) {
      for (const query of queries) await measurePair(query, round, latency);
    }
    await setLatency(sandbox, settings.latencyMs);
  }

  const data: ReportData = {
    meta: collectMeta(),
    incidentId: sandbox.incidentId,
    incidentLinkedIds: sandbox.incidentLinkedIds,
    settings,
    checks,
    direct,
    levels,
    clients,
    idleRss,
    measurements,
    command: commandLine(),
    wallSeconds: 0,
  };
  if (runs('soak')) {
    const soaks = await soakBoth(queries, byName('gateway'), byName('mesh'), sandbox, valid);
    data.soak = soaks.gateway;
    if (soaks.mesh) data.meshSoak = soaks.mesh;
  }
  if (runs('live')) {
    log('live updates: memory of 1000 idle subscribers, on a fresh gateway');
    data.live = await measureIdleSubscribers({
      env: gatewayEnv(sandbox, true, 'warm'),
      count: 1000,
      log,
    });
  }
  if (runs('fairness')) {
    log('fairness: a flooding client beside a normal one, on a fresh gateway with two tokens');
    data.fairness = await measureFairness({
      env: gatewayEnv(sandbox, true, 'warm'),
      seconds: num('BENCH_FAIRNESS_SECONDS', quick ? 4 : 10),
      log,
    });
  }
  if (runs('sandbox-soak')) {
    const sandboxSoak: SandboxSoak = await runSandboxSoak({
      root,
      env: childEnv,
      latencyMs: settings.latencyMs,
      bodies: queries.map((q) => bodyOf(q, 'gateway')),
      settings: sandboxSoakSettings(quick, num('BENCH_SANDBOX_SOAK_SECONDS', quick ? 20 : 180)),
      log,
      register: (child) => children.push(child),
    });
    log(
      `sandbox-mode soak: RSS ${sandboxSoak.warmRssMiB.toFixed(1)} → ${sandboxSoak.endRssMiB.toFixed(1)} MiB after warm-up (${(sandboxSoak.growth * 100).toFixed(1)} %)`,
    );
    data.sandboxSoak = sandboxSoak;
  }
  if (runs('startup')) {
    log(`start-up: \`npm start\` in sandbox mode, ${settings.startupRuns} timed start(s)`);
    data.startup = await measureStartup({
      root,
      // Production (childEnv) starts the sandbox only when asked.
      env: childEnv({ SANDBOX: 'true', SANDBOX_LATENCY_MS: String(settings.latencyMs) }),
      repeat: settings.startupRuns,
      log,
    });
  }
  data.wallSeconds = (Date.now() - startedAt) / 1000;
  finish(data, queries);
}

/**
 * The soak (issue 17): this gateway at concurrency 32 with the queries mixed,
 * RSS sampled; then Mesh under the same load with its own queries (issue 25),
 * for its RSS next to this gateway's.
 */
async function soakBoth(
  queries: BenchQuery[],
  gateway: Target,
  meshTarget: Target,
  sandbox: Sandbox,
  valid: (query: BenchQuery, target: TargetName) => boolean,
): Promise<{ gateway: Soak; mesh?: MeshSoak }> {
  const soakSettings = sandboxSoakSettings(quick, settings.soakSeconds);
  log(
    `soak: this gateway, concurrency 32, the queries mixed, ${settings.soakSeconds} s, RSS every ${soakSettings.everySeconds} s`,
  );
  const rssStart = sampleProcess(gateway.child.pid).rssMiB;
  const soakResult = await sampledSoak({
    url: `${gateway.url}/graphql`,
    pid: gateway.child.pid,
    sandboxPid: sandbox.child.pid,
    bodies: queries.map((q) => bodyOf(q, 'gateway')),
    settings: soakSettings,
    log,
  });
  const rssEnd = sampleProcess(gateway.child.pid).rssMiB;
  const heap = await memoryAfterGc(gateway.child);
  const soak: Soak = {
    ...soakResult,
    seconds: settings.soakSeconds,
    rssStart,
    rssEnd,
    heapAfterGcMiB: heap.heapUsed / 2 ** 20,
    rssAfterGcMiB: heap.rss / 2 ** 20,
  };
  log(
    `soak: RSS ${soak.warmRssMiB.toFixed(1)} → ${soak.endRssMiB.toFixed(1)} MiB after warm-up (${(soak.growth * 100).toFixed(1)} %)`,
  );
  const meshQueries = queries.filter((query) => valid(query, 'mesh'));
  if (meshQueries.length === 0) return { gateway: soak };
  log(`soak: Mesh, the same load with its own queries, ${settings.soakSeconds} s`);
  const mesh = await sampledSoak({
    url: `${meshTarget.url}/graphql`,
    pid: meshTarget.child.pid,
    sandboxPid: sandbox.child.pid,
    bodies: meshQueries.map((q) => bodyOf(q, 'mesh')),
    settings: soakSettings,
    log,
  });
  const rssEndMesh = sampleProcess(meshTarget.child.pid).rssMiB;
  log(`soak: Mesh RSS ${mesh.warmRssMiB.toFixed(1)} → ${mesh.endRssMiB.toFixed(1)} MiB`);
  return { gateway: soak, mesh: { ...mesh, rssEnd: rssEndMesh } };
}

/** Writes the report and its data, and sets the exit code for what must not fail. */
function finish(data: ReportData, queries: BenchQuery[]): void {
  const report = renderReport({ ...data, queries });
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, report);
  writeFileSync(output.replace(/\.md$/, '') + '.json', `${JSON.stringify(data, null, 1)}\n`);
  console.log(report);
  log(
    `report written to ${relative(process.cwd(), output)} in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`,
  );
  const grew = [data.sandboxSoak, data.soak].some(
    (soak) => soak !== undefined && soak.growth > SANDBOX_SOAK_TARGET,
  );
  if (!quick && grew) {
    console.error('[bench] !!! RSS grew by more than 10 % in a soak');
    process.exitCode = 1;
  }
  if (!quick && data.startup && data.startup.medianMs > STARTUP_TARGET_MS) {
    console.error(
      `[bench] note: start-up took ${data.startup.medianMs.toFixed(0)} ms (target 2000)`,
    );
  }
  if (data.checks.some((c) => Object.keys(c.differences).length > 0)) {
    console.error(
      '[bench] !!! some targets returned different data: see "Correctness" in the report',
    );
    process.exitCode = 1;
  }
}

/** CPU used by processes outside the bench over `ms`, in cores. */
async function otherLoad(ours: Child[], ms: number): Promise<number> {
  const mine = () =>
    ours.reduce((n, child) => n + sampleProcess(child.pid).cpuMs, 0) +
    (process.cpuUsage().user + process.cpuUsage().system) / 1000;
  const busy = machineBusyMs();
  const own = mine();
  await sleep(ms);
  return (machineBusyMs() - busy - (mine() - own)) / ms;
}

/** With BENCH_WAIT_IDLE_SECONDS, lets other work on the machine finish before a cell. */
async function waitForIdle(ours: Child[]): Promise<void> {
  if (settings.waitIdleSeconds <= 0) return;
  const deadline = Date.now() + settings.waitIdleSeconds * 1000;
  let load = await otherLoad(ours, 500);
  if (load < 0.25) return;
  log(`waiting for other processes to quieten (${load.toFixed(2)} cores)`);
  while (load >= 0.25 && Date.now() < deadline) load = await otherLoad(ours, 1000);
}

async function memoryAfterGc(child: Child): Promise<{ heapUsed: number; rss: number }> {
  return new Promise((resolve) => {
    const onMessage = (message: { type?: string; heapUsed?: number; rss?: number }) => {
      if (message.type !== 'memory') return;
      child.process.off('message', onMessage);
      resolve({ heapUsed: message.heapUsed ?? Number.NaN, rss: message.rss ?? Number.NaN });
    };
    child.process.on('message', onMessage);
    child.process.send({ type: 'memory' });
  });
}

/** What a run measured: the report's input, minus the queries (rebuilt from `incidentId`). */
type ReportData = Omit<ReportInput, 'queries'> & {
  incidentId: string;
  incidentLinkedIds?: string[];
};

/** `node dist/bench/run.js --render results.json`: the Markdown again from a run's raw data. */
function rerender(path: string): void {
  const data = JSON.parse(readFileSync(path, 'utf8')) as ReportData;
  const queries = benchQueries(data.incidentId, data.incidentLinkedIds).filter((q) =>
    data.checks.some((c) => c.query === q.id),
  );
  const markdown = renderReport({ ...data, queries });
  writeFileSync(path.replace(/\.json$/, '') + '.md', markdown);
  console.log(markdown);
}

function commandLine(): string {
  const vars = Object.keys(env)
    .filter((key) => key.startsWith('BENCH_') && key !== 'BENCH_OUTPUT')
    .sort()
    .map((key) => `${key}=${env[key]}`);
  return [...vars, 'npm run bench'].join(' ');
}

async function shutdown(): Promise<void> {
  await Promise.all(children.reverse().map((child) => child.stop()));
  if (workdir) rmSync(workdir, { recursive: true, force: true });
}

if (process.argv[2] === '--render' && process.argv[3]) {
  rerender(process.argv[3]);
} else {
  try {
    await main();
  } catch (error) {
    console.error('[bench] failed:', error);
    process.exitCode = 1;
  } finally {
    await shutdown();
  }
}
