/**
 * One redis-server shared by two deployments of different accounts, as
 * operators run them: gateway PROCESSES over two sandboxes with different
 * data (deployment A: two replicas over 300 incidents; deployment B: one over
 * 40 of another seed). Each sees only its own cached data, persisted queries,
 * poller lease and live changes. Within A: a 1 MB persisted-query
 * registration runs but is not stored, and a mutation's eviction lost to a
 * Redis stall (SIGSTOP) is retried, so the other replica serves no stale
 * read after the write. Within B: tag sets keep only live entries.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createInterface } from 'node:readline';
import type { Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { packageRoot } from '../../src/config.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { redisKeyPrefix } from '../../src/sharedCache/keyPrefix.js';
import {
  directCoralogix,
  metric,
  subscribeWs,
  waitForSubscribers,
  wsClient,
  type Received,
} from '../support/live.js';
import { describeRedis, freePort, startRedis, type RedisServer } from '../support/redis.js';
import { INCIDENT, UNASSIGN } from '../support/selections.js';
import { waitFor } from '../support/tools.js';
import { builtGateway } from './support.js';

const CHANGES = `subscription { incidentChanged { kind incident { id } } }`;
const COUNT = `{ incidents(first: 1) { totalCount } }`;

interface Replica {
  url: string;
  child: ChildProcess;
  output: string[];
}

interface Answer {
  cache: string | null;
  body: {
    data?: {
      incident?: { id: string; assignments: unknown[] } | null;
      incidents?: { totalCount: number };
    } | null;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
}

async function post(replica: Replica, body: unknown): Promise<Answer> {
  const response = await fetch(`${replica.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    cache: response.headers.get('x-cache'),
    body: (await response.json()) as Answer['body'],
  };
}

async function startReplica(
  sandbox: Sandbox,
  redisUrl: string,
  env: Record<string, string>,
): Promise<Replica> {
  const port = await freePort();
  const child = spawn(process.execPath, [builtGateway()], {
    cwd: packageRoot(),
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      CORALOGIX_API_URL: sandbox.coralogix.url,
      CORALOGIX_API_KEY: sandbox.coralogix.apiKey,
      ONEUPTIME_API_URL: sandbox.oneuptime.url,
      ONEUPTIME_API_KEY: sandbox.oneuptime.apiKey,
      REDIS_URL: redisUrl,
      LIVE_POLL_INTERVAL_MS: '200',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const replica: Replica = { url: `http://127.0.0.1:${port}`, child, output: [] };
  createInterface({ input: child.stdout! }).on('line', (line) => replica.output.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => replica.output.push(line));
  await waitFor(
    'the replica to serve with Redis connected',
    async () => {
      if (child.exitCode !== null) throw new Error(`gateway exited: ${replica.output.join('\n')}`);
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

function stopReplica(replica: Replica | undefined): Promise<void> {
  const child = replica?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  return exit;
}

const prefixOf = (sandbox: Sandbox) =>
  redisKeyPrefix({ coralogix: sandbox.coralogix, oneuptime: sandbox.oneuptime });
const sha = (query: string) => createHash('sha256').update(query).digest('hex');
const apq = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha(query) } });
const ids = (received: Received) =>
  received.events.map(
    (e) =>
      (e.data as { incidentChanged?: { incident: { id: string } } })?.incidentChanged?.incident.id,
  );

describeRedis('two deployments of different accounts sharing one Redis', (redisServerPath) => {
  let redis: RedisServer;
  let admin: Redis;
  let sandboxA: Sandbox;
  let sandboxB: Sandbox;
  let a1: Replica;
  let a2: Replica;
  let b1: Replica;
  const clients: Client[] = [];

  beforeAll(async () => {
    [redis, sandboxA, sandboxB] = await Promise.all([
      startRedis(redisServerPath),
      startSandbox(),
      startSandbox({ incidentCount: 40, seed: 7 }),
    ]);
    admin = new Redis(redis.url);
    // A: long-lived cache entries, bodies large enough for a 1 MB document. B: short entries.
    const envA = { RESPONSE_CACHE_TTL_MS: '60000', MAX_BODY_BYTES: '2097152' };
    [a1, a2, b1] = await Promise.all([
      startReplica(sandboxA, redis.url, envA),
      startReplica(sandboxA, redis.url, envA),
      startReplica(sandboxB, redis.url, { RESPONSE_CACHE_TTL_MS: '500' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await Promise.all([stopReplica(a1), stopReplica(a2), stopReplica(b1)]);
    admin?.disconnect();
    await Promise.all([sandboxA?.stop(), sandboxB?.stop(), redis?.stop()]);
  });

  it('each deployment answers with its own data, whatever the other cached', async () => {
    expect(prefixOf(sandboxA)).not.toBe(prefixOf(sandboxB));
    expect((await post(a1, { query: COUNT })).body.data?.incidents?.totalCount).toBe(300);
    const cached = await post(a2, { query: COUNT });
    expect(cached.cache).toBe('hit');
    expect(cached.body.data?.incidents?.totalCount).toBe(300);
    const own = await post(b1, { query: COUNT });
    expect(own.cache).toBe('miss');
    expect(own.body.data?.incidents?.totalCount).toBe(40);
    for (const key of await admin.keys('*')) {
      expect(
        [prefixOf(sandboxA), prefixOf(sandboxB)].some((p) => key.startsWith(p)),
        key,
      ).toBe(true);
    }
  });

  it('each deployment polls its own account and delivers only its own changes', async () => {
    const [onA, onB] = [wsClient(a1.url), wsClient(b1.url)];
    clients.push(onA, onB);
    const [seenA, seenB] = [subscribeWs(onA, CHANGES), subscribeWs(onB, CHANGES)];
    await Promise.all([waitForSubscribers(a1.url, 'ws', 1), waitForSubscribers(b1.url, 'ws', 1)]);
    // One lease per deployment: both hold their own (one shared lease would leave one idle).
    await waitFor('a poller in each deployment', async () => {
      const leading = await Promise.all(
        [a1, b1].map((r) => metric(r.url, 'gateway_live_pollers_leading')),
      );
      return leading.every((n) => n === 1);
    });

    // B: a change behind the gateway's back, found by B's own poller.
    const incidentB = sandboxB.seed.incidents.find((i) => i.assignments.length === 0)!;
    const direct = directCoralogix(sandboxB);
    try {
      await direct.assign([incidentB.id], sandboxB.seed.users[0]!.id);
    } finally {
      await direct.close();
    }
    await waitFor("B's change on B", () => ids(seenB).includes(incidentB.id));

    // A: a mutation through A (published at once, then seen by A's poller too).
    const incidentA = sandboxA.seed.incidents.find((i) => i.assignments.length > 0)!;
    const mutation = await post(a1, {
      query: UNASSIGN,
      variables: { input: { incidentIds: [incidentA.id] } },
    });
    expect(mutation.body.errors).toBeUndefined();
    await waitFor("A's change on A", () => ids(seenA).includes(incidentA.id));

    const idsOf = (sandbox: Sandbox) => new Set(sandbox.seed.incidents.map((i) => i.id));
    expect(ids(seenA).filter((id) => !idsOf(sandboxA).has(id!))).toEqual([]);
    expect(ids(seenB).filter((id) => !idsOf(sandboxB).has(id!))).toEqual([]);
  });

  it('runs a 1 MB persisted-query registration without storing it', async () => {
    const huge = `# ${'x'.repeat(1_048_576)}\n{ incidents(first: 1) { totalCount } }`;
    const ran = await post(a1, { query: huge, extensions: apq(huge) });
    expect(ran.body.errors).toBeUndefined();
    expect(ran.body.data?.incidents?.totalCount).toBe(300);
    expect(await admin.exists(`${prefixOf(sandboxA)}apq:${sha(huge)}`)).toBe(0);
    expect((await admin.keys('*apq:*')).length).toBe(0);
    const retry = await post(a2, { extensions: apq(huge) });
    expect(retry.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const small = `{ incidents(first: 2) { totalCount } }`;
    expect((await post(a1, { query: small, extensions: apq(small) })).body.errors).toBeUndefined();
    expect(await admin.get(`${prefixOf(sandboxA)}apq:${sha(small)}`)).toBe(small);
    expect((await post(a2, { extensions: apq(small) })).body.data?.incidents?.totalCount).toBe(300);
    const elsewhere = await post(b1, { extensions: apq(small) });
    expect(elsewhere.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('keeps only live entries in a tag set however many searches pass through it', async () => {
    const tag = `${prefixOf(sandboxB)}tag:list:incidents`;
    const SEARCH = `query S($q: String) { incidents(first: 1, filter: { search: $q }) { totalCount } }`;
    for (let i = 0; i < 30; i += 1) {
      const searched = await post(b1, { query: SEARCH, variables: { q: `term-${i}` } });
      expect(searched.body.errors).toBeUndefined();
    }
    expect(await admin.zcard(tag)).toBeGreaterThan(0);
    const entries = () => admin.keys(`${prefixOf(sandboxB)}resp:*`);
    await waitFor('the entries to expire', async () => (await entries()).length === 0);
    expect(
      (await post(b1, { query: SEARCH, variables: { q: 'live' } })).body.errors,
    ).toBeUndefined();
    expect(await admin.zrange(tag, 0, -1)).toEqual(await entries());
    expect(await admin.zcard(tag)).toBe(1);
  });

  // Last: the stall leaves the replicas' Redis links resting for a moment.
  it('serves no stale read after a write whose eviction a Redis stall held up', async () => {
    const incident = sandboxA.seed.incidents.filter((i) => i.assignments.length > 0)[1]!;
    const read = { query: INCIDENT, variables: { id: incident.id } };
    expect((await post(a1, read)).cache).toBe('miss');
    expect((await post(a2, read)).cache).toBe('hit');

    redis.pause();
    try {
      // A read through a1 times out: a1 leaves Redis alone for a moment, so the
      // mutation's eviction cannot be sent with it.
      expect((await post(a1, read)).body.errors).toBeUndefined();
      const mutation = await post(a1, {
        query: UNASSIGN,
        variables: { input: { incidentIds: [incident.id] } },
      });
      expect(mutation.body.errors).toBeUndefined();
      // The rest of a 1.5 s stall.
      await sleep(1_000);
    } finally {
      redis.resume();
    }
    for (let i = 0; i < 5; i += 1) {
      const after = await post(a2, read);
      expect(after.body.data?.incident?.assignments).toEqual([]);
    }
  });
});
