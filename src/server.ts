/**
 * `createGateway(config)`: composes the upstream clients, the shared cache,
 * Apollo Server and the HTTP router on one node:http server, started on the
 * configured port. No side effects beyond what it returns: `stop()` drains
 * requests (http/drain.ts) and closes the pools.
 */
import { createServer, type IncomingHttpHeaders, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createContext, type GatewayContext, type Upstreams } from './context.js';
import { createFormatError, GatewayError } from './errors.js';
import { startApollo } from './graphql/apollo.js';
import { loadTrustedDocuments } from './graphql/trustedDocuments.js';
import { operationGuard } from './guard/operationGuard.js';
import type { Utilization } from './guard/loadShare.js';
import { responseSizeGuard } from './guard/responseSize.js';
import { linkReadColumnsPlugin } from './links/readColumns.js';
import { createTokenChecker } from './guard/tokens.js';
import { createHttpAdmission } from './http/admit.js';
import { createCorsPolicy } from './http/cors.js';
import { createDrainer } from './http/drain.js';
import { createGraphiQLHandler, loadExamples } from './http/graphiql.js';
import { BodyBudget, executeGraphQL, readBody, sendGraphQLError } from './http/nodeHttp.js';
import { createReadinessCheck, type Readiness } from './http/readiness.js';
import { createRouter } from './http/router.js';
import { caseFamily, incidentFamily } from './links/family.js';
import { createGatewayLinkLock, familyLinkShared } from './links/shared.js';
import { attachLive, type LiveOptions } from './live/index.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { operationLog } from './observability/operationLog.js';
import { upstreamObservers, upstreamWarnings } from './observability/upstreamLog.js';
import { createSchema } from './schema.js';
import { CaseClient } from './upstreams/coralogix/cases/client.js';
import { createCoralogixHttp } from './upstreams/coralogix/http.js';
import { CoralogixClient } from './upstreams/coralogix/incidents/client.js';
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
  /**
   * Admission for tests: how long an operation over a bound may wait (default
   * http/admit.ts), and a fixed event-loop utilization instead of the real one.
   */
  admission?: { waitMs?: number; utilization?: Utilization };
  /** Apollo plugins run after the gateway's own (e.g. a test's instrumentation). */
  plugins?: Array<ApolloServerPlugin<GatewayContext>>;
}

export interface Gateway {
  /** Base URL, e.g. `http://127.0.0.1:4000`; GraphQL is at `${url}/graphql`. */
  url: string;
  /** The same upstream check as /readyz. */
  readiness(): Promise<Readiness>;
  /**
   * Closes subscriptions, drains (see http/drain.ts: no new requests, answers for
   * those accepted, up to OPERATION_TIMEOUT_MS + DRAIN_GRACE_MS), then closes the
   * pools. `graceful` is false when connections were still open at the deadline
   * and were destroyed.
   */
  stop(): Promise<{ graceful: boolean }>;
}

/** Time after the operation deadline for the last answers to be written. */
export const DRAIN_GRACE_MS = 5_000;

function createUpstreams(config: Config, logger: Logger, metrics: Metrics): Upstreams {
  if (!config.coralogix || !config.oneuptime) {
    throw new Error(
      'createGateway needs both upstream URLs (start the sandbox first in sandbox mode)',
    );
  }
  const common = {
    timeoutMs: config.upstreamTimeoutMs,
    retries: config.upstreamRetries,
    proxy: config.proxy,
    ...upstreamObservers(logger, metrics),
  };
  // Incidents and Cases live on one Coralogix host: one transport (one Pool) serves both.
  const http = createCoralogixHttp({ ...common, baseUrl: config.coralogix.url });
  const onWarning = upstreamWarnings(logger, 'coralogix');
  return {
    coralogix: new CoralogixClient({ http, onWarning }),
    cases: new CaseClient({ http, onWarning }),
    oneuptime: new OneUptimeClient({ ...common, baseUrl: config.oneuptime.url }),
  };
}

/**
 * Slow clients (slowloris) may not hold a socket longer than REQUEST_TIMEOUT_MS
 * to send one request, headers included (Node's defaults: 300 s / 60 s); they
 * get 408 and the connection closes. Node checks these every
 * `connectionsCheckingInterval` (default 30 s), so the check runs four times per
 * timeout. No socket inactivity `timeout`: a response may legitimately take up
 * to OPERATION_TIMEOUT_MS with nothing on the wire, and idle keep-alive sockets
 * already close after Node's `keepAliveTimeout`.
 */
function serverTimeouts(config: Pick<Config, 'requestTimeoutMs'>): ServerOptions {
  return {
    requestTimeout: config.requestTimeoutMs,
    headersTimeout: config.requestTimeoutMs,
    connectionsCheckingInterval: Math.max(25, Math.floor(config.requestTimeoutMs / 4)),
  };
}

export async function createGateway(config: Config, options: GatewayOptions): Promise<Gateway> {
  const { logger } = options;

  const schema = createSchema();
  // Before anything is opened: a bad manifest stops the start (ConfigError).
  const documents = config.trustedDocuments
    ? loadTrustedDocuments(config.trustedDocuments, {
        schema,
        logger,
        maxTokens: config.maxTokens,
        introspection: config.introspection,
      })
    : undefined;
  if (documents) {
    logger.info(
      { documents: documents.size },
      'trusted documents: only the documents of TRUSTED_DOCUMENTS run',
    );
  }
  const cors = createCorsPolicy(config.corsOrigins);
  const metrics = createMetrics({ perRequest: config.metrics });
  const upstreams = createUpstreams(config, logger, metrics);
  // Imported only with REDIS_URL: a gateway without Redis does not load the client.
  const shared = config.redisUrl
    ? (await import('./sharedCache/index.js')).createSharedCache({
        url: config.redisUrl,
        logger,
        metrics,
        responseTtlMs: config.responseCacheTtlMs,
        deployment: config,
      })
    : undefined;
  const httpServer = createServer(serverTimeouts(config));
  const tokens = createTokenChecker({
    readWrite: config.gatewayTokens,
    readOnly: config.gatewayReadTokens,
    metrics: config.metricsTokens,
  });
  const formatError = createFormatError({
    onMasked: (error) => logger.error({ err: error }, 'unexpected error (masked for the client)'),
    hideSuggestions: config.production,
  });
  // The same refusal the context gives (createContext authorizes first), answered earlier.
  const unauthenticated = (headers: IncomingHttpHeaders): GatewayError | undefined => {
    try {
      tokens.authorize(headers);
      return undefined;
    } catch (error) {
      if (error instanceof GatewayError) return error;
      throw error;
    }
  };
  // The bodies held, read or being read, until answered: as much as MAX_IN_FLIGHT operations
  // reading the largest bodies held when a slot came first. Past it a read is OVERLOADED.
  const bodies = new BodyBudget(config.maxInFlight * config.maxBodyBytes);
  const drainer = createDrainer(httpServer);
  const live = attachLive(httpServer, {
    schema,
    config,
    logger,
    metrics,
    formatError,
    // A live context serves every subscriber of a delivery batch, many operations at once: the
    // per-operation call counter does not apply (each subscription is bounded when it starts).
    contextFor: (headers, signal, requestId) =>
      createContext(
        { ...contextOptions, config: { ...config, maxUpstreamCalls: Number.POSITIVE_INFINITY } },
        headers,
        signal,
        requestId,
      ),
    clientOf: (headers, address) => tokens.clientId(headers) ?? `address:${address ?? 'unknown'}`,
    redis: shared?.link,
    mayOpenSocket: cors.mayOpenSocket,
    documents,
    bodies,
    unauthenticated,
    ...options.live,
  });
  const apollo = await startApollo({
    schema,
    config,
    logger,
    formatError,
    ...(shared ? { persistedQueries: shared.apq } : {}),
    plugins: [
      // The call bound counts loads one by one when batching is off (the bench's naive baseline).
      operationGuard(schema, { ...config, batching: options.batch !== false }),
      linkReadColumnsPlugin(schema),
      // Before the log: it records the status and errors the client really gets.
      responseSizeGuard(config.maxResponseBytes),
      operationLog(logger, metrics),
      ...(shared ? [shared.plugin] : []),
      ...(options.plugins ?? []),
    ],
  });

  // Each family has its own cache and field; one lock: they write the same OneUptime incidents.
  const linkOptions = {
    redis: shared?.link,
    logger,
    lock: createGatewayLinkLock(config, { redis: shared?.link, logger }),
  };
  const contextOptions = {
    config,
    upstreams,
    tokens,
    links: familyLinkShared(incidentFamily(config.linkField), config, linkOptions),
    caseLinks: familyLinkShared(caseFamily(config.caseLinkField), config, linkOptions),
    recordTags: Boolean(shared),
    live,
    ...(options.batch === undefined ? {} : { batch: options.batch }),
  };
  const admission = createHttpAdmission({
    maxInFlight: config.maxInFlight,
    maxInFlightPerClient: config.maxInFlightPerClient,
    registry: metrics.registry,
    logger,
    clientId: (req) => tokens.clientId(req.headers),
    ...(options.admission?.waitMs === undefined ? {} : { maxWaitMs: options.admission.waitMs }),
    ...(options.admission?.utilization ? { utilization: options.admission.utilization } : {}),
  });
  const readiness = createReadinessCheck(upstreams, config, options.readinessCacheMs);
  const router = createRouter({
    logger,
    maxBodyBytes: config.maxBodyBytes,
    metrics: {
      contentType: metrics.registry.contentType,
      render: () => metrics.registry.metrics(),
      mayRead: (req) => tokens.mayReadMetrics(req.headers),
    },
    readiness,
    cors,
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
    graphql: async (req, res, url, requestId) => {
      // A slot is taken only once the whole request is here: a client still sending its body
      // (for up to REQUEST_TIMEOUT_MS) holds none, so slow uploads cannot fill MAX_IN_FLIGHT.
      // With gateway tokens, a request without a valid one is refused before its body is read:
      // only known clients make the gateway keep a body (up to MAX_BODY_BYTES) in memory.
      const refusal = unauthenticated(req.headers);
      if (refusal) return sendGraphQLError(res, refusal.code, refusal.message);
      const body =
        req.method === 'POST'
          ? await readBody(req, config.maxBodyBytes, { budget: bodies, until: res })
          : '';
      return admission.run(req, res, () =>
        executeGraphQL(apollo, req, res, {
          url,
          body,
          deadlineMs: config.operationTimeoutMs,
          documents,
          context: async (signal) => createContext(contextOptions, req.headers, signal, requestId),
        }),
      );
    },
  });
  httpServer.on('request', (req, res) => {
    drainer.track(res);
    void router(req, res);
  });

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
      // First: open subscriptions would otherwise hold the drain until its deadline.
      await live.close();
      admission.close();
      // Operations accepted before the drain may run until their own deadline.
      const graceful = await drainer.drain(config.operationTimeoutMs + DRAIN_GRACE_MS);
      await apollo.stop();
      await Promise.all([
        // The Coralogix transport, shared by the incidents and cases clients.
        upstreams.coralogix.close(),
        upstreams.oneuptime.close(),
        shared?.close(),
      ]);
      return { graceful };
    },
  };
}
