/**
 * Subscriptions that arrive together past MAX_SUBSCRIPTIONS (review finding:
 * every one of a read passed the check before any registered, so the later
 * ones failed inside their resolver and got `next` with an OVERLOADED error
 * and `complete`, not the documented `error` message). Each one past the
 * bound is refused the same way as one sent alone.
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { wsUrl } from '../support/live.js';
import { useStack } from '../support/stack.js';
import { waitFor } from '../support/tools.js';

const CHANGES = `subscription { incidentChanged { kind incident { id } } }`;
const MAX = 3;
const SENT = 6;

interface Message {
  id?: string;
  type: string;
  payload?: unknown;
}

describe('subscriptions sent together past MAX_SUBSCRIPTIONS', () => {
  const stack = useStack({
    env: { LIVE_POLL_INTERVAL_MS: '3600000', MAX_SUBSCRIPTIONS: String(MAX) },
  });

  it('are each refused with an error message, as one sent alone is', async () => {
    const socket = new WebSocket(wsUrl(stack.gateway.url), 'graphql-transport-ws');
    try {
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ type: 'connection_init' }));
      await new Promise((resolve) => socket.once('message', resolve));
      const received: Message[] = [];
      socket.on('message', (data) => received.push(JSON.parse(String(data)) as Message));

      // One TCP write: the gateway reads every subscribe before any starts.
      const raw = (socket as unknown as { _socket: Socket })._socket;
      raw.cork();
      for (let id = 0; id < SENT; id++) {
        socket.send(
          JSON.stringify({ id: String(id), type: 'subscribe', payload: { query: CHANGES } }),
        );
      }
      raw.uncork();

      await waitFor(`${SENT - MAX} answers`, () => received.length >= SENT - MAX);
      // A ping answered: nothing else is on its way.
      socket.send(JSON.stringify({ type: 'ping' }));
      await waitFor('the pong', () => received.some((message) => message.type === 'pong'));

      const answers = received.filter((message) => message.type !== 'pong');
      expect(answers).toHaveLength(SENT - MAX);
      for (const answer of answers) {
        expect(answer).toEqual({
          id: expect.any(String),
          type: 'error',
          payload: [
            expect.objectContaining({
              extensions: expect.objectContaining({ code: 'OVERLOADED' }),
            }),
          ],
        });
      }
      const ready = (await (await fetch(`${stack.gateway.url}/readyz`)).json()) as {
        live: { subscribers: number };
      };
      expect(ready.live.subscribers).toBe(MAX);
    } finally {
      socket.close();
    }
  });
});
