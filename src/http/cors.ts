/**
 * Cross-origin access to `/graphql` (CORS_ORIGINS): a browser app served from
 * another origin may call the gateway over GET, POST and SSE, preflight
 * included, and open its WebSocket. A listed origin gets its own origin back
 * in `Access-Control-Allow-Origin` (with `Vary: Origin`); with `*` (never in
 * production) every origin gets `*`, which browsers never combine with
 * credentials. The gateway authenticates with the `Authorization` header,
 * never with cookies, so it never sends `Access-Control-Allow-Credentials`.
 * Other origins get no CORS header at all: their browser keeps the answer
 * from the page, and Apollo's CSRF prevention still refuses any request a
 * browser sends without a preflight (a form post, a `GET` without a
 * preflight-forcing header).
 *
 * Browsers apply no CORS to WebSockets, so the upgrade's `Origin` is checked
 * here too (`mayOpenSocket`): the gateway's own origin (GraphiQL), a listed
 * origin, or no `Origin` at all (a program, not a browser).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** `*`, or the exact origins allowed (empty: the gateway's own origin only). */
export type CorsOrigins = '*' | readonly string[];

const METHODS = 'GET, POST, OPTIONS';
/**
 * Request headers a cross-origin page may send: the body type, the gateway
 * token, Apollo's CSRF-prevention headers, the forwarded upstream keys
 * (CREDENTIALS=forward), and the request id and trace context the gateway honours.
 */
const ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'x-coralogix-api-key',
  'x-oneuptime-api-key',
  'x-request-id',
  'traceparent',
  'tracestate',
].join(', ');
/** Response headers the page may read: the request id to quote, how long to wait after a 429 / 503. */
const EXPOSED_HEADERS = 'x-request-id, retry-after';
/** How long a browser may reuse a preflight answer (Chromium caps it at 2 hours). */
const MAX_AGE_SECONDS = 600;

/** CORS_ORIGINS as configured: the origins, or the problems that stop the start. */
export function parseCorsOrigins(
  entries: string[],
  production: boolean,
): { origins: CorsOrigins; problems: string[] } {
  if (entries.includes('*')) {
    const problems: string[] = [];
    if (entries.length > 1)
      problems.push('CORS_ORIGINS is either * or a list of origins, not both');
    if (production) {
      problems.push(
        'CORS_ORIGINS=* is refused under NODE_ENV=production: list the origins of your apps, e.g. https://console.example.com',
      );
    }
    return { origins: '*', problems };
  }
  const origins: string[] = [];
  const problems: string[] = [];
  for (const entry of entries) {
    const origin = originOf(entry);
    if (origin === undefined) {
      problems.push(
        `CORS_ORIGINS entry "${entry}" must be an origin: scheme, host and port only, e.g. https://console.example.com or http://localhost:5173`,
      );
    } else if (!origins.includes(origin)) {
      origins.push(origin);
    }
  }
  return { origins, problems };
}

/**
 * `https://App.example.com:443/` → `https://app.example.com`, the form a
 * browser sends in `Origin` (the scheme's default port left out); undefined
 * when `text` is more than an origin.
 */
function originOf(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const bare =
    url.pathname === '/' &&
    !url.search &&
    !url.hash &&
    !url.username &&
    !url.password &&
    !url.hostname.includes('*');
  if (!bare || (url.protocol !== 'http:' && url.protocol !== 'https:')) return undefined;
  // Only the scheme, host and port were written (a trailing `/` at most), the default port maybe.
  const written = text.replace(/\/$/, '').toLowerCase();
  const defaultPort = url.protocol === 'https:' ? ':443' : ':80';
  return written === url.origin || written === url.origin + defaultPort ? url.origin : undefined;
}

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export interface CorsPolicy {
  /**
   * Adds the CORS headers `req`'s origin gets to `res`, and answers a
   * preflight (`OPTIONS`) itself: true when the request is answered.
   */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Whether a WebSocket upgrade from `req`'s origin may open. */
  mayOpenSocket(req: IncomingMessage): boolean;
}

export function createCorsPolicy(origins: CorsOrigins): CorsPolicy {
  const allowed = (origin: string) => origins === '*' || origins.includes(origin);

  return {
    handle(req, res) {
      const origin = header(req, 'origin');
      if (origins !== '*' && origins.length > 0) res.setHeader('vary', 'Origin');
      const granted = origin !== undefined && allowed(origin);
      if (granted) {
        res.setHeader('access-control-allow-origin', origins === '*' ? '*' : origin);
        res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
      }
      if (req.method !== 'OPTIONS') return false;
      const preflight = granted && header(req, 'access-control-request-method') !== undefined;
      res.writeHead(204, {
        allow: METHODS,
        ...(preflight
          ? {
              'access-control-allow-methods': METHODS,
              'access-control-allow-headers': ALLOWED_HEADERS,
              'access-control-max-age': String(MAX_AGE_SECONDS),
            }
          : {}),
      });
      res.end();
      return true;
    },
    mayOpenSocket(req) {
      const origin = header(req, 'origin');
      if (origin === undefined || allowed(origin)) return true;
      return sameOrigin(origin, req);
    },
  };
}

/**
 * Whether `origin` is the gateway itself, as the client addressed it (`Host`,
 * or `X-Forwarded-Host` behind a proxy): GraphiQL's own page. The scheme is
 * not compared (TLS may end at a proxy).
 */
function sameOrigin(origin: string, req: IncomingMessage): boolean {
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  const forwarded = header(req, 'x-forwarded-host')?.split(',')[0]?.trim();
  return [header(req, 'host'), forwarded].some((value) => value?.toLowerCase() === host);
}
