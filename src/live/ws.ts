/**
 * GraphQL over WebSocket (`graphql-ws`, subprotocol `graphql-transport-ws`)
 * on the gateway's own HTTP server, path `/graphql`. Close codes:
 * - 4403 the gateway token (or a forwarded key) is missing or wrong, checked on `connection_init`
 * - 1008 slow consumer: the client did not read its events (see subscriber.ts)
 * - 1001 the gateway is stopping
 * plus graphql-ws's own (4400 bad message, 4408 no `connection_init` within 3 s, …).
 * A subscription past MAX_SUBSCRIPTIONS_PER_CONNECTION, or of a document not in
 * TRUSTED_DOCUMENTS, gets an `error` message; the connection stays open.
 *
 * An upgrade from a browser page of another origin than the gateway's own and
 * those of CORS_ORIGINS is refused with 403 before any WebSocket opens:
 * browsers apply no CORS to WebSockets, so without this any site a user visits
 * could subscribe, from the user's network, to a gateway without tokens.
 */
import type { IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import { GatewayError } from '../errors.js';
import type { TrustedDocuments } from '../graphql/trustedDocuments.js';
import { connectionHeaders } from './headers.js';
import type { LiveHub } from './hub.js';
import type { LiveMetrics } from './metrics.js';
import type { LiveOperations } from './operations.js';
import type { ContextFor } from './access.js';
import type { LiveConnection } from './subscriber.js';

export const CLOSE = {
  forbidden: 4403,
  slowConsumer: 1008,
  goingAway: 1001,
} as const;

/** How long a closing socket may take to finish its close handshake before it is cut. */
const CLOSE_GRACE_MS = 10_000;
const SHUTDOWN_GRACE_MS = 2_000;

export interface WebSocketOptions {
  httpServer: Server;
  operations: LiveOperations;
  /** Whether the upgrade's `Origin` may connect (http/cors.ts). */
  mayOpen: (request: IncomingMessage) => boolean;
  /** TRUSTED_DOCUMENTS, when set. */
  documents?: TrustedDocuments | undefined;
  hub: LiveHub;
  contextFor: ContextFor;
  maxSubscriptionsPerConnection: number;
  maxPayloadBytes: number;
  /** ws-level ping interval; a peer that misses a pong for as long is cut. */
  keepAliveMs: number;
  logger: Logger;
  metrics: LiveMetrics;
}

/** WebSocket close reasons are at most 123 bytes. */
export function closeReason(text: string): string {
  let reason = text;
  while (Buffer.byteLength(reason) > 123) reason = `${reason.slice(0, reason.length - 2)}…`;
  return reason;
}

function closeSoon(socket: WebSocket, code: number, reason: string): void {
  socket.close(code, closeReason(reason));
  setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
}

function connectionOf(socket: WebSocket): LiveConnection {
  return {
    transport: 'ws',
    backlogBytes: () => socket.bufferedAmount,
    drop: (reason) => closeSoon(socket, CLOSE.slowConsumer, reason),
  };
}

export function attachWebSocket(options: WebSocketOptions): { close(): Promise<void> } {
  const { operations, metrics } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  let closing = false;

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://gateway.invalid').pathname.replace(/\/+$/, '');
    if (closing || path !== '/graphql') {
      const status = closing ? '503 Service Unavailable' : '404 Not Found';
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    if (!options.mayOpen(request)) {
      metrics.refused('ws', 'origin');
      options.logger.info(
        { origin: request.headers.origin },
        'live updates: refused a WebSocket from an origin not in CORS_ORIGINS',
      );
      socket.end(`HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  options.httpServer.on('upgrade', onUpgrade);

  const max = options.maxSubscriptionsPerConnection;
  useServer<Record<string, unknown>, { headers: IncomingHttpHeaders }>(
    {
      // Close reasons never carry internal error messages.
      isProd: true,
      onConnect: (ctx) => {
        const headers = connectionHeaders(ctx.extra.request.headers, ctx.connectionParams);
        try {
          options.contextFor(headers, options.hub.signal, 'live-connect').span.end();
        } catch (error) {
          if (!(error instanceof GatewayError)) throw error;
          metrics.refused('ws', error.code);
          closeSoon(ctx.extra.socket, CLOSE.forbidden, error.message);
          return false;
        }
        ctx.extra.headers = headers;
        return true;
      },
      onSubscribe: (ctx, _id, payload) => {
        // This one is already counted (reserved) in ctx.subscriptions.
        if (Object.keys(ctx.subscriptions).length > max) {
          metrics.refused('ws', 'too_many_subscriptions');
          return [
            new GatewayError(
              'BAD_USER_INPUT',
              `This connection already has ${max} subscriptions (MAX_SUBSCRIPTIONS_PER_CONNECTION); complete one, or open another connection.`,
              { limit: max },
            ),
          ];
        }
        const admitted = options.documents ? options.documents.admit(payload) : payload;
        if (admitted instanceof GatewayError) {
          metrics.refused('ws', admitted.code);
          return [admitted];
        }
        return operations.prepare(
          admitted,
          ctx.extra.headers ?? {},
          connectionOf(ctx.extra.socket),
        );
      },
      subscribe: (args) => operations.subscribe(args),
      onNext: (_ctx, _id, _payload, _args, result) => operations.formatResult(result),
      onError: (_ctx, _id, _payload, errors) => operations.formatErrors(errors),
    },
    wss,
    options.keepAliveMs,
  );

  return {
    /** 1001 to every client; those that do not finish the handshake in time are cut. */
    async close() {
      closing = true;
      options.httpServer.off('upgrade', onUpgrade);
      const clients = [...wss.clients];
      await Promise.all(
        clients.map(
          (socket) =>
            new Promise<void>((resolve) => {
              if (socket.readyState === socket.CLOSED) return resolve();
              socket.once('close', () => resolve());
              socket.close(CLOSE.goingAway, 'Going away: the gateway is shutting down');
              setTimeout(() => socket.terminate(), SHUTDOWN_GRACE_MS).unref();
            }),
        ),
      );
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
