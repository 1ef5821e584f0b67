/**
 * An event-stream request graphql-sse cannot read (no `query`, variables
 * that are not an object, a content type it does not take, a body over
 * MAX_BODY_BYTES) is refused like the same mistake on POST /graphql: a
 * GraphQL error with the catalogue's `BAD_REQUEST` code (graphql-sse's own
 * answers carry none, or no body at all).
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.js';

const SUBSCRIPTION = 'subscription { incidentChanged { kind } }';

describe('event-stream requests graphql-sse cannot read', () => {
  const stack = useStack({ env: { MAX_BODY_BYTES: '2000' } });

  const post = (body: string, contentType = 'application/json') =>
    fetch(`${stack.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': contentType, accept: 'text/event-stream' },
      body,
    });
  const codeOf = async (response: Response) =>
    (
      (await response.json()) as {
        errors: Array<{ message: string; extensions: { code: string } }>;
      }
    ).errors[0];

  it.each([
    [
      'no query (a hash alone)',
      JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'ab' } } }),
      400,
    ],
    [
      'variables that are not an object',
      JSON.stringify({ query: SUBSCRIPTION, variables: [1] }),
      400,
    ],
  ])('answers %s with BAD_REQUEST', async (_, body, status) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    const error = await codeOf(response);
    expect(error?.extensions.code).toBe('BAD_REQUEST');
    expect(error?.message.length).toBeGreaterThan(0);
  });

  it('answers a content type it does not take with a coded error, not an empty 415', async () => {
    const response = await post(JSON.stringify({ query: SUBSCRIPTION }), 'text/plain');
    expect(response.status).toBe(415);
    expect((await codeOf(response))?.extensions.code).toBe('BAD_REQUEST');
  });

  it('answers a body over MAX_BODY_BYTES with 413 BAD_REQUEST, as POST /graphql does', async () => {
    const response = await post(JSON.stringify({ query: SUBSCRIPTION, pad: 'x'.repeat(3000) }));
    expect(response.status).toBe(413);
    const error = await codeOf(response);
    expect(error?.extensions.code).toBe('BAD_REQUEST');
    expect(error?.message).toBe('Request body exceeds 2000 bytes.');
  });
});

describe('event-stream requests on a gateway with tokens', () => {
  const stack = useStack({ env: { GATEWAY_TOKENS: 'good-token-123456' } });

  it('refuses one without a valid token before its body has arrived', async () => {
    const { hostname, port } = new URL(stack.gateway.url);
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    await new Promise((resolve) => socket.once('connect', resolve));
    // Headers and the first byte of a 1000-byte body; the rest never comes.
    socket.write(
      [
        'POST /graphql HTTP/1.1',
        `host: ${hostname}:${port}`,
        'content-type: application/json',
        'accept: text/event-stream',
        'content-length: 1000',
        '',
        '{',
      ].join('\r\n'),
    );
    try {
      await expect
        .poll(() => Buffer.concat(received).toString('latin1'))
        .toMatch(/^HTTP\/1\.1 401 /);
      expect(Buffer.concat(received).toString('latin1')).toContain('"code":"UNAUTHENTICATED"');
    } finally {
      socket.destroy();
    }
  });
});

describe('event-stream requests past the request bodies the gateway holds', () => {
  // MAX_IN_FLIGHT × MAX_BODY_BYTES: 1 × 2000 bytes of bodies held at once.
  const stack = useStack({ env: { MAX_IN_FLIGHT: '1', MAX_BODY_BYTES: '2000' } });

  it('are refused OVERLOADED, as on POST /graphql, not BAD_REQUEST', async () => {
    const { hostname, port } = new URL(stack.gateway.url);
    const upload = connect(Number(port), hostname);
    await new Promise((resolve) => upload.once('connect', resolve));
    // A POST /graphql holding 1900 bytes of its 2000-byte body, the rest never sent.
    upload.write(
      [
        'POST /graphql HTTP/1.1',
        `host: ${hostname}:${port}`,
        'content-type: application/json',
        'content-length: 2000',
        '',
        `{${' '.repeat(1899)}`,
      ].join('\r\n'),
    );
    try {
      const body = JSON.stringify({ query: SUBSCRIPTION, pad: 'x'.repeat(400) });
      await expect
        .poll(async () => {
          const response = await fetch(`${stack.gateway.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
            body,
          });
          const text = await response.text();
          return `${response.status} ${text}`;
        })
        .toMatch(/^503 .*"code":"OVERLOADED"/);
    } finally {
      upload.destroy();
    }
  });
});
