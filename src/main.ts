/**
 * The process entry point: the only place that reads `process.env`, listens,
 * and handles signals. With no upstream configured it starts the sandbox.
 */
import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { describeListenError } from './http/listenError.js';
import { startSandbox, type Sandbox } from './sandbox/index.js';
import { createGateway, type Gateway } from './server.js';
import { startTracing } from './tracing.js';

/** Real seeded ids for the GraphiQL example variables, so they run as they are. */
function sandboxPlaceholders(sandbox: Sandbox): Record<string, string> {
  const open = sandbox.seed.incidents.find((i) => i.state === 'INCIDENT_STATE_TRIGGERED');
  const user = sandbox.seed.users.at(-1);
  return {
    ...(open ? { '<incident id>': open.id } : {}),
    ...(user ? { '<user id>': user.id } : {}),
  };
}

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
  const logger = pino({
    level: config.logLevel,
    // JSON lines for machines; readable lines when a person watches a terminal.
    ...(process.stdout.isTTY
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } }
      : {}),
    redact: {
      paths: ['req.headers.authorization', 'req.headers.apikey', '*.apiKey'],
      censor: '[redacted]',
    },
  });

  const tracing = await startTracing(process.env);
  if (tracing) logger.info('tracing on: exporting spans as configured by OTEL_* variables');

  let sandbox: Sandbox | undefined;
  if (config.sandbox) {
    sandbox = await startSandbox({ latencyMs: config.sandboxLatencyMs });
    logger.info(
      { coralogix: sandbox.coralogix.url, oneuptime: sandbox.oneuptime.url },
      'sandbox mode: no upstream configured, serving seeded data from the built-in emulators',
    );
    config = { ...config, coralogix: sandbox.coralogix, oneuptime: sandbox.oneuptime };
  } else {
    logger.info(
      {
        coralogix: config.coralogix?.url,
        oneuptime: config.oneuptime?.url,
        credentials: config.credentials,
      },
      'upstream mode',
    );
  }
  if (
    !config.sandbox &&
    config.gatewayTokens.length === 0 &&
    config.gatewayReadTokens.length === 0
  ) {
    logger.warn(
      'GATEWAY_TOKENS is not set: anyone who can reach this port can query and mutate incidents',
    );
  }

  let gateway: Gateway;
  try {
    gateway = await createGateway(config, {
      logger,
      ...(sandbox ? { examplePlaceholders: sandboxPlaceholders(sandbox) } : {}),
    });
  } catch (error) {
    const message = describeListenError(error, 'PORT');
    if (message === undefined) throw error;
    console.error(message);
    process.exit(1);
  }
  logger.info(
    { url: `${gateway.url}/graphql` },
    config.graphiql
      ? `gateway ready at ${gateway.url}/graphql (open it in a browser for GraphiQL)`
      : `gateway ready at ${gateway.url}/graphql`,
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    const deadline = setTimeout(() => {
      logger.error('drain deadline passed; exiting');
      process.exit(1);
    }, 10_000);
    deadline.unref();
    void (async () => {
      await gateway.stop();
      await sandbox?.stop();
      await tracing?.shutdown();
      logger.info('stopped');
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
