/**
 * Bounds on live updates (issue 22): live connections per client
 * (MAX_CONNECTIONS_PER_CLIENT, WebSocket and SSE together), subscriptions per
 * gateway (MAX_SUBSCRIPTIONS), the size of a subscription's arguments, the
 * per-connection state released when connections close, and one log line
 * (not one error per subscription) for a slow consumer's connection.
 */
import type { Socket } from 'node:net';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import {
  METRICS_TOKEN,
  metric,
  subscribeSse,
  subscribeWs,
  waitForSubscribers,
  wsClient,
  wsUrl,
  type Received,
} from '../support/live.js';
import { ASSIGN, UNASSIGN } from '../support/selections.js';
import { useStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/tools.js';

const CHANGES = `subscription { incidentChanged { kind incident { id } } }`;
const TOKENS = { A: 'token-a-123456', B: 'token-b-123456' };
const as = (token: string) => ({ Authorization: `Bearer ${token}` });

type Errors = Array<{ message: string; extensions?: Record<string, unknown> }>;

const opened: Array<{ stop(): void }> = [];
const clients: Client[] = [];
afterEach(async () => {
  for (const subscription of opened.splice(0)) subscription.stop();
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});
function ws(stack: Stack, params: Record<string, unknown> = {}): Client {
  const client = wsClient(stack.gateway.url, params);
  clients.push(client);
  return client;
}
function track<T extends { stop(): void }>(subscription: T): T {
  opened.push(subscription);
  return subscription;
}
const closeOf = (received: Received) => received.error as { code?: number; reason?: string };

/** POSTs a subscription over SSE and returns the answer when it is not a stream. */
async function sseRefusal(stack: Stack, body: unknown, headers: Record<string, string>) {
  const response = await fetch(`${stack.gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: JSON.parse(text) as { errors: Errors },
  };
}

interface LiveState {
  subscribers: number;
  scopes: number;
  connections: { ws: number; sse: number };
  clients: number;
}
async function liveState(stack: Stack): Promise<LiveState> {
  const body = (await (await fetch(`${stack.gateway.url}/readyz`)).json()) as { live: LiveState };
  return body.live;
}

describe('live connections per client', () => {
  const stack = useStack({
    env: {
      GATEWAY_TOKENS: `${TOKENS.A},${TOKENS.B}`,
      METRICS_TOKENS: METRICS_TOKEN,
      MAX_CONNECTIONS_PER_CLIENT: '2',
      LIVE_POLL_INTERVAL_MS: '3600000',
    },
  });

  it('closes a WebSocket past the bound with 1013 and a reason; other clients connect', async () => {
    track(subscribeWs(ws(stack, as(TOKENS.A)), CHANGES));
    track(subscribeWs(ws(stack, as(TOKENS.A)), CHANGES));
    await waitForSubscribers(stack.gateway.url, 'ws', 2);
    const third = track(subscribeWs(ws(stack, as(TOKENS.A)), CHANGES));
    await waitFor('the third refused', () => third.error !== undefined);
    expect(closeOf(third)).toEqual(
      expect.objectContaining({
        code: 1013,
        reason:
          'Too many live connections for this client (MAX_CONNECTIONS_PER_CLIENT is 2); close one first.',
      }),
    );
    track(subscribeWs(ws(stack, as(TOKENS.B)), CHANGES));
    await waitForSubscribers(stack.gateway.url, 'ws', 3);
    expect(
      await metric(
        stack.gateway.url,
        'gateway_live_refused_total',
        'transport="ws",reason="too_many_connections"',
      ),
    ).toBe(1);
  });

  it('counts SSE streams with WebSockets: one more is 429 OVERLOADED, until one closes', async () => {
    await waitFor(
      'the last test’s connections closed',
      async () => (await liveState(stack)).clients === 0,
    );
    const first = ws(stack, as(TOKENS.A));
    track(subscribeWs(first, CHANGES));
    track(subscribeSse(stack.gateway.url, CHANGES, {}, as(TOKENS.A)));
    await waitFor(
      'two live connections of A',
      async () => (await liveState(stack)).subscribers === 2,
    );

    const refused = await sseRefusal(stack, { query: CHANGES }, as(TOKENS.A));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.body.errors[0]).toEqual({
      message:
        'This client already has 2 live connections open (MAX_CONNECTIONS_PER_CLIENT); close one, or subscribe on one you have.',
      extensions: { code: 'OVERLOADED', limit: 2, retryAfter: 1 },
    });

    await first.dispose();
    await waitFor(
      'the WebSocket released',
      async () => (await liveState(stack)).connections.ws === 0,
    );
    track(subscribeSse(stack.gateway.url, CHANGES, {}, as(TOKENS.A)));
    await waitForSubscribers(stack.gateway.url, 'sse', 2);
  });
});

describe('subscriptions per gateway', () => {
  const stack = useStack({
    env: { MAX_SUBSCRIPTIONS: '3', LIVE_POLL_INTERVAL_MS: '3600000' },
  });

  it('refuses one more with OVERLOADED over either transport, and takes one again when one ends', async () => {
    const client = ws(stack);
    const held = [
      track(subscribeWs(client, CHANGES)),
      track(subscribeWs(client, CHANGES)),
      track(subscribeWs(client, CHANGES)),
    ];
    await waitForSubscribers(stack.gateway.url, 'ws', 3);

    const overWs = track(subscribeWs(client, CHANGES));
    await waitFor('the refusal', () => overWs.error !== undefined);
    expect((overWs.error as Errors)[0]).toEqual({
      message: 'The gateway already holds 3 subscriptions (MAX_SUBSCRIPTIONS); retry later.',
      extensions: { code: 'OVERLOADED', limit: 3, retryAfter: 1 },
    });
    const overSse = await sseRefusal(stack, { query: CHANGES }, {});
    expect(overSse.status).toBe(503);
    expect(overSse.headers.get('retry-after')).toBe('1');
    expect(overSse.body.errors[0]?.extensions?.code).toBe('OVERLOADED');

    // The connection stays, and the slot comes back when a subscription completes.
    held[0]!.stop();
    await waitForSubscribers(stack.gateway.url, 'ws', 2);
    track(subscribeWs(client, CHANGES));
    await waitForSubscribers(stack.gateway.url, 'ws', 3);
  });
});

describe('the size of a subscription’s arguments', () => {
  const stack = useStack({ env: { LIVE_POLL_INTERVAL_MS: '3600000' } });
  const labels = Array.from({ length: 300 }, (_, i) => ({
    key: `label-${i}`,
    value: `value-${i}`,
  }));
  const FILTERED = `subscription Filtered($filter: IncidentFilter) {
    incidentChanged(filter: $filter) { kind incident { id } }
  }`;
  const MESSAGE =
    /^The subscription's (arguments|variables) take more than 4096 bytes as JSON: a subscription keeps its filter for as long as it runs\. Filter on fewer values, or split the filter over several subscriptions\.$/;

  it('refuses a filter over 4 KiB with BAD_USER_INPUT, over WebSocket and SSE', async () => {
    const overWs = track(subscribeWs(ws(stack), FILTERED, { filter: { metaLabels: labels } }));
    await waitFor('the refusal', () => overWs.error !== undefined);
    const [error] = overWs.error as Errors;
    expect(error?.extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 4096 });
    expect(error?.message).toMatch(MESSAGE);

    const overSse = await sseRefusal(
      stack,
      { query: FILTERED, variables: { filter: { metaLabels: labels } } },
      {},
    );
    expect(overSse.status).toBe(400);
    expect(overSse.body.errors[0]?.message).toMatch(MESSAGE);
    expect(await liveState(stack)).toMatchObject({ subscribers: 0, scopes: 0 });
  });

  it('counts inline arguments and variables the operation does not declare, and lets a usual filter through', async () => {
    const inline = `subscription { incidentChanged(filter: { metaLabels: [${labels
      .slice(0, 150)
      .map((l) => `{ key: "${l.key}", value: "${l.value}" }`)
      .join(' ')}] }) { kind } }`;
    const client = ws(stack);
    const overInline = track(subscribeWs(client, inline));
    const undeclared = track(
      subscribeWs(client, `subscription { incidentChanged { kind } }`, { x: 'x'.repeat(5_000) }),
    );
    const usual = track(
      subscribeWs(client, FILTERED, {
        filter: { severities: ['CRITICAL', 'ERROR'], metaLabels: labels.slice(0, 5) },
      }),
    );
    await waitFor(
      'both refusals',
      () => overInline.error !== undefined && undeclared.error !== undefined,
    );
    expect((overInline.error as Errors)[0]?.message).toMatch(MESSAGE);
    expect((undeclared.error as Errors)[0]?.message).toMatch(/^The subscription's variables take/);
    await waitForSubscribers(stack.gateway.url, 'ws', 1);
    expect(usual.error).toBeUndefined();
  });
});

describe('per-connection state', () => {
  const stack = useStack({
    env: {
      GATEWAY_TOKENS: `${TOKENS.A},${TOKENS.B}`,
      METRICS_TOKENS: METRICS_TOKEN,
      LIVE_POLL_INTERVAL_MS: '3600000',
    },
  });

  it('is all released when the connections close', async () => {
    const sockets = Array.from({ length: 10 }, (_, i) =>
      ws(stack, as(i % 2 ? TOKENS.A : TOKENS.B)),
    );
    for (const socket of sockets) {
      for (let i = 0; i < 5; i++) track(subscribeWs(socket, CHANGES));
    }
    const streams = Array.from({ length: 4 }, () =>
      track(subscribeSse(stack.gateway.url, CHANGES, {}, as(TOKENS.A))),
    );
    await waitForSubscribers(stack.gateway.url, 'ws', 50);
    await waitForSubscribers(stack.gateway.url, 'sse', 4);
    expect(await liveState(stack)).toEqual(
      expect.objectContaining({
        subscribers: 54,
        scopes: 1,
        connections: { ws: 10, sse: 4 },
        clients: 2,
      }),
    );

    await Promise.all(sockets.map((socket) => socket.dispose()));
    for (const stream of streams) stream.stop();
    await waitFor('every connection closed', async () => {
      const state = await liveState(stack);
      return state.connections.ws === 0 && state.connections.sse === 0;
    });
    expect(await liveState(stack)).toEqual(
      expect.objectContaining({
        subscribers: 0,
        scopes: 0,
        connections: { ws: 0, sse: 0 },
        clients: 0,
        pollers: [],
      }),
    );
  });
});

/** A payload of a few kilobytes per event: the same lists, aliased. */
const HEAVY = `subscription {
  incidentChanged {
    incident {
      id name description
      ${Array.from({ length: 8 }, (_, i) => `e${i}: events { id type } l${i}: contextualLabels { key value }`).join('\n')}
    }
  }
}`;

describe('a slow consumer with 20 subscriptions', () => {
  // The byte bound, not the queue, decides: the connection's buffers fill first.
  const stack = useStack({
    env: { LIVE_POLL_INTERVAL_MS: '3600000' },
    live: { bounds: { maxQueuedEvents: 100_000, maxBufferedBytes: 65_536 } },
  });

  it('is logged once, at warn, and its reset connection logs no error', async () => {
    const socket = new WebSocket(wsUrl(stack.gateway.url), 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((resolve) => socket.once('message', resolve));
    for (let id = 0; id < 20; id++) {
      socket.send(JSON.stringify({ id: String(id), type: 'subscribe', payload: { query: HEAVY } }));
    }
    await waitForSubscribers(stack.gateway.url, 'ws', 20);
    const raw = (socket as unknown as { _socket: Socket })._socket;
    raw.pause();
    stack.logs.clear();

    const ids = stack.sandbox.seed.incidents.slice(0, 100).map((i) => i.id);
    const userId = stack.sandbox.seed.users.at(-1)!.id;
    for (let round = 0; round < 100; round++) {
      const dropped = await metric(
        stack.gateway.url,
        'gateway_live_slow_consumers_total',
        'transport="ws"',
      );
      if (dropped >= 1) break;
      await stack.graphql(round % 2 ? UNASSIGN : ASSIGN, {
        input: round % 2 ? { incidentIds: ids } : { incidentIds: ids, userId },
      });
    }
    // The peer resets the connection with the gateway's sends still pending.
    raw.resetAndDestroy();
    await waitFor(
      'every subscription ended',
      async () => (await liveState(stack)).subscribers === 0,
    );
    await waitFor('the socket closed', async () => (await liveState(stack)).connections.ws === 0);

    const entries = stack.logs.entries();
    expect(entries.filter((entry) => Number(entry.level) >= 50)).toEqual([]);
    const dropped = entries.filter((entry) => String(entry.msg).includes('slow consumer'));
    expect(dropped).toEqual([
      expect.objectContaining({
        level: 40,
        transport: 'ws',
        reason: expect.stringMatching(/^Slow consumer: /),
        subscriptions: 20,
      }),
    ]);
  });
});
