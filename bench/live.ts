/**
 * Live updates, idle: the memory 1000 open `incidentChanged` subscriptions
 * cost a gateway. A fresh gateway process (so no earlier load is in its
 * heap) is measured after a full GC, before and after the subscribers
 * connect (20 per WebSocket, as MAX_SUBSCRIPTIONS_PER_CONNECTION allows).
 * Used by `run.ts`; on its own, `node dist/bench/live.js` starts a sandbox
 * and prints the figures as JSON.
 */
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { forkReady, startFlags, upstreamEnv, type Child, type SandboxUpstreams } from './procs.js';

const here = dirname(fileURLToPath(import.meta.url));

export interface LiveMemory {
  subscribers: number;
  connections: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  heapBeforeMiB: number;
  heapAfterMiB: number;
  /** (RSS after − RSS before) / subscribers, KiB. */
  rssKiBPerSubscriber: number;
  heapKiBPerSubscriber: number;
  /** Coralogix polls while they were connected (one poller, whatever the count). */
  polls: number;
}

const SUBSCRIPTION = `subscription IncidentChanges {
  incidentChanged(filter: { severities: [CRITICAL, ERROR] }) {
    kind changedFields
    incident { id name severity status assignments { assignedTo { id } } slas { status } }
  }
}`;
const PER_CONNECTION = 20;

async function memoryAfterGc(child: Child): Promise<{ rss: number; heapUsed: number }> {
  return new Promise((resolve) => {
    const onMessage = (message: { type?: string; rss?: number; heapUsed?: number }) => {
      if (message.type !== 'memory') return;
      child.process.off('message', onMessage);
      resolve({ rss: message.rss ?? Number.NaN, heapUsed: message.heapUsed ?? Number.NaN });
    };
    child.process.on('message', onMessage);
    child.process.send({ type: 'memory' });
  });
}

async function metric(url: string, line: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const found = text.split('\n').find((l) => l.startsWith(line));
  return found ? Number(found.slice(found.lastIndexOf(' ') + 1)) : 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a gateway over `upstreams`, opens `count` idle subscriptions and measures. */
export async function measureIdleSubscribers(options: {
  env: NodeJS.ProcessEnv;
  count: number;
  log: (message: string) => void;
}): Promise<LiveMemory> {
  const { child, ready } = await forkReady<{ url: string }>(
    'live-gateway',
    join(here, 'gateway-process.js'),
    {
      ...options.env,
      LIVE_POLL_INTERVAL_MS: '1000',
      // One client (one address, no token) holds them all: room for any BENCH_LIVE_SUBSCRIBERS.
      MAX_SUBSCRIPTIONS: String(Math.max(options.count, 1)),
      MAX_CONNECTIONS_PER_CLIENT: String(Math.max(Math.ceil(options.count / PER_CONNECTION), 1)),
    },
    [...startFlags(), '--expose-gc'],
  );
  const clients: Client[] = [];
  try {
    await sleep(500);
    const before = await memoryAfterGc(child);
    const url = ready.url.replace(/^http/, 'ws') + '/graphql';
    for (let opened = 0; opened < options.count; opened += PER_CONNECTION) {
      const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
      clients.push(client);
      for (let i = 0; i < Math.min(PER_CONNECTION, options.count - opened); i++) {
        client.subscribe(
          { query: SUBSCRIPTION },
          { next: () => {}, error: () => {}, complete: () => {} },
        );
      }
    }
    const deadline = Date.now() + 60_000;
    while ((await metric(ready.url, 'gateway_live_subscribers{transport="ws"}')) < options.count) {
      if (Date.now() > deadline) throw new Error('the subscribers did not all connect');
      await sleep(100);
    }
    const pollsAtStart = await metric(ready.url, 'gateway_live_polls_total{outcome="ok"}');
    // A few poll intervals with everyone connected and nothing changing.
    await sleep(3_000);
    const polls =
      (await metric(ready.url, 'gateway_live_polls_total{outcome="ok"}')) - pollsAtStart;
    const after = await memoryAfterGc(child);
    const mib = (bytes: number) => bytes / 2 ** 20;
    const result: LiveMemory = {
      subscribers: options.count,
      connections: clients.length,
      rssBeforeMiB: mib(before.rss),
      rssAfterMiB: mib(after.rss),
      heapBeforeMiB: mib(before.heapUsed),
      heapAfterMiB: mib(after.heapUsed),
      rssKiBPerSubscriber: (after.rss - before.rss) / 1024 / options.count,
      heapKiBPerSubscriber: (after.heapUsed - before.heapUsed) / 1024 / options.count,
      polls,
    };
    options.log(
      `live: ${options.count} idle subscribers on ${clients.length} WebSockets: RSS ${result.rssBeforeMiB.toFixed(1)} → ${result.rssAfterMiB.toFixed(1)} MiB (${result.rssKiBPerSubscriber.toFixed(1)} KiB each), heap ${result.heapKiBPerSubscriber.toFixed(1)} KiB each, ${polls} polls in 3 s`,
    );
    return result;
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
    await child.stop();
  }
}

/** `node dist/bench/live.js`: this measurement alone, against a sandbox of its own. */
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { child: sandbox, ready } = await forkReady<SandboxUpstreams>(
    'sandbox',
    join(here, 'sandbox-process.js'),
    { ...process.env, BENCH_LATENCY_MS: '20' },
  );
  try {
    const result = await measureIdleSubscribers({
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        ...upstreamEnv(ready),
        LOG_LEVEL: 'error',
      },
      count: Number(process.env.BENCH_LIVE_SUBSCRIBERS ?? 1000),
      log: (message) => console.error(`[bench] ${message}`),
    });
    console.log(JSON.stringify(result, null, 1));
  } finally {
    await sandbox.stop();
  }
}
