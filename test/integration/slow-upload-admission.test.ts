/**
 * Slow uploads and admission (MAX_IN_FLIGHT): a client that sends a POST's
 * headers and then its body a byte at a time holds no operation slot while
 * it sends, so many of them cannot make the gateway answer everyone else
 * OVERLOADED until REQUEST_TIMEOUT_MS. With gateway tokens, one without a
 * valid token is refused before its body arrives.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { metric, METRICS_TOKEN } from '../support/live.js';
import { useStack } from '../support/stack.js';

const LIST = `{ incidents(first: 1) { totalCount } }`;
const sockets: Socket[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

/** Opens a connection and sends a POST's headers and the first `sent` bytes of its body. */
async function slowUpload(
  gatewayUrl: string,
  headers: Record<string, string> = {},
  { length = 100, sent = 1 } = {},
) {
  const { hostname, port } = new URL(gatewayUrl);
  const socket = connect(Number(port), hostname);
  sockets.push(socket);
  await new Promise((resolve) => socket.once('connect', resolve));
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  const lines = [
    'POST /graphql HTTP/1.1',
    `host: ${hostname}:${port}`,
    'content-type: application/json',
    `content-length: ${length}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.write(`${lines.join('\r\n')}\r\n\r\n{${' '.repeat(sent - 1)}`);
  return { answer: () => Buffer.concat(received).toString('latin1') };
}

const running = (gatewayUrl: string) =>
  metric(gatewayUrl, 'gateway_operations_in_flight', 'state="running"');

describe('slow uploads on an open gateway', () => {
  const stack = useStack({
    admission: { waitMs: 50, utilization: () => 0 },
    env: { MAX_IN_FLIGHT: '2', MAX_IN_FLIGHT_PER_CLIENT: '1', METRICS_TOKENS: METRICS_TOKEN },
  });

  it('hold no operation slot while their bodies arrive, so another client is served', async () => {
    for (let i = 0; i < 4; i += 1) await slowUpload(stack.gateway.url);
    // The metrics round trip comes after the uploads' bytes: the gateway has their headers.
    expect(await running(stack.gateway.url)).toBe(0);

    const other = await stack.graphql(LIST);
    expect(other.status).toBe(200);
    expect(other.errors).toBeUndefined();
  });
});

describe('slow uploads with gateway tokens', () => {
  const stack = useStack({
    admission: { waitMs: 50, utilization: () => 0 },
    env: {
      GATEWAY_TOKENS: 'good-token-123456',
      METRICS_TOKENS: METRICS_TOKEN,
      MAX_IN_FLIGHT: '2',
      MAX_IN_FLIGHT_PER_CLIENT: '1',
    },
  });

  it('are refused UNAUTHENTICATED before their body arrives when their token is not valid', async () => {
    const uploads = [
      await slowUpload(stack.gateway.url),
      await slowUpload(stack.gateway.url, { authorization: 'Bearer not-a-token' }),
    ];
    for (const upload of uploads) {
      await expect.poll(upload.answer).toMatch(/^HTTP\/1\.1 401 /);
      expect(upload.answer()).toContain('"code":"UNAUTHENTICATED"');
    }
    expect(await running(stack.gateway.url)).toBe(0);
  });

  it('leave the slots to a client with a valid token', async () => {
    for (let i = 0; i < 4; i += 1) await slowUpload(stack.gateway.url);
    await slowUpload(stack.gateway.url, { authorization: 'Bearer good-token-123456' });
    expect(await running(stack.gateway.url)).toBe(0);

    const other = await stack.graphql(LIST, {}, { authorization: 'Bearer good-token-123456' });
    expect(other.status).toBe(200);
    expect(other.errors).toBeUndefined();
  });
});

describe('slow uploads past the bytes the gateway holds while reading bodies', () => {
  // MAX_IN_FLIGHT × MAX_BODY_BYTES: 2 × 1000 bytes may be held by bodies still arriving.
  const stack = useStack({
    admission: { waitMs: 50, utilization: () => 0 },
    env: { MAX_IN_FLIGHT: '2', MAX_IN_FLIGHT_PER_CLIENT: '1', MAX_BODY_BYTES: '1000' },
  });

  it('refuses the read that would pass them OVERLOADED, and reads again once they are given back', async () => {
    const holding = [
      await slowUpload(stack.gateway.url, {}, { length: 1000, sent: 900 }),
      await slowUpload(stack.gateway.url, {}, { length: 1000, sent: 900 }),
    ];
    // Sent whole: a refused body is read to its end (dropped), then answered.
    const third = await slowUpload(stack.gateway.url, {}, { length: 1000, sent: 1000 });
    await expect.poll(third.answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(third.answer()).toContain('"code":"OVERLOADED"');
    expect(third.answer().toLowerCase()).toContain('retry-after: 1');
    for (const upload of holding) expect(upload.answer()).toBe('');
    // The uploads go away: what they held is given back (a body as large as theirs fits again).
    for (const socket of sockets.splice(0)) socket.destroy();
    await expect
      .poll(async () => (await stack.graphql(LIST, { pad: 'x'.repeat(850) })).status, {
        timeout: 5_000,
      })
      .toBe(200);
  });

  it('holds a read body until its request is answered, not only while it arrives', async () => {
    // Two requests whose 900-byte bodies have arrived wait on a slow Coralogix.
    stack.sandbox.clearRequests();
    stack.sandbox.setFault({ upstream: 'coralogix', latencyMs: 1_500, times: 2 });
    const slow = [1, 2].map(() => stack.graphql(LIST, { pad: 'x'.repeat(850) }));
    await expect.poll(() => stack.sandbox.requests('coralogix').length).toBe(2);
    const third = await stack.graphql(LIST, { pad: 'x'.repeat(850) });
    expect(third.status).toBe(503);
    expect(third.errors?.[0]?.extensions?.code).toBe('OVERLOADED');
    expect(third.errors?.[0]?.message).toContain('request bodies');
    for (const answer of await Promise.all(slow)) expect(answer.status).toBe(200);
    // Answered, they gave their bytes back.
    expect((await stack.graphql(LIST, { pad: 'x'.repeat(850) })).status).toBe(200);
  });
});
