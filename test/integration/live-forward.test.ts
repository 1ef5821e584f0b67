/**
 * Live updates with CREDENTIALS=forward: each subscriber's own upstream keys,
 * one poller and one loader set per key set, and nothing crosses key sets.
 */
import type { Client } from 'graphql-ws';
import { afterAll, expect, it } from 'vitest';
import { useStack } from '../support/stack.js';
import { metric, subscribeWs, waitForSubscribers, wsClient } from '../support/live.js';
import { UNASSIGN } from '../support/selections.js';
import { waitFor } from '../support/tools.js';

const CHANGES = `subscription { incidentChanged { kind incident { id slas { id } } } }`;

const stack = useStack({ env: { CREDENTIALS: 'forward', LIVE_POLL_INTERVAL_MS: '150' } });
const clients: Client[] = [];
// Runs before the stack's own afterAll (after-hooks run in reverse order).
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
});

function client(params: Record<string, unknown>): Client {
  const created = wsClient(stack.gateway.url, params);
  clients.push(created);
  return created;
}

it('keeps each key set to itself, and a wrong key fails only its own poller', async () => {
  const good = {
    'X-Coralogix-Api-Key': stack.sandbox.coralogix.apiKey,
    'X-OneUptime-Api-Key': stack.sandbox.oneuptime.apiKey,
  };
  const wrongKey = 'cxup_wrong_key_0000000000';
  const missing = subscribeWs(client({}), CHANGES);
  const mine = subscribeWs(client(good), CHANGES);
  const other = subscribeWs(client({ ...good, 'X-Coralogix-Api-Key': wrongKey }), CHANGES);

  await waitFor('the refusal', () => missing.error !== undefined);
  expect(missing.error).toMatchObject({ code: 4403 });
  expect((missing.error as { reason: string }).reason).toMatch(/X-Coralogix-Api-Key/);

  await waitForSubscribers(stack.gateway.url, 'ws', 2);
  // Two key sets, two pollers: the wrong one fails (and backs off), the right one polls.
  await waitFor('both pollers to have run', async () => {
    const ready = (await (await fetch(`${stack.gateway.url}/readyz`)).json()) as {
      live: { pollers: Array<{ lastErrorCode?: string; lastSuccessAt?: string }> };
    };
    return (
      ready.live.pollers.length === 2 &&
      ready.live.pollers.some((p) => p.lastErrorCode === 'UPSTREAM_UNAUTHENTICATED') &&
      ready.live.pollers.some((p) => p.lastSuccessAt !== undefined)
    );
  });
  const readyz = await (await fetch(`${stack.gateway.url}/readyz`)).text();
  expect(readyz).not.toContain(wrongKey);
  expect(readyz).not.toContain(stack.sandbox.coralogix.apiKey);

  const incident = stack.sandbox.seed.incidents.find((i) => i.assignments.length > 0)!;
  const answer = await stack.graphql(
    UNASSIGN,
    { input: { incidentIds: [incident.id] } },
    {
      'x-coralogix-api-key': good['X-Coralogix-Api-Key'],
      'x-oneuptime-api-key': good['X-OneUptime-Api-Key'],
    },
  );
  expect(answer.errors).toBeUndefined();
  await waitFor('the change for the same key set', () => mine.events.length > 0);
  expect(mine.events[0]?.errors).toBeUndefined();
  // A change made with the other keys: published to their scope only.
  expect(other.events).toEqual([]);
  expect(other.error).toBeUndefined();
  expect(
    await metric(
      stack.gateway.url,
      'gateway_live_changes_total',
      'source="mutation",kind="UPDATED"',
    ),
  ).toBe(1);
});
