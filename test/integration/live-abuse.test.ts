/**
 * Live updates under misuse, each refused or closed with its documented
 * reason: too many subscriptions on one connection, no or a wrong gateway
 * token, operations over the limits or not subscriptions, a client that
 * never reads (WebSocket and SSE), an upstream that fails, and the gateway
 * stopping under open subscriptions.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, useStack, type Stack } from '../support/stack.js';
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
import { waitFor } from '../support/tools.js';

const CHANGES = `subscription { incidentChanged { kind incident { id } } }`;

type Errors = Array<{ message: string; extensions?: { code?: string } }>;

const clients: Client[] = [];
const subscriptions: Array<{ stop(): void }> = [];
afterEach(async () => {
  for (const subscription of subscriptions.splice(0)) subscription.stop();
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});
function ws(stack: Stack, params: Record<string, unknown> = {}): Client {
  const client = wsClient(stack.gateway.url, params);
  clients.push(client);
  return client;
}
function track<T extends { stop(): void }>(subscription: T): T {
  subscriptions.push(subscription);
  return subscription;
}
const closeOf = (received: Received) => received.error as { code?: number; reason?: string };

describe('limits and tokens', () => {
  const stack = useStack({
    env: {
      LIVE_POLL_INTERVAL_MS: '3600000',
      MAX_SUBSCRIPTIONS_PER_CONNECTION: '2',
      MAX_DEPTH: '4',
      GATEWAY_TOKENS: 'rw-token-123456',
      METRICS_TOKENS: METRICS_TOKEN,
      GATEWAY_READ_TOKENS: 'ro-token-123456',
    },
  });
  const readOnly = { Authorization: 'Bearer ro-token-123456' };

  it('refuses a subscription past MAX_SUBSCRIPTIONS_PER_CONNECTION and keeps the others', async () => {
    const client = ws(stack, readOnly);
    const kept = [track(subscribeWs(client, CHANGES)), track(subscribeWs(client, CHANGES))];
    await waitForSubscribers(stack.gateway.url, 'ws', 2);
    const extra = track(subscribeWs(client, CHANGES));
    await waitFor('the refusal', () => extra.error !== undefined);
    const [error] = extra.error as Errors;
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.message).toMatch(
      /already has 2 subscriptions \(MAX_SUBSCRIPTIONS_PER_CONNECTION\)/,
    );

    const incident = stack.sandbox.seed.incidents[11]!;
    const answer = await stack.graphql(
      UNASSIGN,
      { input: { incidentIds: [incident.id] } },
      { authorization: 'Bearer rw-token-123456' },
    );
    expect(answer.errors).toBeUndefined();
    await waitFor('the change on both kept subscriptions', () =>
      kept.every((received) => received.events.length > 0),
    );
    expect(kept.map((received) => received.error)).toEqual([undefined, undefined]);
  });

  it('closes a WebSocket without a valid token with 4403 and the reason; read-only tokens may subscribe', async () => {
    const missing = track(subscribeWs(ws(stack), CHANGES));
    const wrong = track(subscribeWs(ws(stack, { Authorization: 'Bearer nope' }), CHANGES));
    await waitFor('both closed', () => missing.error !== undefined && wrong.error !== undefined);
    expect(closeOf(missing)).toMatchObject({
      code: 4403,
      reason: 'Send a gateway token as "Authorization: Bearer <token>".',
    });
    expect(closeOf(wrong)).toMatchObject({ code: 4403, reason: 'The gateway token is not valid.' });
    // connectionParams nested under `headers` work too.
    track(subscribeWs(ws(stack, { headers: readOnly }), CHANGES));
    await waitForSubscribers(stack.gateway.url, 'ws', 1);
    expect(
      await metric(
        stack.gateway.url,
        'gateway_live_refused_total',
        'transport="ws",reason="UNAUTHENTICATED"',
      ),
    ).toBe(2);
  });

  it('answers an SSE subscription without a token 401 UNAUTHENTICATED before any stream', async () => {
    const response = await fetch(`${stack.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: CHANGES }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { errors: Errors };
    expect(body.errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const allowed = track(subscribeSse(stack.gateway.url, CHANGES, {}, readOnly));
    await waitForSubscribers(stack.gateway.url, 'sse', 1);
    expect(allowed.error).toBeUndefined();
  });

  it('refuses operations over the limits, invalid ones and non-subscriptions, masked like HTTP', async () => {
    const cases = {
      deep: `subscription { incidentChanged { incident { assignments { assignedTo { id } } } } }`,
      query: `{ incidents(first: 1) { totalCount } }`,
      invalid: `subscription { incidentChanged { nope } }`,
      syntax: `subscription {`,
      ambiguous: `subscription A { incidentChanged { kind } } subscription B { incidentChanged { kind } }`,
    };
    const results = Object.fromEntries(
      Object.entries(cases).map(([name, query]) => [
        name,
        track(subscribeWs(ws(stack, readOnly), query)),
      ]),
    );
    await waitFor('every refusal', () => Object.values(results).every((r) => r.error));
    const first = (name: string) => (results[name]!.error as Errors)[0];
    expect(first('deep')).toMatchObject({
      extensions: { code: 'QUERY_TOO_COMPLEX' },
      message: 'Query depth 5 exceeds the limit of 4.',
    });
    expect(first('query')).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(first('query')?.message).toMatch(/Only subscriptions/);
    expect(first('invalid')).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(first('syntax')).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect(first('syntax')?.message).toMatch(/^Syntax Error/);
    // As over HTTP (Apollo's code): which operation to run could not be decided.
    expect(first('ambiguous')).toMatchObject({
      extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
      message: 'Must provide operation name if query contains multiple operations.',
    });
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

describe('a client that never reads', () => {
  const stack = useStack({
    env: { LIVE_POLL_INTERVAL_MS: '3600000' },
    live: { bounds: { maxQueuedEvents: 10, maxBufferedBytes: 65_536 } },
  });

  /** Writes (assign, then unassign) 100 incidents at a time until `done`, at most 200 times. */
  async function churn(done: () => Promise<boolean>) {
    const ids = stack.sandbox.seed.incidents.slice(0, 100).map((i) => i.id);
    const userId = stack.sandbox.seed.users.at(-1)!.id;
    for (let round = 0; round < 200 && !(await done()); round++) {
      const answer =
        round % 2 === 0
          ? await stack.graphql(ASSIGN, { input: { incidentIds: ids, userId } })
          : await stack.graphql(UNASSIGN, { input: { incidentIds: ids } });
      expect(answer.errors).toBeUndefined();
    }
  }

  it('over WebSocket is closed with 1008 and a slow-consumer reason', async () => {
    const socket = new WebSocket(wsUrl(stack.gateway.url), 'graphql-transport-ws');
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((resolve) => socket.once('message', resolve));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: HEAVY } }));
    await waitForSubscribers(stack.gateway.url, 'ws', 1);
    // Stop reading: the kernel buffers fill, then the gateway's.
    (socket as unknown as { _socket: Socket })._socket.pause();

    await churn(
      async () =>
        (await metric(stack.gateway.url, 'gateway_live_slow_consumers_total', 'transport="ws"')) >=
        1,
    );
    expect(
      await metric(stack.gateway.url, 'gateway_live_slow_consumers_total', 'transport="ws"'),
    ).toBe(1);
    expect(await metric(stack.gateway.url, 'gateway_live_subscribers', 'transport="ws"')).toBe(0);

    (socket as unknown as { _socket: Socket })._socket.resume();
    const { code, reason } = await closed;
    expect(code).toBe(1008);
    expect(reason).toMatch(/^Slow consumer: /);
  });

  it('over SSE has its stream cut', async () => {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = httpRequest(`${stack.gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      });
      request.once('response', resolve).once('error', reject);
      request.end(JSON.stringify({ query: HEAVY }));
    });
    expect(response.statusCode).toBe(200);
    response.pause();
    const ended = new Promise<boolean>((resolve) => {
      response.once('close', () => resolve(response.complete));
      response.once('error', () => undefined);
    });
    await waitForSubscribers(stack.gateway.url, 'sse', 1);

    await churn(
      async () =>
        (await metric(stack.gateway.url, 'gateway_live_slow_consumers_total', 'transport="sse"')) >=
        1,
    );
    expect(await metric(stack.gateway.url, 'gateway_live_subscribers', 'transport="sse"')).toBe(0);
    response.resume();
    // Cut, not ended: the chunked stream never got its last chunk.
    expect(await ended).toBe(false);
  });
});

describe('an upstream that fails', () => {
  const stack = useStack({ env: { LIVE_POLL_INTERVAL_MS: '100', UPSTREAM_RETRIES: '0' } });

  it('makes the poller back off, shows in /readyz and /metrics, and ends no subscription', async () => {
    const received = track(subscribeWs(ws(stack), CHANGES));
    await waitForSubscribers(stack.gateway.url, 'ws', 1);
    await waitFor(
      'the baseline poll',
      async () =>
        (await metric(stack.gateway.url, 'gateway_live_polls_total', 'outcome="ok"')) >= 1,
    );
    stack.sandbox.setFault({ upstream: 'coralogix', method: 'POST', status: 503 });
    await waitFor(
      'two failed polls',
      async () => (await metric(stack.gateway.url, 'gateway_live_poll_consecutive_failures')) >= 2,
    );
    const ready = (await (await fetch(`${stack.gateway.url}/readyz`)).json()) as {
      live: { subscribers: number; pollers: Array<{ state: string; lastErrorCode?: string }> };
    };
    expect(ready.live.subscribers).toBe(1);
    expect(ready.live.pollers[0]).toMatchObject({
      state: 'backing-off',
      lastErrorCode: 'UPSTREAM_UNAVAILABLE',
    });

    stack.sandbox.clearFaults();
    await waitFor(
      'a poll that succeeds again',
      async () => (await metric(stack.gateway.url, 'gateway_live_poll_consecutive_failures')) === 0,
    );
    const incident = stack.sandbox.seed.incidents[3]!;
    await stack.graphql(UNASSIGN, { input: { incidentIds: [incident.id] } });
    await stack.graphql(ASSIGN, {
      input: { incidentIds: [incident.id], userId: stack.sandbox.seed.users[0]!.id },
    });
    await waitFor('changes after the outage', () => received.events.length > 0);
    expect(received.error).toBeUndefined();
    expect(received.completed).toBe(false);
  });
});

describe('the gateway stopping', () => {
  it('closes WebSockets with 1001 Going away and ends SSE streams', async () => {
    const stack = await startStack({ env: { LIVE_POLL_INTERVAL_MS: '3600000' } });
    let stopped = false;
    try {
      const client = wsClient(stack.gateway.url);
      const overWs = subscribeWs(client, CHANGES);
      const overSse = subscribeSse(stack.gateway.url, CHANGES);
      await waitForSubscribers(stack.gateway.url, 'ws', 1);
      await waitForSubscribers(stack.gateway.url, 'sse', 1);
      await stack.stop();
      stopped = true;
      await waitFor('both ended', () => overWs.error !== undefined && overSse.error !== undefined);
      expect(closeOf(overWs)).toMatchObject({
        code: 1001,
        reason: 'Going away: the gateway is shutting down',
      });
      overSse.stop();
      await client.dispose();
    } finally {
      if (!stopped) await stack.stop();
    }
  });
});
