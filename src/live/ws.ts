/**
 * GraphQL over WebSocket (`graphql-ws`, subprotocol `graphql-transport-ws`)
 * on the gateway's own HTTP server, path `/graphql`. Close codes:
 * - 4403 the gateway token (or a forwarded key) is missing or wrong, checked on `connection_init`
 * - 1013 (try again later) the client already has MAX_CONNECTIONS_PER_CLIENT live connections
 * - 1008 slow consumer: the client did not read its events (see subscriber.ts)
 * - 1001 the gateway is stopping
 * plus graphql-ws's own (4400 bad message, 4408 no `connection_init` within 3 s, …).
 * A subscription past MAX_SUBSCRIPTIONS_PER_CONNECTION or MAX_SUBSCRIPTIONS, or
 * of a document not in TRUSTED_DOCUMENTS, gets an `error` message; the
 * connection stays open.
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
import type { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { GatewayError } from '../errors.js';
import type { ClientOf, ConnectionCounter } from './clients.js';
import type { TrustedDocuments } from '../graphql/trustedDocuments.js';
import { connectionHeaders } from './headers.js';
import type { LiveHub } from './hub.js';
import type { LiveMetrics } from './metrics.js';
import type { LiveOperations } from './operations.js';
import type { ContextFor } from './access.js';
import type { LiveConnection } from './subscriber.js';
import { targetOf } from '../http/router.js';
import { SocketSubscriptions } from './socketSubscriptions.js';

export const CLOSE = {
  forbidden: 4403,
  tooManyConnections: 1013,
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
  /** MAX_CONNECTIONS_PER_CLIENT, shared with SSE, and who a client is. */
  connections: ConnectionCounter;
  clientOf: ClientOf;
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
  // Cleared on close: the timer would hold the socket, and all it buffered, for its whole grace.
  const timer = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
  socket.once('close', () => clearTimeout(timer));
}

/** The one LiveConnection of a socket, shared by its subscriptions: dropped (and logged) once. */
function connectionOf(
  socket: WebSocket,
  subscriptions: () => number,
  logger: Logger,
): LiveConnection {
  let dropped = false;
  return {
    transport: 'ws',
    backlogBytes: () => socket.bufferedAmount,
    drop: (reason) => {
      if (dropped) return;
      dropped = true;
      logger.warn(
        {
          transport: 'ws',
          reason,
          subscriptions: subscriptions(),
          backlogBytes: socket.bufferedAmount,
        },
        'live updates: closing the connection of a slow consumer (1008)',
      );
      closeSoon(socket, CLOSE.slowConsumer, reason);
    },
  };
}

/**
 * Errors that only say the connection is gone (a send that failed as the peer
 * reset or the socket closed): nobody is left to receive them, and they are no
 * fault of the gateway's to log as one.
 */
function connectionGone(socket: WebSocket, errors: readonly GraphQLError[]): boolean {
  if (socket.readyState !== socket.OPEN) return true;
  return errors.every((error) => {
    const cause = error.originalError as
      (Error & { code?: unknown; syscall?: unknown }) | undefined;
    return (
      cause !== undefined &&
      (typeof cause.syscall === 'string' ||
        cause.code === 'ERR_STREAM_DESTROYED' ||
        /^WebSocket is not open/.test(cause.message))
    );
  });
}

export function attachWebSocket(options: WebSocketOptions): {
  size(): number;
  close(): Promise<void>;
} {
  const { operations, metrics } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  let closing = false;

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = targetOf(request)?.pathname.replace(/\/+$/, '');
    if (path === undefined) {
      // An absolute-form target the URL parser refuses (`GET http://[::1/graphql`): thrown
      // here, in an 'upgrade' listener, it would take the whole process down.
      socket.end(`HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
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
  useServer<
    Record<string, unknown>,
    {
      headers?: IncomingHttpHeaders;
      connection?: LiveConnection;
      subscriptions?: SocketSubscriptions;
    }
  >(
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
        const { socket, request } = ctx.extra;
        const release = options.connections.take(
          options.clientOf(headers, request.socket.remoteAddress),
        );
        if (!release) {
          metrics.refused('ws', 'too_many_connections');
          closeSoon(
            socket,
            CLOSE.tooManyConnections,
            `Too many live connections for this client (MAX_CONNECTIONS_PER_CLIENT is ${options.connections.max}); close one first.`,
          );
          return false;
        }
        if (socket.readyState !== socket.OPEN) {
          release();
          return false;
        }
        socket.once('close', release);
        // Counted and ended by the gateway, not by ctx.subscriptions (see socketSubscriptions.ts).
        const subscriptions = new SocketSubscriptions();
        socket.once('close', () => subscriptions.close());
        ctx.extra.headers = headers;
        ctx.extra.subscriptions = subscriptions;
        ctx.extra.connection = connectionOf(socket, () => subscriptions.size, options.logger);
        return true;
      },
      onSubscribe: (ctx, _id, payload) => {
        const { headers = {}, connection, subscriptions } = ctx.extra;
        if (!connection || !subscriptions) {
          throw new Error('a subscription before connection_init was acknowledged');
        }
        if (subscriptions.size >= max) {
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
        const prepared = operations.prepare(admitted, headers, connection);
        if (!Array.isArray(prepared)) subscriptions.admit(prepared.contextValue);
        return prepared;
      },
      subscribe: (args) => operations.subscribe(args),
      onOperation: (ctx, _id, _payload, args, result) =>
        ctx.extra.subscriptions?.started(args.contextValue, result),
      onNext: (_ctx, _id, _payload, _args, result) => operations.formatResult(result),
      // A send that failed because the peer went away is no error to format (or log as masked).
      onError: (ctx, _id, _payload, errors) =>
        connectionGone(ctx.extra.socket, errors) ? [] : operations.formatErrors(errors),
    },
    wss,
    options.keepAliveMs,
  );

  return {
    /** Open WebSocket connections (handshake done, not yet closed). */
    size: () => wss.clients.size,
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
