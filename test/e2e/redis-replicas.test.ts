/**
 * Scale-out as operators run it: two gateway PROCESSES (the built
 * `dist/src/main.js`) over one upstream (the sandbox, started here) and one
 * real redis-server. A persisted query registered on one is served by the
 * other; a read cached through one is evicted by a mutation through the
 * other; Redis stopped mid-test leaves both serving, and they cache again
 * once it is back. Link writes through both leave one link, and with Redis
 * hung the link lock refuses rather than let both replicas create.
 *
 * The build goes to a private directory (node_modules/.cache/igw-redis-e2e),
 * so it never races another build of `dist/`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/config.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { liveClaimants } from '../support/links.js';
import { describeRedis, freePort, startRedis, type RedisServer } from '../support/redis.js';
import { INCIDENT, UNASSIGN } from '../support/selections.js';
import { waitFor } from '../support/tools.js';
import { builtGateway } from './support.js';

const ROOT = packageRoot();
const READY_TIMEOUT_MS = 20_000;

interface LogLine {
  level?: number;
  msg?: string;
  [key: string]: unknown;
}

interface Replica {
  url: string;
  child: ChildProcess;
  logs: LogLine[];
}

interface Response {
  status: number;
  cache: string | null;
  body: {
    data?: {
      incident?: { id: string; assignments: unknown[] } | null;
      [field: string]: unknown;
    } | null;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
}

async function post(replica: Replica, body: unknown): Promise<Response> {
  const response = await fetch(`${replica.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    cache: response.headers.get('x-cache'),
    body: (await response.json()) as Response['body'],
  };
}

/** Our environment minus anything that configures a gateway (the test sets those). */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const gatewayVariable =
    /^(CORALOGIX_|ONEUPTIME_|SANDBOX|GATEWAY_|UPSTREAM_|MAX_|OPERATION_|RESPONSE_CACHE|OTEL_)|^(HOST|PORT|CREDENTIALS|NODE_ENV|GRAPHIQL|LOG_LEVEL|REDIS_URL)$/;
  for (const [name, value] of Object.entries(process.env)) {
    if (!gatewayVariable.test(name)) env[name] = value;
  }
  return env;
}

async function startReplica(sandbox: Sandbox, redisUrl: string): Promise<Replica> {
  const port = await freePort();
  const child = spawn(process.execPath, [builtGateway()], {
    cwd: ROOT,
    env: {
      ...baseEnv(),
      PORT: String(port),
      HOST: '127.0.0.1',
      CORALOGIX_API_URL: sandbox.coralogix.url,
      CORALOGIX_API_KEY: sandbox.coralogix.apiKey,
      ONEUPTIME_API_URL: sandbox.oneuptime.url,
      ONEUPTIME_API_KEY: sandbox.oneuptime.apiKey,
      REDIS_URL: redisUrl,
      RESPONSE_CACHE_TTL_MS: '60000',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const replica: Replica = { url: `http://127.0.0.1:${port}`, child, logs: [] };
  const stderr: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      replica.logs.push(JSON.parse(line) as LogLine);
    } catch {
      replica.logs.push({ msg: line });
    }
  });
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`gateway exited (${code}): ${stderr.join('\n')}`)),
    ),
  );
  exited.catch(() => undefined);
  const messages = () => replica.logs.map((line) => line.msg ?? '');
  await Promise.race([
    exited,
    waitFor(
      'the gateway to be ready and connected to Redis',
      () =>
        messages().some((m) => m.startsWith('gateway ready')) &&
        messages().includes('shared cache connected to Redis'),
      READY_TIMEOUT_MS,
    ),
  ]);
  return replica;
}

async function stopReplica(replica: Replica | undefined): Promise<void> {
  const child = replica?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exit;
  clearTimeout(timer);
}

const redisWarnings = (replica: Replica) =>
  replica.logs.filter((line) => line.level === 40 && /Redis/.test(line.msg ?? ''));

describeRedis('two gateway processes sharing one Redis', (redisServerPath) => {
  let redis: RedisServer;
  let sandbox: Sandbox;
  let one: Replica;
  let two: Replica;

  beforeAll(async () => {
    [redis, sandbox] = await Promise.all([startRedis(redisServerPath), startSandbox()]);
    [one, two] = await Promise.all([
      startReplica(sandbox, redis.url),
      startReplica(sandbox, redis.url),
    ]);
  });

  afterAll(async () => {
    await Promise.all([stopReplica(one), stopReplica(two)]);
    await Promise.all([sandbox?.stop(), redis?.stop()]);
  });

  const assignedIncident = (skip: number) => {
    const found = sandbox.seed.incidents.filter((i) => i.assignments.length > 0)[skip];
    if (!found) throw new Error('the seed has no assigned incident');
    return found;
  };

  it('serves on one replica a persisted query registered on the other', async () => {
    const query = `{ incidents(first: 3) { totalCount edges { node { id } } } }`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };

    const unknown = await post(two, { extensions });
    expect(unknown.body.errors?.[0]?.message).toBe('PersistedQueryNotFound');

    const registered = await post(one, { query, extensions });
    expect(registered.body.errors).toBeUndefined();
    // Apollo stores the registration without waiting for it: poll the other replica.
    let served: Response | undefined;
    await waitFor('the hash to be served by the other replica', async () => {
      served = await post(two, { extensions });
      return served.body.errors === undefined;
    });
    expect(served?.status).toBe(200);
    expect(served?.body.data).toEqual(registered.body.data);
  });

  it('a mutation through one replica evicts what the other cached', async () => {
    const incident = assignedIncident(0);
    const read = { query: INCIDENT, variables: { id: incident.id } };
    const first = await post(one, read);
    expect(first.cache).toBe('miss');
    expect(first.body.data?.incident?.assignments.length).toBeGreaterThan(0);

    sandbox.clearRequests();
    for (const replica of [one, two]) {
      const cached = await post(replica, read);
      expect(cached.cache).toBe('hit');
      expect(cached.body).toEqual(first.body);
    }
    expect(sandbox.requests()).toEqual([]);

    const mutation = await post(two, {
      query: UNASSIGN,
      variables: { input: { incidentIds: [incident.id] } },
    });
    expect(mutation.body.errors).toBeUndefined();

    sandbox.clearRequests();
    const fresh = await post(one, read);
    expect(fresh.cache).toBe('miss');
    expect(fresh.body.data?.incident?.assignments).toEqual([]);
    expect(sandbox.requests().length).toBeGreaterThan(0);
  });

  const LINK_FIELD = 'coralogixIncidentId';
  const unlinked = (skip: number) =>
    sandbox.seed.incidents.filter(
      (i) =>
        !sandbox.seed.oneUptimeIncidents.some(
          (row) => (row.customFields as Record<string, unknown> | null)?.[LINK_FIELD] === i.id,
        ),
    )[skip]!;
  const ENSURE = `mutation Ensure($i: EnsureOneUptimeIncidentInput!) {
    ensureOneUptimeIncident(input: $i) { oneUptimeIncident { id } created }
  }`;
  const LINK_STATUS = `query Link($id: ID!) { incident(id: $id) { linkStatus } }`;

  it('two concurrent ensureOneUptimeIncident calls, one per replica, create one OneUptime incident', async () => {
    const incident = unlinked(0);
    // Slow upstream answers: both replicas would read "not linked" before either creates,
    // were it not for the lock they share in Redis.
    sandbox.setLatency(100);
    sandbox.clearRequests();
    const ensure = (replica: Replica) =>
      post(replica, { query: ENSURE, variables: { i: { incidentId: incident.id } } });
    const [a, b] = await Promise.all([ensure(one), ensure(two)]);
    sandbox.setLatency(0);
    expect(a.body.errors).toBeUndefined();
    expect(b.body.errors).toBeUndefined();
    const creates = sandbox
      .requests('oneuptime')
      .filter((r) => r.method === 'POST' && r.path === '/api/incident');
    expect(creates).toHaveLength(1);
    const payloads = [a, b].map(
      (r) =>
        (
          r.body.data as {
            ensureOneUptimeIncident: { created: boolean; oneUptimeIncident: { id: string } };
          }
        ).ensureOneUptimeIncident,
    );
    expect(payloads.map((p) => p.created).sort()).toEqual([false, true]);
    expect(payloads[0]!.oneUptimeIncident.id).toBe(payloads[1]!.oneUptimeIncident.id);
  });

  it('a link written through one replica shows at once on the other, whatever it had cached', async () => {
    const incident = unlinked(1);
    const read = { query: LINK_STATUS, variables: { id: incident.id } };
    expect((await post(one, read)).body.data?.incident).toEqual({ linkStatus: 'NOT_LINKED' });
    const ensured = await post(two, {
      query: ENSURE,
      variables: { i: { incidentId: incident.id } },
    });
    expect(ensured.body.errors).toBeUndefined();
    expect((await post(one, read)).body.data?.incident).toEqual({ linkStatus: 'LINKED' });
  });

  describe('with Redis stopped mid-test', () => {
    it('both replicas keep serving, each logs one warning, and they cache again once it is back', async () => {
      const incident = assignedIncident(1);
      const read = { query: INCIDENT, variables: { id: incident.id } };
      expect((await post(one, read)).cache).toBe('miss');
      expect((await post(two, read)).cache).toBe('hit');

      await redis.stop();
      for (let i = 0; i < 3; i += 1) {
        for (const replica of [one, two]) {
          const response = await post(replica, read);
          expect(response.status).toBe(200);
          expect(response.body.errors).toBeUndefined();
          expect(response.body.data?.incident?.id).toBe(incident.id);
          expect(response.cache).toBeNull();
        }
      }
      for (const replica of [one, two]) {
        await waitFor('the outage warning', () => redisWarnings(replica).length > 0);
        expect(redisWarnings(replica)).toHaveLength(1);
        expect(JSON.stringify(redisWarnings(replica)[0])).not.toMatch(/password/i);
      }

      await redis.restart();
      for (const replica of [one, two]) {
        await waitFor('the reconnection', () =>
          replica.logs.some((line) => line.msg === 'Redis is back: shared cache on'),
        );
      }
      expect((await post(two, read)).cache).toBe('miss');
      expect((await post(one, read)).cache).toBe('hit');
      for (const replica of [one, two]) expect(redisWarnings(replica)).toHaveLength(1);
    });
  });
  describe('link writes through both replicas', () => {
    // Each test starts from the seed (the earlier tests linked some incidents).
    beforeEach(() => sandbox.reset());
    interface LinkAnswer {
      incident: { id: string };
      oneUptimeIncident: { id: string } | null;
      created: boolean;
    }
    const LINK = `mutation Link($i: LinkIncidentInput!) {
      linkIncident(input: $i) { incident { id } oneUptimeIncident { id } created }
    }`;
    const link = (replica: Replica, incidentId: string, oneUptimeIncidentId: string) =>
      post(replica, { query: LINK, variables: { i: { incidentId, oneUptimeIncidentId } } });
    const claimantsOf = (incidentId: string) => liveClaimants(sandbox, incidentId);
    const backLines = (replica: Replica) =>
      replica.logs.filter((line) => line.msg === 'Redis is back: shared cache on').length;
    const freeOneUptime = () =>
      sandbox.seed.oneUptimeIncidents.filter(
        (row) => !(row.customFields as Record<string, unknown> | null)?.[LINK_FIELD],
      );
    const payloadOf = (response: Response) =>
      (Object.values(response.body.data ?? {})[0] ?? null) as LinkAnswer | null;
    /** Each answer: a success describing the persisted link, or CONFLICT with a null field. */
    const expectTrue = (answers: Response[], incidentId: string, oneUptimeId: string) => {
      for (const answer of answers) {
        const error = answer.body.errors?.[0];
        if (error) {
          expect(error.extensions?.code, error.message).toBe('CONFLICT');
          expect(payloadOf(answer)).toBeNull();
          continue;
        }
        expect(payloadOf(answer)?.incident.id).toBe(incidentId);
        expect(payloadOf(answer)?.oneUptimeIncident?.id).toBe(oneUptimeId);
      }
      expect(answers.some((answer) => !answer.body.errors)).toBe(true);
    };

    it('20 concurrent linkIncident(C, O_k): one link persists, the rest CONFLICT', async () => {
      const incident = unlinked(2);
      const targets = freeOneUptime().slice(0, 5);
      sandbox.setLatency(10);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, k) =>
          link(k % 2 ? one : two, incident.id, targets[k % targets.length]!._id),
        ),
      );
      sandbox.setLatency(0);
      const claimants = await claimantsOf(incident.id);
      expect(claimants).toHaveLength(1);
      expectTrue(answers, incident.id, claimants[0]!._id);
    });

    it('20 concurrent linkIncident(C_k, O): one Coralogix incident gets the link', async () => {
      const incidents = [3, 4, 5, 6, 7].map(unlinked);
      const target = freeOneUptime()[0]!;
      sandbox.setLatency(10);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, k) =>
          link(k % 2 ? one : two, incidents[k % incidents.length]!.id, target._id),
        ),
      );
      sandbox.setLatency(0);
      const winner = incidents.find((i) => answers.some((a) => payloadOf(a)?.incident.id === i.id));
      expect(winner).toBeDefined();
      for (const incident of incidents) {
        expect((await claimantsOf(incident.id)).map((row) => row._id)).toEqual(
          incident === winner ? [target._id] : [],
        );
      }
      expectTrue(answers, winner!.id, target._id);
    });

    it('ensure on both replicas while Redis is hung: at most one OneUptime incident, refusals say why', async () => {
      const incident = unlinked(8);
      sandbox.clearRequests();
      redis.pause();
      let answers: Response[];
      try {
        answers = await Promise.all(
          [one, two].map((replica) =>
            post(replica, { query: ENSURE, variables: { i: { incidentId: incident.id } } }),
          ),
        );
      } finally {
        redis.resume();
      }
      const claimants = await claimantsOf(incident.id);
      expect(claimants.length).toBeLessThanOrEqual(1);
      const creates = sandbox
        .requests('oneuptime')
        .filter((r) => r.method === 'POST' && r.path === '/api/incident');
      expect(creates).toHaveLength(claimants.length);
      for (const answer of answers) {
        const error = answer.body.errors?.[0];
        if (!error) {
          expect(payloadOf(answer)?.oneUptimeIncident?.id).toBe(claimants[0]?._id);
          continue;
        }
        expect(error.extensions?.code, error.message).toBe('UPSTREAM_UNAVAILABLE');
        expect(error.message).toMatch(/Redis/);
        expect(payloadOf(answer)).toBeNull();
      }
      // Once Redis answers again the id is free: a new ensure goes through.
      const backBefore = [one, two].map(backLines);
      await waitFor('both replicas to use Redis again', async () => {
        const back = await Promise.all(
          [one, two].map(async (replica, i) => {
            await post(replica, { query: LINK_STATUS, variables: { id: incident.id } });
            return backLines(replica) > backBefore[i]!;
          }),
        );
        return back.every(Boolean);
      });
      const again = await post(two, {
        query: ENSURE,
        variables: { i: { incidentId: incident.id } },
      });
      expect(again.body.errors).toBeUndefined();
      expect(await claimantsOf(incident.id)).toHaveLength(1);
    });
  });
});
