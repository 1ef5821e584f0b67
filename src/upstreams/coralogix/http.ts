/**
 * What both Coralogix families (Incidents and Cases) share: they live on one
 * host behind one facade (`…/mgmt/openapi/5`, `Authorization: Bearer <key>`,
 * coralogix-management-sdk `go/openapi/cxsdk/config.go` at 4464b2b3), so one
 * HttpUpstream (one undici Pool, one circuit breaker, one retry budget) serves
 * both clients; and the readers of what the facade sends back.
 */
import { UpstreamError, badResponse } from '../../errors.js';
import { HttpUpstream, type HttpUpstreamOptions } from '../http.js';

/** Everything the Coralogix transport needs but its name and auth scheme, which are fixed. */
export type CoralogixHttpOptions = Omit<HttpUpstreamOptions, 'upstream' | 'authHeaders'>;

/** The one transport to the Coralogix host: give it to both family clients. */
export function createCoralogixHttp(options: CoralogixHttpOptions): HttpUpstream {
  return new HttpUpstream({
    ...options,
    upstream: 'coralogix',
    authHeaders: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
  });
}

/** Called when an answer is readable but not quite as documented (logged as a warning). */
export type Warn = (message: string, details: Record<string, unknown>) => void;

/**
 * Reads enum values for `subject` (the ids a warning names): a value the
 * gateway knows as is, else the first of `values` (UNSPECIFIED) with a warning
 * naming the raw value, so a newer Coralogix never fails a field.
 */
export const enumReader =
  (warn: Warn) =>
  (subject: Record<string, string>) =>
  <T extends string>(field: string, raw: string | undefined, values: readonly T[]): T => {
    if (raw === undefined || values.includes(raw as T)) return (raw ?? values[0]) as T;
    warn('Coralogix sent an enum value this gateway does not know; shown as UNSPECIFIED', {
      ...subject,
      field,
      value: raw.slice(0, 100),
    });
    return values[0] as T;
  };

/**
 * A count as protojson writes it: int32 as a number, 64-bit integers as a
 * numeric string (`"123"`); both are accepted.
 */
export function readCount(value: unknown, what: string): number {
  if (value === undefined || value === null) return 0;
  const count = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw badResponse('coralogix', `${what} is not a count`);
  }
  return Math.min(count, 2 ** 31 - 1);
}

/**
 * A 404 naming a missing record (`Not Found: …`) means "no such record": null.
 * A 404 for the route itself (a wrong base URL) stays an error.
 */
export async function nullWhenMissing<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof UpstreamError && error.status === 404 && error.hint !== 'base-url') {
      return null;
    }
    throw error;
  }
}
