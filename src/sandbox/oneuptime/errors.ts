/**
 * OneUptime's two error body shapes (OneUptime/oneuptime
 * ab6f40993700e5d472c23e52913ef2fe5d117f66): thrown exceptions reach the
 * global error handler (`Common/Server/Utils/StartServer.ts` lines 499–560),
 * which sends `{"error": message}` with the exception's code, or 500
 * `{"error": "Server Error"}` for anything else; unknown routes (lines
 * 466–496) go through `Response.sendErrorResponse`
 * (`Common/Server/Utils/Response.ts` lines 248–262), which sends
 * `{"message": …}` (a 404 `Page not found - <url>`).
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
