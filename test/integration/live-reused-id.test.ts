/**
 * A WebSocket client that subscribes, completes and subscribes again with one
 * id, all within one read (review finding: graphql-ws overwrites its own entry
 * for the id, so the gateway lost count of the overwritten subscriptions).
 * The per-connection bound still holds, and closing the socket ends every
 * subscription it started.
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { wsUrl } from '../support/live.js';
import { useStack, type Stack } from '../support/stack.js';
import { waitFor } from '../support/tools.js';

const CHANGES = `subscription { incidentChanged { kind incident { id } } }`;
const MAX_PER_CONNECTION = 5;
const REUSES = 30;

async function liveState(stack: Stack) {
  const body = (await (await fetch(`${stack.gateway.url}/readyz`)).json()) as {
    live: { subscribers: number; scopes: number; connections: { ws: number } };
  };
  return body.live;
}

/** An acknowledged graphql-ws connection on a raw `ws` socket. */
async function openSocket(stack: Stack): Promise<WebSocket> {
  const socket = new WebSocket(wsUrl(stack.gateway.url), 'graphql-transport-ws');
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await new Promise((resolve) => socket.once('message', resolve));
  return socket;
}

/** Sends every message in one TCP write, so the gateway reads them together. */
function sendTogether(socket: WebSocket, messages: unknown[]): void {
  const raw = (socket as unknown as { _socket: Socket })._socket;
  raw.cork();
  for (const message of messages) socket.send(JSON.stringify(message));
  raw.uncork();
}

/** A ping answered: every message sent before it has been handled. */
async function settled(socket: WebSocket): Promise<void> {
  const pong = new Promise<void>((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      if ((JSON.parse(String(data)) as { type: string }).type !== 'pong') return;
      socket.off('message', onMessage);
      resolve();
    };
    socket.on('message', onMessage);
  });
  socket.send(JSON.stringify({ type: 'ping' }));
  await pong;
}

describe('a subscription id reused within one read', () => {
  const stack = useStack({
    env: {
      LIVE_POLL_INTERVAL_MS: '3600000',
      MAX_SUBSCRIPTIONS_PER_CONNECTION: String(MAX_PER_CONNECTION),
    },
  });

  it('keeps the per-connection bound, and closing the socket ends every subscription', async () => {
    const socket = await openSocket(stack);
    const subscribe = { id: 'x', type: 'subscribe', payload: { query: CHANGES } };
    const complete = { id: 'x', type: 'complete' };
    sendTogether(socket, [
      ...Array.from({ length: REUSES }, () => [subscribe, complete]).flat(),
      subscribe,
    ]);
    await settled(socket);
    expect((await liveState(stack)).subscribers).toBeLessThanOrEqual(MAX_PER_CONNECTION);

    socket.close();
    await waitFor('the socket closed', async () => (await liveState(stack)).connections.ws === 0);
    await waitFor('every subscription ended', async () => {
      const state = await liveState(stack);
      return state.subscribers === 0 && state.scopes === 0;
    });
  });
});
