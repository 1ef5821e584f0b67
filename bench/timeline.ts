/**
 * Where one request's time goes at concurrency 1 (issue 25's p50 ÷ floor):
 * this gateway in a process of its own with `timeline-preload.ts`, one bench
 * query sent again and again, each waiting for the last, against the sandbox
 * with its injected latency; then, step by step, the median time between
 * consecutive stamps (request in, each upstream request created / written /
 * answered / read, response out). The steps between an upstream answer and the
 * next request are this gateway's own work at that level.
 *
 *   npx tsc -p bench/tsconfig.json
 *   node dist/bench/timeline.js <query> [requests (300)] [cold]
 *
 * `cold`: the link cache off (`LINK_CACHE_TTL_MS=0`). BENCH_LATENCY_MS (20).
 * The first 50 requests are not counted (the JIT warming up).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { forkReady, startFlags, upstreamEnv, type SandboxReady } from './procs.js';
import { benchQueries } from './queries.js';
import type { Stamp } from './timeline-preload.js';

const here = dirname(fileURLToPath(import.meta.url));
const [queryId, count = '300', links = 'warm'] = process.argv.slice(2);
const WARM_UP = 50;

/** A stamp's name in a step: its kind, and the upstream route it is about. */
const nameOf = ([kind, , route]: Stamp): string => (route ? `${kind} ${route}` : kind);

/**
 * The medians of the steps between consecutive stamps of each request; a step
 * is named by its two stamps (with the upstream route, `done cases/v1 →
 * create incident/get-list`) and how often that pair came before in the
 * request (`headers → done #2`: the second such body read).
 */
export function steps(stamps: readonly Stamp[], skip = 0): Array<[string, number]> {
  const requests: Stamp[][] = [];
  let current: Stamp[] | undefined;
  for (const stamp of stamps) {
    if (stamp[0] === 'in') current = [stamp];
    else if (current) {
      current.push(stamp);
      if (stamp[0] === 'out') {
        requests.push(current);
        current = undefined;
      }
    }
  }
  const byStep = new Map<string, number[]>();
  for (const stamped of requests.slice(skip)) {
    const seen = new Map<string, number>();
    for (let i = 1; i < stamped.length; i++) {
      const pair = `${nameOf(stamped[i - 1]!)} → ${nameOf(stamped[i]!)}`;
      const nth = (seen.get(pair) ?? 0) + 1;
      seen.set(pair, nth);
      const name = `${pair} #${nth}`;
      byStep.set(name, [...(byStep.get(name) ?? []), stamped[i]![1] - stamped[i - 1]![1]]);
    }
    const total = stamped.at(-1)![1] - stamped[0]![1];
    byStep.set('total (in → out)', [...(byStep.get('total (in → out)') ?? []), total]);
  }
  return [...byStep].map(([name, values]) => {
    const sorted = values.sort((a, b) => a - b);
    return [name, sorted[Math.floor((sorted.length - 1) / 2)]!];
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!queryId) {
    console.error('usage: node dist/bench/timeline.js <query> [requests] [cold]');
    process.exit(2);
  }
  const { child: sandbox, ready } = await forkReady<SandboxReady>(
    'sandbox',
    join(here, 'sandbox-process.js'),
    {
      ...process.env,
      BENCH_LATENCY_MS: process.env.BENCH_LATENCY_MS ?? '20',
    },
  );
  const { child: gateway, ready: started } = await forkReady<{ url: string }>(
    'gateway',
    join(here, 'gateway-process.js'),
    {
      ...process.env,
      NODE_ENV: 'production',
      ...upstreamEnv(ready),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      ...(links === 'cold' ? { LINK_CACHE_TTL_MS: '0' } : {}),
    },
    [...startFlags(), '--import', join(here, 'timeline-preload.js')],
  );
  try {
    const query = benchQueries(ready.incidentId, ready.incidentLinkedIds).find(
      (q) => q.id === queryId,
    );
    if (!query) throw new Error(`no bench query ${queryId}`);
    const body = JSON.stringify(query.gateway);
    for (let i = 0; i < Number(count); i++) {
      const response = await request(`${started.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await response.body.text();
      if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
    }
    const stamps = await new Promise<Stamp[]>((resolve) => {
      gateway.process.on('message', (message: { type?: string; stamps?: Stamp[] }) => {
        if (message.type === 'timeline') resolve(message.stamps ?? []);
      });
      gateway.process.send({ type: 'timeline' });
    });
    console.log(
      `${queryId}, links ${links}, ${Number(count) - WARM_UP} requests at concurrency 1 (medians, ms)`,
    );
    console.log('| Step | ms |');
    console.log('|---|--:|');
    for (const [name, ms] of steps(stamps, WARM_UP)) console.log(`| ${name} | ${ms.toFixed(2)} |`);
  } finally {
    await gateway.stop();
    await sandbox.stop();
  }
}
