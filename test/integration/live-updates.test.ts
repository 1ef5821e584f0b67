/**
 * Live updates against the sandbox over real HTTP, with the real clients of
 * both protocols: graphql-ws (over `ws`) and graphql-sse. Changes come from
 * gateway mutations (published at once) and from outside the gateway (the
 * Coralogix client straight at the emulator; seen by the next poll).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import type { Incident } from '../../src/upstreams/coralogix/incidents/types.js';
import { useStack, type Stack } from '../support/stack.js';
import {
  directCoralogix,
  metric,
  pollCalls,
  subscribeSse,
  subscribeWs,
  waitForSubscribers,
  wsClient,
  type Received,
} from '../support/live.js';
import { ASSIGN } from '../support/selections.js';
import { waitFor } from '../support/tools.js';

const CHANGES = `subscription Changes($filter: IncidentFilter) {
  incidentChanged(filter: $filter) {
    kind
    changedFields
    incident { id severity status assignments { assignedTo { id } } }
  }
}`;

interface Change {
  incidentChanged: {
    kind: string;
    changedFields: string[];
    incident: {
      id: string;
      severity: string;
      status: string;
      assignments: Array<{ assignedTo: { id: string } | null }>;
      slas?: Array<{ id: string }> | null;
    };
  };
}

const changesOf = (received: Received<Change>, incidentId: string) =>
  received.events
    .map((event) => event.data?.incidentChanged)
    .filter((change) => change?.incident.id === incidentId);

/** The incidents the poller's baseline holds: the most recently updated first. */
function recentlyUpdated(stack: Stack): Incident[] {
  return [...stack.sandbox.seed.incidents].sort((a, b) =>
    b.lastStateUpdateTime.localeCompare(a.lastStateUpdateTime),
  );
}

function unassignedUser(stack: Stack, incident: Incident): string {
  return stack.sandbox.seed.users.find(
    (u) => !incident.assignments.some((a) => a.assignedTo?.userId === u.id),
  )!.id;
}

const clients: Client[] = [];
const subscriptions: Array<{ stop(): void }> = [];
afterEach(async () => {
  for (const subscription of subscriptions.splice(0)) subscription.stop();
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});

function ws(stack: Stack): Client {
  const client = wsClient(stack.gateway.url);
  clients.push(client);
  return client;
}
function track<T extends { stop(): void }>(subscription: T): T {
  subscriptions.push(subscription);
  return subscription;
}

describe('a mutation through the gateway', () => {
  // One poll an hour: after the baseline, only a mutation can deliver anything.
  const stack = useStack({ env: { LIVE_POLL_INTERVAL_MS: '3600000' } });

  it('reaches WebSocket and SSE subscribers at once, without waiting for a poll', async () => {
    const overWs = track(subscribeWs<Change>(ws(stack), CHANGES));
    const overSse = track(subscribeSse<Change>(stack.gateway.url, CHANGES));
    await waitForSubscribers(stack.gateway.url, 'ws', 1);
    await waitForSubscribers(stack.gateway.url, 'sse', 1);
    await waitFor(
      'the baseline poll',
      async () =>
        (await metric(stack.gateway.url, 'gateway_live_polls_total', 'outcome="ok"')) >= 1,
    );
    const incident = stack.sandbox.seed.incidents[7]!;
    const userId = unassignedUser(stack, incident);

    const result = await stack.graphql(ASSIGN, {
      input: { incidentIds: [incident.id], userId },
    });
    expect(result.errors).toBeUndefined();

    for (const received of [overWs, overSse]) {
      await waitFor('the change', () => changesOf(received, incident.id).length > 0);
      const [change] = changesOf(received, incident.id);
      expect(change?.kind).toBe('UPDATED');
      expect(change?.changedFields).toEqual(expect.arrayContaining(['assignments', 'events']));
      expect(change?.incident.assignments.map((a) => a.assignedTo?.id)).toContain(userId);
    }
    // Nothing but the baseline was polled: the mutation published by itself.
    expect(pollCalls(stack.sandbox)).toHaveLength(1);
    expect(overWs.error).toBeUndefined();
    expect(overSse.error).toBeUndefined();
  });

  it('is refused as a subscription over plain HTTP POST, with a pointer to WebSocket and SSE', async () => {
    const result = await stack.graphql(CHANGES);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/WebSocket .* SSE/);
  });
});

describe('changes made outside the gateway', () => {
  const INTERVAL_MS = 150;
  const stack = useStack({ env: { LIVE_POLL_INTERVAL_MS: String(INTERVAL_MS) } });

  it('reach subscribers after the next poll, naming the fields that changed', async () => {
    const direct = directCoralogix(stack.sandbox);
    try {
      const overWs = track(subscribeWs<Change>(ws(stack), CHANGES));
      const overSse = track(subscribeSse<Change>(stack.gateway.url, CHANGES));
      await waitForSubscribers(stack.gateway.url, 'ws', 1);
      await waitForSubscribers(stack.gateway.url, 'sse', 1);
      await waitFor('the baseline poll', () => pollCalls(stack.sandbox).length >= 1);
      // In the baseline (one of the most recently updated), so the gateway knows its previous state.
      const incident = recentlyUpdated(stack)[2]!;
      const userId = unassignedUser(stack, incident);
      stack.sandbox.clearRequests();

      await direct.assign([incident.id], userId);

      for (const received of [overWs, overSse]) {
        await waitFor('the change', () => changesOf(received, incident.id).length > 0);
        expect(changesOf(received, incident.id)).toEqual([
          expect.objectContaining({
            kind: 'UPDATED',
            changedFields: ['assignments', 'events', 'lastStateUpdateTime', 'lastStateUpdateKey'],
          }),
        ]);
      }
      // Seen by a poll made after the change.
      expect(pollCalls(stack.sandbox).length).toBeGreaterThanOrEqual(1);
    } finally {
      await direct.close();
    }
  });

  it('200 subscribers share one poll per interval and one upstream call per joined resource', async () => {
    const direct = directCoralogix(stack.sandbox);
    const WITH_SLAS = CHANGES.replace('status assignments', 'status slas { id } assignments');
    try {
      const all: Array<Received<Change>> = [];
      for (let c = 0; c < 10; c++) {
        const client = ws(stack);
        for (let s = 0; s < 20; s++) all.push(track(subscribeWs<Change>(client, WITH_SLAS)));
      }
      await waitForSubscribers(stack.gateway.url, 'ws', 200);
      stack.sandbox.clearRequests();
      await waitFor('five polls', () => pollCalls(stack.sandbox).length >= 5);
      const polls = pollCalls(stack.sandbox);
      // One poller: consecutive polls are at least an interval apart (200 pollers would
      // make bursts of calls at the same instant).
      for (let i = 1; i < polls.length; i++) {
        expect(polls[i]!.at - polls[i - 1]!.at).toBeGreaterThanOrEqual(INTERVAL_MS - 1);
      }

      const incident = recentlyUpdated(stack)[3]!;
      await waitFor('a poll with no change pending', () => pollCalls(stack.sandbox).length >= 6);
      stack.sandbox.clearRequests();
      await direct.assign([incident.id], unassignedUser(stack, incident));
      await waitFor('the change at every subscriber', () =>
        all.every((received) => changesOf(received, incident.id).length > 0),
      );
      expect(all.every((received) => changesOf(received, incident.id).length === 1)).toBe(true);
      // Every subscriber selected `slas`: one OneUptime call per resource for all 200.
      const oneuptime = stack.sandbox.requests('oneuptime');
      expect(oneuptime.length).toBeGreaterThan(0);
      const perPath = new Map<string, number>();
      for (const request of oneuptime)
        perPath.set(request.path, (perPath.get(request.path) ?? 0) + 1);
      expect([...perPath.values()]).toEqual([...perPath.keys()].map(() => 1));
    } finally {
      await direct.close();
    }
  });

  it("applies each subscriber's filter", async () => {
    const [first, second] = recentlyUpdated(stack).filter(
      (incident, _, all) => incident.severity !== all[0]!.severity || incident === all[0],
    );
    expect(first!.severity).not.toBe(second!.severity);
    const userId = unassignedUser(stack, first!);
    const client = ws(stack);
    const bySeverity = track(
      subscribeWs<Change>(client, CHANGES, {
        filter: { severities: [first!.severity.replace('INCIDENT_SEVERITY_', '')] },
      }),
    );
    const byOtherSeverity = track(
      subscribeWs<Change>(client, CHANGES, {
        filter: { severities: [second!.severity.replace('INCIDENT_SEVERITY_', '')] },
      }),
    );
    const byAssignee = track(
      subscribeWs<Change>(client, CHANGES, { filter: { assigneeUserIds: [userId] } }),
    );
    const bySse = track(
      subscribeSse<Change>(stack.gateway.url, CHANGES, {
        filter: { severities: [second!.severity.replace('INCIDENT_SEVERITY_', '')] },
      }),
    );
    await waitForSubscribers(stack.gateway.url, 'ws', 3);
    await waitForSubscribers(stack.gateway.url, 'sse', 1);

    await stack.graphql(ASSIGN, { input: { incidentIds: [first!.id], userId } });
    await waitFor('the matching subscribers', () =>
      [bySeverity, byAssignee].every((r) => changesOf(r, first!.id).length > 0),
    );
    // A change the other filters match, sent after the first: once it is there, the
    // first one would have been too (one connection, in order).
    await stack.graphql(ASSIGN, { input: { incidentIds: [second!.id], userId } });
    await waitFor('the second change', () =>
      [byOtherSeverity, bySse, byAssignee].every((r) => changesOf(r, second!.id).length > 0),
    );
    for (const received of [byOtherSeverity, bySse]) {
      expect(received.events.map((e) => e.data?.incidentChanged.incident.id)).toEqual([second!.id]);
    }
    expect(changesOf(bySeverity, second!.id)).toEqual([]);
  });
});
