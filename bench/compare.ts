/**
 * A/B of gateway configurations on one query at saturation (issue 25): what a
 * change costs or saves in CPU per request, without the whole bench. Each
 * variant is this gateway in a process of its own (`gateway-process.ts`) with
 * extra environment; the variants take turns, round after round, against one
 * sandbox, and the medians of requests per second, CPU ms per request and p50
 * latency are printed (with the largest RSS a cell ended with). For latency at
 * one connection (the bench's p50 ÷ floor cells): BENCH_CONNECTIONS=1
 * BENCH_LATENCY_MS=20, without BENCH_TOGETHER. On a busy machine the
 * absolute numbers mean little; the ratios of alternated rounds still do.
 *
 *   npx tsc -p bench/tsconfig.json
 *   node dist/bench/compare.js <query> <name>=<VAR=value,…> [<name>=…]
 *   node dist/bench/compare.js single default= quiet=LOG_LEVEL=silent,METRICS=false
 *
 * `<query>` is a bench query id (`single`, `list`, `timeline`, `breached`).
 * BENCH_LATENCY_MS (default 1), BENCH_ROUNDS (5), BENCH_SECONDS (4),
 * BENCH_CONNECTIONS (32), BENCH_TOGETHER (1: load every variant at once, the
 * connections split between them, so load from elsewhere falls on all alike;
 * compare CPU ms per request then, not requests per second). Variants start with LOG_LEVEL=info (the default, lines
 * written to a pipe read by `cat`, or a file: `BENCH_LOGS=file`) and the link cache on, unless their variables say otherwise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCell, warmUp, type CellResult } from './load.js';
import {
  forkReady,
  logSink,
  startFlags,
  upstreamEnv,
  type Child,
  type SandboxReady,
} from './procs.js';
import { benchQueries } from './queries.js';

const here = dirname(fileURLToPath(import.meta.url));
const env = process.env;
const num = (name: string, fallback: number) => {
  const value = Number(env[name] ?? Number.NaN);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const latencyMs = num('BENCH_LATENCY_MS', 1);
const rounds = num('BENCH_ROUNDS', 5);
const seconds = num('BENCH_SECONDS', 4);
const connections = num('BENCH_CONNECTIONS', 32);
/** BENCH_TOGETHER=1: the variants share the load at once (connections split), round after round. */
const together = env.BENCH_TOGETHER === '1';

const [queryId, ...specs] = process.argv.slice(2);
if (!queryId || specs.length === 0) {
  console.error('usage: node dist/bench/compare.js <query> <name>=<VAR=value,…> …');
  process.exit(2);
}
const variants = specs.map((spec) => {
  const at = spec.indexOf('=');
  const [name = spec, root] = (at < 0 ? spec : spec.slice(0, at)).split('@');
  const vars = at < 0 ? '' : spec.slice(at + 1);
  const extra = Object.fromEntries(
    vars
      .split(',')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  // `name@/other/checkout`: that checkout's built gateway (before/after comparisons).
  const script = root
    ? join(root, 'dist', 'bench', 'gateway-process.js')
    : join(here, 'gateway-process.js');
  return { name, extra, script, flags: startFlags(root) };
});

const children: Child[] = [];
const logs = mkdtempSync(join(tmpdir(), 'gateway-compare-'));
const stopAll = () => Promise.all(children.reverse().map((child) => child.stop()));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

try {
  const { child: sandbox, ready } = await forkReady<SandboxReady>(
    'sandbox',
    join(here, 'sandbox-process.js'),
    {
      ...env,
      BENCH_LATENCY_MS: String(latencyMs),
    },
  );
  children.push(sandbox);
  const query = benchQueries(ready.incidentId, ready.incidentLinkedIds).find(
    (q) => q.id === queryId,
  );
  if (!query) throw new Error(`no bench query ${queryId}`);
  const body = JSON.stringify(query.gateway);
  const targets: Array<{ name: string; url: string; pid: number }> = [];
  for (const variant of variants) {
    const { child, ready: started } = await forkReady<{ url: string }>(
      variant.name,
      variant.script,
      {
        ...env,
        NODE_ENV: 'production',
        ...upstreamEnv(ready),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        ...variant.extra,
      },
      variant.flags,
      logSink(join(logs, `${variant.name}.log`)),
    );
    children.push(child);
    targets.push({ ...variant, url: `${started.url}/graphql`, pid: child.pid });
  }
  for (const target of targets) {
    await warmUp({
      target,
      bodies: [body],
      connections,
      seconds: 3,
      sandboxPid: sandbox.pid,
    });
  }
  const results = new Map<string, Array<{ rps: number; cpu: number; rss: number; p50: number }>>();
  const record = (name: string, cell: CellResult) => {
    if (cell.failures > 0) throw new Error(`${name}: ${cell.failures} failed requests`);
    results.set(name, [
      ...(results.get(name) ?? []),
      { rps: cell.rps, cpu: cell.cpuMsPerRequest, rss: cell.rssMiB, p50: cell.p50 },
    ]);
  };
  for (let round = 0; round < rounds; round++) {
    const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
    if (together) {
      // Every variant under load at once: whatever else runs on the machine slows them alike.
      const cells = await Promise.all(
        order.map((target) =>
          runCell({
            target,
            bodies: [body],
            connections: Math.max(1, Math.round(connections / order.length)),
            seconds,
            warmupSeconds: 0.5,
            sandboxPid: sandbox.pid,
          }),
        ),
      );
      order.forEach((target, i) => record(target.name, cells[i]!));
      console.error(
        `[compare] r${round + 1} ` +
          order
            .map((t, i) => `${t.name} ${cells[i]!.cpuMsPerRequest.toFixed(3)} ms/req`)
            .join('  '),
      );
      continue;
    }
    for (const target of order) {
      const cell = await runCell({
        target,
        bodies: [body],
        connections,
        seconds,
        warmupSeconds: 0.5,
        sandboxPid: sandbox.pid,
      });
      record(target.name, cell);
      console.error(
        `[compare] r${round + 1} ${target.name.padEnd(12)} ${cell.rps.toFixed(0).padStart(6)} req/s ` +
          `${cell.cpuMsPerRequest.toFixed(3)} CPU ms/req  p50 ${cell.p50.toFixed(1)} ms  (other load ${cell.otherCores.toFixed(2)} cores)`,
      );
    }
  }
  const [base] = targets;
  const baseRps = median(results.get(base!.name)!.map((r) => r.rps));
  const baseCpu = median(results.get(base!.name)!.map((r) => r.cpu));
  console.log(
    `${queryId}, ${connections} connections, upstream latency ${latencyMs} ms, ${rounds} rounds of ${seconds} s (medians)`,
  );
  console.log(
    '| Variant | req/s | CPU ms/req | p50 ms | req/s ÷ first | CPU ÷ first | p50 ÷ first | RSS MiB (largest) |',
  );
  console.log('|---|--:|--:|--:|--:|--:|--:|--:|');
  const baseP50 = median(results.get(base!.name)!.map((r) => r.p50));
  for (const target of targets) {
    const rows = results.get(target.name)!;
    const rps = median(rows.map((r) => r.rps));
    const cpu = median(rows.map((r) => r.cpu));
    const p50 = median(rows.map((r) => r.p50));
    const rss = Math.max(...rows.map((r) => r.rss));
    console.log(
      `| ${target.name} | ${rps.toFixed(0)} | ${cpu.toFixed(3)} | ${p50.toFixed(1)} | ${(rps / baseRps).toFixed(2)} | ${(cpu / baseCpu).toFixed(2)} | ${(p50 / baseP50).toFixed(3)} | ${rss.toFixed(0)} |`,
    );
  }
} finally {
  await stopAll();
  rmSync(logs, { recursive: true, force: true });
}
