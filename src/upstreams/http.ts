/**
 * The JSON-over-HTTP transport both upstream clients share: one keep-alive
 * undici Pool per upstream (a ProxyAgent when HTTPS_PROXY / HTTP_PROXY applies), a timeout on every request, the body always
 * consumed, retries with backoff + jitter for idempotent reads only (within a
 * retry budget), and a circuit breaker that fails fast during an outage.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  defaultTextMapSetter,
  trace,
  type Context,
} from '@opentelemetry/api';
import { Pool, ProxyAgent, errors as undiciErrors, type Dispatcher } from 'undici';
import type { ProxySettings } from '../config.js';
import type { GatewayError } from '../errors.js';
import {
  CLIENT_CLOSED,
  ClientClosedError,
  UpstreamError,
  badResponse,
  restated,
  upstreamStatusError,
} from '../errors.js';
import { proxyFor, throughProxy, type ProxyChoice } from './proxy.js';
import { UPSTREAM_LABEL, type UpstreamName } from './upstream.js';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuitBreaker.js';
import { circuitOpenMessage, connectionFailureCause } from './failureCause.js';
import { AttemptTimeout, DispatchTracker } from './dispatched.js';
import { messageOf, parseJson, parseRetryAfter, secretsOf } from './responses.js';
import { RetryBudget, type RetryBudgetOptions } from './retryBudget.js';

export { parseRetryAfter } from './responses.js';
import type { UpstreamObservers } from '../observability/events.js';
import { propagator, tracer } from '../observability/tracing.js';

/** Per-call settings the clients take: the request's credentials, cancellation and trace. */
export interface CallOptions {
  apiKey: string;
  signal?: AbortSignal | undefined;
  /** The operation's trace context: upstream spans become its children. */
  traceContext?: Context | undefined;
  /** Called before every attempt (retries too); throwing stops the call before it is sent. */
  beforeAttempt?: (() => void) | undefined;
}

export interface HttpUpstreamOptions extends UpstreamObservers {
  upstream: UpstreamName;
  /** Base URL; its path (e.g. `/mgmt/openapi`) is prefixed to every request path. */
  baseUrl: string;
  timeoutMs: number;
  /** Extra tries for idempotent reads on 429 / 502 / 503 / 504 / connection errors. */
  retries: number;
  /** Upper bound for one backoff wait, including an honoured `Retry-After`. */
  maxRetryDelayMs?: number;
  connections?: number;
  /**
   * The largest answer body read, in bytes (default `MAX_UPSTREAM_BODY_BYTES`): a larger one
   * is cut off while it arrives and the call fails UPSTREAM_BAD_RESPONSE, never retried.
   */
  maxBodyBytes?: number;
  /** Outbound proxy (HTTPS_PROXY / HTTP_PROXY / NO_PROXY); none: direct connections. */
  proxy?: ProxySettings | undefined;
  /** The upstream's auth header(s) for one API key. */
  authHeaders?: (apiKey: string) => Record<string, string>;
  breaker?: Omit<CircuitBreakerOptions, 'onStateChange'>;
  retryBudget?: RetryBudgetOptions;
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
  /** Trace context of the operation: each attempt is a child span. */
  parent?: Context | undefined;
  /** See `CallOptions.beforeAttempt`. */
  beforeAttempt?: (() => void) | undefined;
  /** The route to label the call with, when `routeOf(path)` cannot tell its ids apart. */
  route?: string;
}

export interface JsonResponse {
  status: number;
  body: unknown;
}

type Attempt =
  | { kind: 'response'; status: number; body: unknown; retryAfter?: number }
  | {
      kind: 'failed';
      error: UpstreamError;
      retryable: boolean;
      health: 'failure' | 'neutral';
      /** Cancelled because the client went away: not an upstream failure at all. */
      cancelled?: true;
      /** For the circuit breaker: what went wrong, in a few words (failureCause.ts). */
      cause?: string;
      /** The upstream answered this 2xx status, but its body could not be read. */
      accepted?: number;
    };

/**
 * The default bound on one upstream answer's body: 16 MiB, about ten times the largest
 * page either vendor sends at its page-size limit (1000 OneUptime rows with every column,
 * 1000 Coralogix cases). Read as one string and parsed, an answer costs a few times its
 * size in memory, so an unbounded one could take the process down.
 */
export const MAX_UPSTREAM_BODY_BYTES = 16 * 1024 * 1024;

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const BASE_BACKOFF_MS = 50;
/** A path segment that is a record id: a UUID, or a readable case id such as `CASE-123`. */
const ID_SEGMENT =
  /(?<=\/)(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Z]+-[0-9]+)(?=\/|$)/gi;

/**
 * A request path as its route, the label of the upstream-call metric, log
 * line and span: every id segment is `:id`, so clients asking for many ids
 * (`/cases/cases/v1/CASE-1`, `…/CASE-2`, …) add no series. A call whose path
 * holds an id of another shape names its route itself (`JsonRequest.route`).
 */
export function routeOf(path: string): string {
  return path.replace(ID_SEGMENT, ':id');
}

/**
 * `request` (undici's response promise), or `signal`'s reason as soon as it aborts. undici
 * acts on an abort only once the request is written to a connection: one still queued for a
 * busy pool, or waiting on a connection being opened, would otherwise outlive its timeout,
 * the operation's deadline and its client. The abandoned request is aborted by undici when
 * it reaches a connection; an answer that still comes is consumed.
 */
function untilAborted(
  request: Promise<Dispatcher.ResponseData>,
  signal: AbortSignal,
): Promise<Dispatcher.ResponseData> {
  if (signal.aborted) {
    void request.then(
      (late) => late.body.dump().catch(() => undefined),
      () => undefined,
    );
    return Promise.reject(signal.reason as Error);
  }
  return new Promise((resolve, reject) => {
    let done = false;
    const onAbort = () => {
      done = true;
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    request.then(
      (response) => {
        signal.removeEventListener('abort', onAbort);
        if (done) void response.body.dump().catch(() => undefined);
        else resolve(response);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (!done) reject(error as Error);
      },
    );
  });
}

/** `accepted` for a failed attempt whose answer had a 2xx status. */
const acceptedBy = (status: number | undefined) =>
  status !== undefined && status >= 200 && status < 300 ? { accepted: status } : {};

/**
 * A write the upstream accepted (2xx) whose answer could not be read: it was
 * applied, so the error says so (`extensions.applied`), and a client re-reads
 * instead of sending it again (a create would be made twice).
 */
function acceptedUnread(
  error: UpstreamError,
  status: number,
  method: JsonRequest['method'],
  route: string,
): GatewayError {
  return restated(
    error,
    (message) =>
      `${message} The upstream accepted the write (HTTP ${status}), so it was applied: read the record again instead of repeating the write.`,
    { applied: { method, route, status } },
  );
}

export class HttpUpstream {
  readonly upstream: UpstreamName;
  readonly breaker: CircuitBreaker;
  private readonly budget: RetryBudget;
  /** A Pool to the upstream's origin, or a ProxyAgent (CONNECT tunnels) when a proxy applies. */
  private readonly pool: Dispatcher;
  /** Which requests left the pool's queue for a connection (the breaker's accounting). */
  private readonly dispatched = new DispatchTracker();
  private readonly origin: string;
  /** `HTTPS_PROXY` / `HTTP_PROXY` when calls go through it, for the connection-error message. */
  private readonly proxyVariable: ProxyChoice['variable'] | undefined;
  private readonly basePath: string;
  private readonly host: string;
  private readonly options: HttpUpstreamOptions;
  private readonly maxBodyBytes: number;

  constructor(options: HttpUpstreamOptions) {
    const url = new URL(options.baseUrl);
    this.upstream = options.upstream;
    this.options = options;
    this.maxBodyBytes = options.maxBodyBytes ?? MAX_UPSTREAM_BODY_BYTES;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.host = url.hostname;
    this.origin = url.origin;
    const poolOptions = {
      connections: options.connections ?? 64,
      keepAliveTimeout: 30_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      // A connection (TCP and TLS) that is not up within half the call's time fails the
      // call as the upstream's (breaker: a failure), before the queued clock runs out and
      // would take it for this gateway's own congestion. undici's default is 10 s.
      connectTimeout: Math.max(1, Math.floor(options.timeoutMs / 2)),
      maxResponseSize: this.maxBodyBytes,
    };
    const proxy = proxyFor(url, options.proxy);
    this.proxyVariable = proxy?.variable;
    this.pool = (
      proxy ? new ProxyAgent({ ...poolOptions, uri: proxy.uri }) : new Pool(url.origin, poolOptions)
    ).compose(this.dispatched.interceptor);
    this.breaker = new CircuitBreaker({
      ...options.breaker,
      onStateChange: (state, previous) =>
        options.onCircuitChange?.(options.upstream, state, previous),
    });
    this.budget = new RetryBudget(options.retryBudget);
  }

  /**
   * Sends one JSON request. A 2xx answer resolves with the parsed body; any
   * other status, a transport error or a timeout rejects with an UpstreamError.
   */
  async request(req: JsonRequest, isWrite = !req.idempotent): Promise<JsonResponse> {
    const attempts = req.idempotent ? this.options.retries + 1 : 1;
    const route = req.route ?? routeOf(req.path);
    this.budget.recordRequest();
    for (let attempt = 1; ; attempt++) {
      req.beforeAttempt?.();
      if (!this.breaker.allowRequest()) throw this.circuitOpenError();
      const span = tracer().startSpan(
        `${req.method} ${route}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'http.request.method': req.method,
            'url.path': `${this.basePath}${route}`,
            'server.address': this.host,
            'gateway.upstream': this.upstream,
            ...(attempt > 1 ? { 'http.request.resend_count': attempt - 1 } : {}),
          },
        },
        req.parent,
      );
      const started = performance.now();
      const result = await this.once(req, trace.setSpan(req.parent ?? ROOT_CONTEXT, span));
      const durationMs = performance.now() - started;

      const judged = this.judge(result, req, isWrite);
      const { retryable, retryAfter } = judged;
      const error =
        isWrite && result.kind === 'failed' && result.accepted !== undefined && judged.error
          ? acceptedUnread(judged.error, result.accepted, req.method, route)
          : judged.error;
      const cancelled = result.kind === 'failed' && result.cancelled === true;
      const errorCode = cancelled ? CLIENT_CLOSED : error?.code;
      if (result.kind === 'response') span.setAttribute('http.response.status_code', result.status);
      if (errorCode) {
        span.setAttribute('error.type', errorCode);
        if (!cancelled) span.setStatus({ code: SpanStatusCode.ERROR, message: errorCode });
      }
      span.end();
      this.options.onCall?.({
        upstream: this.upstream,
        method: req.method,
        route,
        status: result.kind === 'response' ? result.status : undefined,
        ...(errorCode ? { errorCode } : {}),
        durationMs,
        attempt,
      });
      if (result.kind === 'response' && !error) return { status: result.status, body: result.body };
      if (!error) throw badResponse(this.upstream, 'no response');
      const canRetry =
        req.idempotent &&
        retryable &&
        attempt < attempts &&
        !req.signal?.aborted &&
        this.budget.tryRetry();
      if (!canRetry) throw error;
      await this.backoff(attempt, retryAfter, req.signal);
    }
  }

  /** One JSON call with this upstream's auth header for the call's key; resolves with the body. */
  async send(
    method: JsonRequest['method'],
    path: string,
    call: CallOptions,
    options: Pick<JsonRequest, 'body' | 'query' | 'idempotent' | 'route'>,
  ): Promise<unknown> {
    const response = await this.request({
      method,
      path,
      headers: this.options.authHeaders?.(call.apiKey) ?? {},
      signal: call.signal,
      parent: call.traceContext,
      beforeAttempt: call.beforeAttempt,
      ...options,
    });
    return response.body;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Feeds the breaker and turns a non-2xx answer or a failed attempt into an error. */
  private judge(
    result: Attempt,
    req: JsonRequest,
    isWrite: boolean,
  ): { error?: UpstreamError; retryable: boolean; retryAfter?: number } {
    if (result.kind === 'failed') {
      if (result.health === 'failure') this.breaker.onFailure(result.cause);
      else this.breaker.onNeutral();
      return { error: result.error, retryable: result.retryable };
    }
    // 5xx says the upstream is unwell; any other answer (even 4xx / 429) says it is up.
    if (result.status >= 500) this.breaker.onFailure(`HTTP ${result.status}`);
    else this.breaker.onSuccess();
    if (result.status >= 200 && result.status < 300) return { retryable: false };
    const { retryAfter } = result;
    const error = upstreamStatusError({
      upstream: this.upstream,
      status: result.status,
      upstreamMessage: messageOf(result.body),
      secrets: secretsOf(req.headers),
      ...(retryAfter === undefined ? {} : { retryAfter }),
      isWrite,
    });
    return {
      error,
      retryable: RETRYABLE_STATUS.has(result.status),
      ...(retryAfter === undefined ? {} : { retryAfter }),
    };
  }

  private circuitOpenError(): UpstreamError {
    const seconds = Math.max(1, Math.ceil(this.breaker.retryInMs() / 1000));
    return new UpstreamError(
      'UPSTREAM_UNAVAILABLE',
      this.upstream,
      circuitOpenMessage(this.upstream, seconds, this.breaker.lastFailure),
      { retryAfter: seconds },
    );
  }

  private async once(req: JsonRequest, traceContext: Context): Promise<Attempt> {
    const timeout = new AttemptTimeout(this.options.timeoutMs, req.signal);
    const signal = timeout.signal;
    const search = req.query?.length ? `?${new URLSearchParams(req.query).toString()}` : '';
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    propagator.inject(traceContext, headers, defaultTextMapSetter);
    let payload: string | undefined;
    if (req.body !== undefined) {
      payload = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    let response: Dispatcher.ResponseData;
    let text: string;
    const request = {
      origin: this.origin,
      method: req.method,
      path: `${this.basePath}${req.path}${search}`,
      headers,
      body: payload,
      signal,
    };
    this.dispatched.watch(request, () => timeout.started());
    let status: number | undefined;
    try {
      response = await untilAborted(this.pool.request(request), signal);
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      return this.transportFailure(error, timeout, req, status);
    } finally {
      timeout.clear();
    }
    let body: unknown;
    try {
      body = parseJson(text, response.statusCode, this.upstream);
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      return { kind: 'failed', error, retryable: false, health: 'neutral', ...acceptedBy(status) };
    }
    const retryAfter = parseRetryAfter(response.headers['retry-after']);
    return {
      kind: 'response',
      status: response.statusCode,
      body,
      ...(retryAfter === undefined ? {} : { retryAfter }),
    };
  }

  private transportFailure(
    error: unknown,
    timeout: AttemptTimeout,
    req: JsonRequest,
    status?: number,
  ): Attempt {
    const name = UPSTREAM_LABEL[this.upstream];
    const fail = (
      code: 'UPSTREAM_TIMEOUT' | 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_BAD_RESPONSE',
      message: string,
      retryable: boolean,
      health: 'failure' | 'neutral',
      cancelled = false,
      cause?: string,
    ): Attempt => ({
      kind: 'failed',
      error: new UpstreamError(code, this.upstream, message),
      retryable,
      health,
      ...(cancelled ? { cancelled: true as const } : {}),
      ...(cause === undefined ? {} : { cause }),
    });

    if (req.signal?.aborted) {
      const reason: unknown = req.signal.reason;
      if (reason instanceof ClientClosedError) {
        // Nobody receives this error; its code only keeps the field's error well-formed.
        return fail(
          'UPSTREAM_UNAVAILABLE',
          `${name} request cancelled: the client went away.`,
          false,
          'neutral',
          true,
        );
      }
      const deadline = (reason as { name?: string } | undefined)?.name === 'TimeoutError';
      return deadline
        ? fail(
            'UPSTREAM_TIMEOUT',
            `${name} call stopped: the operation deadline passed.`,
            false,
            'neutral',
          )
        : fail(
            'UPSTREAM_UNAVAILABLE',
            `${name} request cancelled before it was answered.`,
            false,
            'neutral',
          );
    }
    if (error instanceof undiciErrors.ResponseExceededMaxSizeError) {
      // Cut off while it arrived; the same answer would come again, so it is not retried.
      return {
        ...fail(
          'UPSTREAM_BAD_RESPONSE',
          `${name} answered with more than ${this.maxBodyBytes} bytes, more than this gateway reads from one call.`,
          false,
          'neutral',
        ),
        ...acceptedBy(status),
      };
    }
    if (timeout.timedOut && !timeout.connected) {
      // Still queued for one of this gateway's own connections: the upstream never saw it.
      return fail(
        'UPSTREAM_TIMEOUT',
        `${name} was not called: no connection to it freed up within ${this.options.timeoutMs} ms (the gateway is busy).`,
        false,
        'neutral',
      );
    }
    if (
      timeout.timedOut ||
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError
    ) {
      // A timed-out request may have reached the upstream: like a write, it is never retried.
      return fail(
        'UPSTREAM_TIMEOUT',
        `${name} did not answer within ${this.options.timeoutMs} ms.`,
        false,
        'failure',
        false,
        `no answer within ${this.options.timeoutMs} ms`,
      );
    }
    const through = this.proxyVariable === undefined ? '' : throughProxy(this.proxyVariable, error);
    const kind = connectionFailureCause(error);
    return fail(
      'UPSTREAM_UNAVAILABLE',
      `${name} could not be reached${kind ? ` (${kind})` : ''}${through}.`,
      true,
      'failure',
      false,
      `${kind ?? 'could not connect'}${through}`,
    );
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
