/**
 * OneUptime's two error body shapes: thrown exceptions reach the global
 * handler and become `{"error": …}`; `Response.sendErrorResponse` (unknown
 * routes) sends `{"message": …}`.
 */
import type { EmulatorResponse } from '../http.js';

export class OneUptimeError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly shape: 'error' | 'message' = 'error',
  ) {
    super(message);
  }

  toResponse(): EmulatorResponse {
    return { status: this.status, body: { [this.shape]: this.message } };
  }
}

export const badRequest = (message: string) => new OneUptimeError(400, message);

/** What a Postgres error (e.g. a malformed uuid in a query) becomes upstream. */
export const serverError = () => new OneUptimeError(500, 'Server Error');

export const notFoundRoute = (url: string) =>
  new OneUptimeError(404, `Page not found - ${url}`, 'message');

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
