/**
 * Fairness: one client floods while another one works as usual (issue 22).
 * A fresh gateway process with two gateway tokens (the flood's and the normal
 * client's) over the bench's sandbox; the normal client sends one list query
 * after another on one connection, first alone, then while the flood runs:
 * the same query from 64 connections in a closed loop plus 100 pipelined on
 * one more socket, all with the flood's token. Reported: the normal client's
 * p50 / p99 and error rate alone and under the flood (MAX_IN_FLIGHT_PER_CLIENT
 * should keep the ratio small), what the flood got back by status (503 is
 * OVERLOADED; 504 would be UPSTREAM_TIMEOUT), and the circuit states after.
 * Used by `run.ts`; on its own, `node dist/bench/fairness.js` starts a
 * sandbox and prints the figures as JSON (BENCH_FAIRNESS_SECONDS, default 10).
 */
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Pool } from 'undici';
import { DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_IN_FLIGHT_PER_CLIENT } from '../src/config.js';
import {
  forkReady,
  sampleProcess,
  startFlags,
  upstreamEnv,
  type SandboxUpstreams,
} from './procs.js';

const here = dirname(fileURLToPath(import.meta.url));

const FLOOD_TOKEN = 'bench-flood-token-0123456789';
const NORMAL_TOKEN = 'bench-normal-token-0123456789';
const QUERY = JSON.stringify({
  query: '{ incidents(first: 20) { edges { node { id name severity status createdAt } } } }',
});
const FLOOD_CONNECTIONS = 64;
const FLOOD_PIPELINING = 100;

export interface ClientStats {
  requests: number;
  p50: number;
  p99: number;
  /** Answers that were not a 200 with data and no errors. */
  errors: number;
  errorRate: number;
}

export interface Fairness {
  seconds: number;
  maxInFlight: number;
  maxInFlightPerClient: number;
  solo: ClientStats;
  underFlood: ClientStats;
  /** underFlood.p50 ÷ solo.p50 (target ≤ 3). */
  ratio: number;
  /** The flood's answers by HTTP status (503 OVERLOADED, 504 UPSTREAM_TIMEOUT), plus socket errors. */
  flood: Record<string, number>;
  /** gateway_upstream_circuit_state after the flood: 0 closed, 1 half-open, 2 open. */
  circuits: Record<string, number>;
  /** The gateway's RSS after the flood, MiB. */
  rssMiB: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

/** One request after another on one connection until `until`; latency and errors. */
async function normalClient(url: string, until: () => boolean): Promise<ClientStats> {
  const pool = new Pool(url, { connections: 1 });
  const latencies: number[] = [];
  let errors = 0;
  try {
    while (!until()) {
      const started = performance.now();
      try {
        const response = await pool.request({
          path: '/graphql',
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${NORMAL_TOKEN}` },
          body: QUERY,
        });
        const body = (await response.body.json()) as { data?: unknown; errors?: unknown };
        latencies.push(performance.now() - started);
        if (response.statusCode !== 200 || body.errors !== undefined || !body.data) errors += 1;
      } catch {
        latencies.push(performance.now() - started);
        errors += 1;
      }
    }
  } finally {
    await pool.close();
  }
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    errorRate: latencies.length ? errors / latencies.length : Number.NaN,
  };
}

/**
 * The flood for `seconds`: concurrent connections and one pipelined socket,
 * answers by status. Runs in a process of its own (`--flood`), so its load
 * generation does not delay the normal client's event loop and inflate what
 * it measures.
 */
function flood(url: string, seconds: number): Promise<Record<string, number>> {
  const child = fork(fileURLToPath(import.meta.url), ['--flood', url, String(seconds)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as Record<string, number>));
    child.once('exit', (code) => reject(new Error(`the flood process exited with ${code}`)));
  });
}

async function floodHere(url: string, seconds: number): Promise<Record<string, number>> {
  const byStatus: Record<string, number> = {};
  const fire = (connections: number, pipelining: number) => {
    const instance = autocannon({
      url: `${url}/graphql`,
      connections,
      pipelining,
      duration: seconds,
      timeout: 30,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${FLOOD_TOKEN}` },
      body: QUERY,
    });
    instance.on('response', (_client, status) => {
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    });
    return instance;
  };
  const results = await Promise.all([fire(FLOOD_CONNECTIONS, 1), fire(1, FLOOD_PIPELINING)]);
  const failed = results.reduce((n, r) => n + r.errors + r.timeouts, 0);
  if (failed > 0) byStatus.socketErrors = failed;
  return byStatus;
}

async function circuitStates(url: string): Promise<Record<string, number>> {
  const text = await (
    await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${NORMAL_TOKEN}` } })
  ).text();
  const states: Record<string, number> = {};
  for (const match of text.matchAll(
    /^gateway_upstream_circuit_state\{upstream="(\w+)"\} (\d+)/gm,
  )) {
    states[match[1]!] = Number(match[2]);
  }
  return states;
}

/** Starts a gateway with the two tokens over the sandbox in `env`, and measures. */
export async function measureFairness(options: {
  env: NodeJS.ProcessEnv;
  seconds: number;
  log: (message: string) => void;
}): Promise<Fairness> {
  const { child, ready } = await forkReady<{ url: string }>(
    'fairness-gateway',
    join(here, 'gateway-process.js'),
    {
      ...options.env,
      GATEWAY_TOKENS: `${FLOOD_TOKEN},${NORMAL_TOKEN}`,
    },
    startFlags(),
  );
  try {
    const { url } = ready;
    // Warm-up, unmeasured: the JIT compiles the query's path.
    const warm = Date.now() + 2_000;
    await normalClient(url, () => Date.now() > warm);
    const soloUntil = Date.now() + options.seconds * 1000;
    const solo = await normalClient(url, () => Date.now() > soloUntil);
    const flooding = flood(url, options.seconds + 1);
    await sleep(500); // the flood at full strength first
    const floodUntil = Date.now() + options.seconds * 1000;
    const underFlood = await normalClient(url, () => Date.now() > floodUntil);
    const floodAnswers = await flooding;
    const result: Fairness = {
      seconds: options.seconds,
      maxInFlight: Number(options.env.MAX_IN_FLIGHT ?? DEFAULT_MAX_IN_FLIGHT),
      maxInFlightPerClient: Number(
        options.env.MAX_IN_FLIGHT_PER_CLIENT ?? DEFAULT_MAX_IN_FLIGHT_PER_CLIENT,
      ),
      solo,
      underFlood,
      ratio: underFlood.p50 / solo.p50,
      flood: floodAnswers,
      circuits: await circuitStates(url),
      rssMiB: sampleProcess(child.pid).rssMiB,
    };
    options.log(
      `fairness: normal client p50 ${solo.p50.toFixed(1)} ms alone, ${underFlood.p50.toFixed(1)} ms under the flood (${result.ratio.toFixed(2)}×), ${underFlood.errors} errors; flood answers ${JSON.stringify(floodAnswers)}; circuits ${JSON.stringify(result.circuits)}`,
    );
    return result;
  } finally {
    await child.stop();
  }
}

const main = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (main && process.argv[2] === '--flood') {
  process.send?.(await floodHere(process.argv[3]!, Number(process.argv[4])));
  process.disconnect?.();
} else if (main) {
  /** `node dist/bench/fairness.js`: this measurement alone, against a sandbox of its own. */
  const { child: sandbox, ready } = await forkReady<SandboxUpstreams>(
    'sandbox',
    join(here, 'sandbox-process.js'),
    {
      ...process.env,
      BENCH_LATENCY_MS: process.env.BENCH_LATENCY_MS ?? '20',
    },
  );
  try {
    const result = await measureFairness({
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        ...upstreamEnv(ready),
        LOG_LEVEL: 'error',
        ...Object.fromEntries(
          Object.entries(process.env).filter(([key]) => key.startsWith('MAX_IN_FLIGHT')),
        ),
      },
      seconds: Number(process.env.BENCH_FAIRNESS_SECONDS ?? 10),
      log: (message) => console.error(`[bench] ${message}`),
    });
    console.log(JSON.stringify(result, null, 1));
  } finally {
    await sandbox.stop();
  }
}

/** The p50 ratio the issue asks for: the normal client under the flood within 3× of alone. */
export const FAIRNESS_TARGET = 3;

/** The report's section (its own table of targets, as the sandbox soak has). */
export function fairnessSection(fairness: Fairness | undefined): string[] {
  if (!fairness) return [];
  const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
  const { solo, underFlood: flooded, flood } = fairness;
  const answers = Object.entries(flood)
    .map(([status, count]) => `${count} × ${status === 'socketErrors' ? 'socket error' : status}`)
    .join(', ');
  const circuits = Object.entries(fairness.circuits)
    .map(([upstream, state]) => `${upstream} ${['closed', 'half-open', 'open'][state] ?? state}`)
    .join(', ');
  const closed = Object.values(fairness.circuits).every((state) => state === 0);
  const timeouts = flood['504'] ?? 0;
  return [
    '## Fairness: a flooding client beside a normal one',
    '',
    `A fresh gateway with two gateway tokens (MAX_IN_FLIGHT ${fairness.maxInFlight}, MAX_IN_FLIGHT_PER_CLIENT ${fairness.maxInFlightPerClient}). The normal client sends one 20-incident list after another on one connection, ${fairness.seconds} s alone, then ${fairness.seconds} s while the other token floods with the same query from ${FLOOD_CONNECTIONS} connections in a closed loop plus ${FLOOD_PIPELINING} pipelined on one socket (the flood runs in a process of its own). Alone: ${solo.requests} requests, p50 ${f(solo.p50)} ms, p99 ${f(solo.p99)} ms, ${solo.errors} errors. Under the flood: ${flooded.requests} requests, p50 ${f(flooded.p50)} ms, p99 ${f(flooded.p99)} ms, ${flooded.errors} errors (${f(flooded.errorRate * 100, 1)} %). The flood got ${answers} (503 is OVERLOADED, nothing sent upstream; 504 would be UPSTREAM_TIMEOUT). Circuits after: ${circuits}. Gateway RSS after: ${f(fairness.rssMiB, 0)} MiB.`,
    '',
    '| Target | Goal | Measured | Met |',
    '| --- | --- | --- | --- |',
    `| Normal client's p50 under the flood ≤ ${FAIRNESS_TARGET}× alone | ≤ ${FAIRNESS_TARGET}× | ${f(fairness.ratio, 2)}× (${f(solo.p50)} → ${f(flooded.p50)} ms) | ${fairness.ratio <= FAIRNESS_TARGET ? 'yes' : '**no**'} |`,
    `| Normal client's errors under the flood | 0 | ${flooded.errors} | ${flooded.errors === 0 ? 'yes' : '**no**'} |`,
    `| The flood gets OVERLOADED, never UPSTREAM_TIMEOUT; circuits stay closed | 0 × 504, closed | ${timeouts} × 504, ${circuits} | ${timeouts === 0 && closed ? 'yes' : '**no**'} |`,
    '',
  ];
}
