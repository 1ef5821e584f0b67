/**
 * GraphQL over Server-Sent Events (`graphql-sse`, distinct connections mode:
 * one subscription per request) at `/graphql` for requests that accept
 * `text/event-stream`; GET (query in the URL) and POST (JSON body) both work.
 * The gateway token is read from the request's `Authorization` header: a
 * refused subscription is a JSON answer (401 without a valid token; 429 when
 * the client has MAX_CONNECTIONS_PER_CLIENT streams open and 503 at
 * MAX_SUBSCRIPTIONS, both `OVERLOADED` with `Retry-After`; 400 otherwise)
 * with masked errors, before any stream opens. graphql-sse sends
 * a `:` comment every 12 s to keep the stream open. A client that does not
 * read has its stream cut (see subscriber.ts); when the gateway stops, every
 * stream ends after a final comment, and graphql-sse clients reconnect.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionResult, GraphQLError } from 'graphql';
import { createHandler } from 'graphql-sse';
import type { Logger } from 'pino';
import { GatewayError } from '../errors.js';
import type { TrustedDocuments } from '../graphql/trustedDocuments.js';
import { readBody, sendGraphQLError, sendUnreadBody, type BodyBudget } from '../http/nodeHttp.js';
import type { ClientOf, ConnectionCounter } from './clients.js';
import { requestHeaders } from './headers.js';
import type { LiveMetrics } from './metrics.js';
import type { LiveOperations } from './operations.js';

const SHUTDOWN_GRACE_MS = 2_000;

export interface SseOptions {
  operations: LiveOperations;
  /** TRUSTED_DOCUMENTS, when set: other documents are refused (400) before any stream opens. */
  documents?: TrustedDocuments | undefined;
  maxBodyBytes: number;
  /** The request bodies the server holds (nodeHttp.ts BodyBudget), this one's until it closes. */
  bodies?: BodyBudget | undefined;
  /** The gateway token check: a request without a valid token is refused before its body. */
  unauthenticated?: ((headers: IncomingHttpHeaders) => GatewayError | undefined) | undefined;
  /** MAX_CONNECTIONS_PER_CLIENT, shared with WebSocket, and who a client is. */
  connections: ConnectionCounter;
  clientOf: ClientOf;
  logger: Logger;
  metrics: LiveMetrics;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** Whether a request to /graphql asks for an event stream (GraphiQL, graphql-sse clients). */
export function wantsEventStream(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/event-stream');
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** A refusal body's errors, if it is JSON with some. */
function errorsOf(body: string | null): Array<{ message?: unknown; extensions?: unknown }> {
  if (!body) return [];
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    return Array.isArray(parsed.errors) ? (parsed.errors as Array<Record<string, unknown>>) : [];
  } catch {
    return [];
  }
}

/** Whether a refusal is the gateway's own: every error has an `extensions.code`. */
function coded(body: string | null): boolean {
  const errors = errorsOf(body);
  return (
    errors.length > 0 &&
    errors.every((e) => typeof (e.extensions as { code?: unknown } | undefined)?.code === 'string')
  );
}

function messageOf(body: string | null): string | undefined {
  const message = errorsOf(body)[0]?.message;
  return typeof message === 'string' && message.length > 0 ? message : undefined;
}

export function createSseTransport(options: SseOptions) {
  const { operations, metrics } = options;
  const open = new Set<ServerResponse>();
  let closing = false;

  /** A refused subscription: the first error's code decides the status, unless given. */
  const refusal = (errors: GraphQLError[], given?: { status: number; reason: string }) => {
    const formatted = operations.formatErrors(errors);
    const code = String(formatted[0]?.extensions?.code ?? 'BAD_USER_INPUT');
    metrics.refused('sse', given?.reason ?? code);
    const status =
      given?.status ?? (code === 'UNAUTHENTICATED' ? 401 : code === 'OVERLOADED' ? 503 : 400);
    const retryAfter = formatted[0]?.extensions?.retryAfter;
    return [
      JSON.stringify({ errors: formatted }),
      {
        status,
        statusText: STATUS_TEXT[status] ?? 'Bad Request',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          ...(typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {}),
        },
      },
    ] as const;
  };

  const handler = createHandler<IncomingMessage, { res: ServerResponse }>({
    // No token: distinct connections mode only (one subscription per request).
    authenticate: () => null,
    onSubscribe: (req, params) => {
      const res = req.context.res;
      const headers = requestHeaders(req.raw.headers);
      const release = options.connections.take(
        options.clientOf(headers, req.raw.socket.remoteAddress),
      );
      if (!release) {
        return refusal([options.connections.refusal()], {
          status: 429,
          reason: 'too_many_connections',
        });
      }
      res.once('close', release);
      const admitted = options.documents ? options.documents.admit(params) : params;
      if (admitted instanceof GatewayError) return refusal([admitted]);
      const prepared = operations.prepare(admitted, headers, {
        transport: 'sse',
        backlogBytes: () => res.writableLength,
        drop: (reason) => {
          options.logger.warn(
            { transport: 'sse', reason, backlogBytes: res.writableLength },
            'live updates: cutting the stream of a slow consumer',
          );
          res.destroy();
        },
      });
      if (Array.isArray(prepared)) {
        release();
        return refusal(prepared);
      }
      // The handler's context type parameter is not ours; the value is a GatewayContext.
      return prepared as Parameters<typeof operations.subscribe>[0] & { contextValue: undefined };
    },
    subscribe: (args) => operations.subscribe(args),
    // Our results are plain GraphQL results (no incremental delivery); only the error shape differs.
    onNext: (_ctx, _req, result) =>
      operations.formatResult(result as ExecutionResult) as typeof result | undefined,
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (closing) {
      return sendGraphQLError(res, 'INTERNAL_SERVER_ERROR', 'The gateway is shutting down.', 503);
    }
    const refusal = options.unauthenticated?.(req.headers);
    if (refusal) {
      metrics.refused('sse', refusal.code);
      return sendGraphQLError(res, refusal.code, refusal.message);
    }
    /** Why the body was not read, answered as on POST /graphql (graphql-sse would say 400). */
    let unread: unknown;
    const [stream, init] = await handler({
      method: req.method ?? 'GET',
      url: req.url ?? '/graphql',
      // graphql-sse wants exactly `text/event-stream`; a browser may add more types.
      headers: { get: (key) => (key === 'accept' ? 'text/event-stream' : first(req.headers[key])) },
      body: async () => {
        try {
          const { bodies } = options;
          return await readBody(
            req,
            options.maxBodyBytes,
            bodies ? { budget: bodies, until: res } : undefined,
          );
        } catch (error) {
          unread = error;
          throw error;
        }
      },
      raw: req,
      context: { res },
    });
    const streaming = stream !== null && typeof stream !== 'string';
    if (unread !== undefined && sendUnreadBody(res, unread, options.maxBodyBytes)) return;
    if (!streaming && init.status >= 400 && !coded(stream)) {
      // graphql-sse's own refusals of a request it cannot read (no query, variables not an
      // object, a content type it does not take) carry no code: given the catalogue's.
      metrics.refused('sse', 'BAD_REQUEST');
      return sendGraphQLError(
        res,
        'BAD_REQUEST',
        messageOf(stream) ?? `The event stream request was refused (${init.statusText}).`,
        init.status,
      );
    }
    // No proxy buffering of the stream (nginx honours this header).
    res.writeHead(init.status, init.statusText, {
      ...init.headers,
      ...(streaming ? { 'x-accel-buffering': 'no' } : {}),
    });
    if (!streaming) {
      res.end(stream ?? undefined);
      return;
    }
    open.add(res);
    res.once('close', () => {
      open.delete(res);
      void stream.return(undefined);
    });
    // Written without waiting: what the client does not read piles up in
    // `res.writableLength`, which is what the slow-consumer bound watches.
    for await (const chunk of stream) {
      if (res.destroyed || !res.writable) break;
      res.write(chunk);
    }
    if (!res.destroyed) res.end();
  }

  return {
    serve,
    /** Open event streams. */
    size: () => open.size,
    /** Ends every stream (graphql-sse clients reconnect); cuts those that do not drain in time. */
    async close(): Promise<void> {
      closing = true;
      await Promise.all(
        [...open].map(
          (res) =>
            new Promise<void>((resolve) => {
              res.once('close', () => resolve());
              res.end(': going away: the gateway is shutting down\n\n');
              setTimeout(() => res.destroy(), SHUTDOWN_GRACE_MS).unref();
            }),
        ),
      );
    },
  };
}
