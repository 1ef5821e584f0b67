/**
 * The process entry point: the only place that reads `process.env`, listens,
 * and handles signals. With no upstream configured it starts the sandbox.
 */
import { createLogger } from './observability/logger.js';
import { ConfigError, loadConfig, proxyForDisplay, type Config } from './config.js';
import { proxyFor } from './upstreams/proxy.js';
import { describeListenError } from './http/listenError.js';
import { examplePlaceholders } from './sandbox/examplePlaceholders.js';
import { startSandbox, type Sandbox } from './sandbox/index.js';
import type { UpstreamHealth } from './http/readiness.js';
import { DRAIN_GRACE_MS, createGateway, type Gateway } from './server.js';
import { startTracing } from './observability/tracing.js';

/** How long an exit waits for log lines still queued for a slow reader of stdout. */
const LOG_DRAIN_MS = 1_000;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const { logger, drain: drainLogs } = createLogger(config.logLevel, {
    pretty: process.stdout.isTTY,
  });
  for (const warning of config.warnings) logger.warn(warning);

  const tracing = await startTracing(process.env);
  if (tracing) logger.info('tracing on: exporting spans as configured by OTEL_* variables');

  let sandbox: Sandbox | undefined;
  if (config.sandbox) {
    sandbox = await startSandbox({ latencyMs: config.sandboxLatencyMs });
    const urls = { coralogix: sandbox.coralogix.url, oneuptime: sandbox.oneuptime.url };
    if (config.production) {
      // Only SANDBOX=true gets here in production (src/config.ts): say loudly what it serves.
      logger.warn(
        urls,
        'sandbox mode under NODE_ENV=production (SANDBOX=true): serving seeded data from the built-in emulators, not a real account',
      );
    } else {
      logger.info(
        urls,
        'sandbox mode: no upstream configured, serving seeded data from the built-in emulators',
      );
    }
    config = { ...config, coralogix: sandbox.coralogix, oneuptime: sandbox.oneuptime };
  } else {
    logger.info(
      {
        coralogix: config.coralogix?.url,
        oneuptime: config.oneuptime?.url,
        credentials: config.credentials,
        ...proxiesForLog(config),
      },
      'upstream mode',
    );
  }
  if (
    (config.production || !config.sandbox) &&
    config.gatewayTokens.length === 0 &&
    config.gatewayReadTokens.length === 0
  ) {
    logger.warn(
      'GATEWAY_TOKENS is not set: anyone who can reach this port can query and mutate incidents',
    );
  }

  if (!config.sandbox && config.cursorSecretGenerated) {
    logger.warn(
      'CURSOR_SECRET is not set: cursors are signed with a key random to this process, so a cursor from another replica (or from before a restart) is refused; set the same CURSOR_SECRET on every replica',
    );
  }

  let gateway: Gateway;
  try {
    gateway = await createGateway(config, {
      logger,
      ...(sandbox ? { examplePlaceholders: examplePlaceholders(sandbox.seed) } : {}),
    });
  } catch (error) {
    // TRUSTED_DOCUMENTS names a file the gateway reads only now.
    const message =
      error instanceof ConfigError ? error.message : describeListenError(error, 'PORT');
    if (message === undefined) throw error;
    console.error(message);
    await drainLogs(LOG_DRAIN_MS);
    process.exit(1);
  }
  // Outside the sandbox, one look at each upstream now: a wrong key or URL shows at start.
  const checked = config.sandbox ? undefined : (await gateway.readiness()).upstreams;
  for (const [upstream, health] of Object.entries(checked ?? {})) {
    if (!health.ok) logger.warn({ upstream, code: health.code }, health.message ?? 'check failed');
  }
  // Which Coralogix families (Incidents, Cases) the key reads; one it may not read is said once.
  const families: Record<string, UpstreamHealth> = checked?.coralogix.families ?? {};
  for (const [family, health] of Object.entries(families)) {
    if (!health.ok && checked?.coralogix.ok) {
      logger.warn({ upstream: 'coralogix', family, code: health.code }, health.message ?? family);
    }
  }
  const answered =
    checked &&
    Object.fromEntries(Object.entries(checked).map(([name, h]) => [name, h.ok ? 'ok' : h.code]));
  const readable = Object.entries(families).map(([family, h]) => [family, h.ok ? 'ok' : h.code]);
  logger.info(
    {
      url: `${gateway.url}/graphql`,
      ...(answered ? { upstreams: answered } : {}),
      ...(checked ? { coralogixFamilies: Object.fromEntries(readable) } : {}),
    },
    config.graphiql
      ? `gateway ready at ${gateway.url}/graphql (open it in a browser for GraphiQL)`
      : `gateway ready at ${gateway.url}/graphql`,
  );

  let stopping = false;
  const drainMs = config.operationTimeoutMs + DRAIN_GRACE_MS;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // No new requests; the accepted ones finish and are answered with Connection: close.
    logger.info({ signal, drainMs }, 'shutting down: draining in-flight requests');
    // Only if closing itself hangs (the drain has its own deadline).
    const deadline = setTimeout(() => {
      logger.error('shutdown did not complete; exiting');
      process.exit(1);
    }, drainMs + 10_000);
    deadline.unref();
    void (async () => {
      const { graceful } = await gateway.stop();
      if (!graceful) {
        logger.error({ drainMs }, 'drain deadline passed: the connections still open were closed');
      }
      await sandbox?.stop();
      await tracing?.shutdown();
      logger.info('stopped');
      // The last lines leave the process unless the log reader is gone or stuck.
      await drainLogs(LOG_DRAIN_MS);
      process.exit(graceful ? 0 : 1);
    })();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/** Which upstream goes through which proxy, credentials cut from the proxy URL. */
function proxiesForLog(config: Config): { proxies?: Record<string, string> } {
  const proxies: Record<string, string> = {};
  for (const upstream of ['coralogix', 'oneuptime'] as const) {
    const url = config[upstream]?.url;
    const proxy = url === undefined ? undefined : proxyFor(new URL(url), config.proxy);
    if (proxy) proxies[upstream] = `${proxyForDisplay(proxy.uri)} (${proxy.variable})`;
  }
  return Object.keys(proxies).length > 0 ? { proxies } : {};
}
