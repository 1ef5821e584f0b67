/**
 * The gateway's HTTP surface: `/healthz`, `/readyz`, `/metrics`, GraphiQL and
 * `/graphql`, plus the one place an unexpected error of a request handler
 * becomes an answer.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ClientClosedError, quote } from '../errors.js';
import type { CorsPolicy } from './cors.js';
import { sendGraphQLError, sendJson, sendUnreadBody } from './nodeHttp.js';
import { wantsHtml } from './graphiql.js';
import type { Readiness } from './readiness.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface RouterOptions {
  logger: Logger;
  maxBodyBytes: number;
  metrics: {
    contentType: string;
    render(): Promise<string>;
    /** Whether this request may read the metrics (see TokenChecker.mayReadMetrics). */
    mayRead(req: IncomingMessage): boolean;
  };
  readiness: { check(): Promise<Readiness> };
  /** CORS_ORIGINS for /graphql: headers for other origins, and preflights answered. */
  cors: CorsPolicy;
  /** More for /readyz to report (never a reason to be unready). */
  readinessDetails?: () => Record<string, unknown>;
  /** Server-sent events on /graphql (`Accept: text/event-stream`): the live transport. */
  eventStream?: { wants(req: IncomingMessage): boolean; serve: Handler };
  /** Absent when GraphiQL is off. */
  graphiql: Handler | undefined;
  /** Runs one GraphQL request (GET or POST) with its request id. */
  graphql: (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    requestId: string,
  ) => Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id` when it is a sane token, else a fresh one. */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && REQUEST_ID.test(value) ? value : randomUUID();
}

/**
 * The request target as a URL, or undefined when it is none: Node accepts
 * absolute-form targets the URL parser refuses (`http://[::1/graphql`, `http://`).
 */
export function targetOf(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://gateway.invalid');
  } catch {
    return undefined;
  }
}

export function createRouter(options: RouterOptions): Handler {
  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = targetOf(req);
    if (!url) {
      // The client's mistake, not the gateway's: no error log, no stack.
      options.logger.info(
        { target: quote(req.url) },
        'refused a request whose target is not a URL',
      );
      return sendGraphQLError(res, 'BAD_REQUEST', 'The request target is not a valid URL.');
    }
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/metrics') {
      if (!options.metrics.mayRead(req)) {
        return sendJson(
          res,
          401,
          { error: 'Send a metrics or gateway token as "Authorization: Bearer <token>".' },
          { 'www-authenticate': 'Bearer realm="metrics"' },
        );
      }
      res.setHeader('content-type', options.metrics.contentType);
      res.end(await options.metrics.render());
      return;
    }
    if (path === '/readyz') {
      const result = await options.readiness.check();
      return sendJson(res, result.ready ? 200 : 503, {
        ...result,
        ...options.readinessDetails?.(),
      });
    }
    if (path === '/graphql' && options.cors.handle(req, res)) return;
    if (path === '/graphql' && options.eventStream?.wants(req)) {
      return options.eventStream.serve(req, res);
    }
    if (
      req.method === 'GET' &&
      (path === '/graphiql' || (path === '/graphql' && wantsHtml(req, url)))
    ) {
      return options.graphiql
        ? options.graphiql(req, res)
        : sendJson(res, 404, { error: 'GraphiQL is off.' });
    }
    if (path !== '/graphql') {
      return sendJson(res, 404, { error: 'Not found. GraphQL is served at /graphql.' });
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.setHeader('allow', 'GET, POST, OPTIONS');
      return sendGraphQLError(res, 'BAD_REQUEST', 'Use GET or POST.', 405);
    }
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    return options.graphql(req, res, url, requestId);
  };

  return (req, res) =>
    Promise.resolve(route(req, res)).catch((error: unknown) => {
      if (sendUnreadBody(res, error, options.maxBodyBytes)) return;
      if (error instanceof ClientClosedError) {
        options.logger.debug('the client closed the connection before sending its whole request');
        return;
      }
      options.logger.error({ err: error }, 'request failed');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      return sendGraphQLError(res, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    });
}
