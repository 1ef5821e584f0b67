/**
 * One bulk change larger than the slow-consumer event bound (review finding:
 * `setCasePriority` on all 120 sandbox cases closed a reading WebSocket with
 * 1008 "Slow consumer: 101 events waiting" before it received anything). A
 * client that reads gets every event of the batch and stays connected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { subscribeWs, waitForSubscribers, wsClient } from '../support/live.js';
import { useStack } from '../support/stack.js';
import { waitFor } from '../support/tools.js';

const CHANGES = `subscription { caseChanged { kind case { id } } }`;

const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});

describe('a bulk case write of more than 100 cases', () => {
  // One poll an hour: after the baseline, only the mutation delivers anything.
  const stack = useStack({ env: { LIVE_POLL_INTERVAL_MS: '3600000' } });

  it('reaches a reading WebSocket subscriber whole, without closing it', async () => {
    const client = wsClient(stack.gateway.url);
    clients.push(client);
    const received = subscribeWs<{ caseChanged: { case: { id: string } } }>(client, CHANGES);
    await waitForSubscribers(stack.gateway.url, 'ws', 1);

    const ids = stack.sandbox.seed.cases.map((record) => record.case.id);
    expect(ids.length).toBeGreaterThan(101);
    const result = await stack.graphql<{ setCasePriority: { cases: Array<{ id: string }> } }>(
      'mutation ($ids: [ID!]!) { setCasePriority(input: { caseIds: $ids, priority: P1 }) { cases { id } } }',
      { ids },
    );
    expect(result.errors).toBeUndefined();
    const written = result.data!.setCasePriority.cases.length;
    expect(written).toBeGreaterThan(101);

    await waitFor(
      'every change, or the end of the subscription',
      () => received.events.length >= written || received.error !== undefined,
    );
    expect(received.error).toBeUndefined();
    expect(received.completed).toBe(false);
    expect(new Set(received.events.map((event) => event.data?.caseChanged.case.id)).size).toBe(
      written,
    );
  });
});
