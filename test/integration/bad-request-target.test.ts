/**
 * A request line whose target Node accepts but is not a URL
 * (`GET http://[::1/graphql`) is the client's mistake: 400 BAD_REQUEST,
 * never a 500 with an error logged and its stack.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.js';

/** Sends one raw request with `target` and returns the whole answer (the connection closes). */
async function rawGet(
  gatewayUrl: string,
  target: string,
  headers = 'connection: close\r\n',
): Promise<string> {
  const { hostname, port } = new URL(gatewayUrl);
  const socket = connect(Number(port), hostname);
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.write(`GET ${target} HTTP/1.1\r\nhost: ${hostname}:${port}\r\n${headers}\r\n`);
  await new Promise((resolve) => socket.once('close', resolve));
  return Buffer.concat(received).toString('utf8');
}

describe('a request target that is not a URL', () => {
  const stack = useStack();

  it.each(['http://[::1/graphql', 'http://:80/', 'http://'])(
    'answers %s with 400 BAD_REQUEST and logs no error',
    async (target) => {
      stack.logs.clear();
      const answer = await rawGet(stack.gateway.url, target);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as {
        errors: Array<{ extensions: { code: string } }>;
      };
      expect(body.errors[0]?.extensions.code).toBe('BAD_REQUEST');
      const levels = stack.logs.entries().map((entry) => entry.level as number);
      // pino: 40 is warn, 50 error.
      expect(levels.filter((level) => level > 40)).toEqual([]);
    },
  );
});

describe('a WebSocket upgrade whose target is not a URL', () => {
  const stack = useStack();
  const UPGRADE = [
    'connection: Upgrade',
    'upgrade: websocket',
    'sec-websocket-version: 13',
    'sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==',
    'sec-websocket-protocol: graphql-transport-ws',
  ]
    .map((line) => `${line}\r\n`)
    .join('');

  it.each(['http://[::1/graphql', 'http://'])(
    'answers %s with 400, and the gateway keeps serving',
    async (target) => {
      const answer = await rawGet(stack.gateway.url, target, UPGRADE);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      const after = await stack.graphql('{ __typename }');
      expect(after.status).toBe(200);
    },
  );
});

describe('requests Apollo refuses before reading an operation', () => {
  const stack = useStack();

  it('answers a GET without a CSRF-safe header, and a batch, with Apollo’s BAD_REQUEST', async () => {
    const csrf = await fetch(`${stack.gateway.url}/graphql?query=%7B__typename%7D`);
    expect(csrf.status).toBe(400);
    const batch = await fetch(`${stack.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }]),
    });
    expect(batch.status).toBe(400);
    for (const response of [csrf, batch]) {
      const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
      expect(body.errors[0]?.extensions.code).toBe('BAD_REQUEST');
    }
  });
});
