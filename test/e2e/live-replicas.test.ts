/**
 * Live updates across replicas as operators run them: two gateway
 * PROCESSES, one sandbox, one real redis-server. A mutation through one
 * reaches subscribers on the other (pub/sub); one replica holds the poller
 * lease, and killing it (SIGKILL: no release) moves polling to the other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { packageRoot } from '../../src/config.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { redisKeyPrefix } from '../../src/sharedCache/keyPrefix.js';
import {
  directCoralogix,
  metric,
  subscribeSse,
  subscribeWs,
  waitForSubscribers,
  wsClient,
  type Received,
} from '../support/live.js';
import { UNASSIGN } from '../support/selections.js';
import { waitFor } from '../support/tools.js';
import {
  adminClient,
  describeRedis,
  freePort,
  startRedis,
  type RedisServer,
} from '../support/redis.js';
import { builtGateway } from './support.js';

const ROOT = packageRoot();
const INTERVAL_MS = 200;

const CHANGES = `subscription { incidentChanged { kind changedFields incident { id } } }`;

interface Replica {
  url: string;
  child: ChildProcess;
}

async function startReplica(sandbox: Sandbox, redisUrl: string): Promise<Replica> {
  const port = await freePort();
  const child = spawn(process.execPath, [builtGateway()], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      CORALOGIX_API_URL: sandbox.coralogix.url,
      CORALOGIX_API_KEY: sandbox.coralogix.apiKey,
      ONEUPTIME_API_URL: sandbox.oneuptime.url,
      ONEUPTIME_API_KEY: sandbox.oneuptime.apiKey,
      REDIS_URL: redisUrl,
      LIVE_POLL_INTERVAL_MS: String(INTERVAL_MS),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => output.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  const replica = { url: `http://127.0.0.1:${port}`, child };
  await waitFor(
    'the replica to serve with Redis connected',
    async () => {
      if (child.exitCode !== null) throw new Error(`gateway exited: ${output.join('\n')}`);
      const ready = await fetch(`${replica.url}/readyz`).then(
        (r) => r.json() as Promise<{ live?: { redis?: string } }>,
        () => undefined,
      );
      return ready?.live?.redis === 'connected';
    },
    20_000,
  );
  return replica;
}

function stopReplica(replica: Replica | undefined, signal: NodeJS.Signals = 'SIGTERM') {
  const child = replica?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  return exit;
}

const leading = (replica: Replica) => metric(replica.url, 'gateway_live_pollers_leading');
const ids = (received: Received) =>
  received.events.map(
    (e) =>
      (e.data as { incidentChanged?: { incident: { id: string } } })?.incidentChanged?.incident.id,
  );

describeRedis('live updates across two gateway processes sharing one Redis', (redisServerPath) => {
  let redis: RedisServer;
  let sandbox: Sandbox;
  let one: Replica;
  let two: Replica;
  const clients: Client[] = [];

  beforeAll(async () => {
    [redis, sandbox] = await Promise.all([startRedis(redisServerPath), startSandbox()]);
    [one, two] = await Promise.all([
      startReplica(sandbox, redis.url),
      startReplica(sandbox, redis.url),
    ]);
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await Promise.all([stopReplica(one), stopReplica(two)]);
    await Promise.all([sandbox?.stop(), redis?.stop()]);
  });

  it('delivers a mutation made through one replica to subscribers of the other', async () => {
    const client = wsClient(two.url);
    clients.push(client);
    const overWs = subscribeWs(client, CHANGES);
    const overSse = subscribeSse(two.url, CHANGES);
    await waitForSubscribers(two.url, 'ws', 1);
    await waitForSubscribers(two.url, 'sse', 1);

    const incident = sandbox.seed.incidents.find((i) => i.assignments.length > 0)!;
    const answer = await fetch(`${one.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: UNASSIGN,
        variables: { input: { incidentIds: [incident.id] } },
      }),
    });
    expect(((await answer.json()) as { errors?: unknown }).errors).toBeUndefined();
    await waitFor('the change on the other replica', () =>
      [overWs, overSse].every((received) => ids(received).includes(incident.id)),
    );
    // Published once by the replica that made it, delivered once per subscriber.
    expect(ids(overWs).filter((id) => id === incident.id)).toHaveLength(1);
    overSse.stop();
  });

  it('polls on one replica only, and on the other once the lease holder is killed', async () => {
    // Subscribers on both: both compete for the lease.
    const client = wsClient(one.url);
    clients.push(client);
    const onOne = subscribeWs(client, CHANGES);
    await waitForSubscribers(one.url, 'ws', 1);
    await waitFor(
      'one lease holder',
      async () => (await leading(one)) + (await leading(two)) === 1,
    );
    const [holder, other] = (await leading(one)) === 1 ? [one, two] : [two, one];
    // The documented lease key (per scope and family), with a lifetime.
    const admin = adminClient(redis.url);
    try {
      const prefix = redisKeyPrefix({ coralogix: sandbox.coralogix, oneuptime: sandbox.oneuptime });
      expect(await admin.pttl(`${prefix}live:lease:server:incident`)).toBeGreaterThan(0);
    } finally {
      admin.disconnect();
    }
    const polls = () => metric(other.url, 'gateway_live_polls_total', 'outcome="ok"');
    const before = await polls();
    expect(await leading(other)).toBe(0);

    await stopReplica(holder, 'SIGKILL');
    await waitFor('the other replica to take the lease', async () => (await leading(other)) === 1);
    await waitFor('the other replica to poll', async () => (await polls()) > before);

    // A change behind the gateways' backs now reaches the survivor's subscribers through its polls.
    const survivorClient = wsClient(other.url);
    clients.push(survivorClient);
    const watching = subscribeWs(survivorClient, CHANGES);
    await waitFor('the subscription on the survivor', () => watching.error === undefined);
    await waitForSubscribers(other.url, 'ws', 2);
    const incident = [...sandbox.seed.incidents].sort((a, b) =>
      b.lastStateUpdateTime.localeCompare(a.lastStateUpdateTime),
    )[0]!;
    const direct = directCoralogix(sandbox);
    try {
      await direct.assign([incident.id], sandbox.seed.users.at(-1)!.id);
    } finally {
      await direct.close();
    }
    await waitFor('the change seen by the new poller', () => ids(watching).includes(incident.id));
    expect(watching.error).toBeUndefined();
    // The survivor's own earlier subscriber (if it was not on the killed one) got it too.
    if (other === one) expect(ids(onOne)).toContain(incident.id);
  });
});
