/**
 * The link lock across replicas (REDIS_URL), in process: two gateways over one
 * sandbox and one real redis-server. Concurrent link writes through both
 * leave one link; with Redis hung the lock fails closed (a clear refusal, no
 * second OneUptime incident); an acquisition whose reply was lost in the stall
 * leaves no key behind once Redis resumes.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { LINK_FIELD } from '../../src/sandbox/seed.js';
import { liveClaimants, liveRow, seedLinks } from '../support/links.js';
import { adminClient, describeRedis, startRedis, type RedisServer } from '../support/redis.js';
import { startStack, type RawResponse, type Stack } from '../support/stack.js';
import { waitFor } from '../support/tools.js';

interface LinkPayload {
  incident: { id: string };
  oneUptimeIncident: { id: string; customFields: Record<string, unknown> | null } | null;
  created: boolean;
}
type Answer = RawResponse<Record<string, LinkPayload | null>>;

const PAYLOAD = 'incident { id } oneUptimeIncident { id customFields } created';
const LINK = `mutation ($i: LinkIncidentInput!) { linkIncident(input: $i) { ${PAYLOAD} } }`;
const ENSURE = `mutation ($i: EnsureOneUptimeIncidentInput!) {
  ensureOneUptimeIncident(input: $i) { ${PAYLOAD} } }`;
const INCIDENT = 'query ($id: ID!) { incident(id: $id) { id name } }';

const WARN = 40;
const payloadOf = (answer: Answer) => Object.values(answer.data ?? {})[0] ?? null;
const codeOf = (answer: Answer) => answer.errors?.[0]?.extensions?.code;

describeRedis('the link lock across two replicas', (redisServerPath) => {
  let redis: RedisServer;
  let sandbox: Sandbox;
  let a: Stack;
  let b: Stack;
  let admin: Redis;

  const links = () => seedLinks(sandbox.seed);
  const freeOneUptime = () =>
    sandbox.seed.oneUptimeIncidents.filter((row) => !links().namedBy(row._id));
  const link = (gateway: Stack, coralogixId: string, oneUptimeId: string) =>
    gateway.graphql(LINK, {
      i: { incidentId: coralogixId, oneUptimeIncidentId: oneUptimeId },
    }) as Promise<Answer>;
  const ensure = (gateway: Stack, coralogixId: string) =>
    gateway.graphql(ENSURE, { i: { incidentId: coralogixId } }) as Promise<Answer>;
  const creates = () =>
    sandbox.requests('oneuptime').filter((r) => r.method === 'POST' && r.path === '/api/incident');
  const lockKeys = () => admin.keys('*lock:*');

  /** A success describing the persisted link, or CONFLICT with a null field. */
  const expectTrue = (answers: Answer[], coralogixId: string, oneUptimeId: string) => {
    for (const answer of answers) {
      if (answer.errors) {
        expect(codeOf(answer), answer.text).toBe('CONFLICT');
        expect(payloadOf(answer)).toBeNull();
        continue;
      }
      expect(payloadOf(answer)?.incident.id, answer.text).toBe(coralogixId);
      expect(payloadOf(answer)?.oneUptimeIncident?.id, answer.text).toBe(oneUptimeId);
    }
    expect(answers.some((answer) => !answer.errors)).toBe(true);
  };

  beforeAll(async () => {
    [redis, sandbox] = await Promise.all([startRedis(redisServerPath), startSandbox()]);
    const env = { REDIS_URL: redis.url, LINK_CACHE_TTL_MS: '60000' };
    [a, b] = await Promise.all([
      startStack({ over: sandbox, env }),
      startStack({ over: sandbox, env }),
    ]);
    admin = adminClient(redis.url);
    for (const gateway of [a, b]) {
      await waitFor('the gateway to connect to Redis', () =>
        gateway.logs.entries().some((entry) => entry.msg === 'shared cache connected to Redis'),
      );
    }
  });

  afterAll(async () => {
    redis?.resume();
    await Promise.all([a?.stop(), b?.stop()]);
    admin?.disconnect();
    await Promise.all([sandbox?.stop(), redis?.stop()]);
  });

  beforeEach(async () => {
    sandbox.reset();
    await admin.flushall();
  });

  it('20 linkIncident(C, O_k) through two replicas: one link persists, the rest CONFLICT', async () => {
    const incident = links().unlinked[0]!;
    const targets = freeOneUptime().slice(0, 5);
    sandbox.setLatency(10);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, k) =>
        link(k % 2 ? a : b, incident.id, targets[k % targets.length]!._id),
      ),
    );
    sandbox.setLatency(0);
    const claimants = await liveClaimants(sandbox, incident.id);
    expect(claimants).toHaveLength(1);
    expectTrue(answers, incident.id, claimants[0]!._id);
    expect(await lockKeys()).toEqual([]);
  });

  it('20 linkIncident(C_k, O) through two replicas: one Coralogix incident gets the link', async () => {
    const incidents = links().unlinked.slice(0, 10);
    const target = freeOneUptime()[0]!;
    sandbox.setLatency(10);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, k) => link(k % 2 ? a : b, incidents[k % 10]!.id, target._id)),
    );
    sandbox.setLatency(0);
    const winner = String((await liveRow(sandbox, target._id)).customFields?.[LINK_FIELD]);
    for (const incident of incidents) {
      const claimants = await liveClaimants(sandbox, incident.id);
      expect(claimants.map((row) => row._id)).toEqual(incident.id === winner ? [target._id] : []);
    }
    expectTrue(answers, winner, target._id);
  });

  it('ensure on one replica racing link on the other leaves one link', async () => {
    const incident = links().unlinked[1]!;
    const target = freeOneUptime()[1]!;
    sandbox.setLatency(30);
    const answers = await Promise.all([ensure(a, incident.id), link(b, incident.id, target._id)]);
    sandbox.setLatency(0);
    const claimants = await liveClaimants(sandbox, incident.id);
    expect(claimants).toHaveLength(1);
    expectTrue(answers, incident.id, claimants[0]!._id);
  });

  describe('with Redis hung', () => {
    it('ensure on both replicas creates at most one OneUptime incident; a refusal says why', async () => {
      const incident = links().unlinked[2]!;
      // Warm: the Coralogix incident is read before the lock is waited for.
      sandbox.clearRequests();
      redis.pause();
      let answers: Answer[];
      try {
        answers = await Promise.all([ensure(a, incident.id), ensure(b, incident.id)]);
      } finally {
        redis.resume();
      }
      const claimants = await liveClaimants(sandbox, incident.id);
      expect(creates().length).toBe(claimants.length);
      expect(claimants.length).toBeLessThanOrEqual(1);
      for (const answer of answers) {
        if (!answer.errors) {
          expect(payloadOf(answer)?.oneUptimeIncident?.id).toBe(claimants[0]?._id);
          continue;
        }
        expect(codeOf(answer), answer.text).toBe('UPSTREAM_UNAVAILABLE');
        expect(answer.errors[0]?.extensions?.lock).toBe('unavailable');
        expect(answer.errors[0]?.message).toMatch(/Redis/);
        expect(payloadOf(answer)).toBeNull();
      }
      const refused = answers.filter((answer) => answer.errors).length;
      const warnings = [a, b].flatMap((gateway) =>
        gateway.logs
          .entries()
          .filter((entry) => entry.level === WARN && /link write refused/.test(String(entry.msg))),
      );
      expect(warnings).toHaveLength(refused);
    });

    it('an acquisition whose reply was lost leaves no key: the next ensure goes through', async () => {
      const incident = links().unlinked[3]!;
      // Read once, so the refused ensure below fails on the lock, not on a cold read.
      expect((await a.graphql(INCIDENT, { id: incident.id })).errors).toBeUndefined();
      redis.pause();
      let refused: Answer;
      try {
        refused = await ensure(a, incident.id);
      } finally {
        redis.resume();
      }
      // Once the gateway has a reply to a command sent after the stall, Redis has run everything
      // that gateway sent before it on the same connection: the lost acquisition and its release.
      await waitFor('the gateway to use Redis again', async () => {
        await a.graphql(INCIDENT, { id: incident.id });
        return a.logs.entries().some((entry) => entry.msg === 'Redis is back: shared cache on');
      });
      expect(await lockKeys()).toEqual([]);
      expect(codeOf(refused), refused.text).toBe('UPSTREAM_UNAVAILABLE');
      expect(creates()).toEqual([]);
      const again = await ensure(b, incident.id);
      expect(again.errors, again.text).toBeUndefined();
      expect(payloadOf(again)?.created).toBe(true);
      expect(await liveClaimants(sandbox, incident.id)).toHaveLength(1);
    });
  });
});
