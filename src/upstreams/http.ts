/**
 * The JSON-over-HTTP transport both upstream clients share: one keep-alive
 * undici Pool per upstream, a timeout on every request, the body always
 * consumed, retries with backoff + jitter for idempotent reads only.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, errors as undiciErrors, type Dispatcher } from 'undici';
import {
  UPSTREAM_LABEL,
  UpstreamError,
  badResponse,
  upstreamStatusError,
  type UpstreamName,
} from '../errors.js';

export interface HttpUpstreamOptions {
  upstream: UpstreamName;
  /** Base URL; its path (e.g. `/mgmt/openapi`) is prefixed to every request path. */
  baseUrl: string;
  timeoutMs: number;
  /** Extra tries for idempotent reads on 429 / 502 / 503 / 504 / connection errors. */
  retries: number;
  /** Upper bound for one backoff wait, including an honoured `Retry-After`. */
  maxRetryDelayMs?: number;
  connections?: number;
}

export interface JsonRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Array<[string, string]>;
  body?: unknown;
  headers: Record<string, string>;
  /** Safe to send twice: only idempotent reads are retried. */
  idempotent: boolean;
  signal?: AbortSignal | undefined;
}

export interface JsonResponse {
  status: number;
  body: unknown;
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const BASE_BACKOFF_MS = 50;

export class HttpUpstream {
  readonly upstream: UpstreamName;
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly options: HttpUpstreamOptions;

  constructor(options: HttpUpstreamOptions) {
    const url = new URL(options.baseUrl);
    this.upstream = options.upstream;
    this.options = options;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: options.connections ?? 64,
      keepAliveTimeout: 30_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  /**
   * Sends one JSON request. A 2xx answer resolves with the parsed body; any
   * other status, a transport error or a timeout rejects with an UpstreamError.
   */
  async request(req: JsonRequest, isWrite = !req.idempotent): Promise<JsonResponse> {
    const attempts = req.idempotent ? this.options.retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.once(req);
        if (response.status >= 200 && response.status < 300) return response;
        const retryAfter = response.retryAfter;
        const error = upstreamStatusError({
          upstream: this.upstream,
          status: response.status,
          upstreamMessage: messageOf(response.body),
          ...(retryAfter === undefined ? {} : { retryAfter }),
          isWrite,
        });
        if (attempt >= attempts || !RETRYABLE_STATUS.has(response.status)) throw error;
        await this.backoff(attempt, retryAfter, req.signal);
      } catch (error) {
        if (!(error instanceof RetryableTransportError)) throw error;
        if (attempt >= attempts) throw error.cause;
        await this.backoff(attempt, undefined, req.signal);
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async once(req: JsonRequest): Promise<JsonResponse & { retryAfter?: number }> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const search = req.query?.length ? `?${new URLSearchParams(req.query).toString()}` : '';
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    let payload: string | undefined;
    if (req.body !== undefined) {
      payload = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await this.pool.request({
        method: req.method,
        path: `${this.basePath}${req.path}${search}`,
        headers,
        body: payload,
        signal,
      });
      text = await response.body.text();
    } catch (error) {
      throw this.transportError(error, timeout, req);
    }
    const retryAfter = parseRetryAfter(response.headers['retry-after']);
    return {
      status: response.statusCode,
      body: parseJson(text, response.statusCode, this.upstream),
      ...(retryAfter === undefined ? {} : { retryAfter }),
    };
  }

  private transportError(error: unknown, timeout: AbortSignal, req: JsonRequest): Error {
    const name = UPSTREAM_LABEL[this.upstream];
    if (req.signal?.aborted) {
      return new UpstreamError(
        'UPSTREAM_UNAVAILABLE',
        this.upstream,
        `${name} request cancelled: the client went away.`,
      );
    }
    if (
      timeout.aborted ||
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError
    ) {
      // A timed-out request may have reached the upstream: treated like a write, never retried.
      return new UpstreamError(
        'UPSTREAM_TIMEOUT',
        this.upstream,
        `${name} did not answer within ${this.options.timeoutMs} ms.`,
      );
    }
    const cause = new UpstreamError(
      'UPSTREAM_UNAVAILABLE',
      this.upstream,
      `${name} could not be reached.`,
    );
    return req.idempotent ? new RetryableTransportError(cause) : cause;
  }

  private async backoff(
    attempt: number,
    retryAfterSeconds: number | undefined,
    signal?: AbortSignal,
  ) {
    const cap = this.options.maxRetryDelayMs ?? 2_000;
    const exponential = BASE_BACKOFF_MS * 2 ** (attempt - 1);
    const jittered = exponential / 2 + Math.random() * (exponential / 2);
    const wait = Math.min(
      cap,
      retryAfterSeconds === undefined ? jittered : retryAfterSeconds * 1000,
    );
    await sleep(wait, undefined, signal ? { signal } : undefined).catch(() => undefined);
  }
}

class RetryableTransportError extends Error {
  constructor(override readonly cause: UpstreamError) {
    super(cause.message);
  }
}

function parseJson(text: string, status: number, upstream: UpstreamName): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Error statuses may come with text bodies (e.g. Coralogix "Not Found: …"): keep the text.
    if (status >= 300) return text;
    throw badResponse(upstream, 'body is not valid JSON');
  }
}

/** `message` (Coralogix, OneUptime sendErrorResponse) or `error` (OneUptime global handler). */
function messageOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (typeof body !== 'object' || body === null) return undefined;
  const { message, error } = body as { message?: unknown; error?: unknown };
  if (typeof message === 'string') return message;
  if (typeof error === 'string') return error;
  return undefined;
}

/** Seconds from a `Retry-After` header: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
