/**
 * Test harness: the sandbox emulators and a real gateway on port 0, talking
 * over HTTP exactly as a deployment does.
 */
import { pino } from 'pino';
import { loadConfig, type Env } from '../../src/config.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/server.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{
    message: string;
    path?: Array<string | number>;
    extensions?: Record<string, unknown>;
  }>;
}

export interface Stack {
  sandbox: Sandbox;
  gateway: Gateway;
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

export async function startStack(
  options: {
    env?: Env;
    sandbox?: SandboxOptions;
    batch?: boolean;
    live?: GatewayOptions['live'];
  } = {},
): Promise<Stack> {
  const sandbox = await startSandbox(options.sandbox);
  const config = loadConfig({
    PORT: '0',
    CORALOGIX_API_URL: sandbox.coralogix.url,
    CORALOGIX_API_KEY: sandbox.coralogix.apiKey,
    ONEUPTIME_API_URL: sandbox.oneuptime.url,
    ONEUPTIME_API_KEY: sandbox.oneuptime.apiKey,
    ...options.env,
  });
  const gateway = await createGateway(config, {
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    ...(options.batch === undefined ? {} : { batch: options.batch }),
    ...(options.live ? { live: options.live } : {}),
  });
  return {
    sandbox,
    gateway,
    async graphql<T>(
      query: string,
      variables?: Record<string, unknown>,
      headers: Record<string, string> = {},
    ) {
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
      return { status: response.status, ...body };
    },
    async stop() {
      await gateway.stop();
      await sandbox.stop();
    },
  };
}
