/**
 * Test harness for failure-mode tests: a gateway started over an existing
 * sandbox (or over any upstream URLs) with a pino logger that keeps every log
 * line in memory, and a GraphQL client that keeps every raw response (status,
 * headers, body text) so tests can assert on what left the gateway.
 */
import { pino, type Logger } from 'pino';
import { loadConfig, type Env } from '../../src/config.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { createGateway, type Gateway } from '../../src/server.js';

export interface LogCapture {
  logger: Logger;
  /** Every line written so far, as pino wrote it (JSON text). */
  lines: string[];
  /** The lines parsed as JSON objects. */
  entries(): Array<Record<string, unknown>>;
  clear(): void;
}

/** A pino logger at `level` (default trace) writing into memory. */
export function captureLogs(level = 'trace'): LogCapture {
  const lines: string[] = [];
  const echo = process.env.TEST_LOG_LEVEL !== undefined;
  const logger = pino(
    { level },
    {
      write(line: string) {
        lines.push(line);
        if (echo) process.stderr.write(line);
      },
    },
  );
  return {
    logger,
    lines,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    clear: () => {
      lines.length = 0;
    },
  };
}

export interface RawResponse<T = Record<string, unknown>> {
  status: number;
  headers: Record<string, string>;
  /** The body exactly as received. */
  text: string;
  /** Parsed body; undefined when it was not JSON. */
  json: unknown;
  data?: T | null;
  errors?: Array<{
    message: string;
    path?: Array<string | number>;
    extensions?: Record<string, unknown>;
  }>;
}

export interface GatewayHarness {
  gateway: Gateway;
  logs: LogCapture;
  /** Every response received through `graphql` / `post`, for leak checks. */
  responses: RawResponse[];
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<RawResponse<T>>;
  /** Sends any body (string as is) to `/graphql`. */
  post(body: string, headers?: Record<string, string>): Promise<RawResponse>;
  /** "upstream call" log events, optionally for one upstream. */
  upstreamCalls(upstream?: string): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

export interface GatewayHarnessOptions {
  /** Upstream URLs and keys come from here unless `env` overrides them. */
  sandbox?: Sandbox;
  env?: Env;
  logs?: LogCapture;
  batch?: boolean;
}

/** Starts a gateway (port 0) whose logs are captured. The sandbox is not owned: stop it yourself. */
export async function startGateway(options: GatewayHarnessOptions = {}): Promise<GatewayHarness> {
  const { sandbox } = options;
  const config = loadConfig({
    PORT: '0',
    ...(sandbox
      ? {
          CORALOGIX_API_URL: sandbox.coralogix.url,
          CORALOGIX_API_KEY: sandbox.coralogix.apiKey,
          ONEUPTIME_API_URL: sandbox.oneuptime.url,
          ONEUPTIME_API_KEY: sandbox.oneuptime.apiKey,
        }
      : {}),
    ...options.env,
  });
  const logs = options.logs ?? captureLogs();
  const gateway = await createGateway(config, {
    logger: logs.logger,
    ...(options.batch === undefined ? {} : { batch: options.batch }),
  });
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
    gateway,
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
    stop: async () => {
      await gateway.stop();
    },
  };
}
