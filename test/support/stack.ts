/**
 * The one test fixture for "sandbox + gateway": the sandbox emulators and a
 * real gateway on port 0, talking over HTTP exactly as a deployment does.
 *
 * The gateway's log lines are kept in memory (`logs`), and so is every raw
 * response (`responses`: status, headers, body text), so a test can assert on
 * what left the gateway. Several gateways can share one sandbox (`over`), as
 * replicas do.
 *
 * `useStack` gives a test file (or `describe` block) its stack with the hooks
 * that start it, stop it and reset the sandbox between tests.
 */
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { loadConfig, type Config, type Env } from '../../src/config.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/server.js';
import { captureLogs, type LogCapture } from './logs.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{
    message: string;
    path?: Array<string | number>;
    extensions?: Record<string, unknown>;
  }>;
}

export interface RawResponse<T = Record<string, unknown>> extends GraphQLResponse<T> {
  headers: Record<string, string>;
  /** The body exactly as received. */
  text: string;
  /** Parsed body; undefined when it was not JSON. */
  json: unknown;
}

/** Every `createGateway` option but the logger (the stack's log capture is the logger). */
export interface StackOptions extends Omit<Partial<GatewayOptions>, 'logger'> {
  /** Run over this sandbox (several gateways may share one); `stop()` leaves it running. */
  over?: Sandbox;
  /** Options of the sandbox the stack starts (and stops) when `over` is not given. */
  sandbox?: SandboxOptions;
  /** Variables for `loadConfig` on top of the sandbox's URLs and keys (they may replace them). */
  env?: Env;
  /** Where the log lines go (e.g. one capture for several gateways); default: a new capture at trace. */
  logs?: LogCapture;
}

export interface Stack {
  sandbox: Sandbox;
  gateway: Gateway;
  /** What the gateway was built from (its `warnings` included). */
  config: Config;
  logs: LogCapture;
  /** Every response received through `graphql` / `post`, for leak checks. */
  responses: RawResponse[];
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<RawResponse<T>>;
  /** Sends any body (a string, as is) to `/graphql`. */
  post(body: string, headers?: Record<string, string>): Promise<RawResponse>;
  /** The "upstream call" log entries, optionally of one upstream. */
  upstreamCalls(upstream?: string): Array<Record<string, unknown>>;
  /** Stops the gateway, then the sandbox if the stack started it. */
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const { over, sandbox: sandboxOptions, env, logs = captureLogs(), ...gatewayOptions } = options;
  const sandbox = over ?? (await startSandbox(sandboxOptions));
  const config = loadConfig({
    PORT: '0',
    CORALOGIX_API_URL: sandbox.coralogix.url,
    CORALOGIX_API_KEY: sandbox.coralogix.apiKey,
    ONEUPTIME_API_URL: sandbox.oneuptime.url,
    ONEUPTIME_API_KEY: sandbox.oneuptime.apiKey,
    ...env,
  });
  const gateway = await createGateway(config, { ...gatewayOptions, logger: logs.logger }).catch(
    async (error: unknown) => {
      if (!over) await sandbox.stop();
      throw error;
    },
  );
  const responses: RawResponse[] = [];

  const post = async (body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      json = undefined;
    }
    const raw: RawResponse = {
      status: response.status,
      headers: Object.fromEntries(response.headers.entries()),
      text,
      json,
      ...(typeof json === 'object' && json !== null ? (json as object) : {}),
    };
    responses.push(raw);
    return raw;
  };

  return {
    sandbox,
    gateway,
    config,
    logs,
    responses,
    graphql: async <T>(
      query: string,
      variables?: Record<string, unknown>,
      headers?: Record<string, string>,
    ) => (await post(JSON.stringify({ query, variables }), headers)) as RawResponse<T>,
    post,
    upstreamCalls: (upstream?: string) =>
      logs
        .entries()
        .filter(
          (entry) =>
            entry.msg === 'upstream call' &&
            (upstream === undefined || entry.upstream === upstream),
        ),
    async stop() {
      await gateway.stop();
      if (!over) await sandbox.stop();
    },
  };
}

export interface UseStackOptions extends StackOptions {
  /** Restore the sandbox's seeded data (and clear its faults and request log) before each test. */
  resetEach?: boolean;
}

/**
 * The stack of a test file or `describe` block: started in `beforeAll`,
 * stopped in `afterAll`, the sandbox reset before each test with `resetEach`.
 * The handle reads through to the running stack, so it can be declared next
 * to the tests and used in them and in later hooks.
 */
export function useStack(options: UseStackOptions = {}): Stack {
  const { resetEach = false, ...stackOptions } = options;
  let current: Stack | undefined;
  const running = (): Stack => {
    if (!current) throw new Error('the stack runs from beforeAll to afterAll: use it in tests');
    return current;
  };
  beforeAll(async () => {
    current = await startStack(stackOptions);
  });
  afterAll(async () => {
    await current?.stop();
    current = undefined;
  });
  if (resetEach) beforeEach(() => running().sandbox.reset());
  return {
    get sandbox() {
      return running().sandbox;
    },
    get gateway() {
      return running().gateway;
    },
    get config() {
      return running().config;
    },
    get logs() {
      return running().logs;
    },
    get responses() {
      return running().responses;
    },
    graphql: <T>(
      query: string,
      variables?: Record<string, unknown>,
      headers?: Record<string, string>,
    ) => running().graphql<T>(query, variables, headers),
    post: (body, headers) => running().post(body, headers),
    upstreamCalls: (upstream) => running().upstreamCalls(upstream),
    async stop() {
      await running().stop();
      current = undefined;
    },
  };
}

/**
 * The data of a query that must succeed (no errors). The sandbox's request log
 * is cleared first, so `sandbox.requests()` then shows this query's calls alone.
 */
export async function dataOf<T>(
  stack: Stack,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  stack.sandbox.clearRequests();
  const response = await stack.graphql<T>(query, variables);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data as T;
}
