/**
 * Why an upstream call failed, in a few words a client may read: the kind of
 * connection error (never its host, address or port), a timeout, or the HTTP
 * status. The transport's errors carry it, and the circuit breaker keeps the
 * last one, so "requests are paused (circuit open)" can say after what.
 */
import { BASE_URL_VARIABLE } from '../errors.js';
import { UPSTREAM_LABEL, type UpstreamName } from './upstream.js';

/** Node's and undici's error codes for a connection that did not work. */
const CONNECTION_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'host name lookup failed (DNS)',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CLOSED: 'connection closed',
  ETIMEDOUT: 'connect timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS certificate not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate is for another host',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake failed (is it an http:// server?)',
};

/** The connection error's kind, from its code or its causes' (undici wraps some). */
export function connectionFailureCause(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_ERRORS[code]) return CONNECTION_ERRORS[code];
    const inner = (current as { errors?: unknown[] }).errors?.[0];
    current = current.cause ?? inner;
  }
  return undefined;
}

/**
 * The message of a call refused while the circuit is open: how long, after
 * what, and (when the upstream could not be reached) what to check.
 */
export function circuitOpenMessage(
  upstream: UpstreamName,
  seconds: number,
  lastFailure: string | undefined,
): string {
  const name = UPSTREAM_LABEL[upstream];
  const paused = `${name} requests are paused for ${seconds} s (circuit open)`;
  if (lastFailure === undefined) return `${paused} after repeated failures.`;
  const answered = /^HTTP \d{3}$/.test(lastFailure);
  const check = answered
    ? `${name} itself is failing`
    : `check ${BASE_URL_VARIABLE[upstream]} and the network`;
  return `${paused} after: ${lastFailure} — ${check}.`;
}
