/**
 * Errors of the Coralogix emulator, in the v5 facade's form: a JSON body
 * `{"code": <HTTP status>, "message": "…"}` (openapi_v5.yaml schema `Error`;
 * the SDK's `go/openapi/cxsdk/error.go` at 4464b2b3 reads the same form and
 * notes that 404 messages start with `Not Found: `). A route that does not
 * exist answers the legacy plain-text body `Not Found: Not Found`, which the
 * SDK documents as "the HTTP route/endpoint does not exist".
 */
import type { CoralogixErrorBody } from '../../upstreams/coralogix/incidents/types.js';
import type { EmulatorResponse } from '../http.js';

export class RpcError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
  }
}

export const invalidArgument = (message: string): RpcError => new RpcError(400, message);

export const notFound = (message: string): RpcError => new RpcError(404, `Not Found: ${message}`);

export const unauthenticated = (message: string): RpcError => new RpcError(401, message);

export function errorResponse(error: RpcError): EmulatorResponse {
  const body: CoralogixErrorBody = { code: error.httpStatus, message: error.message };
  return { status: error.httpStatus, body };
}

export function routeNotFound(): EmulatorResponse {
  return { status: 404, body: 'Not Found: Not Found' };
}

/** Not documented for the facade; the sandbox's assumption (listed in the README). */
export function methodNotAllowed(allowed: string): EmulatorResponse {
  return {
    status: 405,
    body: { code: 405, message: 'Method Not Allowed: Method Not Allowed' },
    headers: { allow: allowed },
  };
}
