/**
 * `createGateway(config)`: composes the upstream clients, the shared cache,
 * Apollo Server and the HTTP router on one node:http server, started on the
 * configured port. No side effects beyond what it returns: `stop()` drains
 * requests and closes the pools.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createContext, type Upstreams } from './context.js';
import { createFormatError } from './errors.js';
import { startApollo } from './graphql/apollo.js';
import { operationGuard } from './guard/operationGuard.js';
import { createTokenChecker } from './guard/tokens.js';
import { createGraphiQLHandler, loadExamples } from './http/graphiql.js';
import { executeGraphQL } from './http/nodeHttp.js';
import { createReadinessCheck, type Readiness } from './http/readiness.js';
import { createRouter } from './http/router.js';
import { createLinkShared } from './links/shared.js';
import { attachLive, type LiveOptions } from './live/index.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { operationLog } from './observability/operationLog.js';
import { upstreamObservers, upstreamWarnings } from './observability/upstreamLog.js';
import { createSchema } from './schema.js';
import { CoralogixClient } from './upstreams/coralogix/client.js';
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
  /** The same upstream check as /readyz. */
  readiness(): Promise<Readiness>;
  stop(): Promise<void>;
}

function createUpstreams(config: Config, logger: Logger, metrics: Metrics): Upstreams {
  if (!config.coralogix || !config.oneuptime) {
    throw new Error(
      'createGateway needs both upstream URLs (start the sandbox first in sandbox mode)',
    );
  }
  const common = {
    timeoutMs: config.upstreamTimeoutMs,
    retries: config.upstreamRetries,
    ...upstreamObservers(logger, metrics),
  };
  return {
    coralogix: new CoralogixClient({
      ...common,
      baseUrl: config.coralogix.url,
      onWarning: upstreamWarnings(logger, 'coralogix'),
    }),
    oneuptime: new OneUptimeClient({ ...common, baseUrl: config.oneuptime.url }),
  };
}

export async function createGateway(config: Config, options: GatewayOptions): Promise<Gateway> {
  const { logger } = options;
  const metrics = createMetrics();
  const upstreams = createUpstreams(config, logger, metrics);
  // Imported only with REDIS_URL: a gateway without Redis does not load the client.
  const shared = config.redisUrl
    ? (await import('./sharedCache/index.js')).createSharedCache({
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
  const apollo = await startApollo({
    schema,
    config,
    logger,
    httpServer,
    formatError,
    ...(shared ? { persistedQueries: shared.apq } : {}),
    plugins: [
      operationGuard(schema, config),
      operationLog(logger, metrics),
      ...(shared ? [shared.plugin] : []),
    ],
  });

  const contextOptions = {
    config,
    upstreams,
    tokens,
    links: createLinkShared(config, shared?.link),
    live,
    ...(options.batch === undefined ? {} : { batch: options.batch }),
  };
  const readiness = createReadinessCheck(upstreams, config, options.readinessCacheMs);
  const router = createRouter({
    logger,
    maxBodyBytes: config.maxBodyBytes,
    metrics: {
      contentType: metrics.registry.contentType,
      render: () => metrics.registry.metrics(),
    },
    readiness,
    // Live health is reported, never a reason to be unready (an idle poller is normal).
    readinessDetails: () => ({ live: live.health() }),
    eventStream: {
      wants: (req) => live.wantsEventStream(req),
      serve: (req, res) => live.serveSse(req, res),
    },
    graphiql: config.graphiql
      ? createGraphiQLHandler({
          examples: loadExamples(),
          tokensRequired: !tokens.open,
          ...(options.examplePlaceholders ? { placeholders: options.examplePlaceholders } : {}),
        })
      : undefined,
    graphql: (req, res, url, requestId) =>
      executeGraphQL(apollo, req, res, {
        url,
        maxBodyBytes: config.maxBodyBytes,
        deadlineMs: config.operationTimeoutMs,
        context: async (signal) => createContext(contextOptions, req.headers, signal, requestId),
      }),
  });
  httpServer.on('request', (req, res) => void router(req, res));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  return {
    url: `http://${host}:${address.port}`,
    readiness: () => readiness.check(),
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
