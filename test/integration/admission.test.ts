/**
 * Admission control (MAX_IN_FLIGHT, MAX_IN_FLIGHT_PER_CLIENT): one client
 * flooding, pipelined on one socket or over many connections with one token,
 * gets OVERLOADED for what is over its bound, with nothing sent upstream,
 * while the other clients are served and the shared circuit stays closed.
 *
 * The Coralogix list answers slowly (a fault), so the admitted operations are
 * surely still running when the excess arrives; the admission wait is 50 ms,
 * shorter than that, so every waiter is refused: exact counts, no timing.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { metric, wsUrl, METRICS_TOKEN } from '../support/live.js';
import { pipeline, type PipelinedAnswer } from '../support/pipeline.js';
import { useStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/tools.js';

const LIST = `{ incidents(first: 5) { edges { node { id name } } } }`;
const BODY = JSON.stringify({ query: LIST });
const SLOW_LIST = { upstream: 'coralogix', method: 'POST', latencyMs: 1_500 } as const;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const statuses = (answers: Array<{ status: number }>) =>
  answers.reduce<Record<number, number>>((counts, { status }) => {
    counts[status] = (counts[status] ?? 0) + 1;
    return counts;
  }, {});

function expectOverloaded(
  answer: PipelinedAnswer | { status: number; headers: Record<string, string>; text: string },
) {
  expect(answer.status).toBe(503);
  expect(answer.headers['retry-after']).toBe('1');
  const body = JSON.parse('body' in answer ? answer.body : answer.text) as {
    errors: Array<{ message: string; extensions: { code: string; retryAfter: number } }>;
  };
  expect(body.errors[0]?.extensions).toEqual({ code: 'OVERLOADED', retryAfter: 1 });
  expect(body.errors[0]?.message).toMatch(/Nothing was sent upstream/);
}

async function circuitsClosed(stack: Stack): Promise<void> {
  for (const upstream of ['coralogix', 'oneuptime']) {
    expect(
      await metric(stack.gateway.url, 'gateway_upstream_circuit_state', `upstream="${upstream}"`),
    ).toBe(0);
  }
}

describe('pipelined on one connection', () => {
  const stack = useStack({
    // A fixed idle event loop: the per-client share stays MAX_IN_FLIGHT_PER_CLIENT.
    admission: { waitMs: 50, utilization: () => 0 },
    env: { MAX_IN_FLIGHT: '10', MAX_IN_FLIGHT_PER_CLIENT: '2', UPSTREAM_RETRIES: '0' },
  });

  it('runs the client’s bound, refuses the excess with OVERLOADED, and serves another client meanwhile', async () => {
    stack.sandbox.setFault({ ...SLOW_LIST, times: 2 });
    stack.sandbox.clearRequests();
    const flood = pipeline(
      stack.gateway.url,
      Array.from({ length: 200 }, () => BODY),
    );
    await waitFor(
      'the flood’s two admitted operations upstream',
      () => stack.sandbox.requests().length === 2,
    );

    const other = await stack.graphql(LIST);
    expect(other.status).toBe(200);
    expect(other.errors).toBeUndefined();

    const answers = await flood;
    expect(answers).toHaveLength(200);
    expect(statuses(answers)).toEqual({ 200: 2, 503: 198 });
    // In order: the two admitted first, as they were sent.
    expect(answers.slice(0, 2).map((a) => a.status)).toEqual([200, 200]);
    for (const answer of answers.slice(2)) expectOverloaded(answer);
    // One list call per operation that ran: the flood's two and the other client's one.
    expect(stack.sandbox.requests()).toHaveLength(3);
    await circuitsClosed(stack);
    expect(
      await metric(stack.gateway.url, 'gateway_operations_refused_total', 'bound="client"'),
    ).toBe(198);
  });
});

describe('with gateway tokens', () => {
  const stack = useStack({
    // A fixed idle event loop: the per-client share stays MAX_IN_FLIGHT_PER_CLIENT.
    admission: { waitMs: 50, utilization: () => 0 },
    env: {
      GATEWAY_TOKENS: 'flood-token-123456,other-token-123456,third-token-123456',
      METRICS_TOKENS: METRICS_TOKEN,
      MAX_IN_FLIGHT: '5',
      MAX_IN_FLIGHT_PER_CLIENT: '3',
      UPSTREAM_RETRIES: '0',
    },
  });

  it('counts one token’s operations together over many connections', async () => {
    stack.sandbox.setFault({ ...SLOW_LIST, times: 3 });
    stack.sandbox.clearRequests();
    const flood = Promise.all(
      Array.from({ length: 8 }, () => stack.graphql(LIST, {}, bearer('flood-token-123456'))),
    );
    await waitFor('three flood operations upstream', () => stack.sandbox.requests().length === 3);
    const other = await stack.graphql(LIST, {}, bearer('other-token-123456'));
    expect(other.errors).toBeUndefined();

    const answers = await flood;
    expect(statuses(answers)).toEqual({ 200: 3, 503: 5 });
    for (const answer of answers.filter((a) => a.status === 503)) {
      expectOverloaded(answer);
      expect(answer.errors?.[0]?.message).toMatch(/MAX_IN_FLIGHT_PER_CLIENT/);
    }
    expect(stack.sandbox.requests()).toHaveLength(4);
    await circuitsClosed(stack);
  });

  it('refuses past MAX_IN_FLIGHT whoever asks, once the gateway is full', async () => {
    stack.sandbox.setFault({ ...SLOW_LIST, times: 5 });
    stack.sandbox.clearRequests();
    const first = Promise.all([
      ...Array.from({ length: 3 }, () => stack.graphql(LIST, {}, bearer('flood-token-123456'))),
      ...Array.from({ length: 2 }, () => stack.graphql(LIST, {}, bearer('other-token-123456'))),
    ]);
    await waitFor('five operations upstream', () => stack.sandbox.requests().length === 5);
    const third = await stack.graphql(LIST, {}, bearer('third-token-123456'));
    expectOverloaded(third);
    expect(third.errors?.[0]?.message).toMatch(/already runs 5 operations \(MAX_IN_FLIGHT\)/);
    expect(statuses(await first)).toEqual({ 200: 5 });
    expect(stack.sandbox.requests()).toHaveLength(5);
    // Capacity is back once they finished.
    expect((await stack.graphql(LIST, {}, bearer('third-token-123456'))).status).toBe(200);
  });
});

describe('over WebSocket', () => {
  const stack = useStack({ env: { MAX_IN_FLIGHT: '1', MAX_IN_FLIGHT_PER_CLIENT: '1' } });

  it('runs no query or mutation, so nothing goes around the bound', async () => {
    const socket = new WebSocket(wsUrl(stack.gateway.url), 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await new Promise((resolve) => socket.once('message', resolve));
    const answers: Array<{ id: string; type: string; payload: Array<{ message: string }> }> = [];
    socket.on('message', (data: Buffer) => answers.push(JSON.parse(data.toString()) as never));
    stack.sandbox.clearRequests();
    const incidentId = stack.sandbox.seed.incidents[0]!.id;
    socket.send(JSON.stringify({ id: 'q', type: 'subscribe', payload: { query: LIST } }));
    socket.send(
      JSON.stringify({
        id: 'm',
        type: 'subscribe',
        payload: {
          query: `mutation { acknowledgeIncidents(input: { incidentIds: ["${incidentId}"] }) { incidents { id } } }`,
        },
      }),
    );
    await waitFor('both refused', () => answers.length === 2);
    socket.close();
    expect(answers.map((a) => [a.id, a.type])).toEqual([
      ['q', 'error'],
      ['m', 'error'],
    ]);
    expect(answers[1]?.payload[0]?.message).toMatch(/Only subscriptions are served here/);
    expect(stack.sandbox.requests()).toHaveLength(0);
  });
});
