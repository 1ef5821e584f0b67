/**
 * The poll lease across replicas is per live family (review finding: with one
 * lease per credential scope, its holder polled only the families subscribed
 * to on itself, so case subscribers on the other replica never got case
 * changes made outside the gateway). Two gateways over one sandbox and one
 * real redis-server: A subscribes to incidents only, B to cases only; a case
 * acknowledged in Coralogix itself reaches B's subscriber.
 */
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { byStatus } from '../support/cases.js';
import { cx } from '../support/coralogix.js';
import {
  casePollCalls,
  metric,
  subscribeWs,
  waitForSubscribers,
  wsClient,
} from '../support/live.js';
import { describeRedis, startRedis, type RedisServer } from '../support/redis.js';
import { startStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/tools.js';

const INCIDENT_CHANGES = 'subscription { incidentChanged { kind incident { id } } }';
const CASE_CHANGES = 'subscription { caseChanged { kind case { id status } } }';

describeRedis('live families subscribed to on different replicas', (redisServerPath) => {
  let redis: RedisServer;
  let sandbox: Sandbox;
  let a: Stack;
  let b: Stack;
  const clients: Client[] = [];

  beforeAll(async () => {
    [redis, sandbox] = await Promise.all([startRedis(redisServerPath), startSandbox()]);
    const env = { REDIS_URL: redis.url, LIVE_POLL_INTERVAL_MS: '200' };
    [a, b] = await Promise.all([
      startStack({ over: sandbox, env }),
      startStack({ over: sandbox, env }),
    ]);
    for (const gateway of [a, b]) {
      await waitFor('the gateway to connect to Redis', async () => {
        const ready = (await (await fetch(`${gateway.gateway.url}/readyz`)).json()) as {
          live: { redis: string };
        };
        return ready.live.redis === 'connected';
      });
    }
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await Promise.all([a?.stop(), b?.stop()]);
    await Promise.all([sandbox?.stop(), redis?.stop()]);
  });

  const ws = (stack: Stack) => {
    const client = wsClient(stack.gateway.url);
    clients.push(client);
    return client;
  };

  it('are each polled: case changes made elsewhere reach the replica that alone watches cases', async () => {
    subscribeWs(ws(a), INCIDENT_CHANGES);
    await waitForSubscribers(a.gateway.url, 'ws', 1);
    // A polls (its incidents) before B has any subscriber.
    await waitFor(
      'A to poll',
      async () => (await metric(a.gateway.url, 'gateway_live_pollers_leading')) === 1,
    );

    const cases = subscribeWs<{ caseChanged: { case: { id: string; status: string } } }>(
      ws(b),
      CASE_CHANGES,
    );
    await waitForSubscribers(b.gateway.url, 'ws', 1);
    // Cases are polled (by whichever replica holds their lease): a baseline, then a look.
    await waitFor('two looks at cases', () => casePollCalls(sandbox).length >= 2);

    const item = byStatus(sandbox, 'ACTIVE')[0]!.case;
    expect((await cx(sandbox, 'PUT', `/cases/acknowledged/v1/${item.id}`)).status).toBe(200);
    await waitFor('the change on B', () =>
      cases.events.some((event) => event.data?.caseChanged.case.id === item.id),
    );
    expect(cases.error).toBeUndefined();
  });
});
