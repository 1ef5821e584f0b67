/**
 * The request headers a subscription keeps: the gateway token, the forwarded
 * upstream keys (CREDENTIALS=forward) and trace context. Everything else
 * (cookies, …) is dropped before it is stored with a subscriber.
 */
import type { IncomingHttpHeaders } from 'node:http';

const KEPT = [
  'authorization',
  'x-coralogix-api-key',
  'x-oneuptime-api-key',
  'traceparent',
  'tracestate',
];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function keep(target: IncomingHttpHeaders, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const name = key.toLowerCase();
    if (KEPT.includes(name) && typeof value === 'string') target[name] = value;
  }
}

/** The kept headers of an HTTP request (SSE). */
export function requestHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const kept: IncomingHttpHeaders = {};
  keep(kept, headers);
  return kept;
}

/**
 * The headers of a WebSocket connection: the upgrade request's, overridden by
 * the `connection_init` payload, flat (`{"Authorization": "Bearer …"}`, as
 * Apollo Client's `connectionParams` usually are) or under `headers`.
 */
export function connectionHeaders(
  upgrade: IncomingHttpHeaders,
  connectionParams: unknown,
): IncomingHttpHeaders {
  const kept = requestHeaders(upgrade);
  if (isObject(connectionParams)) {
    keep(kept, connectionParams);
    if (isObject(connectionParams.headers)) keep(kept, connectionParams.headers);
  }
  return kept;
}
