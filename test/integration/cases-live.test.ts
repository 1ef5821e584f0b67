/**
 * `caseChanged` over real HTTP with the real clients of both protocols
 * (graphql-ws, graphql-sse): case writes through the gateway are published at
 * once; changes made elsewhere are seen by the one poller, which lists cases
 * by `UPDATED_AT` only while someone subscribes to `caseChanged`; filters;
 * and a key without case permissions leaves the incident feed polling.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { byStatus } from '../support/cases.js';
import { cx } from '../support/coralogix.js';
import {
  casePollCalls,
  pollCalls,
  subscribeSse,
  subscribeWs,
  waitForSubscribers,
  wsClient,
  type Received,
} from '../support/live.js';
import { useStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/tools.js';

const CHANGES = `subscription CaseChanges($filter: CaseFilter) {
  caseChanged(filter: $filter) { kind changedFields case { id status category assignee { id } } }
}`;
const INCIDENT_CHANGES = 'subscription { incidentChanged { kind incident { id } } }';

interface Change {
  caseChanged: {
    kind: string;
    changedFields: string[];
    case: { id: string; status: string; category: string; assignee: { id: string } | null };
  };
}

const changesOf = (received: Received<Change>, caseId: string) =>
  received.events
    .map((event) => event.data?.caseChanged)
    .filter((change) => change?.case.id === caseId);

const clients: Client[] = [];
const subscriptions: Array<{ stop(): void }> = [];
afterEach(async () => {
  for (const subscription of subscriptions.splice(0)) subscription.stop();
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});
const ws = (stack: Stack) => {
  const client = wsClient(stack.gateway.url);
  clients.push(client);
  return client;
};
const track = <T extends { stop(): void }>(subscription: T): T => {
  subscriptions.push(subscription);
  return subscription;
};

const USER = '0b6f9a4e-5d1c-4c1e-9a57-2f1f7f3a9e10';

describe('a case write through the gateway', () => {
  // One poll an hour: after the baseline, only a mutation can deliver anything.
  const stack = useStack({ env: { LIVE_POLL_INTERVAL_MS: '3600000' } });

  it('reaches WebSocket and SSE subscribers at once; the baseline listed cases, not incidents', async () => {
    const overWs = track(subscribeWs<Change>(ws(stack), CHANGES));
    const overSse = track(subscribeSse<Change>(stack.gateway.url, CHANGES));
    await waitForSubscribers(stack.gateway.url, 'ws', 1);
    await waitForSubscribers(stack.gateway.url, 'sse', 1);
    await waitFor('the baseline poll of cases', () => casePollCalls(stack.sandbox).length >= 1);
    const [baseline] = casePollCalls(stack.sandbox);
    expect(baseline?.body).toEqual({
      orderBy: {
        field: 'CASE_ORDER_BY_FIELD_UPDATED_AT',
        direction: 'CASE_ORDER_BY_DIRECTION_DESCENDING',
      },
      pagination: { pageSize: 50 },
    });
    expect(pollCalls(stack.sandbox)).toEqual([]);

    const item = byStatus(stack.sandbox, 'ACTIVE').find((r) => !r.case.assignee)!.case;
    const result = await stack.graphql(
      'mutation ($ids: [ID!]!, $u: ID!) { assignCases(input: { caseIds: $ids, userId: $u }) { cases { id } } }',
      { ids: [item.id], u: USER },
    );
    expect(result.errors).toBeUndefined();
    for (const received of [overWs, overSse]) {
      await waitFor('the change', () => changesOf(received, item.id).length > 0);
      expect(changesOf(received, item.id)).toEqual([
        expect.objectContaining({
          kind: 'UPDATED',
          changedFields: expect.arrayContaining(['assignee', 'updatedAt']),
          case: expect.objectContaining({ assignee: { id: USER } }),
        }),
      ]);
    }
    // The mutation published by itself: no poll since the baseline.
    expect(casePollCalls(stack.sandbox)).toHaveLength(1);

    // Closing is CLOSED.
    await stack.graphql(
      'mutation ($ids: [ID!]!) { closeCases(input: { caseIds: $ids }) { cases { id } } }',
      {
        ids: [item.id],
      },
    );
    await waitFor('the close', () => changesOf(overWs, item.id).length > 1);
    expect(changesOf(overWs, item.id)[1]).toMatchObject({
      kind: 'CLOSED',
      case: { status: 'CLOSED' },
    });
  });
});

describe('changes made outside the gateway', () => {
  const INTERVAL_MS = 150;
  const stack = useStack({ env: { LIVE_POLL_INTERVAL_MS: String(INTERVAL_MS) } });

  it('are seen by the next poll, filtered per subscriber, naming the fields that changed', async () => {
    const security = byStatus(stack.sandbox, 'ACTIVE').find(
      (r) => r.case.category === 'CASE_CATEGORY_SECURITY',
    )!.case;
    const availability = byStatus(stack.sandbox, 'ACTIVE').find(
      (r) => r.case.category === 'CASE_CATEGORY_AVAILABILITY',
    )!.case;
    const all = track(subscribeWs<Change>(ws(stack), CHANGES));
    const onlySecurity = track(
      subscribeSse<Change>(stack.gateway.url, CHANGES, { filter: { categories: ['SECURITY'] } }),
    );
    await waitForSubscribers(stack.gateway.url, 'ws', 1);
    await waitForSubscribers(stack.gateway.url, 'sse', 1);
    await waitFor('the baseline poll', () => casePollCalls(stack.sandbox).length >= 1);

    // Acknowledged in Coralogix itself, not through the gateway.
    for (const id of [security.id, availability.id]) {
      const reply = await cx(stack.sandbox, 'PUT', `/cases/acknowledged/v1/${id}`);
      expect(reply.status).toBe(200);
    }
    await waitFor('both changes', () =>
      [security.id, availability.id].every((id) => changesOf(all, id).length > 0),
    );
    await waitFor(
      'the security change over SSE',
      () => changesOf(onlySecurity, security.id).length > 0,
    );
    for (const id of [security.id, availability.id]) {
      expect(changesOf(all, id)).toEqual([
        expect.objectContaining({
          kind: 'UPDATED',
          changedFields: expect.arrayContaining(['status', 'updatedAt', 'acknowledgedAt']),
          case: expect.objectContaining({ status: 'ACKNOWLEDGED' }),
        }),
      ]);
    }
    expect(changesOf(onlySecurity, availability.id)).toEqual([]);
    // Nobody subscribes to incidents: only cases were polled.
    expect(pollCalls(stack.sandbox)).toEqual([]);
  });

  it('polls cases only while someone subscribes to caseChanged, next to the incident feed', async () => {
    const incidents = track(subscribeWs(ws(stack), INCIDENT_CHANGES));
    await waitForSubscribers(stack.gateway.url, 'ws', 1);
    stack.sandbox.clearRequests();
    await waitFor('three incident polls', () => pollCalls(stack.sandbox).length >= 3);
    expect(casePollCalls(stack.sandbox)).toEqual([]);

    const cases = track(subscribeWs<Change>(ws(stack), CHANGES));
    await waitForSubscribers(stack.gateway.url, 'ws', 2);
    await waitFor('three case polls', () => casePollCalls(stack.sandbox).length >= 3);

    cases.stop();
    await waitForSubscribers(stack.gateway.url, 'ws', 1);
    stack.sandbox.clearRequests();
    await waitFor('three more incident polls', () => pollCalls(stack.sandbox).length >= 3);
    expect(casePollCalls(stack.sandbox)).toEqual([]);
    incidents.stop();
  });

  it('a key without case permissions: the case feed backs off, the incident feed keeps polling', async () => {
    stack.sandbox.setFault({
      upstream: 'coralogix',
      path: '/cases/',
      status: 403,
      body: { code: 403, message: 'Forbidden' },
    });
    const incidents = track(subscribeWs(ws(stack), INCIDENT_CHANGES));
    const cases = track(subscribeWs<Change>(ws(stack), CHANGES));
    await waitForSubscribers(stack.gateway.url, 'ws', 2);
    await waitFor('the case feed to fail and the incident feed to poll', async () => {
      const ready = (await (await fetch(`${stack.gateway.url}/readyz`)).json()) as {
        live: {
          pollers: Array<{
            families: Record<
              string,
              { lastErrorCode?: string; lastSuccessAt?: string; consecutiveFailures: number }
            >;
          }>;
        };
      };
      const families = ready.live.pollers[0]?.families;
      return (
        families?.case?.lastErrorCode === 'UPSTREAM_FORBIDDEN' &&
        families.incident?.lastSuccessAt !== undefined &&
        families.incident.consecutiveFailures === 0
      );
    });
    stack.sandbox.clearRequests();
    await waitFor('three more incident polls', () => pollCalls(stack.sandbox).length >= 3);
    // Backing off: fewer case attempts than incident polls in the same time.
    expect(
      stack.sandbox.requests('coralogix').filter((r) => r.path.includes('/cases/')).length,
    ).toBeLessThan(pollCalls(stack.sandbox).length);
    expect(cases.error).toBeUndefined();
    expect(cases.completed).toBe(false);
    incidents.stop();
    cases.stop();
  });
});
