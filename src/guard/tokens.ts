/**
 * The gateway's own client tokens (`GATEWAY_TOKENS` read + write,
 * `GATEWAY_READ_TOKENS` queries only, `METRICS_TOKENS` `/metrics` only),
 * compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { requestError } from '../errors.js';

export interface Access {
  canWrite: boolean;
}

const digest = (token: string) => createHash('sha256').update(token).digest();

export interface TokenChecker {
  /** True when no token is configured: every client is let in with full access. */
  readonly open: boolean;
  authorize(headers: IncomingHttpHeaders): Access;
  /**
   * Who the client is, for per-client bounds: a stable id of its valid gateway
   * token (a digest, never the token), or undefined when it sent none, an
   * invalid one, or the gateway is open (no tokens: any token would do).
   */
  clientId(headers: IncomingHttpHeaders): string | undefined;
  /**
   * Whether the request may read `/metrics`: open only when no token of any
   * kind is configured; otherwise a metrics token or any gateway token.
   */
  mayReadMetrics(headers: IncomingHttpHeaders): boolean;
}

const bearer = (headers: IncomingHttpHeaders) =>
  /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];

export function createTokenChecker(tokens: {
  readWrite: string[];
  readOnly: string[];
  metrics?: string[];
}): TokenChecker {
  // Digests have a fixed length, so timingSafeEqual never throws and length leaks nothing.
  const readWrite = tokens.readWrite.map(digest);
  const readOnly = tokens.readOnly.map(digest);
  const metrics = (tokens.metrics ?? []).map(digest);
  const open = readWrite.length === 0 && readOnly.length === 0;
  const matches = (candidate: Buffer, list: Buffer[]) =>
    list.reduce((found, known) => timingSafeEqual(candidate, known) || found, false);

  return {
    open,
    mayReadMetrics(headers) {
      if (open && metrics.length === 0) return true;
      const token = bearer(headers);
      if (!token) return false;
      const candidate = digest(token);
      return [metrics, readWrite, readOnly].reduce(
        (found, list) => matches(candidate, list) || found,
        false,
      );
    },
    clientId(headers) {
      const token = open ? undefined : bearer(headers);
      if (!token) return undefined;
      const candidate = digest(token);
      const known = [readWrite, readOnly].reduce(
        (found, list) => matches(candidate, list) || found,
        false,
      );
      return known ? `token:${candidate.toString('base64url').slice(0, 16)}` : undefined;
    },
    authorize(headers) {
      if (open) return { canWrite: true };
      const token = bearer(headers);
      if (!token) {
        throw requestError(
          'UNAUTHENTICATED',
          'Send a gateway token as "Authorization: Bearer <token>".',
        );
      }
      const candidate = digest(token);
      // Both lists are always scanned, so timing does not tell which one matched.
      const write = matches(candidate, readWrite);
      const read = matches(candidate, readOnly);
      if (!write && !read) {
        throw requestError('UNAUTHENTICATED', 'The gateway token is not valid.');
      }
      return { canWrite: write };
    },
  };
}
