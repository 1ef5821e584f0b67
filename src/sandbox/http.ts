/**
 * The HTTP shell shared by both emulators: a real `node:http` server that reads
 * the body, records the request (secrets redacted), applies injected faults and
 * latency, and hands a parsed request to the emulator's pure handler.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { UpstreamName } from '../upstreams/upstream.js';
import type { RecordedRequest, RequestLog } from './requestLog.js';

export type { UpstreamName };

export interface EmulatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface EmulatorResponse {
  status: number;
  /** Objects are sent as JSON; a string is sent as it is (text/plain). */
  body?: unknown;
  headers?: Record<string, string>;
}

export type EmulatorHandler = (req: EmulatorRequest) => EmulatorResponse;

export type { RecordedRequest } from './requestLog.js';

export interface FaultRule {
  /** Limit the rule to one emulator; both when absent. */
  upstream?: UpstreamName;
  /** HTTP method to match (case-insensitive); any when absent. */
  method?: string;
  /** A substring of the path (e.g. `incidents:batchGet`) or a RegExp tested on it. */
  path?: string | RegExp;
  /** How many matching requests the rule applies to; unlimited when absent. */
  times?: number;
  /** Delay before answering (added to the sandbox latency). */
  latencyMs?: number;
  /** Answer with this status instead of calling the emulator. */
  status?: number;
  /** Body for `status`: an object is sent as JSON, a string as text. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Answer 429 (unless `status` says otherwise) with this `Retry-After`. */
  retryAfterSeconds?: number;
  /** Answer 200 with a truncated, unparseable JSON body. */
  malformed?: boolean;
  /** Never answer: no status line, no body, until the client gives up. */
  hang?: boolean;
  /** Send the status and headers and half the body, then stall. */
  hangBody?: boolean;
}

interface ActiveFault {
  rule: FaultRule;
  remaining: number;
}

/** Fault rules shared by both emulators of one sandbox. */
export class FaultSet {
  private faults: ActiveFault[] = [];

  add(rule: FaultRule): void {
    this.faults.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.faults = [];
  }

  /** Consumes and returns the first rule matching this request, if any. */
  take(upstream: UpstreamName, method: string, path: string): FaultRule | undefined {
    const active = this.faults.find(({ rule, remaining }) => {
      if (remaining <= 0) return false;
      if (rule.upstream && rule.upstream !== upstream) return false;
      if (rule.method && rule.method.toUpperCase() !== method) return false;
      if (rule.path instanceof RegExp) return rule.path.test(path);
      return rule.path === undefined || path.includes(rule.path);
    });
    if (!active) return undefined;
    active.remaining -= 1;
    return active.rule;
  }
}

export interface EmulatorServerOptions {
  upstream: UpstreamName;
  handler: EmulatorHandler;
  log: RequestLog;
  faults: FaultSet;
  /** Added to every response; read on each request so it can change at run time. */
  latencyMs: () => number;
}

export interface RunningEmulator {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const REDACTED_HEADERS = new Set(['authorization', 'apikey']);

function recordHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = REDACTED_HEADERS.has(name) ? '[redacted]' : String(value);
  }
  return out;
}

function recordQuery(query: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of query) (out[key] ??= []).push(value);
  return out;
}

function parseForLog(rawBody: string): unknown {
  if (rawBody === '') return undefined;
  try {
    return JSON.parse(rawBody) as unknown;
  } catch {
    return rawBody;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function encode(response: EmulatorResponse): { payload: string; contentType: string } {
  if (typeof response.body === 'string') {
    return { payload: response.body, contentType: 'text/plain; charset=utf-8' };
  }
  return {
    payload: response.body === undefined ? '' : JSON.stringify(response.body),
    contentType: 'application/json; charset=utf-8',
  };
}

function faultResponse(rule: FaultRule): EmulatorResponse | undefined {
  if (rule.status === undefined && rule.retryAfterSeconds === undefined) return undefined;
  const headers: Record<string, string> = { ...rule.headers };
  if (rule.retryAfterSeconds !== undefined) headers['retry-after'] = String(rule.retryAfterSeconds);
  return { status: rule.status ?? 429, body: rule.body, headers };
}

export async function startEmulatorServer(
  options: EmulatorServerOptions,
  port = 0,
  host = '127.0.0.1',
): Promise<RunningEmulator> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://emulator.invalid');
        const method = (req.method ?? 'GET').toUpperCase();
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const record: RecordedRequest = {
          upstream: options.upstream,
          method,
          path: decodeURIComponent(url.pathname),
          query: recordQuery(url.searchParams),
          headers: recordHeaders(req.headers),
          body: parseForLog(rawBody),
          at: Date.now(),
        };
        options.log.push(record);

        const fault = options.faults.take(options.upstream, method, record.path);
        const delay = options.latencyMs() + (fault?.latencyMs ?? 0);
        if (delay > 0) await sleep(delay);
        if (fault?.hang) return; // the socket stays open until the client or stop() closes it

        let response: EmulatorResponse;
        try {
          response =
            (fault && faultResponse(fault)) ??
            options.handler({
              method,
              path: record.path,
              query: url.searchParams,
              headers: req.headers,
              rawBody,
            });
        } catch (error) {
          console.error(`[sandbox:${options.upstream}] handler crashed`, error);
          response = { status: 500, body: { error: 'Server Error' } };
        }
        record.status = response.status;
        const { contentType, payload: encoded } = encode(response);
        let payload = encoded;
        if (fault?.malformed) payload = payload.slice(0, Math.max(1, payload.length >> 1)) || '{';
        res.writeHead(response.status, {
          'content-type': contentType,
          'content-length': Buffer.byteLength(payload),
          ...response.headers,
        });
        if (fault?.hangBody) {
          res.write(payload.slice(0, payload.length >> 1));
          return;
        }
        res.end(payload);
      })();
    });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${hostForUrl}:${address.port}`,
    port: address.port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type JsonResult = { ok: true; value: unknown } | { ok: false };

/** Parses a request body; an empty body is `{}` as with grpc-gateway and Express. */
export function parseJsonBody(rawBody: string): JsonResult {
  if (rawBody.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(rawBody) as unknown };
  } catch {
    return { ok: false };
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
