/**
 * Live updates (`Subscription.incidentChanged`): the one function the server
 * calls. It attaches GraphQL over WebSocket to the HTTP server (`upgrade` on
 * /graphql), serves GraphQL over SSE for the router, and runs one poller per
 * credential scope while anyone subscribes; with REDIS_URL one replica polls
 * (a lease) and every replica delivers (pub/sub).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { GatewayError } from '../errors.js';
import type { TrustedDocuments } from '../graphql/trustedDocuments.js';
import type { BodyBudget } from '../http/nodeHttp.js';
import type { Metrics } from '../observability/metrics.js';
import type { RedisLink } from '../sharedCache/redis.js';
import type { ContextFor } from './access.js';
import { ConnectionCounter, type ClientOf } from './clients.js';
import { LiveHub, type LiveHealth as HubHealth } from './hub.js';
import { createLiveMetrics } from './metrics.js';
import {
  createLiveOperations,
  httpAccess,
  type FormatError,
  type LiveAccess,
} from './operations.js';
import { createSseTransport, wantsEventStream } from './sse.js';
import { connectLiveRedis, leaseTiming } from './redis.js';
import type { SubscriberBounds } from './subscriber.js';
import { attachWebSocket } from './ws.js';

export type { LiveAccess } from './access.js';
export type { ClientOf } from './clients.js';

export interface LiveOptions {
  schema: GraphQLSchema;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** The formatError Apollo uses: subscriptions mask errors the same way. */
  formatError: FormatError;
  /** The gateway's context factory (token and key checks, loaders). */
  contextFor: ContextFor;
  /** Who a client is for MAX_CONNECTIONS_PER_CLIENT: its gateway token, else its address. */
  clientOf: ClientOf;
  /** Tighter bounds for tests; the defaults suit production. */
  bounds?: Partial<SubscriberBounds>;
  /** WebSocket ping interval (default 12 s). */
  keepAliveMs?: number;
  /** The gateway's Redis link (REDIS_URL): lease and fan-out across replicas. */
  redis?: RedisLink | undefined;
  /** Whether a WebSocket upgrade's `Origin` may connect (CORS_ORIGINS, http/cors.ts). */
  mayOpenSocket?: (req: IncomingMessage) => boolean;
  /** TRUSTED_DOCUMENTS: subscriptions run only the listed documents. */
  documents?: TrustedDocuments | undefined;
  /** The request bodies the server holds (server.ts): an SSE request's body counts too. */
  bodies?: BodyBudget;
  /** The gateway token check, answered before an SSE request's body is read. */
  unauthenticated?: (headers: IncomingHttpHeaders) => GatewayError | undefined;
}

/** What /readyz reports of live updates; every count drops back to 0 as connections close. */
export interface LiveHealth extends HubHealth {
  /** Open connections by transport. */
  connections: { ws: number; sse: number };
  /** Clients with a live connection open (MAX_CONNECTIONS_PER_CLIENT's entries). */
  clients: number;
}

export interface Live {
  /** `GatewayContext.live` of an HTTP request in `scope`: its mutations publish. */
  access(scope: string): LiveAccess;
  /** A request to /graphql that accepts `text/event-stream` is an SSE subscription. */
  wantsEventStream(req: IncomingMessage): boolean;
  serveSse(req: IncomingMessage, res: ServerResponse): Promise<void>;
  health(): LiveHealth;
  /** Closes every subscription (WebSocket: 1001), stops polling, leaves Redis. */
  close(): Promise<void>;
}

export const DEFAULT_BOUNDS: SubscriberBounds = {
  maxQueuedEvents: 100,
  maxBufferedBytes: 1_048_576,
};

export function attachLive(httpServer: Server, options: LiveOptions): Live {
  const { config, logger } = options;
  const replicaId = randomUUID();
  // Both callbacks run later (at scrape time, on a Redis message): `hub` exists by then.
  const metrics = createLiveMetrics(options.metrics.registry, () => hub.leading());
  const redis = options.redis
    ? connectLiveRedis({
        link: options.redis,
        replicaId,
        ...leaseTiming(config.livePollIntervalMs),
        logger,
        onBatch: (batch) => hub.received(batch),
      })
    : undefined;
  const hub = new LiveHub({
    intervalMs: config.livePollIntervalMs,
    operationTimeoutMs: config.operationTimeoutMs,
    bounds: { ...DEFAULT_BOUNDS, ...options.bounds },
    maxSubscriptions: config.maxSubscriptions,
    contextFor: options.contextFor,
    logger,
    metrics,
    replicaId,
    ...(redis ? { redis } : {}),
  });
  const operations = createLiveOperations({
    schema: options.schema,
    limits: config,
    formatError: options.formatError,
    contextFor: options.contextFor,
    hub,
    maxResponseBytes: config.maxResponseBytes,
  });
  const connections = new ConnectionCounter(config.maxConnectionsPerClient);
  const sse = createSseTransport({
    operations,
    documents: options.documents,
    maxBodyBytes: config.maxBodyBytes,
    bodies: options.bodies,
    unauthenticated: options.unauthenticated,
    connections,
    clientOf: options.clientOf,
    logger,
    metrics,
  });
  const ws = attachWebSocket({
    httpServer,
    operations,
    documents: options.documents,
    mayOpen: options.mayOpenSocket ?? (() => true),
    hub,
    contextFor: options.contextFor,
    connections,
    clientOf: options.clientOf,
    maxSubscriptionsPerConnection: config.maxSubscriptionsPerConnection,
    maxPayloadBytes: config.maxBodyBytes,
    keepAliveMs: options.keepAliveMs ?? 12_000,
    logger,
    metrics,
  });
  return {
    access: (scope) => httpAccess(hub, scope),
    wantsEventStream,
    serveSse: sse.serve,
    health: () => ({
      ...hub.health(),
      connections: { ws: ws.size(), sse: sse.size() },
      clients: connections.clients,
    }),
    async close() {
      await Promise.all([ws.close(), sse.close()]);
      await hub.close();
      await redis?.close();
    },
  };
}
