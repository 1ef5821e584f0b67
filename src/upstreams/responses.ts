/**
 * Reading upstream answers: JSON bodies, the upstream's own error message,
 * the credentials a request carried (to cut them from echoed messages) and
 * `Retry-After`.
 */
import { badResponse } from '../errors.js';
import type { UpstreamName } from './upstream.js';

export function parseJson(text: string, status: number, upstream: UpstreamName): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Error statuses may come with text bodies (e.g. Coralogix "Not Found: …"): keep the text.
    if (status >= 300) return text;
    throw badResponse(upstream, 'body is not valid JSON');
  }
}

/**
 * The credential values a request carries (the clients only set auth headers),
 * without an auth scheme: the key itself is what an upstream may echo, and
 * pieces of "Bearer …" would match ordinary text.
 */
export function secretsOf(headers: Record<string, string>): string[] {
  return Object.values(headers).map((value) => value.replace(/^Bearer\s+/i, '').trim());
}

/** `message` (Coralogix, OneUptime sendErrorResponse) or `error` (OneUptime global handler). */
export function messageOf(body: unknown): string | undefined {
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
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.ceil(seconds) : undefined;
  const date = Date.parse(raw);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
