/**
 * `createGateway(config)`: the HTTP server, Apollo Server and the upstream
 * clients, started on the configured port. No side effects beyond what it
 * returns: `stop()` drains requests and closes the pools.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { Logger } from 'pino';
import { createTokenChecker } from './auth.js';
import type { Config } from './config.js';
import { createContext, type GatewayContext, type Upstreams } from './context.js';
import { createFormatError, type UpstreamName } from './errors.js';
import { createGraphiQLHandler, loadExamples, wantsHtml } from './graphiql.js';
import { createReadinessCheck } from './health.js';
import { attachLive, type LiveOptions } from './live/index.js';
import { createMetrics, type Metrics } from './metrics.js';
import { BodyTooLargeError, executeGraphQL, sendGraphQLError, sendJson } from './nodeHttp.js';
import { operationGuard } from './operationGuard.js';
import { operationLog } from './operationLog.js';
import { createSchema } from './schema.js';
import type { CircuitState } from './upstreams/circuitBreaker.js';
import { CoralogixClient } from './upstreams/coralogix/client.js';
import type { UpstreamCallEvent } from './upstreams/http.js';
import { OneUptimeClient } from './upstreams/oneuptime/client.js';

export interface GatewayOptions {
  logger: Logger;
  /** Real values for the `<incident id>` / `<user id>` placeholders of the GraphiQL examples. */
  examplePlaceholders?: Record<string, string>;
  /** `false`: dataloaders without batching or caching (the bench's naive baseline). */
  batch?: boolean;
  /** How long a /readyz result is reused (default 5 s). */
  readinessCacheMs?: number;
  /** Live-update bounds and keep-alive for tests (see src/live/index.ts). */
  live?: Pick<LiveOptions, 'bounds' | 'keepAliveMs'>;
}

export interface Gateway {
  /** Base URL, e.g. `http://127.0.0.1:4000`; GraphQL is at `${url}/graphql`. */
  url: string;
  stop(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id` when it is a sane token, else a fresh one. */
function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && REQUEST_ID.test(value) ? value : randomUUID();
}

function upstreamsFor(config: Config, logger: Logger, metrics: Metrics): Upstreams {
  if (!config.coralogix || !config.oneuptime) {
    throw new Error(
      'createGateway needs both upstream URLs (start the sandbox first in sandbox mode)',
    );
  }
  const common = {
    timeoutMs: config.upstreamTimeoutMs,
    retries: config.upstreamRetries,
    onCall: (event: UpstreamCallEvent) => {
      metrics.upstreamCall(event);
      const { durationMs, ...rest } = event;
      logger.info({ ...rest, durationMs: Math.round(durationMs * 10) / 10 }, 'upstream call');
    },
    onCircuitChange: (upstream: UpstreamName, state: CircuitState, previous: CircuitState) => {
      metrics.circuitState(upstream, state);
      const log = state === 'open' ? logger.warn.bind(logger) : logger.info.bind(logger);
      log({ upstream, state, previous }, `circuit breaker ${previous} -> ${state}`);
    },
  };
  return {
    coralogix: new CoralogixClient({ ...common, baseUrl: config.coralogix.url }),
    oneuptime: new OneUptimeClient({ ...common, baseUrl: config.oneuptime.url }),
  };
}

export async function createGateway(config: Config, options: GatewayOptions): Promise<Gateway> {
  const { logger } = options;
  const metrics = createMetrics();
  const upstreams = upstreamsFor(config, logger, metrics);
  // Imported only with REDIS_URL: a gateway without Redis does not load the client.
  const shared = config.redisUrl
    ? (await import('./sharedCache.js')).createSharedCache({
        url: config.redisUrl,
        logger,
        metrics,
        responseTtlMs: config.responseCacheTtlMs,
      })
    : undefined;
  const httpServer = createServer();
  const schema = createSchema();
  const tokens = createTokenChecker({
    readWrite: config.gatewayTokens,
    readOnly: config.gatewayReadTokens,
  });
  const formatError = createFormatError({
    onMasked: (error) => logger.error({ err: error }, 'unexpected error (masked for the client)'),
  });
  const live = attachLive(httpServer, {
    schema,
    config,
    logger,
    metrics,
    formatError,
    contextFor: (headers, signal, requestId) =>
      createContext(contextOptions, headers, signal, requestId),
    redis: shared?.link,
    ...options.live,
  });
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    introspection: config.introspection,
    csrfPrevention: true,
    // main.ts owns signal handling; a library factory must not install process handlers.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError,
    // graphql-js counts tokens while parsing: a huge document is refused before it is built.
    parseOptions: { maxTokens: config.maxTokens },
    // Without Redis, APQ uses Apollo's per-process in-memory cache.
    ...(shared ? { persistedQueries: { cache: shared.apq } } : {}),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // Cache hints are unused (the Redis cache keys on tags); the default cache-control
      // plugin would otherwise wrap every field resolver (about 5 % of CPU on a list query).
      ApolloServerPluginCacheControlDisabled(),
      operationGuard(schema, config),
      operationLog(logger, metrics),
      ...(shared ? [shared.plugin] : []),
    ],
    logger,
  });
  await apollo.start();

  const contextOptions = {
    config,
    upstreams,
    tokens,
    live,
    ...(options.batch === undefined ? {} : { batch: options.batch }),
  };
  const readiness = createReadinessCheck(upstreams, config, options.readinessCacheMs);
  const graphiql = config.graphiql
    ? createGraphiQLHandler({
        examples: loadExamples(),
        tokensRequired: !tokens.open,
        ...(options.examplePlaceholders ? { placeholders: options.examplePlaceholders } : {}),
      })
    : undefined;

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/metrics') {
      res.setHeader('content-type', metrics.registry.contentType);
      return res.end(await metrics.registry.metrics());
    }
    if (path === '/readyz') {
      const result = await readiness.check();
      // Live health is reported, never a reason to be unready (an idle poller is normal).
      return sendJson(res, result.ready ? 200 : 503, { ...result, live: live.health() });
    }
    if (path === '/graphql' && live.wantsEventStream(req)) return live.serveSse(req, res);
    if (
      req.method === 'GET' &&
      (path === '/graphiql' || (path === '/graphql' && wantsHtml(req, url)))
    ) {
      return graphiql ? graphiql(req, res) : sendJson(res, 404, { error: 'GraphiQL is off.' });
    }
    if (path !== '/graphql') {
      return sendJson(res, 404, { error: 'Not found. GraphQL is served at /graphql.' });
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.setHeader('allow', 'GET, POST');
      return sendGraphQLError(res, 405, 'BAD_USER_INPUT', 'Use GET or POST.');
    }
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    return executeGraphQL(apollo, req, res, {
      url,
      maxBodyBytes: config.maxBodyBytes,
      deadlineMs: config.operationTimeoutMs,
      context: async (signal) => createContext(contextOptions, req.headers, signal, requestId),
    });
  };

  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        return sendGraphQLError(
          res,
          413,
          'BAD_USER_INPUT',
          `Request body exceeds ${config.maxBodyBytes} bytes.`,
        );
      }
      logger.error({ err: error }, 'request failed');
      if (res.headersSent) return res.destroy();
      return sendGraphQLError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  return {
    url: `http://${host}:${address.port}`,
    stop: async () => {
      // First: open subscriptions would otherwise hold the HTTP server open.
      await live.close();
      await apollo.stop();
      await Promise.all([
        upstreams.coralogix.close(),
        upstreams.oneuptime.close(),
        shared?.close(),
      ]);
    },
  };
}
