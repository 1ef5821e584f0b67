/**
 * The Redis shared cache (REDIS_URL) in process: two gateways over one
 * sandbox and one real redis-server. Response cache hits, misses, errors,
 * eviction by mutations (through the other replica), credential scopes, TTL,
 * APQ shared across replicas, and Redis dying, coming back, or never there.
 */
import { createHash } from 'node:crypto';
import { CX } from '../support/coralogix.js';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { Incident } from '../../src/upstreams/coralogix/incidents/types.js';
import { redactRedisUrl } from '../../src/sharedCache/index.js';
import { redisKeyPrefix } from '../../src/sharedCache/keyPrefix.js';
import { startStack, type RawResponse, type Stack } from '../support/stack.js';
import { describeRedis, freePort, startRedis, type RedisServer } from '../support/redis.js';
import { INCIDENT } from '../support/selections.js';
import { waitFor } from '../support/tools.js';

const INCIDENTS = `query Incidents { incidents(first: 5) { totalCount edges { node { id } } } }`;
const UNASSIGN = `mutation Unassign($input: IncidentIdsInput!) {
  unassignIncidents(input: $input) { incidents { id assignments { assignedTo { id } } } }
}`;
const ROLE = `query Role($id: ID!) { incidentRole(id: $id) { id name } }`;
const ROLES = `query Roles { incidentRoles(first: 100) { totalCount edges { node { id name } } } }`;
const UPDATE_ROLE = `mutation UpdateRole($id: ID!, $input: UpdateIncidentRoleInput!) {
  updateIncidentRole(id: $id, input: $input) { id name }
}`;

interface IncidentView {
  incident: { id: string; assignments: Array<{ assignedTo: { id: string } | null }> } | null;
}

const logged = (gateway: Stack, level: number, pattern: RegExp) =>
  gateway.logs
    .entries()
    .filter((entry) => entry.level === level && pattern.test(String(entry.msg)));
const WARN = 40;
const INFO = 30;

const connected = (gateway: Stack) =>
  waitFor('the gateway to connect to Redis', () => {
    const messages = gateway.logs.entries().map((entry) => String(entry.msg));
    return messages.includes('shared cache connected to Redis');
  });

function expectData(response: RawResponse) {
  expect(response.status).toBe(200);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  expect(response.data).toBeTruthy();
}

async function cacheMetric(gateway: Stack, cache: string, result: string) {
  const text = await (await fetch(`${gateway.gateway.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`gateway_cache_requests_total{cache="${cache}",result="${result}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describeRedis('shared cache over Redis', (redisServerPath) => {
  let redis: RedisServer;
  let sandbox: Sandbox;
  let a: Stack;
  let b: Stack;
  let admin: Redis;
  /** The key prefix of every gateway over `sandbox` with server credentials. */
  let P: string;
  const extra: Stack[] = [];

  const upstreamCalls = () => sandbox.requests().length;
  const assigned = (skip = 0): Incident => {
    const found = sandbox.seed.incidents.filter((i) => i.assignments.length > 0)[skip];
    if (!found) throw new Error('the seed has no assigned incident');
    return found;
  };
  const another = async (env: Record<string, string>) => {
    const gateway = await startStack({ over: sandbox, env: { REDIS_URL: redis.url, ...env } });
    extra.push(gateway);
    await connected(gateway);
    return gateway;
  };

  beforeAll(async () => {
    [redis, sandbox] = await Promise.all([startRedis(redisServerPath), startSandbox()]);
    const env = { REDIS_URL: redis.url, RESPONSE_CACHE_TTL_MS: '60000' };
    [a, b] = await Promise.all([
      startStack({ over: sandbox, env }),
      startStack({ over: sandbox, env }),
    ]);
    admin = new Redis(redis.url);
    P = redisKeyPrefix(a.config);
    await Promise.all([connected(a), connected(b)]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), ...extra.map((g) => g.stop())]);
    admin?.disconnect();
    await Promise.all([sandbox?.stop(), redis?.stop()]);
  });

  beforeEach(async () => {
    sandbox.reset();
    await admin.flushall();
  });

  describe('response cache', () => {
    it('serves a second identical query from Redis, on either replica, with no upstream call', async () => {
      const { id } = assigned();
      const first = await a.graphql(INCIDENT, { id });
      expectData(first);
      expect(first.headers['x-cache']).toBe('miss');
      expect(upstreamCalls()).toBeGreaterThan(0);

      sandbox.clearRequests();
      const again = await a.graphql(INCIDENT, { id });
      const other = await b.graphql(INCIDENT, { id });
      for (const response of [again, other]) {
        expect(response.status).toBe(200);
        expect(response.headers['x-cache']).toBe('hit');
        expect(response.json).toEqual(first.json);
      }
      expect(upstreamCalls()).toBe(0);
      expect(await cacheMetric(a, 'response', 'hit')).toBe(1);
      expect(await cacheMetric(a, 'response', 'miss')).toBe(1);

      const keys = await admin.keys(`${P}resp:*`);
      expect(keys).toHaveLength(1);
      expect(await admin.pttl(keys[0]!)).toBeGreaterThan(50_000);
      expect(await admin.zrange(`${P}tag:incident:${id}`, 0, -1)).toEqual(keys);
    });

    it('keys on variables (key order does not matter) and on the operation name', async () => {
      const [x, y] = [assigned(0).id, assigned(1).id];
      expect((await a.graphql(INCIDENT, { id: x })).headers['x-cache']).toBe('miss');
      sandbox.clearRequests();
      const other = await a.graphql<IncidentView>(INCIDENT, { id: y });
      expect(other.headers['x-cache']).toBe('miss');
      expect(other.data?.incident?.id).toBe(y);
      expect(upstreamCalls()).toBeGreaterThan(0);

      const twoOps = `${INCIDENT}\nquery Other($id: ID!) { incident(id: $id) { id } }`;
      const body = (operationName: string, variables: object) =>
        JSON.stringify({ query: twoOps, operationName, variables });
      expect((await a.post(body('Incident', { id: x }))).headers['x-cache']).toBe('miss');
      expect((await a.post(body('Other', { id: x }))).headers['x-cache']).toBe('miss');
      expect((await a.post(body('Other', { id: x }))).headers['x-cache']).toBe('hit');

      const two = `query Two($id: ID!, $first: Int) {
        incident(id: $id) { id } incidents(first: $first) { totalCount }
      }`;
      expect(
        (await a.post(JSON.stringify({ query: two, variables: { id: x, first: 1 } }))).headers[
          'x-cache'
        ],
      ).toBe('miss');
      expect(
        (await a.post(`{"query":${JSON.stringify(two)},"variables":{"first":1,"id":"${x}"}}`))
          .headers['x-cache'],
      ).toBe('hit');
    });

    it('never caches responses with errors, mutations or introspection', async () => {
      const { id } = assigned();
      sandbox.setFault({
        upstream: 'coralogix',
        method: CX.batchGet.method,
        path: CX.batchGet.path,
        status: 400,
        times: 1,
      });
      const failed = await a.graphql(INCIDENT, { id });
      expect(failed.errors?.length).toBeGreaterThan(0);
      expect(failed.headers['x-cache']).toBe('miss');
      const retried = await a.graphql(INCIDENT, { id });
      expectData(retried);
      expect(retried.headers['x-cache']).toBe('miss');

      const badInput = await a.graphql(ROLE, { id: 'not-a-uuid' });
      expect(badInput.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect((await a.graphql(ROLE, { id: 'not-a-uuid' })).headers['x-cache']).toBe('miss');

      const introspection = `{ __schema { queryType { name } } }`;
      for (let i = 0; i < 2; i += 1) {
        const response = await a.graphql(introspection);
        expectData(response);
        expect(response.headers['x-cache']).toBeUndefined();
      }
      expect(await admin.keys(`${P}resp:*`)).toHaveLength(1); // only the retried incident read
      const mutation = await a.graphql(UNASSIGN, { input: { incidentIds: [id] } });
      expectData(mutation);
      expect(mutation.headers['x-cache']).toBeUndefined();
      expect(await admin.keys(`${P}resp:*`)).toEqual([]); // and the mutation evicted it
    });

    it('a mutation through one replica evicts the cached reads of its incidents, and only those', async () => {
      const [x, y] = [assigned(0), assigned(1)];
      for (const query of [
        () => a.graphql(INCIDENT, { id: x.id }),
        () => a.graphql(INCIDENT, { id: y.id }),
        () => a.graphql(INCIDENTS),
      ]) {
        expectData(await query());
        expect((await query()).headers['x-cache']).toBe('hit');
      }

      const mutation = await b.graphql(UNASSIGN, { input: { incidentIds: [x.id] } });
      expectData(mutation);

      sandbox.clearRequests();
      const fresh = await a.graphql<IncidentView>(INCIDENT, { id: x.id });
      expect(fresh.headers['x-cache']).toBe('miss');
      expect(fresh.data?.incident?.assignments).toEqual([]);
      expect(upstreamCalls()).toBeGreaterThan(0);
      // Any incident write may move incidents in or out of a list.
      expect((await a.graphql(INCIDENTS)).headers['x-cache']).toBe('miss');

      sandbox.clearRequests();
      const untouched = await a.graphql<IncidentView>(INCIDENT, { id: y.id });
      expect(untouched.headers['x-cache']).toBe('hit');
      expect(untouched.data?.incident?.assignments.length).toBe(y.assignments.length);
      expect(upstreamCalls()).toBe(0);
    });

    it('a mutation that fails upstream still evicts (it may have applied)', async () => {
      const { id } = assigned();
      expectData(await a.graphql(INCIDENT, { id }));
      sandbox.setFault({
        upstream: 'coralogix',
        method: CX.unassign.method,
        path: CX.unassign.path,
        status: 503,
        times: 1,
      });
      const failed = await b.graphql(UNASSIGN, { input: { incidentIds: [id] } });
      expect(failed.errors?.length).toBeGreaterThan(0);
      expect((await a.graphql(INCIDENT, { id })).headers['x-cache']).toBe('miss');
    });

    it('a read in flight while a mutation evicts its incident is not stored', async () => {
      const { id } = assigned();
      // The read gets the incident at once, then waits on its OneUptime timeline.
      sandbox.setFault({ upstream: 'oneuptime', path: /state-timeline/, latencyMs: 400, times: 1 });
      const slow = a.graphql<IncidentView>(INCIDENT, { id });
      await waitFor('the timeline request', () => sandbox.requests('oneuptime').length > 0);
      expectData(await b.graphql(UNASSIGN, { input: { incidentIds: [id] } }));
      const stale = await slow;
      expect(stale.data?.incident?.assignments.length).toBeGreaterThan(0); // read before the write
      const next = await a.graphql<IncidentView>(INCIDENT, { id });
      expect(next.headers['x-cache']).toBe('miss');
      expect(next.data?.incident?.assignments).toEqual([]);
    });

    it('role mutations evict cached role reads', async () => {
      const role = sandbox.seed.roles[1]!;
      for (const [query, variables] of [
        [ROLE, { id: role._id }],
        [ROLES, {}],
      ] as const) {
        expectData(await a.graphql(query, variables));
        expect((await a.graphql(query, variables)).headers['x-cache']).toBe('hit');
      }
      expectData(await b.graphql(UPDATE_ROLE, { id: role._id, input: { name: 'Comms Lead' } }));

      const single = await a.graphql<{ incidentRole: { name: string } }>(ROLE, { id: role._id });
      expect(single.headers['x-cache']).toBe('miss');
      expect(single.data?.incidentRole.name).toBe('Comms Lead');
      const list = await a.graphql<{
        incidentRoles: { edges: Array<{ node: { id: string; name: string } }> };
      }>(ROLES);
      expect(list.headers['x-cache']).toBe('miss');
      expect(list.data?.incidentRoles.edges.find((e) => e.node.id === role._id)?.node.name).toBe(
        'Comms Lead',
      );
    });

    it('role mutations evict a cached role count (first: 0 reads no role rows)', async () => {
      const COUNT = 'query RoleCount { incidentRoles(first: 0) { totalCount } }';
      const before = await a.graphql<{ incidentRoles: { totalCount: number } }>(COUNT);
      expectData(before);
      expect((await a.graphql(COUNT)).headers['x-cache']).toBe('hit');
      expectData(
        await b.graphql(
          'mutation { createIncidentRole(input: { name: "Liaison", color: "#123456" }) { id } }',
        ),
      );
      const after = await a.graphql<{ incidentRoles: { totalCount: number } }>(COUNT);
      expect(after.headers['x-cache']).toBe('miss');
      expect(after.data?.incidentRoles.totalCount).toBe(before.data!.incidentRoles.totalCount + 1);
    });

    it('keeps one credential scope per set of forwarded keys', async () => {
      const forward = await another({ CREDENTIALS: 'forward', RESPONSE_CACHE_TTL_MS: '60000' });
      const keys = {
        'x-coralogix-api-key': sandbox.coralogix.apiKey,
        'x-oneuptime-api-key': sandbox.oneuptime.apiKey,
      };
      const { id } = assigned();
      expect((await forward.graphql(INCIDENT, { id }, keys)).headers['x-cache']).toBe('miss');
      expect((await forward.graphql(INCIDENT, { id }, keys)).headers['x-cache']).toBe('hit');
      // The same keys on a server-credentials replica are another scope.
      expect((await a.graphql(INCIDENT, { id })).headers['x-cache']).toBe('miss');

      const wrongKeys = { ...keys, 'x-coralogix-api-key': 'cxup_someone_else' };
      sandbox.clearRequests();
      const other = await forward.graphql<IncidentView>(INCIDENT, { id }, wrongKeys);
      expect(other.headers['x-cache']).toBe('miss');
      expect(other.errors?.length).toBeGreaterThan(0);
      expect(other.data?.incident ?? null).toBeNull(); // nothing from the other scope's entry
      expect(upstreamCalls()).toBeGreaterThan(0);
    });

    it('expires cached responses after RESPONSE_CACHE_TTL_MS', async () => {
      const short = await another({ RESPONSE_CACHE_TTL_MS: '300' });
      const { id } = assigned();
      expect((await short.graphql(INCIDENT, { id })).headers['x-cache']).toBe('miss');
      expect((await short.graphql(INCIDENT, { id })).headers['x-cache']).toBe('hit');
      // Redis holds the entry with the TTL as its expiry (it may be gone already on a slow
      // machine); the next request misses once Redis has dropped it.
      const entries = await admin.keys(`${P}resp:*`);
      expect(entries.length).toBeLessThanOrEqual(1);
      for (const key of entries) expect(await admin.pttl(key)).toBeLessThanOrEqual(300);
      const expired = async () => (await admin.keys(`${P}resp:*`)).length === 0;
      await waitFor('the cached response to expire', expired);
      sandbox.clearRequests();
      expect((await short.graphql(INCIDENT, { id })).headers['x-cache']).toBe('miss');
      expect(upstreamCalls()).toBeGreaterThan(0);
    });

    it('RESPONSE_CACHE_TTL_MS=0 turns the response cache off', async () => {
      const off = await another({ RESPONSE_CACHE_TTL_MS: '0' });
      const { id } = assigned();
      for (let i = 0; i < 2; i += 1) {
        const response = await off.graphql(INCIDENT, { id });
        expectData(response);
        expect(response.headers['x-cache']).toBeUndefined();
      }
      expect(await admin.keys(`${P}resp:*`)).toEqual([]);
    });
  });

  describe('automatic persisted queries', () => {
    const apq = (sha256Hash: string, query?: string) =>
      JSON.stringify({
        ...(query === undefined ? {} : { query }),
        extensions: { persistedQuery: { version: 1, sha256Hash } },
      });

    it('a hash registered on one replica is served by the other', async () => {
      const query = `{ incidents(first: 2) { totalCount } }`;
      const hash = (await import('node:crypto')).createHash('sha256').update(query).digest('hex');

      const unknown = await b.post(apq(hash));
      expect(unknown.errors?.[0]?.message).toBe('PersistedQueryNotFound');

      expectData(await a.post(apq(hash, query)));
      await waitFor('the registration', async () => (await admin.exists(`${P}apq:${hash}`)) === 1);
      expect(await admin.get(`${P}apq:${hash}`)).toBe(query);
      expect(await admin.pttl(`${P}apq:${hash}`)).toBeGreaterThan(0);

      const served = await b.post(apq(hash));
      expectData(served);
      expect(served.data).toEqual((await a.graphql(query)).data);
      expect(await cacheMetric(b, 'apq', 'hit')).toBe(1);
      expect(await cacheMetric(b, 'apq', 'miss')).toBe(1);
    });

    it('stores a registration at once, on any replica, only up to MAX_APQ_BYTES', async () => {
      const small = await another({ MAX_APQ_BYTES: '200' });
      const fits = `{ incidents(first: 1) { totalCount } }`;
      const tooLarge = `# ${'x'.repeat(300)}\n{ incidents(first: 1) { totalCount } }`;
      for (const query of [fits, tooLarge]) expectData(await small.post(apq(sha(query), query)));
      // Awaited before the answer: no polling for the registration.
      expect(await admin.get(`${P}apq:${sha(fits)}`)).toBe(fits);
      expectData(await b.post(apq(sha(fits))));
      // The large one ran, but is not stored: a hash-only retry must send the text again.
      expect(await admin.exists(`${P}apq:${sha(tooLarge)}`)).toBe(0);
      const retry = await small.post(apq(sha(tooLarge)));
      expect(retry.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    });

    it("stores no registration that did not run: refused variables, an unknown operation, a read-only token's mutation", async () => {
      const readOnly = await another({ GATEWAY_READ_TOKENS: 'reader' });
      const auth = { authorization: 'Bearer reader' };
      const cases = [
        {
          query: `query N($n: Int!) { incidents(first: $n) { totalCount } }`,
          variables: { n: 'x' },
        },
        { query: `query A { incidents(first: 1) { totalCount } }`, operationName: 'B' },
        {
          query: `mutation { unassignIncidents(input: { incidentIds: ["x"] }) { incidents { id } } }`,
        },
      ];
      for (const body of cases) {
        const answer = await readOnly.post(
          JSON.stringify({ ...body, extensions: apqExt(sha(body.query)) }),
          auth,
        );
        expect(answer.errors?.length, answer.text).toBeGreaterThan(0);
        expect(answer.data ?? undefined).toBeUndefined();
      }
      expect(await admin.keys(`${P}apq:*`)).toEqual([]);
    });
  });

  describe('tag sets', () => {
    it('hold only live entries: each store drops the members whose entries expired', async () => {
      const short = await another({ RESPONSE_CACHE_TTL_MS: '150' });
      const SEARCH = `query S($q: String) { incidents(first: 1, filter: { search: $q }) { totalCount } }`;
      for (let i = 0; i < 20; i += 1) expectData(await short.graphql(SEARCH, { q: `term-${i}` }));
      const tag = `${P}tag:list:incidents`;
      expect(await admin.zcard(tag)).toBeGreaterThan(0);
      await waitFor(
        'the entries to expire',
        async () => (await admin.keys(`${P}resp:*`)).length === 0,
      );

      expectData(await short.graphql(SEARCH, { q: 'live' }));
      const live = await admin.keys(`${P}resp:*`);
      expect(live).toHaveLength(1);
      expect(await admin.zrange(tag, 0, -1)).toEqual(live);
    });
  });

  describe('deployments of different accounts sharing one Redis', () => {
    it('serve only their own data and persisted queries, each under its own prefix', async () => {
      const theirs = await startSandbox({ incidentCount: 40, seed: 7 });
      const other = await startStack({
        over: theirs,
        env: { REDIS_URL: redis.url, RESPONSE_CACHE_TTL_MS: '60000' },
      });
      try {
        await connected(other);
        expect(redisKeyPrefix(other.config)).not.toBe(P);
        const COUNT = `{ incidents(first: 1) { totalCount } }`;
        type Count = { incidents: { totalCount: number } };
        expect((await a.graphql<Count>(COUNT)).data?.incidents.totalCount).toBe(300);
        expect((await a.graphql(COUNT)).headers['x-cache']).toBe('hit');
        const own = await other.graphql<Count>(COUNT);
        expect(own.headers['x-cache']).toBe('miss');
        expect(own.data?.incidents.totalCount).toBe(40);
        expect((await other.graphql(COUNT)).headers['x-cache']).toBe('hit');
        expect((await b.graphql<Count>(COUNT)).data?.incidents.totalCount).toBe(300);

        const query = `{ incidents(first: 2) { totalCount } }`;
        expectData(await a.post(JSON.stringify({ query, extensions: apqExt(sha(query)) })));
        const unknown = await other.post(JSON.stringify({ extensions: apqExt(sha(query)) }));
        expect(unknown.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');

        const prefixes = new Set((await admin.keys('*')).map((key) => key.split(':', 2).join(':')));
        expect([...prefixes].sort()).toEqual(
          [P, redisKeyPrefix(other.config)].map((p) => p.slice(0, -1)).sort(),
        );
      } finally {
        await other.stop();
        await theirs.stop();
      }
    });
  });

  describe('when Redis fails', () => {
    it('retries an eviction Redis did not take during a stall, so the other replica reads fresh data', async () => {
      const { id } = assigned();
      expect((await a.graphql(INCIDENT, { id })).headers['x-cache']).toBe('miss');
      expect((await b.graphql(INCIDENT, { id })).headers['x-cache']).toBe('hit');
      const [entry] = await admin.keys(`${P}resp:*`);
      redis.pause();
      try {
        // A read through `a` times out, so `a` leaves Redis alone for a moment...
        expectData(await a.graphql(INCIDENT, { id }));
        // ...and this mutation's eviction cannot be sent at once.
        expectData(await a.graphql(UNASSIGN, { input: { incidentIds: [id] } }));
      } finally {
        redis.resume();
      }
      await waitFor('the eviction to land', async () => (await admin.exists(entry!)) === 0);
      const fresh = await b.graphql<IncidentView>(INCIDENT, { id });
      expect(fresh.headers['x-cache']).toBe('miss');
      expect(fresh.data?.incident?.assignments).toEqual([]);
      expect(logged(a, INFO, /delayed eviction applied/)).toHaveLength(1);
    });

    it('keeps serving while Redis is down (one warning), and caches again once it is back', async () => {
      const gateway = await another({ RESPONSE_CACHE_TTL_MS: '60000' });
      const { id } = assigned();
      expect((await gateway.graphql(INCIDENT, { id })).headers['x-cache']).toBe('miss');
      expect((await gateway.graphql(INCIDENT, { id })).headers['x-cache']).toBe('hit');

      await redis.kill();
      await waitFor('the outage warning', () => logged(gateway, WARN, /Redis/).length > 0);
      for (let i = 0; i < 5; i += 1) {
        sandbox.clearRequests();
        const response = await gateway.graphql(INCIDENT, { id });
        expectData(response);
        expect(response.headers['x-cache']).toBeUndefined();
        expect(upstreamCalls()).toBeGreaterThan(0);
      }
      const mutation = await gateway.graphql(UNASSIGN, { input: { incidentIds: [id] } });
      expectData(mutation);
      const query = `{ incidents(first: 1) { totalCount } }`;
      const hash = (await import('node:crypto')).createHash('sha256').update(query).digest('hex');
      expectData(await gateway.post(JSON.stringify({ query, extensions: apqExt(hash) })));
      const notFound = await gateway.post(JSON.stringify({ extensions: apqExt(hash) }));
      expect(notFound.errors?.[0]?.message).toBe('PersistedQueryNotFound');

      expect(logged(gateway, WARN, /Redis/)).toHaveLength(1);
      expect(await cacheMetric(gateway, 'response', 'error')).toBeGreaterThan(0);

      await redis.restart();
      await waitFor('the reconnection', () => logged(gateway, INFO, /Redis is back/).length > 0);
      admin.disconnect();
      admin = new Redis(redis.url);
      expect((await gateway.graphql(INCIDENT, { id })).headers['x-cache']).toBe('miss');
      const cached = await gateway.graphql<IncidentView>(INCIDENT, { id });
      expect(cached.headers['x-cache']).toBe('hit');
      expect(cached.data?.incident?.assignments).toEqual([]);
      expect(logged(gateway, WARN, /Redis/)).toHaveLength(1);
    });

    it('a hung Redis costs a request at most the command timeout, then is skipped', async () => {
      const gateway = await another({ RESPONSE_CACHE_TTL_MS: '60000' });
      const { id } = assigned();
      expect((await gateway.graphql(INCIDENT, { id })).headers['x-cache']).toBe('miss');
      redis.pause();
      try {
        for (let i = 0; i < 4; i += 1) {
          const started = performance.now();
          const response = await gateway.graphql(INCIDENT, { id });
          expectData(response);
          expect(response.headers['x-cache']).toBeUndefined();
          expect(performance.now() - started).toBeLessThan(5_000);
        }
        expectData(await gateway.graphql(UNASSIGN, { input: { incidentIds: [id] } }));
        expect(logged(gateway, WARN, /Redis/)).toHaveLength(1);
      } finally {
        redis.resume();
      }
      await waitFor('the cache to work again', async () => {
        const response = await gateway.graphql(INCIDENT, { id });
        return response.headers['x-cache'] === 'hit';
      });
      expect(logged(gateway, INFO, /Redis is back/)).toHaveLength(1);
      expect(logged(gateway, WARN, /Redis/)).toHaveLength(1);
    });

    it('starts and serves with Redis unreachable, and never logs its password', async () => {
      const port = await freePort();
      const url = `redis://:s3cret-pass@127.0.0.1:${port}/0`;
      const gateway = await startStack({ over: sandbox, env: { REDIS_URL: url } });
      extra.push(gateway);
      const { id } = assigned();
      for (let i = 0; i < 3; i += 1) expectData(await gateway.graphql(INCIDENT, { id }));
      await waitFor('the warning', () => logged(gateway, WARN, /Redis/).length > 0);
      const warnings = logged(gateway, WARN, /Redis/);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.redis).toBe(`redis://***@127.0.0.1:${port}/0`);
      expect(gateway.logs.lines.join('\n')).not.toContain('s3cret-pass');
    });
  });
});

const apqExt = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });
const sha = (query: string) => createHash('sha256').update(query).digest('hex');

describe('redactRedisUrl', () => {
  it('drops credentials and query options', () => {
    expect(redactRedisUrl('redis://user:pw@cache:6379/2?password=x')).toBe(
      'redis://***@cache:6379/2',
    );
    expect(redactRedisUrl('rediss://:pw@cache.example.com')).toBe('rediss://***@cache.example.com');
    expect(redactRedisUrl('redis://127.0.0.1:6380')).toBe('redis://127.0.0.1:6380');
    expect(redactRedisUrl('cache:6379')).toBe('redis://cache:6379');
  });
});
